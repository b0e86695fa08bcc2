"""Password reset by email, through a real SMTP server."""

import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_officer_resets_password_with_the_emailed_link(client, smtp_server):
    UserFactory(username="officer", email="priya.sharma@example.police.uk")

    response = client.post("/staff/password-reset/", {"email": "priya.sharma@example.police.uk"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/password-reset/sent/"

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
    assert smtp_server.messages == []


def test_malformed_address_is_explained(client):
    response = client.post("/staff/password-reset/", {"email": "not-an-email"})

    assert "Enter an email address in the correct format" in response.content.decode()


def test_mail_server_down_still_shows_the_same_page(client, settings):
    UserFactory(username="officer", email="priya.sharma@example.police.uk")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1

    response = client.post("/staff/password-reset/", {"email": "priya.sharma@example.police.uk"})

    assert response.status_code == 302
    assert response["Location"] == "/staff/password-reset/sent/"
