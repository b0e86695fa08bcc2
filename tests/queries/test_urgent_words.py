"""A message that reads as an emergency, typed into the non-urgent form: the resident is told to
call 999 before it is sent (as they type, and without JavaScript on submit) and may still send
it; a sent one is flagged for staff (top of the inbox, an email to the whole team and sergeant at
once, a first look after an hour, a count on the dashboard) and never delayed or blocked."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from notifications.models import OutboxEmail
from queries.models import Query, QueryEvent
from queries.services.sla import sla_sweep
from tests.fixtures.mail import send_outbox
from tests.html import element, elements, links
from tests.queries.factories import QueryFactory, neighbourhood_with_team

pytestmark = pytest.mark.django_db

SENT_AT = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
URGENT = "Someone is trying to break in to my neighbour's house right now, please come"
ORDINARY = "Cars park on the pavement on Elm Road every evening and block the buggies."


@pytest.fixture
def team():
    neighbourhood, officers = neighbourhood_with_team(name="Normanton", slug="normanton")
    for role, officer in officers.items():
        officer.email = f"{role}@example.police.uk"
        officer.save(update_fields=["email"])
    neighbourhood.assignments.update(start_date=datetime.date(2025, 1, 1))
    return neighbourhood, officers


def contact_url(neighbourhood) -> str:
    return reverse("queries:contact", kwargs={"slug": neighbourhood.slug})


def form_data(message: str, **changes) -> dict:
    return {
        "topic": "asb",
        "message": message,
        "name": "Sam Resident",
        "email": "sam@example.com",
        "contact_preference": "email",
        "consent": "on",
        "website": "",
        **changes,
    }


def send(client, neighbourhood, message: str, **changes):
    with time_machine.travel(SENT_AT, tick=False):
        return client.post(contact_url(neighbourhood), form_data(message, **changes))


# --- The resident is told before sending ---------------------------------------------------------


def test_without_javascript_an_urgent_message_is_stopped_with_999_before_it_is_sent(client, team):
    neighbourhood, _ = team

    response = send(client, neighbourhood, URGENT)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your message may describe an emergency (crime in progress)" in page
    assert "call 999 now" in page
    assert any(
        label.startswith("Your message may describe an emergency")
        for label, href in links(page)
        if href == "#id_not_an_emergency"
    )
    assert "It is not an emergency: send my query" in page
    # What the resident typed is kept.
    assert "trying to break in to my neighbour" in page
    assert not Query.objects.exists()


def test_the_resident_may_still_send_it_saying_it_is_not_an_emergency(client, team):
    neighbourhood, _ = team

    response = send(client, neighbourhood, URGENT, not_an_emergency="on")

    assert response.status_code == 302
    query = Query.objects.get()
    assert query.urgent_reasons == ["Crime in progress"]
    assert query.events.get(kind=QueryEvent.Kind.URGENT).body == "Crime in progress"


def test_an_ordinary_message_goes_without_a_warning_or_flag(client, team):
    neighbourhood, _ = team

    response = send(client, neighbourhood, ORDINARY)

    assert response.status_code == 302
    query = Query.objects.get()
    assert query.urgent_reasons == []
    assert query.next_escalation_step == "reminder"


def test_as_the_resident_types_the_warning_appears_and_goes(client, team):
    neighbourhood, _ = team

    def check(message: str) -> str:
        response = client.post(
            contact_url(neighbourhood),
            form_data(message, field="urgency"),
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        return response.content.decode()

    urgent = check("my partner is threatening to kill me")
    ordinary = check(ORDINARY)

    assert not elements(urgent, "html")
    assert "Your message may describe an emergency (" in urgent
    assert "domestic abuse" in urgent
    assert "0808 2000 247" in urgent
    assert "It is not an emergency: send my query" in urgent
    assert ordinary.strip() == ""
    assert not Query.objects.exists()


# --- Staff are told at once ----------------------------------------------------------------------


def test_the_whole_team_and_sergeant_are_emailed_at_once_without_the_residents_words(client, team):
    neighbourhood, _ = team

    send(client, neighbourhood, URGENT, not_an_emergency="on")

    notice = OutboxEmail.objects.get(subject__startswith="Urgent words: ")
    assert sorted(notice.to) == [
        "named@example.police.uk",
        "sergeant@example.police.uk",
        "team@example.police.uk",
    ]
    assert "may describe an emergency (Crime in progress)" in notice.body_text
    assert "break in" not in notice.body_text
    assert "sam@example.com" not in notice.body_text


def test_a_flagged_query_gets_a_first_look_after_an_hour_then_the_usual_ladder(team):
    neighbourhood, officers = team
    with time_machine.travel(SENT_AT, tick=False):
        query = QueryFactory(
            neighbourhood=neighbourhood,
            submitted_at=SENT_AT,
            assigned_officer=officers["named"],
            urgent_reasons=["Weapon"],
        )
    assert query.next_escalation_step == "first_look"
    assert query.next_escalation_at == SENT_AT + HOUR

    with time_machine.travel(SENT_AT + HOUR - datetime.timedelta(seconds=1), tick=False):
        assert sla_sweep() == 0
    with time_machine.travel(SENT_AT + HOUR + datetime.timedelta(seconds=1), tick=False):
        assert sla_sweep() == 1
        assert sla_sweep() == 0

    send_outbox()
    email = OutboxEmail.objects.get(subject__startswith="First look needed")
    assert sorted(email.to) == ["named@example.police.uk", "sergeant@example.police.uk"]
    assert "Weapon" in email.body_text
    assert query.events.filter(kind=QueryEvent.Kind.FIRST_LOOK).count() == 1
    query.refresh_from_db()
    assert query.next_escalation_step == "reminder"
    assert query.next_escalation_at == SENT_AT + 48 * HOUR


def test_flagged_open_queries_lead_the_inbox_with_their_reason(client, team, opcc_account):
    neighbourhood, _ = team
    with time_machine.travel(SENT_AT, tick=False):
        soonest = QueryFactory(neighbourhood=neighbourhood, submitted_at=SENT_AT - 10 * HOUR)
        flagged = QueryFactory(
            neighbourhood=neighbourhood, submitted_at=SENT_AT, urgent_reasons=["Weapon"]
        )
    client.force_login(opcc_account)

    with time_machine.travel(SENT_AT + HOUR, tick=False):
        page = client.get(reverse("queries_staff:inbox")).content.decode()

    assert page.index(flagged.reference) < page.index(soonest.reference)
    assert "Urgent words" in page


# --- The dashboard counts them --------------------------------------------------------------------


def test_the_dashboard_counts_queries_with_urgent_words_and_lists_them(client, team, opcc_account):
    neighbourhood, _ = team
    with time_machine.travel(SENT_AT, tick=False):
        flagged = QueryFactory(
            neighbourhood=neighbourhood, submitted_at=SENT_AT, urgent_reasons=["Weapon"]
        )
        ordinary = QueryFactory(neighbourhood=neighbourhood, submitted_at=SENT_AT)
    client.force_login(opcc_account)

    with time_machine.travel(SENT_AT + HOUR, tick=False):
        page = client.get(reverse("dashboard:index"), {"period": "7"}).content.decode()
        listed = client.get(
            reverse("dashboard:queries"), {"period": "7", "figure": "urgent"}
        ).content.decode()

    [row] = [term.parent for term in elements(page, "dt") if term.text == "Urgent words"]
    assert element(row, "dd").text.split()[0] == "1"
    assert flagged.reference in listed
    assert ordinary.reference not in listed


def test_a_rules_file_that_does_not_load_never_stops_a_query(client, team, settings, tmp_path):
    """A force's broken rules file is reported by `manage.py check`; residents still send."""
    broken = tmp_path / "rules.json"
    broken.write_text('{"rules": [{"code": "x"')
    settings.QUERY_URGENCY_RULES = str(broken)
    neighbourhood, _ = team

    response = send(client, neighbourhood, URGENT)

    assert response.status_code == 302
    assert Query.objects.get().urgent_reasons == []


def test_an_officer_may_not_list_the_forces_urgent_queries(client, team, officer_account):
    neighbourhood, _ = team
    with time_machine.travel(SENT_AT, tick=False):
        QueryFactory(neighbourhood=neighbourhood, submitted_at=SENT_AT, urgent_reasons=["Weapon"])
    client.force_login(officer_account)

    with time_machine.travel(SENT_AT + HOUR, tick=False):
        response = client.get(
            reverse("dashboard:queries"), {"period": "7", "figure": "urgent", "scope": "force"}
        )

    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()


def test_only_as_much_as_a_message_may_hold_is_checked(client, team, settings):
    """A body of megabytes sent to the as-you-type check must not hold a web worker: the rules
    read the first QUERY_MESSAGE_MAX_LENGTH characters, as much as a message may hold."""
    neighbourhood, _ = team
    filler = "Cars park on the pavement on Elm Road every evening. " * 40_000  # about 2 MB

    def check(message: str) -> str:
        return client.post(
            contact_url(neighbourhood),
            form_data(message, field="urgency"),
            HTTP_HX_REQUEST="true",
        ).content.decode()

    assert "may describe an emergency" in check(URGENT + " " + filler)
    assert check(filler + URGENT).strip() == ""
