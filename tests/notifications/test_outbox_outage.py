"""An outage of the broker and the SMTP server loses no email and sends none twice: rows are
committed with the change that causes them, and the periodic resend delivers what was left."""

import datetime
import logging
import socket
import time

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from notifications.models import OutboxEmail
from notifications.services import outbox_email_enqueue
from notifications.tasks import resend_unsent_emails
from tests.fixtures.celery_worker import running_worker
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


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"

    with caplog.at_level(logging.ERROR):
        email = submit(notice_template, "DY-AAAA-001")

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING
    assert email.attempts == 0
    assert any(
        record.levelno == logging.ERROR
        and f"Outbox email {email.pk} not enqueued, the broker is unreachable"
        in record.getMessage()
        for record in caplog.records
    )


def test_every_pending_email_is_delivered_once_when_broker_and_smtp_return(
    settings, smtp_server, notice_template
):
    broker_url = settings.CELERY_BROKER_URL
    smtp_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = closed_port()
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
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
            time.sleep(1)  # time for a duplicate to arrive, were there one

    expected = sorted(email.subject for email in lost + refused)
    assert sorted(message["Subject"] for message in smtp_server.messages) == expected
    assert not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()
