"""Alerts are written in the language the resident signed up in: the confirmation, each
change as it happens and the daily digest, with links to the Welsh pages; several languages
in one batch cost the same statements as one."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from alerts.changes import alert_change_record
from alerts.models import AlertChange, Subscriber
from alerts.sending import alert_change_send, alert_digests_send
from notifications.models import OutboxEmail
from tests.factories import EventFactory
from tests.html import language

pytestmark = pytest.mark.django_db


def sign_up(client, area, prefix: str, email: str, frequency: str = "immediate"):
    return client.post(
        f"{prefix}/alerts/",
        {
            "email": email,
            "neighbourhoods": [area.slug],
            "topics": ["events", "priorities", "surveys"],
            "frequency": frequency,
            "website": "",
        },
    )


def confirm(client, email: str) -> Subscriber:
    body = OutboxEmail.objects.filter(to=[email]).latest("pk").body_text
    path = re.search(r"https?://[^/\s]+(/\S*alerts/confirm/\S+/)", body).group(1)
    client.post(path)
    return Subscriber.objects.get(email=email)


def test_a_sign_up_in_welsh_is_confirmed_in_welsh(client, area):
    assert sign_up(client, area, "/cy", "sam@example.com").status_code == 302

    email = OutboxEmail.objects.get(to=["sam@example.com"])
    assert email.subject == "Cadarnhau eich hysbysiadau e-bost ar gyfer Normanton"
    assert "Cymdogaethau: Normanton" in email.body_text
    assert re.search(r"/cy/alerts/confirm/\S+/", email.body_text)
    assert "/cy/alerts/manage/" in email.body_text
    assert language(email.body_html) == "cy"
    assert confirm(client, "sam@example.com").language == "cy"


def change(area) -> AlertChange:
    event = EventFactory(neighbourhood=area, title="Normanton beat meeting")
    with override("en-gb"):
        path = event.get_absolute_url()
    return alert_change_record(
        neighbourhood=area,
        kind=AlertChange.Kind.EVENT,
        key=f"event-{event.pk}",
        texts=lambda: (event.title, ""),
        path=path,
    )


def test_a_change_reaches_each_subscriber_in_their_language(client, area):
    sign_up(client, area, "/cy", "cymraeg@example.com")
    confirm(client, "cymraeg@example.com")
    sign_up(client, area, "", "english@example.com")
    confirm(client, "english@example.com")
    recorded = change(area)

    assert alert_change_send(change_id=recorded.pk) == 2

    welsh = OutboxEmail.objects.filter(to=["cymraeg@example.com"]).latest("pk")
    english = OutboxEmail.objects.filter(to=["english@example.com"]).latest("pk")
    assert "Darllen rhagor:" in welsh.body_text
    assert f"/cy{recorded.path}" in welsh.body_text
    assert "/cy/alerts/unsubscribe/" in welsh.body_text
    assert "Read more:" in english.body_text
    assert "/cy/" not in english.body_text


def test_a_digest_is_in_the_subscribers_language(client, area):
    sign_up(client, area, "/cy", "cymraeg@example.com", frequency="daily")
    subscriber = confirm(client, "cymraeg@example.com")
    Subscriber.objects.filter(pk=subscriber.pk).update(
        digest_covered_until=timezone.now() - timezone.timedelta(days=1)
    )
    change(area)

    assert alert_digests_send() == 1

    digest = OutboxEmail.objects.filter(to=["cymraeg@example.com"]).latest("pk")
    assert digest.subject == "Hysbysiadau dyddiol ar gyfer Normanton: 1 digwyddiad"
    assert "Eich hysbysiadau dyddiol: 1 digwyddiad ar gyfer Normanton" in digest.body_text
    assert "/cy/events/" in digest.body_text


def statements(recorded: AlertChange) -> int:
    with CaptureQueriesContext(connection) as captured:
        alert_change_send(change_id=recorded.pk)
    return len(captured)


def test_subscribers_in_two_languages_cost_the_statements_of_one(client, area):
    for n in range(3):
        sign_up(client, area, "/cy" if n % 2 else "", f"resident{n}@example.com")
        confirm(client, f"resident{n}@example.com")
    Subscriber.objects.update(language="en-gb")
    english_only = statements(change(area))
    Subscriber.objects.filter(email="resident1@example.com").update(language="cy")

    assert statements(change(area)) == english_only


def test_a_new_event_is_announced_in_each_subscribers_language(client, area):
    """The change is worded in both languages when it is recorded, with the Welsh of the
    event and the neighbourhood where the organiser wrote it."""
    from alerts.changes import alert_event_created

    area.name_cy = "Normanton (Cymraeg)"
    area.save()
    sign_up(client, area, "/cy", "cymraeg@example.com")
    confirm(client, "cymraeg@example.com")
    sign_up(client, area, "", "english@example.com")
    confirm(client, "english@example.com")
    event = EventFactory(
        neighbourhood=area,
        title="Beat meeting",
        title_cy="Cyfarfod bro",
        venue_name="Community Centre",
        venue_name_cy="Canolfan Gymunedol",
    )
    recorded = alert_event_created(event=event)

    assert alert_change_send(change_id=recorded.pk) == 2

    welsh = OutboxEmail.objects.filter(to=["cymraeg@example.com"]).latest("pk")
    english = OutboxEmail.objects.filter(to=["english@example.com"]).latest("pk")
    assert "Digwyddiad newydd yn Normanton (Cymraeg): Cyfarfod bro" in welsh.subject
    assert "Ble: Canolfan Gymunedol" in welsh.body_text
    assert "Pryd: dydd" in welsh.body_text
    assert english.subject.startswith("New event in Normanton: Beat meeting")
    assert "Where: Community Centre" in english.body_text
