"""Password reset by email, through the outbox and a real SMTP server: the same answer whether
or not an account matches, nothing lost while SMTP is down, and a limit on asking."""

import re
import time

import pytest
import time_machine

from notifications.models import OutboxEmail
from notifications.sending import OutboxEmailRetryLater, outbox_email_send
from tests.factories import UserFactory
from tests.fixtures.mail import send_outbox

pytestmark = pytest.mark.django_db


def test_officer_resets_password_with_the_emailed_link(client, smtp_server):
    UserFactory(username="officer", email="priya.sharma@example.police.uk")

    response = client.post("/staff/password-reset/", {"email": "priya.sharma@example.police.uk"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/password-reset/sent/"

    send_outbox()
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "priya.sharma@example.police.uk"
    assert message["Subject"] == "Reset your Neighbourhood Portal password"
    link = re.search(r"https?://\S+/staff/password-reset/\S+/", smtp_server.bodies()[0]).group()
    path = link.split("testserver", 1)[1]

    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new_password = "correct-horse-battery-staple-42"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
        follow=True,
    )
    assert "Password changed" in done.content.decode()
    signed_in = client.post(
        "/staff/sign-in/", {"username": "officer", "password": new_password}, follow=True
    )
    assert signed_in.redirect_chain == [("/staff/", 302)]


def test_unknown_address_gets_the_same_page_and_no_email(client, smtp_server):
    response = client.post("/staff/password-reset/", {"email": "nobody@example.org"})

    assert response["Location"] == "/staff/password-reset/sent/"
    assert not OutboxEmail.objects.exists()
    send_outbox()
    assert smtp_server.messages == []


def test_malformed_address_is_explained(client):
    response = client.post("/staff/password-reset/", {"email": "not-an-email"})

    assert "Enter an email address in the correct format" in response.content.decode()


def test_mail_server_down_keeps_the_email_until_it_returns(client, settings, smtp_server):
    """It used to send from the request: with SMTP down the email was lost while the officer
    was told it had gone."""
    UserFactory(username="officer", email="priya.sharma@example.police.uk")
    smtp_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 1

    response = client.post("/staff/password-reset/", {"email": "priya.sharma@example.police.uk"})

    assert response.status_code == 302
    assert response["Location"] == "/staff/password-reset/sent/"
    with pytest.raises(OutboxEmailRetryLater):
        send_outbox()
    assert smtp_server.messages == []
    email = OutboxEmail.objects.get()
    assert email.status == OutboxEmail.Status.PENDING
    assert email.attempts == 1

    settings.EMAIL_PORT = smtp_port
    with time_machine.travel(email.next_attempt_at):
        outbox_email_send(email_id=email.pk)

    assert [message["To"] for message in smtp_server.messages] == ["priya.sharma@example.police.uk"]
    # The link is a secret: once sent, the outbox keeps no copy of it.
    email.refresh_from_db()
    assert "/staff/password-reset/" not in email.body_text


def test_asking_too_often_is_refused_whether_or_not_the_address_has_an_account(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT_PER_IP = 3
    UserFactory(username="officer", email="priya.sharma@example.police.uk")
    addresses = ["priya.sharma@example.police.uk", "nobody@example.org", "x@example.org"]
    for address in addresses:
        assert client.post("/staff/password-reset/", {"email": address}).status_code == 302

    refused = client.post("/staff/password-reset/", {"email": "priya.sharma@example.police.uk"})

    page = refused.content.decode()
    assert refused.status_code == 429
    assert "You have asked for too many password reset links. Try again after" in page
    assert "govuk-error-summary" in page
    assert OutboxEmail.objects.count() == 1


def test_asking_for_one_address_too_often_is_refused_from_any_network(client, settings):
    settings.PASSWORD_RESET_RATE_LIMIT_PER_EMAIL = 2
    UserFactory(username="officer", email="priya.sharma@example.police.uk")
    for number in range(2):
        response = client.post(
            "/staff/password-reset/",
            {"email": "priya.sharma@example.police.uk"},
            REMOTE_ADDR=f"192.0.2.{number + 1}",
        )
        assert response.status_code == 302

    refused = client.post(
        "/staff/password-reset/",
        {"email": "Priya.Sharma@example.police.uk"},
        REMOTE_ADDR="198.51.100.9",
    )

    assert refused.status_code == 429
    assert OutboxEmail.objects.count() == 2


def test_known_and_unknown_addresses_are_answered_after_the_same_time(client, settings):
    """Writing the email takes a few milliseconds an unknown address does not: both answers
    wait for the same moment, well after either is ready."""
    settings.STEADY_ANSWER_SECONDS = 0.2
    UserFactory(username="officer", email="priya.sharma@example.police.uk")
    durations = {}
    for address in ["priya.sharma@example.police.uk", "nobody@example.org"]:
        started = time.monotonic()
        response = client.post("/staff/password-reset/", {"email": address})
        durations[address] = time.monotonic() - started
        assert response["Location"] == "/staff/password-reset/sent/"

    assert min(durations.values()) >= 0.2
    assert OutboxEmail.objects.count() == 1
