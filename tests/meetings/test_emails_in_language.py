"""Every email about a place at an event is written in the language the resident registered
in: the confirmation, the reminder, a change, a cancellation, giving the place back. The
officers' weekly note of stale listings is in each officer's chosen language."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from config.dates import LONDON
from meetings.models import Event, Registration
from meetings.services import events as event_services
from meetings.services.reminders import event_reminders_send, stale_listings_notify
from notifications.models import OutboxEmail
from tests.fixtures.clock import london
from tests.html import language

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Monday 14 September 2026, 9am in London (BST).
NOW = datetime.datetime(2026, 9, 14, 9, tzinfo=LONDON)


@pytest.fixture
def event(area, priya):
    return event_services.event_create(
        user=priya.user,
        data={
            "neighbourhood": area,
            "event_type": Event.Type.BEAT_MEETING,
            "title": "Normanton beat meeting",
            "description": "",
            "venue_name": "Normanton Community Centre",
            "address": "",
            "postcode": "",
            "step_free_access": True,
            "hearing_loop": False,
            "parking": False,
            "accessibility_notes": "",
            "online_url": "",
            "capacity": None,
            "starts_at": london(2026, 10, 6, 19),
            "ends_at": london(2026, 10, 6, 20, 30),
        },
    )


def register(client, event, language: str, email: str) -> OutboxEmail:
    with translation.override(language):
        url = reverse("meetings:register", kwargs={"pk": event.pk})
    response = client.post(
        url, {"name": "Sam Resident", "email": email, "accessibility_needs": "", "website": ""}
    )
    assert response.status_code == 302
    return OutboxEmail.objects.filter(to=[email]).latest("pk")


def test_a_place_taken_in_welsh_is_confirmed_in_welsh(client, event):
    email = register(client, event, "cy", "sam@example.com")

    assert Registration.objects.get().language == "cy"
    assert email.subject == (
        "Rydych wedi cofrestru: Normanton beat meeting, dydd Mawrth 6 Hydref 2026 am 7pm tan 8:30pm"
    )
    assert "Mae gennych le yn Normanton beat meeting" in email.body_text
    assert f"/cy/events/{event.pk}/" in email.body_text
    assert re.search(r"/cy/events/registrations/\S+/cancel/", email.body_text)
    assert language(email.body_html) == "cy"
    assert "Canslo fy lle" in email.body_html
    assert "Everything about the event" not in email.body_text


def test_a_place_taken_in_english_is_confirmed_in_english(client, event):
    email = register(client, event, "en-gb", "sam@example.com")

    assert Registration.objects.get().language == "en-gb"
    assert email.subject == (
        "You are registered: Normanton beat meeting, Tuesday 6 October 2026 at 7pm to 8:30pm"
    )
    assert "/cy/" not in email.body_text
    assert language(email.body_html) == "en-GB"


def test_asking_again_in_welsh_is_answered_in_welsh(client, event):
    register(client, event, "cy", "sam@example.com")
    again = register(client, event, "cy", "sam@example.com")

    assert again.subject.startswith("Mae gennych le eisoes: Normanton beat meeting, dydd Mawrth")
    assert "chi yn ôl pob tebyg" in again.body_text


def test_giving_the_place_back_is_told_in_the_language_of_the_registration(client, event):
    register(client, event, "cy", "sam@example.com")
    path = re.search(r"/cy(/events/registrations/\S+/cancel/)", OutboxEmail.objects.get().body_text)

    # Given back on the English page: the email still follows the registration.
    response = client.post(path.group(1))

    assert response.status_code == 200
    told = OutboxEmail.objects.latest("pk")
    assert told.subject.startswith("Mae eich lle wedi\u2019i ganslo: Normanton beat meeting, dydd")
    assert "Rydych wedi canslo eich lle" in told.body_text


def test_each_resident_is_reminded_in_their_language(client, event):
    register(client, event, "cy", "cymraeg@example.com")
    register(client, event, "en-gb", "english@example.com")

    event_reminders_send(now=london(2026, 10, 5, 10))

    welsh = OutboxEmail.objects.filter(to=["cymraeg@example.com"]).latest("pk")
    english = OutboxEmail.objects.filter(to=["english@example.com"]).latest("pk")
    assert welsh.subject == "Nodyn atgoffa: mae Normanton beat meeting yfory am 7pm"
    assert "Pryd: dydd Mawrth 6 Hydref 2026 am 7pm tan 8:30pm" in welsh.body_text
    assert "Mynediad heb risiau" in welsh.body_text
    assert f"/cy/events/{event.pk}/" in welsh.body_text
    assert english.subject == "Reminder: Normanton beat meeting is tomorrow at 7pm"
    assert "When: Tuesday 6 October 2026 at 7pm to 8:30pm" in english.body_text
    assert "/cy/" not in english.body_text


def test_a_cancelled_event_is_told_to_each_resident_in_their_language(client, event, priya):
    register(client, event, "cy", "cymraeg@example.com")
    register(client, event, "en-gb", "english@example.com")

    # The officer works in English; the residents hear in their own language.
    event_services.event_cancel(user=priya.user, event=event, reason="The hall is flooded.")

    welsh = OutboxEmail.objects.filter(to=["cymraeg@example.com"]).latest("pk")
    english = OutboxEmail.objects.filter(to=["english@example.com"]).latest("pk")
    assert welsh.subject == (
        "Wedi\u2019i ganslo: Normanton beat meeting ar dydd Mawrth 6 Hydref 2026 am 7pm"
    )
    assert "Mae\u2019n ddrwg gennym" in welsh.body_text
    assert "The hall is flooded." in welsh.body_text
    assert f"/cy/events/{event.pk}/" in welsh.body_text
    assert english.subject == "Cancelled: Normanton beat meeting on Tuesday 6 October 2026 at 7pm"
    assert "/cy/" not in english.body_text


def test_a_moved_event_is_told_to_each_resident_in_their_language(client, event, priya):
    register(client, event, "cy", "cymraeg@example.com")
    register(client, event, "en-gb", "english@example.com")

    with translation.override("cy"):
        # Even an officer working in Welsh writes each resident's email in their language.
        event_services.event_update(
            user=priya.user,
            event=event,
            data={"starts_at": london(2026, 10, 7, 18), "ends_at": london(2026, 10, 7, 19)},
        )

    welsh = OutboxEmail.objects.filter(to=["cymraeg@example.com"]).latest("pk")
    english = OutboxEmail.objects.filter(to=["english@example.com"]).latest("pk")
    assert welsh.subject == (
        "Mae Normanton beat meeting wedi symud i dydd Mercher 7 Hydref 2026 am 6pm"
    )
    assert "Cynt: dydd Mawrth 6 Hydref 2026 am 7pm tan 8:30pm" in welsh.body_text
    assert "Nawr: dydd Mercher 7 Hydref 2026 am 6pm tan 7pm" in welsh.body_text
    assert english.subject == "Normanton beat meeting has moved to Wednesday 7 October 2026 at 6pm"
    assert "Was: Tuesday 6 October 2026 at 7pm to 8:30pm" in english.body_text
    assert "Mehefin" not in english.body_text and "dydd" not in english.body_text


@pytest.mark.usefixtures("gwen_and_tom")
def test_stale_listings_reach_each_officer_in_their_chosen_language(area):

    assert stale_listings_notify(now=NOW) == 1

    welsh = OutboxEmail.objects.get(to=["gwen@example.police.uk"])
    english = OutboxEmail.objects.get(to=["tom@example.police.uk"])
    assert welsh.subject == "Normanton: mae angen diweddaru\u2019r rhestr digwyddiadau"
    assert "Nid oes cyfarfod bro wedi\u2019i restru" in welsh.body_text
    assert language(welsh.body_html) == "cy"
    assert english.subject == "Normanton: event listings need updating"


@pytest.mark.usefixtures("gwen_and_tom")
def test_stale_listings_name_the_neighbourhood_in_each_officers_language(area):
    area.name_cy = "Tre Norman"
    area.save(update_fields=["name_cy"])

    stale_listings_notify(now=NOW)

    welsh = OutboxEmail.objects.get(to=["gwen@example.police.uk"])
    english = OutboxEmail.objects.get(to=["tom@example.police.uk"])
    assert welsh.subject == "Tre Norman: mae angen diweddaru\u2019r rhestr digwyddiadau"
    assert "Normanton" not in welsh.body_text + welsh.body_html
    assert english.subject == "Normanton: event listings need updating"
    assert "Tre Norman" not in english.body_text + english.body_html
