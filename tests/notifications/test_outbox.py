"""The email outbox: sent by a real worker to a real SMTP server, never twice, retried with
back-off when the server is down, and shown to administrators once it has failed."""

import datetime
import threading
from collections.abc import Iterator

import pytest
import time_machine
from django.core.mail import BadHeaderError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config import celery_app
from notifications.models import OutboxEmail
from notifications.selectors import outbox_failed_count
from notifications.sending import (
    REDACTED,
    OutboxEmailRetryLater,
    outbox_backoff,
    outbox_email_send,
    outbox_unsent_ids,
)
from notifications.services import OutboxDraft, outbox_email_enqueue, outbox_emails_enqueue
from notifications.tasks import send_outbox_email
from tests.fixtures.celery_worker import running_worker, wait_until_worker_idle
from tests.fixtures.smtp_control import MailServer
from tests.html import elements
from tests.locks import row_held_elsewhere
from tests.ports import unused_port
from tests.waiting import wait_until

EMAIL_TEMPLATES = {
    "_subject.txt": "Your query {{ reference }}\n",
    ".txt": "Hello {{ name }}, this is the plain text.\n",
    ".html": "<p>Hello {{ name }}, this is <strong>the HTML</strong>.</p>",
}


@pytest.fixture
def notice_template(email_templates) -> str:
    """The email template "notice", served from memory ahead of the project's templates."""
    return email_templates(EMAIL_TEMPLATES)


@pytest.fixture
def smtp_down(settings) -> None:
    """Django's SMTP backend pointed at a port where nothing listens."""
    port = unused_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_TIMEOUT = 2


@pytest.fixture
def mail_server(settings) -> Iterator[MailServer]:
    """An SMTP server the test can close and open again."""
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2
    yield server
    server.refuse()


def make_email(**fields) -> OutboxEmail:
    fields = {
        "to": ["resident@example.com"],
        "subject": "Your query DY-7K3P-Q9X",
        "body_text": "Plain text.",
        "body_html": "<p>HTML.</p>",
        "headers": {"X-Query-Reference": "DY-7K3P-Q9X"},
        **fields,
    }
    return OutboxEmail.objects.create(**fields)


@pytest.mark.django_db(transaction=True)
def test_enqueued_email_is_delivered_once_by_a_worker_after_commit(
    celery_worker, smtp_server, notice_template, settings
):
    with transaction.atomic():
        email = outbox_email_enqueue(
            to=["resident@example.com"],
            template=notice_template,
            context={"reference": "DY-7K3P-Q9X", "name": "Sam"},
            headers={"X-Query-Reference": "DY-7K3P-Q9X"},
        )

    wait_until(lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.SENT)
    wait_until_worker_idle()  # a duplicate, were there one, has been sent by now
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["Subject"] == "Your query DY-7K3P-Q9X"
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["X-Envelope-To"] == "resident@example.com"
    assert message["X-Query-Reference"] == "DY-7K3P-Q9X"
    assert "Hello Sam, this is the plain text." in message.get_body(("plain",)).get_content()
    assert "<strong>the HTML</strong>" in message.get_body(("html",)).get_content()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("old_name", "args"),
    [
        ("queries.tasks.outbox.send_outbox_email", lambda pk: [pk]),
        ("queries.tasks.outbox.send_outbox_emails", lambda pk: [[pk]]),
    ],
)
def test_a_send_queued_under_the_old_task_name_is_still_delivered(
    celery_worker, smtp_server, old_name, args
):
    """Tasks in the broker when the outbox moved from the queries app still send."""
    email = make_email()

    celery_app.send_task(old_name, args=args(email.pk))

    wait_until(lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.SENT)
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_enqueue_waits_for_the_commit(notice_template, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        email = outbox_email_enqueue(
            to=["resident@example.com"], template=notice_template, context={"name": "Sam"}
        )

    assert email.status == OutboxEmail.Status.PENDING
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_sent_email_is_marked_sent(smtp_server):
    email = make_email()

    assert outbox_email_send(email_id=email.pk) is True

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert email.sent_at is not None
    assert email.attempts == 1


@pytest.mark.django_db
def test_an_email_sent_after_a_failed_attempt_keeps_no_error(smtp_server):
    email = make_email(
        attempts=1,
        last_error="SMTPDataError: (451, b'Mailbox busy')",
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1),
    )
    before = timezone.now()

    assert outbox_email_send(email_id=email.pk) is True

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error, email.next_attempt_at) == (
        OutboxEmail.Status.SENT,
        2,
        "",
        None,
    )
    assert before <= email.sent_at <= timezone.now()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body_html", "kept_html"), [("<p>Follow it at /q/secret/</p>", f"<p>{REDACTED}</p>"), ("", "")]
)
def test_an_email_holding_a_secret_keeps_no_copy_of_it_once_sent(smtp_server, body_html, kept_html):
    email = make_email(
        body_text="Follow it at /q/secret/", body_html=body_html, redact_after_send=True
    )

    assert outbox_email_send(email_id=email.pk) is True

    assert "Follow it at /q/secret/" in smtp_server.bodies()[0]
    email.refresh_from_db()
    assert (email.status, email.body_text, email.body_html) == (
        OutboxEmail.Status.SENT,
        REDACTED,
        kept_html,
    )


@pytest.mark.django_db
def test_an_email_without_a_secret_is_kept_as_sent(smtp_server):
    email = make_email(body_text="Your meeting is on Monday.", body_html="<p>Monday</p>")

    outbox_email_send(email_id=email.pk)

    email.refresh_from_db()
    assert (email.body_text, email.body_html) == ("Your meeting is on Monday.", "<p>Monday</p>")


@pytest.mark.django_db
def test_sending_a_sent_email_again_sends_nothing(smtp_server):
    email = make_email()
    outbox_email_send(email_id=email.pk)

    assert outbox_email_send(email_id=email.pk) is False

    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_sending_a_missing_email_does_nothing(smtp_server):
    assert outbox_email_send(email_id=987654321) is False
    assert smtp_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sends_deliver_exactly_one_email(smtp_server):
    email = make_email()
    start = threading.Barrier(2)
    results: list[bool] = []

    def send() -> None:
        try:
            start.wait()
            results.append(outbox_email_send(email_id=email.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False, True]
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_email_claimed_by_a_live_worker_is_not_sent_again(smtp_server):
    email = make_email(
        status=OutboxEmail.Status.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() + datetime.timedelta(minutes=9),
    )

    assert outbox_email_send(email_id=email.pk) is False
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_email_left_sending_by_a_dead_worker_is_sent_after_the_claim_expires(smtp_server):
    email = make_email(
        status=OutboxEmail.Status.SENDING,
        attempts=1,
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1),
    )

    assert outbox_email_send(email_id=email.pk) is True

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert email.attempts == 2
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_smtp_down_puts_the_email_back_to_pending_with_error_and_next_attempt(smtp_down):
    email = make_email()
    now = timezone.now()

    with pytest.raises(OutboxEmailRetryLater) as raised:
        outbox_email_send(email_id=email.pk)

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at - now >= datetime.timedelta(minutes=1)
    assert email.next_attempt_at - now < datetime.timedelta(minutes=2)
    assert raised.value.retry_in == datetime.timedelta(minutes=1)
    assert raised.value.email_id == email.pk
    # What the worker logs as the reason for its retry.
    assert str(raised.value) == (
        f"email {email.pk} not sent ({email.last_error}); retrying in 0:01:00"
    )


@pytest.mark.django_db
def test_smtp_failure_is_logged(smtp_down, sending_log):
    email = make_email()

    with pytest.raises(OutboxEmailRetryLater):
        outbox_email_send(email_id=email.pk)

    email.refresh_from_db()
    assert sending_log() == [
        (
            "WARNING",
            f"Outbox email {email.pk} not sent (attempt 1 of 8), retrying in 0:01:00: "
            f"{email.last_error}",
        )
    ]


@pytest.mark.django_db
def test_an_email_that_cannot_be_written_fails_at_once_without_retries(smtp_server, caplog):
    """A fault of the row itself (a header value with a line break) would fail every attempt:
    the email is failed at once, where staff see it, and the error goes up to the task."""
    email = make_email(headers={"X-Query-Reference": "DY-7K3P-Q9X\nBcc: someone@example.com"})

    with pytest.raises(BadHeaderError):
        outbox_email_send(email_id=email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == (
        OutboxEmail.Status.FAILED,
        1,
        None,
    )
    assert email.last_error.startswith("BadHeaderError: Header values can't contain newlines")
    assert smtp_server.messages == []
    [record] = [record for record in caplog.records if record.name == "notifications.sending"]
    assert (record.levelname, record.getMessage()) == (
        "ERROR",
        f"Outbox email {email.pk} could not be sent, marked failed",
    )
    assert record.exc_info[0] is BadHeaderError


def test_back_off_doubles_from_a_minute_and_stops_at_an_hour():
    minutes = [
        outbox_backoff(attempts) / datetime.timedelta(minutes=1) for attempts in range(1, 10)
    ]

    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert outbox_backoff(500) == datetime.timedelta(hours=1)


@pytest.mark.django_db
def test_email_is_failed_once_attempts_reach_the_maximum(smtp_down, settings, caplog, sending_log):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = make_email()
    for _ in range(2):
        with pytest.raises(OutboxEmailRetryLater):
            outbox_email_send(email_id=email.pk)
    caplog.clear()

    assert outbox_email_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert email.attempts == 3
    assert email.next_attempt_at is None
    assert "ConnectionRefusedError" in email.last_error
    assert sending_log() == [
        ("ERROR", f"Outbox email {email.pk} failed after 3 attempts: {email.last_error}")
    ]
    assert outbox_email_send(email_id=email.pk) is False


@pytest.mark.django_db
def test_dead_worker_on_the_last_attempt_leaves_the_email_failed(
    smtp_server, settings, sending_log
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = make_email(
        status=OutboxEmail.Status.SENDING,
        attempts=3,
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1),
    )

    assert outbox_email_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert email.last_error == "The last attempt did not finish."
    assert smtp_server.messages == []
    assert sending_log() == [
        ("ERROR", f"Outbox email {email.pk} failed: its last attempt did not finish")
    ]


@pytest.mark.django_db(transaction=True)
def test_an_email_locked_by_another_worker_is_skipped_not_waited_for(smtp_server):
    """A second worker finds the row locked by the first one's claim: it goes on to other
    work at once instead of queueing behind the lock (and then sending what it waited for)."""
    email = make_email()
    with row_held_elsewhere(OutboxEmail, email.pk):
        assert outbox_email_send(email_id=email.pk) is False

    assert smtp_server.messages == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sender", "domain"),
    [
        ("neighbourhoods@example.police.uk", "example.police.uk"),
        ("Neighbourhood Policing <neighbourhoods@example.police.uk>", "example.police.uk"),
        ("neighbourhoods", "localhost"),
    ],
)
def test_the_message_id_is_on_the_domain_of_the_sender(smtp_server, settings, sender, domain):
    settings.DEFAULT_FROM_EMAIL = sender
    email = make_email()

    outbox_email_send(email_id=email.pk)

    message = smtp_server.messages[0]
    # As sent: parsing the header would hide a stray ">".
    assert [value for name, value in message.raw_items() if name == "Message-ID"] == [
        f"<outbox-{email.pk}-{email.created_at:%Y%m%d%H%M%S}@{domain}>"
    ]
    assert message["From"] == sender


@pytest.mark.django_db
def test_an_email_with_a_message_id_of_its_own_keeps_it(smtp_server):
    email = make_email(headers={"Message-ID": "<reply-7@example.police.uk>"})

    outbox_email_send(email_id=email.pk)

    assert smtp_server.messages[0].get_all("Message-ID") == ["<reply-7@example.police.uk>"]


@pytest.mark.django_db(transaction=True)
def test_task_retries_itself_after_the_back_off(mail_server):
    """A real worker finds the mail server down and schedules its own retry a minute on.
    That worker stops; the mail server comes back; a worker started two minutes later (the
    clock moved, not waited for) runs the retry from the queue and sends the email once."""
    mail_server.refuse()
    email = make_email()

    with running_worker():
        send_outbox_email.delay(email.pk)
        wait_until(lambda: OutboxEmail.objects.get(pk=email.pk).attempts == 1)
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING
    assert mail_server.messages == []

    mail_server.accept()
    later = timezone.now() + outbox_backoff(1) + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=True), running_worker(keep_queue=True):
        wait_until(lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.SENT)

    email.refresh_from_db()
    assert email.attempts == 2
    assert [m["Subject"] for m in mail_server.messages] == ["Your query DY-7K3P-Q9X"]


@pytest.mark.django_db
def test_task_retried_to_the_limit_leaves_the_email_failed(smtp_down, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = make_email()

    send_outbox_email.apply(args=[email.pk])  # eager retries run at once

    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert email.attempts == 3


@pytest.mark.django_db
def test_failed_email_shows_in_the_admin_for_an_administrator(
    client, administrator_account, smtp_down, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    email = make_email(subject="Breach notice DY-7K3P-Q9X")
    make_email(subject="Sent notice", status=OutboxEmail.Status.SENT)
    outbox_email_send(email_id=email.pk)
    client.force_login(administrator_account)

    response = client.get("/admin/notifications/outboxemail/", {"status__exact": "failed"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Breach notice DY-7K3P-Q9X" in page
    assert "ConnectionRefusedError" in page
    assert "Sent notice" not in page


@pytest.mark.django_db
def test_an_email_not_yet_rendered_shows_in_the_admin_by_its_template(
    client, administrator_account
):
    outbox_emails_enqueue(
        drafts=[OutboxDraft(to=["priya@example.police.uk"], context={"reference": "DY-1"})],
        template="queries/email/reminder",
        render_when_sent=True,
    )
    client.force_login(administrator_account)

    response = client.get("/admin/notifications/outboxemail/")

    assert response.status_code == 200
    assert "Written when sent, from queries/email/reminder" in response.content.decode()


@pytest.mark.django_db
def test_outbox_admin_is_read_only(client, administrator_account):
    email = make_email()
    client.force_login(administrator_account)

    response = client.get(f"/admin/notifications/outboxemail/{email.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert not elements(page, "*", name="subject")
    assert client.get("/admin/notifications/outboxemail/add/").status_code == 403


@pytest.mark.django_db
def test_admin_refuses_an_officer(client, officer_account):
    client.force_login(officer_account)

    response = client.get("/admin/notifications/outboxemail/")

    assert response.status_code == 302


@pytest.mark.django_db
def test_send_again_puts_only_failed_emails_back_with_fresh_attempts(client, administrator_account):
    failed = make_email(status=OutboxEmail.Status.FAILED, attempts=8, last_error="refused")
    sent = make_email(status=OutboxEmail.Status.SENT, attempts=1)
    client.force_login(administrator_account)

    response = client.post(
        "/admin/notifications/outboxemail/",
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )

    page = response.content.decode()
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == OutboxEmail.Status.PENDING
    assert failed.attempts == 0
    assert sent.status == OutboxEmail.Status.SENT
    assert "1 failed email(s) will be sent again." in page
    assert "1 email(s) had not failed" in page


@pytest.mark.django_db
def test_email_sent_again_is_delivered(client, administrator_account, smtp_server):
    email = make_email(status=OutboxEmail.Status.FAILED, attempts=8)
    client.force_login(administrator_account)
    client.post(
        "/admin/notifications/outboxemail/",
        {"action": "send_again", "_selected_action": [email.pk]},
    )

    assert outbox_email_send(email_id=email.pk) is True
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_failed_count_counts_only_failed_emails():
    make_email(status=OutboxEmail.Status.FAILED)
    make_email(status=OutboxEmail.Status.FAILED)
    make_email(status=OutboxEmail.Status.SENT)
    make_email()

    assert outbox_failed_count() == 2


@pytest.mark.django_db
def test_unsent_rows_are_those_due_oldest_first_and_not_the_fresh_ones():
    now = timezone.now()
    minute = datetime.timedelta(minutes=1)
    with time_machine.travel(now - 10 * minute):
        old_pending = make_email()
        retry_due = make_email(next_attempt_at=now - minute)
        retry_later = make_email(next_attempt_at=now + minute)
        stuck_sending = make_email(status=OutboxEmail.Status.SENDING, next_attempt_at=now)
        live_sending = make_email(status=OutboxEmail.Status.SENDING, next_attempt_at=now + minute)
        make_email(status=OutboxEmail.Status.SENT)
        make_email(status=OutboxEmail.Status.FAILED)
    make_email()  # fresh: its own task is sending it

    with time_machine.travel(now):
        ids = outbox_unsent_ids()

    assert ids == [old_pending.pk, retry_due.pk, stuck_sending.pk]
    assert retry_later.pk not in ids
    assert live_sending.pk not in ids


@pytest.mark.django_db
def test_unsent_rows_are_oldest_first_whatever_their_ids():
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(minutes=2)):
        newer = make_email()
    with time_machine.travel(now - datetime.timedelta(minutes=5)):
        older = make_email()  # written later, dated earlier (an import, a clock put back)

    with time_machine.travel(now):
        assert outbox_unsent_ids() == [older.pk, newer.pk]


@pytest.mark.django_db
def test_emails_written_together_are_resent_in_the_order_they_were_written(notice_template):
    """One bulk enqueue gives its rows the same created_at: the id keeps their order, also
    after the first one's failed attempt rewrote its row."""
    now = timezone.now()
    with time_machine.travel(now - datetime.timedelta(minutes=10), tick=False):
        email_ids = outbox_emails_enqueue(
            drafts=[
                OutboxDraft(to=[f"resident{n}@example.com"], context={"name": f"Sam {n}"})
                for n in range(3)
            ],
            template=notice_template,
        )
    OutboxEmail.objects.filter(pk=email_ids[0]).update(
        attempts=1, last_error="451 busy", next_attempt_at=now - datetime.timedelta(minutes=1)
    )

    with time_machine.travel(now):
        assert outbox_unsent_ids() == email_ids


@pytest.mark.django_db
def test_unsent_rows_are_read_in_a_bounded_batch():
    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=5)):
        emails = [make_email() for _ in range(5)]

    assert outbox_unsent_ids(limit=3) == [email.pk for email in emails[:3]]


@pytest.mark.django_db
def test_unsent_rows_are_found_through_the_partial_index():
    with CaptureQueriesContext(connection) as captured:
        outbox_unsent_ids()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + captured.captured_queries[-1]["sql"])
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "outbox_unsent" in plan


@pytest.mark.django_db
def test_admin_list_runs_a_fixed_number_of_sql_queries(
    client, administrator_account, django_assert_max_num_queries
):
    for n in range(30):
        make_email(status=OutboxEmail.Status.FAILED, last_error=f"error {n}")
    client.force_login(administrator_account)

    with django_assert_max_num_queries(12):
        response = client.get("/admin/notifications/outboxemail/")

    assert response.status_code == 200
    assert "error 29" in response.content.decode()
