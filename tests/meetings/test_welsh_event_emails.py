"""A resident who registered in Welsh reads the Welsh of an event's title, venue and
neighbourhood in the emails about it, where the organiser wrote them; others read English."""

import pytest

from meetings.services.registrations import registration_create
from notifications.models import OutboxEmail
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(area):
    area.name_cy = "Canol y Dref"
    area.save()
    return EventFactory(
        neighbourhood=area,
        title="Beat meeting",
        title_cy="Cyfarfod bro",
        venue_name="Community Centre",
        venue_name_cy="Canolfan Gymunedol",
        address="1 High Street",
    )


def register(event, email: str, language: str) -> OutboxEmail:
    registration_create(
        event=event,
        name="Robin Resident",
        email=email,
        accessibility_needs="",
        language=language,
    )
    return OutboxEmail.objects.filter(to__contains=[email]).latest("pk")


def test_the_welsh_registration_email_names_the_event_and_venue_in_welsh(event):
    email = register(event, "robin@example.com", "cy")

    assert "Cyfarfod bro" in email.subject + email.body_text
    assert "Canolfan Gymunedol, 1 High Street" in email.body_text
    assert "Canol y Dref" in email.body_text
    assert "Beat meeting" not in email.body_text


def test_the_english_registration_email_keeps_the_english(event):
    email = register(event, "sam@example.com", "en-gb")

    assert "Beat meeting" in email.subject + email.body_text
    assert "Community Centre, 1 High Street" in email.body_text
    assert "Cyfarfod bro" not in email.body_text
