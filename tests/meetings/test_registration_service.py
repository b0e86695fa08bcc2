"""Taking a place at an event and giving it back: the services and every refusal."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from meetings.models import Event, Registration
from meetings.services.registrations import (
    ALREADY_CANCELLED,
    CANCELLED,
    ENDED,
    FULL,
    STARTED,
    registration_cancel,
    registration_create,
    registration_rate_limit_hit,
)
from notifications.models import OutboxEmail
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(
        title="Normanton beat meeting",
        neighbourhood__name="Normanton",
        venue_name="Normanton Community Centre",
        address="12 Browning Street",
        postcode="DE23 6AA",
        online_url="https://meet.example.com/normanton",
        capacity=2,
    )


def register(event, email="sam@example.com", **changes):
    data = {"name": "Sam Resident", "email": email, "accessibility_needs": ""}
    data.update(changes)
    return registration_create(event=event, **data)


def refusal_code(exc: pytest.ExceptionInfo) -> str:
    error = exc.value
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.code


def test_registration_keeps_only_the_hash_of_the_cancel_token(event):
    registration, token = register(event)

    assert len(token) >= 43
    assert registration.cancel_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Registration.objects.values().get())


def test_email_is_kept_in_lower_case(event):
    registration, _ = register(event, email="  Sam@Example.COM ")

    assert registration.email == "sam@example.com"


def test_confirmation_email_has_when_where_joining_link_needs_and_both_links(event):
    _, token = register(event, accessibility_needs="I use a wheelchair.")

    email = OutboxEmail.objects.get()
    assert email.to == ["sam@example.com"]
    assert email.subject.startswith("You are registered: Normanton beat meeting, ")
    body = email.body_text
    assert "When: " in body and " at " in body
    assert "Where: Normanton Community Centre, 12 Browning Street, DE23 6AA" in body
    assert "Join online: https://meet.example.com/normanton" in body
    assert "I use a wheelchair." in body
    assert f"/events/registrations/{token}/cancel/" in body
    assert f"/events/{event.pk}/calendar.ics" in body
    assert f"/events/{event.pk}/" in body
    assert email.redact_after_send is True
    assert email.forget_after == event.registrations_forget_after


def test_same_email_registering_again_keeps_one_place_and_is_told_by_email(event):
    """Answered as a new registration, so nobody learns who is coming from the page; the
    address's owner hears of it by email, with a new cancel link."""
    first, old_token = register(event, email="sam@example.com")

    again, new_token = register(event, email="SAM@example.com")

    assert again.pk == first.pk
    assert Registration.objects.count() == 1
    emails = list(OutboxEmail.objects.order_by("pk"))
    assert [email.to for email in emails] == [["sam@example.com"], ["sam@example.com"]]
    assert emails[1].subject.startswith("You already have a place: ")
    assert "You already have one, and it is kept" in emails[1].body_text
    assert f"/events/registrations/{new_token}/cancel/" in emails[1].body_text
    assert emails[1].redact_after_send is True
    # The first email's cancel link gives way to the new one.
    with pytest.raises(Registration.DoesNotExist):
        registration_cancel(token=old_token)
    registration_cancel(token=new_token)
    assert Registration.objects.get().cancelled_at is not None


def test_same_email_may_register_again_after_cancelling(event):
    _, token = register(event)
    registration_cancel(token=token)

    register(event)

    assert Registration.objects.filter(cancelled_at__isnull=True).count() == 1


def test_full_event_is_refused(event):
    register(event, email="one@example.com")
    register(event, email="two@example.com")

    with pytest.raises(ValidationError) as exc:
        register(event, email="three@example.com")

    assert refusal_code(exc) == FULL
    assert exc.value.messages == ["This event is full"]


def test_a_place_given_back_can_be_taken(event):
    register(event, email="one@example.com")
    _, token = register(event, email="two@example.com")
    registration_cancel(token=token)

    register(event, email="three@example.com")

    assert Registration.objects.filter(cancelled_at__isnull=True).count() == 2


def test_event_without_capacity_takes_everyone(event):
    event.capacity = None
    event.save()

    for n in range(5):
        register(event, email=f"r{n}@example.com")

    assert Registration.objects.count() == 5


def test_cancelled_event_is_refused(event):
    event.status = Event.Status.CANCELLED
    event.save()

    with pytest.raises(ValidationError) as exc:
        register(event)

    assert refusal_code(exc) == CANCELLED
    assert "has been cancelled" in exc.value.messages[0]


def test_event_that_has_started_is_refused(event):
    now = event.starts_at + datetime.timedelta(minutes=5)

    with pytest.raises(ValidationError) as exc:
        registration_create(
            event=event, name="Sam", email="sam@example.com", accessibility_needs="", now=now
        )

    assert refusal_code(exc) == STARTED
    assert "already started" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"accessibility_needs": "x" * 1001}, "accessibility_needs"),
    ],
)
def test_bad_details_are_refused_by_field(event, changes, field):
    with pytest.raises(ValidationError) as exc:
        register(event, **changes)

    assert field in exc.value.error_dict
    assert Registration.objects.count() == 0


def test_cancelling_marks_the_place_given_back_and_emails(event):
    _, token = register(event)

    registration = registration_cancel(token=token)

    assert registration.cancelled_at is not None
    email = OutboxEmail.objects.order_by("pk").last()
    assert email.subject.startswith("Your place is cancelled: Normanton beat meeting")
    assert "You have cancelled your place" in email.body_text


def test_cancelling_twice_is_refused(event):
    _, token = register(event)
    registration_cancel(token=token)

    with pytest.raises(ValidationError) as exc:
        registration_cancel(token=token)

    assert exc.value.code == ALREADY_CANCELLED


def test_cancelling_after_the_event_is_refused(event):
    _, token = register(event)

    with pytest.raises(ValidationError) as exc:
        registration_cancel(token=token, now=event.ends_at + datetime.timedelta(minutes=1))

    assert exc.value.code == ENDED


def test_unknown_token_cancels_nothing():
    with pytest.raises(Registration.DoesNotExist):
        registration_cancel(token="not-a-token-anyone-was-given")


def test_rate_limit_per_email_counts_in_the_meetings_scope(settings):
    settings.REGISTRATION_RATE_LIMIT_PER_EMAIL = 2
    now = timezone.now()

    results = [
        registration_rate_limit_hit(ip=f"192.0.2.{n}", email="sam@example.com", now=now)
        for n in range(3)
    ]

    assert results[:2] == [None, None]
    assert results[2] is not None
    assert registration_rate_limit_hit(ip="192.0.2.9", email="other@example.com", now=now) is None
