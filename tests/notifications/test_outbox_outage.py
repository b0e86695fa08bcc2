"""An outage of the broker and the SMTP server loses no email and sends none twice: rows are
committed with the change that causes them, and the periodic resend delivers what was left."""

import datetime
import logging
import time

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from notifications.models import OutboxEmail
from notifications.services import outbox_email_enqueue
from notifications.tasks import resend_unsent_emails
from tests.fixtures.celery_worker import running_worker, wait_until_worker_idle
from tests.ports import unused_port
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL_TEMPLATES = {
    "_subject.txt": "Your query {{ reference }}\n",
    ".txt": "Your query {{ reference }} has been received.\n",
    ".html": "<p>Your query <strong>{{ reference }}</strong>.</p>",
}


@pytest.fixture
def notice_template(email_templates) -> str:
    """The email template "notice", served from memory ahead of the project's templates."""
    return email_templates(EMAIL_TEMPLATES)


def submit(template: str, reference: str) -> OutboxEmail:
    """A change and its email, committed together as a service commits them."""
    with transaction.atomic():
        return outbox_email_enqueue(
            to=[f"{reference.lower()}@example.com"],
            template=template,
            context={"reference": reference},
        )


def test_enqueue_commits_the_email_while_the_broker_is_unreachable(
    settings, notice_template, caplog
):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{unused_port()}/0"

    with caplog.at_level(logging.WARNING):
        email = submit(notice_template, "DY-AAAA-001")

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING
    assert email.attempts == 0
    assert any(
        record.levelno == logging.WARNING
        and f"Broker unreachable: notifications.tasks.send_outbox_email({email.pk},) left to "
        "the periodic task"
        in record.getMessage()
        for record in caplog.records
    )


def test_every_pending_email_is_delivered_once_when_broker_and_smtp_return(
    settings, smtp_server, notice_template
):
    broker_url = settings.CELERY_BROKER_URL
    smtp_port = settings.EMAIL_PORT
    # After a failed publish the portal skips the broker for a while; this test does not wait.
    settings.BROKER_PUBLISH_PAUSE_SECONDS = 0
    settings.EMAIL_PORT = unused_port()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{unused_port()}/0"
    # The broker is down: the rows commit, nothing is enqueued.
    lost = [submit(notice_template, f"DY-LOST-{n:03d}") for n in range(3)]

    settings.CELERY_BROKER_URL = broker_url
    with running_worker():
        # The broker is back but the SMTP server is not: these are tried, and wait to retry.
        refused = [submit(notice_template, f"DY-RTRY-{n:03d}") for n in range(2)]
        wait_until(
            lambda: all(
                OutboxEmail.objects.get(pk=email.pk).attempts == 1
                and OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.PENDING
                for email in refused
            ),
            timeout=20,
        )
        settings.EMAIL_PORT = smtp_port

        with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
            resend_unsent_emails.delay()
            resend_unsent_emails.delay()  # overlapping runs send nothing twice
            wait_until(
                lambda: OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 5,
                timeout=20,
            )
            wait_until_worker_idle()  # a duplicate, were there one, has been sent by now

    expected = sorted(email.subject for email in lost + refused)
    assert sorted(message["Subject"] for message in smtp_server.messages) == expected
    assert not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()


def test_many_emails_are_written_at_full_speed_while_the_broker_is_stopped(
    settings, email_templates
):
    """The SLA sweep and alert sends enqueue one email after another: after the first finds the
    broker gone, the rest do not try it again (each try used to cost about 0.6 s)."""
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{unused_port()}/0"
    template = email_templates(
        {"_subject.txt": "Step {{ n }}\n", ".txt": "Query step {{ n }} is due.\n"}
    )

    def enqueue_many():
        for number in range(40):
            outbox_email_enqueue(
                to=[f"officer{number}@example.police.uk"],
                template=template,
                context={"n": number},
            )

    started = time.monotonic()
    enqueue_many()
    seconds = time.monotonic() - started

    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count() == 40
    assert seconds < 3.0, f"40 emails took {seconds:.2f}s"
