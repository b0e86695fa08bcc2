"""Reminders the day before an event, and anonymising old registrations."""

import datetime
import hashlib
import threading
import uuid

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from pytest_django.asserts import assertInHTML

from config.dates import LONDON
from meetings.models import Event, Registration
from meetings.services.reminders import event_reminders_send, registrations_anonymise
from notifications.models import OutboxEmail
from tests.factories import EventFactory, OfficerFactory
from tests.fixtures.clock import london
from tests.html import hrefs, page_text

pytestmark = pytest.mark.django_db

# Wednesday 1 July 2026, midday in London (BST).
NOW = datetime.datetime(2026, 7, 1, 12, tzinfo=LONDON)


def register(event: Event, name: str = "Sam Resident", email: str | None = None, **fields):
    return Registration.objects.create(
        event=event,
        name=name,
        email=email or f"{uuid.uuid4().hex[:10]}@example.com",
        cancel_token_hash=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
        **fields,
    )


def event_at(starts_at: datetime.datetime, **fields) -> Event:
    return EventFactory(
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1, minutes=30), **fields
    )


def emails_to(address: str) -> list[OutboxEmail]:
    return [email for email in OutboxEmail.objects.all() if address in email.to]


@pytest.fixture
def tomorrow_event():
    return event_at(london(2026, 7, 2, 19))


# --- Once, and only to live registrations of scheduled events ----------------------------------


def test_each_live_registration_gets_one_reminder(tomorrow_event):
    register(tomorrow_event, email="sam@example.com")
    register(tomorrow_event, email="kim@example.com")

    assert event_reminders_send(now=NOW) == 2

    assert len(emails_to("sam@example.com")) == 1
    assert len(emails_to("kim@example.com")) == 1


def test_reminder_email_links_to_report_online(tomorrow_event, settings):
    settings.REPORT_ONLINE_URL = "https://report.example/crime/"
    register(tomorrow_event, email="sam@example.com")

    event_reminders_send(now=NOW)

    [email] = emails_to("sam@example.com")
    assert "or report it online." in page_text(email.body_html)
    assertInHTML('<a href="https://report.example/crime/">report it online</a>', email.body_html)
    assert "or report it online at https://report.example/crime/." in email.body_text


def test_report_online_defaults_to_police_uk():
    assert settings.REPORT_ONLINE_URL.startswith("https://www.police.uk/")


def test_reminder_email_is_forgotten_with_the_registrations(tomorrow_event, settings):
    settings.REGISTRATION_RETENTION_DAYS = 30
    register(tomorrow_event, email="sam@example.com")
    event_reminders_send(now=NOW)
    [email] = emails_to("sam@example.com")
    assert email.forget_after == tomorrow_event.ends_at + datetime.timedelta(days=30)


def test_running_twice_sends_nothing_more(tomorrow_event):
    register(tomorrow_event, email="sam@example.com")
    event_reminders_send(now=NOW)

    assert event_reminders_send(now=NOW + datetime.timedelta(hours=1)) == 0

    assert OutboxEmail.objects.count() == 1


def test_reminder_is_recorded_on_the_registration(tomorrow_event):
    registration = register(tomorrow_event)

    event_reminders_send(now=NOW)

    registration.refresh_from_db()
    assert registration.reminder_sent_at == NOW


def test_registration_made_later_the_day_before_is_reminded_by_the_next_run(tomorrow_event):
    register(tomorrow_event, email="early@example.com")
    event_reminders_send(now=NOW)
    register(tomorrow_event, email="late@example.com")

    assert event_reminders_send(now=NOW + datetime.timedelta(hours=9)) == 1

    assert len(emails_to("late@example.com")) == 1
    assert len(emails_to("early@example.com")) == 1


def test_cancelled_registration_gets_no_reminder(tomorrow_event):
    register(
        tomorrow_event, email="gone@example.com", cancelled_at=NOW - datetime.timedelta(days=1)
    )

    assert event_reminders_send(now=NOW) == 0

    assert not OutboxEmail.objects.exists()


def test_cancelled_event_sends_no_reminder():
    event = event_at(london(2026, 7, 2, 19), status=Event.Status.CANCELLED)
    register(event)

    assert event_reminders_send(now=NOW) == 0

    assert not OutboxEmail.objects.exists()


def test_events_today_and_after_tomorrow_get_no_reminder():
    register(event_at(london(2026, 7, 1, 19)))
    register(event_at(london(2026, 7, 3, 10)))

    assert event_reminders_send(now=NOW) == 0


# --- Tomorrow is the London calendar day after today -------------------------------------------


def test_event_at_half_past_midnight_in_bst_is_tomorrow_on_the_day_before():
    # 00:30 BST on the 2nd is 23:30 UTC on the 1st: by UTC dates it would be today.
    register(event_at(london(2026, 7, 2, 0, 30)), email="early@example.com")

    assert event_reminders_send(now=NOW) == 1

    assert len(emails_to("early@example.com")) == 1


def test_event_at_half_past_midnight_the_day_after_tomorrow_is_not_tomorrow():
    # 00:30 BST on the 3rd is 23:30 UTC on the 2nd: by UTC dates it would be tomorrow.
    register(event_at(london(2026, 7, 3, 0, 30)))

    assert event_reminders_send(now=NOW) == 0


def test_just_after_midnight_in_bst_tomorrow_moves_on_though_utc_is_still_yesterday():
    # 00:15 BST on the 2nd is 23:15 UTC on the 1st: the event that evening is today.
    register(event_at(london(2026, 7, 2, 19)))
    register(event_at(london(2026, 7, 3, 19)), email="next@example.com")

    assert event_reminders_send(now=london(2026, 7, 2, 0, 15)) == 1

    assert len(emails_to("next@example.com")) == 1


def test_tomorrow_in_winter_time_is_the_london_day_after():
    register(event_at(london(2026, 12, 2, 0, 30)), email="winter@example.com")
    register(event_at(london(2026, 12, 3, 0, 30)))

    assert event_reminders_send(now=london(2026, 12, 1, 23, 45)) == 1

    assert len(emails_to("winter@example.com")) == 1


# --- What the reminder says ---------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_reminder_says_when_where_how_to_join_and_how_to_give_the_place_back():
    organiser = OfficerFactory(display_name="Priya Sharma")
    event = event_at(
        london(2026, 7, 2, 19),
        title="Normanton beat meeting",
        venue_name="Normanton Community Centre",
        address="1 High Street",
        postcode="DE23 6AB",
        online_url="https://meet.example.org/normanton",
        step_free_access=True,
        hearing_loop=True,
        accessibility_notes="Level entrance at the side door.",
        organiser=organiser,
    )
    register(event, name="Sam Resident", email="sam@example.com")

    event_reminders_send(now=NOW)

    [email] = OutboxEmail.objects.all()
    assert email.to == ["sam@example.com"]
    assert email.subject == "Reminder: Normanton beat meeting is tomorrow at 7pm"
    body = email.body_text
    assert "Hello Sam Resident," in body
    assert "When: Thursday 2 July 2026 at 7pm to 8:30pm" in body
    assert "Where: Normanton Community Centre, 1 High Street, DE23 6AB" in body
    assert "Join online: https://meet.example.org/normanton" in body
    assert "Run by: Priya Sharma" in body
    assert "- Step-free access" in body
    assert "- Hearing loop" in body
    assert "Level entrance at the side door." in body
    assert f"{settings.SITE_URL}{event.get_absolute_url()}" in body
    assert "cancel link in the confirmation email" in body
    assert "Step-free access" in email.body_html
    assert "https://meet.example.org/normanton" in hrefs(email.body_html)


def test_reminder_leaves_out_what_the_event_does_not_have(tomorrow_event):
    register(tomorrow_event)

    event_reminders_send(now=NOW)

    body = OutboxEmail.objects.get().body_text
    assert "Join online" not in body
    assert "Run by" not in body
    assert "Accessibility" not in body


# --- Bounded work -------------------------------------------------------------------------------


def test_reminders_read_in_batches_without_a_query_per_registration(
    tomorrow_event, django_assert_max_num_queries
):
    tomorrow_event.organiser = OfficerFactory()
    tomorrow_event.save()
    Registration.objects.bulk_create(
        Registration(
            event=tomorrow_event,
            name=f"Resident {i}",
            email=f"resident{i}@example.com",
            cancel_token_hash=f"{i:064x}",
        )
        for i in range(60)
    )

    # Per batch of 25: one read, one update, a savepoint and its release; one outbox row per
    # email. A query per registration to read its event, venue or organiser would add 60+.
    with django_assert_max_num_queries(60 + 3 * 4 + 2):
        assert event_reminders_send(now=NOW, batch_size=25) == 60

    assert OutboxEmail.objects.count() == 60


# --- Two workers at once ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once():
    event = event_at(london(2026, 7, 2, 19))
    Registration.objects.bulk_create(
        Registration(
            event=event,
            name=f"Resident {i}",
            email=f"resident{i}@example.com",
            cancel_token_hash=f"{i:064x}",
        )
        for i in range(120)
    )
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def run() -> None:
        try:
            barrier.wait()
            sent.append(event_reminders_send(now=NOW, batch_size=10))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(sent) == 120
    recipients = [address for email in OutboxEmail.objects.all() for address in email.to]
    assert len(recipients) == 120
    assert len(set(recipients)) == 120


# --- Anonymising old registrations --------------------------------------------------------------


@pytest.fixture
def old_event():
    # Ended 91 days before NOW.
    return event_at(NOW - datetime.timedelta(days=91, hours=2))


def test_registrations_past_retention_lose_name_email_and_needs(old_event):
    registration = register(
        old_event, name="Sam Resident", accessibility_needs="Hearing loop", attended=True
    )

    assert registrations_anonymise(now=NOW) == 1

    registration.refresh_from_db()
    assert registration.name == ""
    assert registration.email == f"anonymised-{registration.pk}@invalid"
    assert registration.accessibility_needs == ""
    assert registration.attended is True


def test_registrations_within_retention_are_kept():
    recent = event_at(NOW - datetime.timedelta(days=89))
    registration = register(recent, name="Kim Resident", email="kim@example.com")

    assert registrations_anonymise(now=NOW) == 0

    registration.refresh_from_db()
    assert (registration.name, registration.email) == ("Kim Resident", "kim@example.com")


def test_anonymising_twice_changes_nothing_more(old_event):
    register(old_event)
    registrations_anonymise(now=NOW)

    assert registrations_anonymise(now=NOW) == 0


def test_anonymising_is_one_update_however_many(old_event, django_assert_num_queries):
    for _ in range(30):
        register(old_event)

    with django_assert_num_queries(1):
        assert registrations_anonymise(now=NOW) == 30


def test_anonymised_registrations_of_one_event_keep_distinct_emails(old_event):
    # The (event, email) constraint holds: each address is made from the row's own id.
    first, second = register(old_event), register(old_event)

    registrations_anonymise(now=NOW)

    emails = set(Registration.objects.values_list("email", flat=True))
    assert emails == {f"anonymised-{first.pk}@invalid", f"anonymised-{second.pk}@invalid"}
