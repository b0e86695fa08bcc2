"""Emails whose recipient's details have their own retention (residents registered for an
event) are emptied once past it, and only once sent or failed."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import OutboxEmail
from notifications.sending import FORGOTTEN, outbox_emails_forget

pytestmark = pytest.mark.django_db


def _email(status: str, forget_after: datetime.datetime | None) -> OutboxEmail:
    return OutboxEmail.objects.create(
        to=["resident@example.com"],
        subject="Your place at the beat meeting",
        body_text="Hello Sam",
        body_html="<p>Hello Sam</p>",
        headers={"X-Event-Reference": "EV-1234"},
        status=status,
        forget_after=forget_after,
    )


def test_sent_email_past_its_time_keeps_only_that_it_was_sent():
    now = timezone.now()
    email = _email(OutboxEmail.Status.SENT, now - datetime.timedelta(minutes=1))
    assert outbox_emails_forget(now=now) == 1
    email.refresh_from_db()
    assert (email.to, email.subject, email.body_text, email.body_html) == (
        [FORGOTTEN],
        FORGOTTEN,
        FORGOTTEN,
        "",
    )
    assert email.headers == {}
    assert email.status == OutboxEmail.Status.SENT
    assert email.forget_after is None


def test_email_not_yet_due_or_still_unsent_is_kept():
    now = timezone.now()
    later = _email(OutboxEmail.Status.SENT, now + datetime.timedelta(days=1))
    unsent = _email(OutboxEmail.Status.PENDING, now - datetime.timedelta(days=1))
    untimed = _email(OutboxEmail.Status.SENT, None)
    assert outbox_emails_forget(now=now) == 0
    for email in (later, unsent, untimed):
        email.refresh_from_db()
        assert email.to == ["resident@example.com"]


def test_forgetting_twice_changes_nothing_more():
    now = timezone.now()
    _email(OutboxEmail.Status.FAILED, now - datetime.timedelta(minutes=1))
    assert outbox_emails_forget(now=now) == 1
    assert outbox_emails_forget(now=now) == 0


def test_emails_are_forgotten_as_of_the_time_given():
    now = timezone.now()
    email = _email(OutboxEmail.Status.SENT, now + datetime.timedelta(days=1))

    assert outbox_emails_forget(now=now + datetime.timedelta(days=2)) == 1

    email.refresh_from_db()
    assert email.to == [FORGOTTEN]


def test_without_a_time_emails_are_forgotten_as_of_now():
    past = _email(OutboxEmail.Status.FAILED, timezone.now() - datetime.timedelta(seconds=1))
    future = _email(OutboxEmail.Status.SENT, timezone.now() + datetime.timedelta(minutes=5))

    assert outbox_emails_forget() == 1

    past.refresh_from_db()
    future.refresh_from_db()
    assert (past.to, future.to) == ([FORGOTTEN], ["resident@example.com"])
