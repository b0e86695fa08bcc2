"""What the mail server answers decides what happens to an email: a temporary (4xx) refusal is
tried again after the back-off, a permanent (5xx) refusal of the message or of its recipients
ends the email `failed` at once, where staff see it, instead of seven more attempts over two
hours that can only get the same answer."""

from collections.abc import Iterator

import pytest

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


def test_a_temporary_refusal_is_tried_again_after_the_back_off(mail_server, email):
    mail_server.mode = "451"

    with pytest.raises(OutboxEmailRetryLater):
        outbox_email_send(email_id=email.pk)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    assert "451" in email.last_error
    assert email.next_attempt_at is not None


@pytest.mark.parametrize("mode", ["550", "550-recipient"])
def test_a_permanent_refusal_fails_the_email_at_once(mail_server, email, mode):
    mail_server.mode = mode

    assert outbox_email_send(email_id=email.pk) is False

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.FAILED, 1)
    assert "550" in email.last_error
    assert email.next_attempt_at is None
    assert mail_server.messages == []
