"""The password reset email is written in the language the member of staff chose, through the
outbox and a real SMTP server."""

import pytest

from officers.models import StaffLanguage
from tests.factories import UserFactory
from tests.fixtures.mail import send_outbox

pytestmark = pytest.mark.django_db


def test_a_member_who_chose_welsh_gets_the_reset_link_in_welsh(client, smtp_server):
    user = UserFactory(username="gwen", email="gwen@example.police.uk")
    StaffLanguage.objects.create(user=user, language="cy")

    client.post("/staff/password-reset/", {"email": "gwen@example.police.uk"})
    send_outbox()

    [message] = smtp_server.messages
    assert message["Subject"] == "Ailosod eich cyfrinair Porth y Gymdogaeth"
    body = smtp_server.bodies()[0]
    assert "I ddewis cyfrinair newydd, agorwch y ddolen hon o fewn 24 awr:" in body
    assert "/staff/password-reset/" in body


def test_a_member_who_chose_nothing_gets_it_in_english(client, smtp_server):
    UserFactory(username="tom", email="tom@example.police.uk")

    client.post("/staff/password-reset/", {"email": "tom@example.police.uk"})
    send_outbox()

    [message] = smtp_server.messages
    assert message["Subject"] == "Reset your Neighbourhood Portal password"
    assert "To choose a new password, open this link within 24 hours:" in smtp_server.bodies()[0]
