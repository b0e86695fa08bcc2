"""A worker killed mid-send: its claim on the email runs out after about a minute, the email is
sent then with the Message-ID of the first attempt, and a live send is never claimed twice."""

import datetime

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from notifications.models import OutboxEmail
from notifications.sending import claim_timeout, outbox_email_send, outbox_unsent_ids
from notifications.tasks import send_outbox_email
from tests.fixtures.celery_worker import wait_until_worker_idle
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db

# What the SMTP server was handed by the attempt that died.
attempted: list = []


class WorkerKilledMidSend(BaseException):
    """Stands for the SIGKILL of a worker: no handler of the sending code runs after it."""


class DyingBackend(BaseEmailBackend):
    """The SMTP session during which the worker is killed."""

    def send_messages(self, email_messages):
        attempted.extend(message.message() for message in email_messages)
        raise WorkerKilledMidSend


@pytest.fixture
def killed_mid_send(settings, smtp_server):
    """An email whose first sending worker was killed mid-send, at the returned moment; the
    real SMTP server receives what is sent afterwards."""
    attempted.clear()
    email = OutboxEmail.objects.create(
        to=["resident@example.com"], subject="Your query", body_text="Plain text."
    )
    smtp_backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = f"{__name__}.DyingBackend"
    started = timezone.now()
    with pytest.raises(WorkerKilledMidSend):
        outbox_email_send(email_id=email.pk)
    settings.EMAIL_BACKEND = smtp_backend
    return email, started


def test_the_claim_of_a_killed_worker_runs_out_after_about_a_minute():
    assert datetime.timedelta(seconds=60) <= claim_timeout() <= datetime.timedelta(seconds=90)


def test_the_claim_outlasts_a_live_send_however_slow_the_smtp_server():
    # Connect, EHLO, STARTTLS, EHLO, AUTH, MAIL, RCPT, DATA: each may wait EMAIL_TIMEOUT.
    assert datetime.timedelta(seconds=8 * django_settings.EMAIL_TIMEOUT) < claim_timeout()


def test_a_claim_runs_out_after_the_seconds_set(settings, smtp_server):
    settings.OUTBOX_CLAIM_SECONDS = 20
    email = OutboxEmail.objects.create(
        to=["resident@example.com"], subject="Your query", body_text="Plain text."
    )
    started = timezone.now()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.SENDING, attempts=1, next_attempt_at=started + claim_timeout()
    )

    with time_machine.travel(started + datetime.timedelta(seconds=19)):
        assert outbox_email_send(email_id=email.pk) is False
    with time_machine.travel(started + datetime.timedelta(seconds=21)):
        assert outbox_email_send(email_id=email.pk) is True
        email.refresh_from_db()
        assert email.status == OutboxEmail.Status.SENT
    assert len(smtp_server.messages) == 1


def test_a_fresh_claim_is_not_taken_over(killed_mid_send, smtp_server):
    email, started = killed_mid_send

    with time_machine.travel(started + claim_timeout() - datetime.timedelta(seconds=5)):
        assert outbox_email_send(email_id=email.pk) is False
        assert email.pk not in outbox_unsent_ids()

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENDING
    assert smtp_server.messages == []


def test_a_claim_older_than_the_timeout_is_taken_over_and_sent_once(killed_mid_send, smtp_server):
    email, started = killed_mid_send

    with time_machine.travel(started + claim_timeout() + datetime.timedelta(seconds=1)):
        assert email.pk in outbox_unsent_ids()
        assert outbox_email_send(email_id=email.pk) is True
        assert outbox_email_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert email.attempts == 2
    assert len(smtp_server.messages) == 1


def test_the_copy_sent_again_has_the_message_id_of_the_attempt_that_died(
    killed_mid_send, smtp_server
):
    email, started = killed_mid_send

    with time_machine.travel(started + claim_timeout() + datetime.timedelta(seconds=1)):
        outbox_email_send(email_id=email.pk)

    first_id = attempted[0]["Message-ID"]
    assert first_id.startswith(f"<outbox-{email.pk}-")
    assert smtp_server.messages[0]["Message-ID"] == first_id


def test_task_redelivered_while_the_claim_holds_retries_when_it_runs_out(
    killed_mid_send, smtp_server, celery_worker
):
    """A killed worker's task comes back at once (acks late, rejected on worker loss): it
    tries again as the claim runs out, not at the next sweep (no sweep runs here). The claim
    was taken long enough ago that it runs out a few seconds from now."""
    email, _ = killed_mid_send
    runs_out = timezone.now() + datetime.timedelta(seconds=3)
    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=runs_out)

    send_outbox_email.delay(email.pk)

    # Sent once the worker has recorded it, a moment after the server has the message.
    wait_until(
        lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.SENT,
        timeout=20,
    )
    email.refresh_from_db()
    assert email.sent_at >= runs_out
    assert email.attempts == 2
    wait_until_worker_idle()
    assert len(smtp_server.messages) == 1


def test_task_for_an_email_already_sent_does_not_retry(smtp_server):
    email = OutboxEmail.objects.create(
        to=["resident@example.com"], subject="Your query", body_text="Plain text."
    )
    send_outbox_email.apply(args=[email.pk])

    result = send_outbox_email.apply(args=[email.pk])

    assert result.state == "SUCCESS"
    assert len(smtp_server.messages) == 1
