"""A query remembers the language the resident wrote in, and the email to them is in it; the
emails to staff stay in English."""

import datetime

import pytest
import time_machine

from notifications.models import OutboxEmail
from queries.models import Query
from tests.html import language
from tests.queries.test_contact import contact_url, form_data, neighbourhood  # noqa: F401

pytestmark = pytest.mark.django_db

# 14:45 in London on a Tuesday (British Summer Time): the reply is due on Friday at 2:45pm.
SUMMER_AFTERNOON = datetime.datetime(2025, 6, 10, 13, 45, tzinfo=datetime.UTC)


@time_machine.travel(SUMMER_AFTERNOON, tick=False)
def test_a_query_sent_in_welsh_is_answered_by_email_in_welsh(client, neighbourhood):  # noqa: F811
    response = client.post(f"/cy{contact_url(neighbourhood)}", form_data())

    assert response.status_code == 302
    query = Query.objects.get()
    assert query.language == "cy"
    email = OutboxEmail.objects.get(to=["sam@example.com"])
    assert email.subject == f"Eich ymholiad {query.reference} i dîm cymdogaeth Derby City Centre"
    assert "Diolch am gysylltu â thîm cymdogaeth Derby City Centre." in email.body_text
    assert "Byddwn yn ateb erbyn dydd Gwener 13 Mehefin am 2:45pm." in email.body_text
    assert "/cy/queries/track/" in email.body_text
    assert language(email.body_html) == "cy"
    not_for_emergencies = "gwasanaeth hwn ar gyfer argyfyngau."
    assert not_for_emergencies in email.body_html
    # Anything else written in the same request (to staff) is in English.
    for other in OutboxEmail.objects.exclude(to=["sam@example.com"]):
        assert "Mehefin" not in other.body_text + other.subject


@time_machine.travel(SUMMER_AFTERNOON, tick=False)
def test_a_query_sent_in_english_is_answered_by_email_in_english(client, neighbourhood):  # noqa: F811
    client.post(contact_url(neighbourhood), form_data())

    query = Query.objects.get()
    assert query.language == "en-gb"
    email = OutboxEmail.objects.get(to=["sam@example.com"])
    assert (
        email.subject == f"Your query {query.reference} to the Derby City Centre neighbourhood team"
    )
    assert "We will reply by Friday 13 June at 2:45pm." in email.body_text
    assert "/cy/" not in email.body_text
    assert language(email.body_html) == "en-GB"
