"""What the mail server answers decides what happens to an email: a temporary (4xx) refusal is
tried again after the back-off, a permanent (5xx) refusal of the message or of its recipients
ends the email `failed` at once, where staff see it, instead of seven more attempts over two
hours that can only get the same answer."""

import asyncio
from collections.abc import Iterator

import pytest
from django.db import connections

from notifications.models import OutboxEmail
from notifications.sending import OutboxEmailRetryLater, outbox_email_send
from notifications.services import outbox_email_enqueue
from tests.fixtures.smtp_control import MailServer


@pytest.fixture
def mail_server(settings) -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    yield server
    server.refuse()


@pytest.fixture
def email(db, email_templates) -> OutboxEmail:
    template = email_templates({"_subject.txt": "Your query", ".txt": "Hello {{ name }}."})
    return outbox_email_enqueue(
        to=["sam@example.com"], template=template, context={"name": "Sam"}, send_after_commit=False
    )


class RetentionDuringTheSend(MailServer):
    """The query's retention removes the resident's details from the email while the mail
    server is still answering it; the answer is then `data_reply`."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.to_thread(self._remove_details)
        return self.data_reply

    def _remove_details(self) -> None:
        try:
            OutboxEmail.objects.update(
                to=["[removed]"], subject="[removed]", body_text="[removed]", body_html=""
            )
        finally:
            connections.close_all()


def _send_during_retention(settings, email_templates, reply: str) -> tuple[OutboxEmail, object]:
    """An email sent while the query's retention removes its details, the mail server
    answering `reply`: the row afterwards, and what the send returned or raised."""
    server = RetentionDuringTheSend(data_reply=reply)
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    template = email_templates({"_subject.txt": "Your query", ".txt": "Hello {{ name }}."})
    email = outbox_email_enqueue(
        to=["sam@example.com"], template=template, context={"name": "Sam"}, send_after_commit=False
    )
    try:
        outcome = outbox_email_send(email_id=email.pk)
    except OutboxEmailRetryLater as exc:
        outcome = exc
    finally:
        server.refuse()
    email.refresh_from_db()
    return email, outcome


@pytest.mark.django_db(transaction=True)
def test_details_removed_during_a_failed_send_stay_removed(settings, email_templates):
    email, outcome = _send_during_retention(
        settings, email_templates, "451 4.3.0 Mailbox busy, try again later"
    )

    assert isinstance(outcome, OutboxEmailRetryLater)
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    assert (email.to, email.subject, email.body_text) == (["[removed]"], "[removed]", "[removed]")


@pytest.mark.django_db(transaction=True)
def test_details_removed_during_a_successful_send_stay_removed(settings, email_templates):
    """Marking the email sent writes its state alone, not the details read before the send."""
    email, outcome = _send_during_retention(
        settings, email_templates, "250 Message accepted for delivery"
    )

    assert outcome is True
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 1)
    assert (email.to, email.subject, email.body_text) == (["[removed]"], "[removed]", "[removed]")


def test_a_temporary_refusal_is_tried_again_after_the_back_off(mail_server, email):
    mail_server.mode = "451"

    with pytest.raises(OutboxEmailRetryLater):
        outbox_email_send(email_id=email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    assert "451" in email.last_error
    assert email.next_attempt_at is not None


@pytest.mark.parametrize("mode", ["550", "550-recipient"])
def test_a_permanent_refusal_fails_the_email_at_once(mail_server, email, mode, sending_log):
    mail_server.mode = mode

    assert outbox_email_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.FAILED, 1)
    assert "550" in email.last_error
    assert email.next_attempt_at is None
    assert mail_server.messages == []
    assert sending_log() == [
        (
            "ERROR",
            f"Outbox email {email.pk} refused by the mail server for good: {email.last_error}",
        )
    ]


def test_a_temporary_refusal_of_the_recipient_is_tried_again(mail_server, email):
    mail_server.recipient_replies = {"sam@example.com": "451 4.2.1 Mailbox busy, try later"}

    with pytest.raises(OutboxEmailRetryLater):
        outbox_email_send(email_id=email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    assert "451" in email.last_error


def test_recipients_refused_for_good_and_for_now_are_tried_again(mail_server, email):
    """Only when every recipient is refused for good is another attempt pointless."""
    email.to = ["sam@example.com", "priya@example.com"]
    email.save(update_fields=["to"])
    mail_server.recipient_replies = {
        "sam@example.com": "550 5.1.1 No such user here",
        "priya@example.com": "452 4.2.2 Mailbox full",
    }

    with pytest.raises(OutboxEmailRetryLater):
        outbox_email_send(email_id=email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)


@pytest.mark.parametrize("refused", ["recipient", "message"])
def test_a_500_reply_is_a_refusal_for_good(mail_server, email, refused):
    """500, the lowest permanent code ("syntax error"), fails the email as 550 does."""
    if refused == "recipient":
        mail_server.recipient_replies = {"sam@example.com": "500 5.5.2 Syntax error"}
    else:
        mail_server.data_reply = "500 5.5.2 Syntax error"

    assert outbox_email_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.FAILED, 1)
    assert "500" in email.last_error
    assert mail_server.messages == []


def test_a_long_error_is_kept_to_its_first_2000_characters(mail_server, email):
    """Every recipient of a long list refused: the error names them all; the row keeps the
    first 2000 characters, enough for staff to see what happened."""
    email.to = [f"resident{n}@example.com" for n in range(80)]
    email.save(update_fields=["to"])
    mail_server.recipient_replies = dict.fromkeys(email.to, "452 4.2.2 Mailbox full")

    with pytest.raises(OutboxEmailRetryLater) as raised:
        outbox_email_send(email_id=email.pk)

    email.refresh_from_db()
    assert len(str(raised.value)) > 2000
    assert len(email.last_error) == 2000
    assert email.last_error.startswith("SMTPRecipientsRefused: {'resident0@example.com': (452")
