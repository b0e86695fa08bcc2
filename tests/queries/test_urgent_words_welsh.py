"""On the Welsh query form, a message that reads as an emergency is answered with the Welsh of
the rules' advice and labels; the English page keeps the English, and a rules file without
Welsh falls back to it."""

import datetime
import json

import pytest
import time_machine
from django.utils import translation

from queries import urgency
from queries.models import Query
from tests.queries.test_urgent_words import URGENT, contact_url, form_data, team  # noqa: F401

pytestmark = pytest.mark.django_db

SENT_AT = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)


def send(client, neighbourhood, prefix: str):
    with time_machine.travel(SENT_AT, tick=False):
        return client.post(f"{prefix}{contact_url(neighbourhood)}", form_data(URGENT))


def test_the_welsh_page_gives_the_welsh_advice(client, team):  # noqa: F811
    neighbourhood, _ = team

    page = send(client, neighbourhood, "/cy").content.decode()

    assert "(trosedd yn digwydd)" in page
    assert "ffoniwch 999 nawr: peidiwch â defnyddio\u2019r ffurflen hon." in page
    assert "troseddwr wedi mynd, ffoniwch 101" in page
    assert "call 999 now" not in page
    assert "crime in progress" not in page
    assert not Query.objects.exists()


def test_the_english_page_keeps_the_english_advice(client, team):  # noqa: F811
    neighbourhood, _ = team

    page = send(client, neighbourhood, "").content.decode()

    assert "(crime in progress)" in page
    assert "call 999 now: do not use this form." in page
    assert "ffoniwch" not in page


def test_rules_without_welsh_show_the_english_on_welsh_pages(tmp_path, settings):
    rules = json.loads(urgency.DEFAULT_RULES_FILE.read_text(encoding="utf-8"))
    for rule in rules["rules"]:
        rule.pop("advice_cy")
        rule.pop("label_cy")
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    settings.QUERY_URGENCY_RULES = str(path)

    [reason] = urgency.message_urgency(URGENT)

    with translation.override("cy"):
        assert reason.advice_in(translation.get_language()).startswith("If this is happening")
        assert reason.label_in(translation.get_language()) == "Crime in progress"
