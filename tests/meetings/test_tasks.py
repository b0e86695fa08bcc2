"""The meetings app's periodic tasks: named as beat calls them, each running its service, and a
reminder delivered end to end by a real worker to a real SMTP server."""

import datetime
import hashlib
import time
import uuid

import pytest
from django.conf import settings
from django.utils import timezone

from config import celery_app
from config.dates import LONDON
from meetings.models import Event, Registration
from meetings.tasks import (
    anonymise_registrations,
    materialise_series,
    notify_stale_listings,
    send_event_reminders,
)
from notifications.models import OutboxEmail
from tests.factories import AssignmentFactory, EventFactory, OfficerFactory, SeriesFactory
from tests.fixtures.celery_worker import wait_until_worker_idle

pytestmark = pytest.mark.django_db

MEETINGS_TASKS = {
    "meetings.tasks.materialise_series",
    "meetings.tasks.send_event_reminders",
    "meetings.tasks.notify_stale_listings",
    "meetings.tasks.anonymise_registrations",
}


def register(event: Event, email: str = "sam@example.com") -> Registration:
    return Registration.objects.create(
        event=event,
        name="Sam Resident",
        email=email,
        cancel_token_hash=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
    )


def tomorrow_at(hour: int) -> datetime.datetime:
    tomorrow = timezone.now().astimezone(LONDON).date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(tomorrow, datetime.time(hour), tzinfo=LONDON)


def test_beat_schedule_names_each_meetings_task_by_its_registered_name():
    scheduled = {
        entry["task"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].startswith("meetings.")
    }

    assert scheduled == MEETINGS_TASKS
    assert set(celery_app.tasks) >= MEETINGS_TASKS


def test_send_event_reminders_reminds_registrations_for_tomorrow():
    starts_at = tomorrow_at(19)
    register(EventFactory(starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=1)))

    assert send_event_reminders() == 1
    assert send_event_reminders() == 0


def test_materialise_series_creates_the_occurrences():
    series = SeriesFactory(first_starts_at=tomorrow_at(19))

    created = materialise_series()

    assert created >= 3
    assert Event.objects.filter(series=series).count() == created
    assert materialise_series() == 0


def test_notify_stale_listings_emails_the_officers():
    AssignmentFactory(officer=OfficerFactory(email="named@example.police.uk"))

    assert notify_stale_listings() == 1

    assert OutboxEmail.objects.get().to == ["named@example.police.uk"]


def test_anonymise_registrations_clears_old_registrations():
    ended = timezone.now() - datetime.timedelta(days=settings.REGISTRATION_RETENTION_DAYS + 1)
    registration = register(
        EventFactory(starts_at=ended - datetime.timedelta(hours=1), ends_at=ended)
    )

    assert anonymise_registrations() == 1

    registration.refresh_from_db()
    assert registration.name == ""


# --- End to end: a real worker, a real SMTP server ---------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_worker_delivers_tomorrows_reminder_by_smtp_once(celery_worker, smtp_server):
    starts_at = tomorrow_at(19)
    event = EventFactory(
        title="Normanton beat meeting",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=1, minutes=30),
    )
    registration = register(event, email="sam@example.com")

    send_event_reminders.delay()

    deadline = time.monotonic() + 30
    while not smtp_server.messages:
        assert time.monotonic() < deadline, "the worker delivered no reminder"
        time.sleep(0.2)
    [message] = smtp_server.messages
    assert message["X-Envelope-To"] == "sam@example.com"
    assert message["Subject"] == "Reminder: Normanton beat meeting is tomorrow at 7pm"
    assert settings.SITE_URL + event.get_absolute_url() in smtp_server.bodies()[0]
    registration.refresh_from_db()
    assert registration.reminder_sent_at is not None

    # The next hourly run finds nothing left to send.
    assert send_event_reminders() == 0
    wait_until_worker_idle()
    assert len(smtp_server.messages) == 1
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT
