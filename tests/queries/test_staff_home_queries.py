"""The queries section of the staff home: new, due within 24 hours and overdue queries for
what an officer holds and a supervisor supervises, each count linking to exactly those
queries in the inbox; and the inbox's wording and filters for someone who holds none."""

import datetime
import re

import pytest
import time_machine

from config.roles import Role
from officers.models import Assignment
from queries.models import Query
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory
from tests.html import element, elements, hrefs, links
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
TARGET = 72 * HOUR


@pytest.fixture
def constable(area, officer_account):
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma")
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return officer


def due_in(delta: datetime.timedelta, **fields) -> Query:
    """An open query whose response is due `delta` from NOW."""
    return QueryFactory(submitted_at=NOW + delta - TARGET, **fields)


def counts(page: str, heading: str) -> dict[str, tuple[int, str]]:
    """{"new": (count, link), ...} of the list under `heading` on the staff home."""
    everything = elements(page, "*")
    start = next(
        n for n, found in enumerate(everything) if found.tag == "h3" and found.text == heading
    )
    section = next(found for found in everything[start:] if found.tag == "ul")
    counted = {}
    for text, href in links(section):
        if match := re.fullmatch(r"(\d+) (new|due within 24 hours|overdue)", text):
            counted[match.group(2)] = (int(match.group(1)), href)
    return counted


def references(page: str) -> set[str]:
    found = (re.fullmatch(r"/staff/queries/([^/]+)/", href) for href in hrefs(page))
    return {match.group(1) for match in found if match}


def test_officer_sees_new_due_soon_and_overdue_queries_they_hold(client, frozen, area, constable):
    elsewhere = NeighbourhoodFactory()
    mine = {
        "new": due_in(TARGET - 2 * HOUR, neighbourhood=area, assigned_officer=constable),
        "due": due_in(
            23 * HOUR + 59 * datetime.timedelta(minutes=1),
            neighbourhood=area,
            assigned_officer=constable,
        ),
        "overdue": due_in(
            -datetime.timedelta(seconds=1), neighbourhood=elsewhere, assigned_officer=constable
        ),
    }
    # Not counted: waiting but neither new nor due soon; due in just over a day; answered;
    # another officer's.
    due_in(40 * HOUR, neighbourhood=area, assigned_officer=constable)
    due_in(
        24 * HOUR + datetime.timedelta(minutes=1), neighbourhood=area, assigned_officer=constable
    )
    due_in(-HOUR, neighbourhood=area, assigned_officer=constable, status=Query.Status.ANSWERED)
    due_in(-HOUR, neighbourhood=area, assigned_officer=OfficerFactory())
    client.force_login(constable.user)

    page = client.get("/staff/").content.decode()

    shown = counts(page, "For you and your team to answer")
    assert {kind: count for kind, (count, _) in shown.items()} == {
        "new": 1,
        "due within 24 hours": 1,
        "overdue": 1,
    }
    assert shown["overdue"][1] == "/staff/queries/?show=breached&whose=team"
    listed = client.get(shown["overdue"][1]).content.decode()
    assert references(listed) == {mine["overdue"].reference}
    assert "In the neighbourhoods you supervise" not in page


def test_query_routed_to_the_team_counts_for_each_of_its_members(
    client, frozen, area, make_account
):
    """The named officer away: the query is the team's and sergeant's, and shows on their
    staff home as they were emailed of it."""
    team_member = OfficerFactory(user=make_account(Role.OFFICER, username="pcso"))
    AssignmentFactory(officer=team_member, neighbourhood=area, role=Assignment.Role.TEAM_MEMBER)
    routed = due_in(TARGET - HOUR, neighbourhood=area, assigned_officer=None)
    client.force_login(team_member.user)

    page = client.get("/staff/").content.decode()
    count, link = counts(page, "For you and your team to answer")["new"]
    listed = client.get(link).content.decode()

    assert count == 1
    assert references(listed) == {routed.reference}


@pytest.mark.parametrize(
    ("delta", "kind"),
    [
        (23 * HOUR + 59 * datetime.timedelta(minutes=1), "due within 24 hours"),
        (datetime.timedelta(0), "due within 24 hours"),
        (-datetime.timedelta(seconds=1), "overdue"),
        (24 * HOUR + datetime.timedelta(seconds=1), None),
    ],
)
def test_due_soon_and_overdue_boundaries(client, area, constable, delta, kind):
    due_in(delta, neighbourhood=area, assigned_officer=constable)
    client.force_login(constable.user)

    with time_machine.travel(NOW, tick=False):
        page = client.get("/staff/").content.decode()

    shown = counts(page, "For you and your team to answer")
    assert {k for k, (count, _) in shown.items() if count} == ({kind} if kind else set())


def test_sergeant_also_sees_what_the_neighbourhoods_they_supervise_owe(
    client, frozen, area, constable, sergeant
):
    elsewhere = NeighbourhoodFactory()
    held_by_constable = due_in(-HOUR, neighbourhood=area, assigned_officer=constable)
    routed_to_team = due_in(-2 * HOUR, neighbourhood=area, assigned_officer=None)
    due_in(-HOUR, neighbourhood=elsewhere, assigned_officer=OfficerFactory())
    new_in_area = due_in(TARGET - HOUR, neighbourhood=area, assigned_officer=constable)
    client.force_login(sergeant.user)

    page = client.get("/staff/").content.decode()

    supervised = counts(page, "In the neighbourhoods you supervise")
    assert supervised["overdue"][0] == 2
    assert supervised["new"][0] == 1
    listed = client.get(supervised["overdue"][1]).content.decode()
    assert references(listed) == {held_by_constable.reference, routed_to_team.reference}
    assert references(client.get(supervised["new"][1]).content.decode()) == {new_in_area.reference}
    # Held: the query routed to the team, which the sergeant answers with it.
    held = counts(page, "For you and your team to answer")
    assert held["overdue"][0] == 1


def test_each_count_links_to_exactly_its_queries(client, frozen, area, constable):
    expected = {
        "new": due_in(TARGET - HOUR, neighbourhood=area, assigned_officer=constable),
        "due within 24 hours": due_in(HOUR, neighbourhood=area, assigned_officer=constable),
        "overdue": due_in(-HOUR, neighbourhood=area, assigned_officer=constable),
    }
    due_in(-HOUR, neighbourhood=area, assigned_officer=OfficerFactory())
    client.force_login(constable.user)

    page = client.get("/staff/").content.decode()

    for kind, (_, link) in counts(page, "For you and your team to answer").items():
        assert references(client.get(link).content.decode()) == {expected[kind].reference}


def test_opcc_home_and_inbox_say_nothing_of_queries_assigned_to_them(
    client, frozen, area, opcc_account
):
    due_in(-HOUR, neighbourhood=area)
    client.force_login(opcc_account)

    home = client.get("/staff/").content.decode()
    inbox = client.get("/staff/queries/").content.decode()
    asked_for_theirs = client.get("/staff/queries/", {"mine": "on"}).content.decode()

    for page in (home, inbox, asked_for_theirs):
        assert "assigned to you" not in page.lower()
        assert "assigned to me" not in page.lower()
    assert "For you and your team to answer" not in home
    assert not elements(inbox, "*", name="whose")
    assert "Every query in the force" in inbox
    assert "read them, without residents\u2019 contact details" in inbox
    assert "All not closed: 1 query" in asked_for_theirs


def test_inbox_offers_whose_queries_to_an_officer(client, frozen, area, constable):
    client.force_login(constable.user)

    page = client.get("/staff/queries/").content.decode()

    assert elements(page, "*", name="whose")
    assert "Assigned to you, or to your team with no one named" in page
    assert not elements(page, "*", value="supervised")


@pytest.mark.parametrize("value", ["supervised", "<script>", "everyone"])
def test_whose_value_not_offered_is_a_message_not_an_error(client, frozen, area, constable, value):
    mine = due_in(HOUR, neighbourhood=area, assigned_officer=constable)
    client.force_login(constable.user)

    response = client.get("/staff/queries/", {"whose": value, "show": "due"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose whose queries to show from the options listed" in page
    summary = element(page, "div", class_="govuk-error-summary")
    assert not elements(summary, "script")
    # The valid filter still applies.
    assert references(page) == {mine.reference}
