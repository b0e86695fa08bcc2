"""The staff inbox: filters at fixed times, the clock in words, order, pages, SQL per page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertInHTML

from queries.models import Query
from queries.selectors.inbox import time_left
from tests.factories import NeighbourhoodFactory, OfficerFactory
from tests.html import element, elements, hrefs, roots
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


def submitted(hours_ago: float, **fields) -> Query:
    return QueryFactory(submitted_at=NOW - hours_ago * HOUR, **fields)


@pytest.fixture
def queries(area, sergeant):
    """One query in each state, all in the sergeant's neighbourhood."""
    return {
        "new": submitted(2, neighbourhood=area, reference="NEW-0001"),
        "waiting": submitted(30, neighbourhood=area, reference="WAIT-0001"),
        "due": submitted(60, neighbourhood=area, reference="DUE-0001"),
        "breached": submitted(80, neighbourhood=area, reference="LATE-0001"),
        "answered": submitted(
            10,
            neighbourhood=area,
            reference="ANS-0001",
            status=Query.Status.ANSWERED,
            first_response_at=NOW - 5 * HOUR,
            next_escalation_at=None,
        ),
        "closed": submitted(
            100,
            neighbourhood=area,
            reference="SHUT-0001",
            status=Query.Status.CLOSED,
            closed_at=NOW - HOUR,
            next_escalation_at=None,
        ),
    }


def references(page: str) -> list[str]:
    found = (re.fullmatch(r"/staff/queries/([^/]+)/", href) for href in hrefs(page))
    return [match.group(1) for match in found if match]


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("", ["breached", "due", "waiting", "new", "answered"]),  # waiting first, then answered
        ("new", ["new"]),
        ("due", ["due"]),
        ("breached", ["breached"]),
        ("answered", ["answered"]),
        ("closed", ["closed"]),
    ],
)
def test_each_filter_lists_waiting_queries_first_in_due_order(
    client, frozen, sergeant, queries, show, expected
):
    client.force_login(sergeant.user)

    page = client.get("/staff/queries/", {"show": show}).content.decode()

    assert references(page) == [queries[name].reference for name in expected]


def test_new_leaves_out_a_follow_up_to_an_answered_query(client, frozen, area, sergeant):
    follow_up = submitted(2, neighbourhood=area, first_response_at=NOW - HOUR)
    client.force_login(sergeant.user)

    page = client.get("/staff/queries/", {"show": "new"}).content.decode()

    assert follow_up.reference not in page


def test_query_due_exactly_now_is_due_not_breached(client, frozen, area, sergeant):
    on_the_line = submitted(72, neighbourhood=area)
    client.force_login(sergeant.user)

    due = client.get("/staff/queries/", {"show": "due"}).content.decode()
    breached = client.get("/staff/queries/", {"show": "breached"}).content.decode()

    assert on_the_line.reference in due
    assert on_the_line.reference not in breached


def test_mine_only_lists_the_queries_assigned_to_me(client, frozen, area, sergeant):
    mine = submitted(1, neighbourhood=area, assigned_officer=sergeant)
    team = submitted(1, neighbourhood=area, assigned_officer=OfficerFactory())
    client.force_login(sergeant.user)

    page = client.get("/staff/queries/", {"mine": "on"}).content.decode()

    assert mine.reference in page
    assert team.reference not in page


def test_filter_links_keep_mine_only(client, frozen, sergeant, queries):
    client.force_login(sergeant.user)

    page = client.get("/staff/queries/", {"mine": "on"}).content.decode()

    assert "?mine=on&show=breached" in hrefs(page)


def test_rows_show_neighbourhood_topic_officer_status_and_time_left(client, frozen, area, sergeant):
    submitted(80, neighbourhood=area, assigned_officer=OfficerFactory(display_name="Ann Lee"))
    client.force_login(sergeant.user)

    page = client.get("/staff/queries/").content.decode()

    assert "Normanton" in page
    assert "Anti-social behaviour" in page
    assert "Ann Lee" in page
    assertInHTML('<strong class="govuk-tag govuk-tag--red">Overdue</strong>', page)
    assert "Overdue by 8 hours" in page


def test_unknown_filter_shows_a_message_not_an_error(client, sergeant):
    client.force_login(sergeant.user)

    response = client.get("/staff/queries/", {"show": "<script>"})

    assert response.status_code == 200
    assert "Choose one of the filters" in response.content.decode()


@pytest.mark.parametrize(
    ("status", "due_in", "expected"),
    [
        (Query.Status.OPEN, datetime.timedelta(days=2, hours=3, minutes=20), "2 days 3 hours left"),
        (Query.Status.OPEN, datetime.timedelta(days=1), "1 day left"),
        (Query.Status.OPEN, datetime.timedelta(hours=5, minutes=59), "5 hours left"),
        (Query.Status.OPEN, datetime.timedelta(hours=1), "1 hour left"),
        (Query.Status.OPEN, datetime.timedelta(minutes=45), "45 minutes left"),
        (Query.Status.OPEN, datetime.timedelta(seconds=30), "Less than a minute left"),
        (Query.Status.OPEN, datetime.timedelta(0), "Less than a minute left"),
        (Query.Status.OPEN, -datetime.timedelta(hours=5), "Overdue by 5 hours"),
        (Query.Status.OPEN, -datetime.timedelta(days=1, hours=2), "Overdue by 1 day 2 hours"),
        (Query.Status.OPEN, -datetime.timedelta(minutes=1), "Overdue by 1 minute"),
        (Query.Status.ANSWERED, -datetime.timedelta(hours=5), "Answered"),
        (Query.Status.CLOSED, datetime.timedelta(hours=5), "Closed"),
    ],
)
def test_time_left_in_words(status, due_in, expected):
    query = Query(status=status, due_at=NOW + due_in)

    assert time_left(query, NOW) == expected


def test_inbox_pages_by_25(client, frozen, area, sergeant):
    QueryFactory.create_batch(30, neighbourhood=area, submitted_at=NOW - HOUR)
    client.force_login(sergeant.user)

    first = client.get("/staff/queries/").content.decode()
    second = client.get("/staff/queries/", {"page": 2}).content.decode()

    assert len(references(first)) == 25
    assert len(references(second)) == 5
    assert "Showing 26 to 30." in second
    assert "?page=2" in hrefs(element(first, "*", class_="govuk-pagination"))


@pytest.mark.parametrize("number", ["9", "abc"])
def test_a_page_that_does_not_exist_says_so(client, sergeant, number):
    client.force_login(sergeant.user)

    response = client.get("/staff/queries/", {"page": number})

    assert response.status_code == 404
    assert f"There is no page {number} in this list." in response.content.decode()


def test_htmx_request_gets_only_the_results(client, sergeant, queries):
    client.force_login(sergeant.user)

    response = client.get("/staff/queries/", {"show": "breached"}, HTTP_HX_REQUEST="true")

    page = response.content.decode()
    assert [(top.tag, top.attrs.get("id")) for top in roots(page)] == [("div", "inbox-results")]
    assert not elements(page, "html")
    assert queries["breached"].reference in page


def test_htmx_history_restore_gets_the_whole_page(client, sergeant):
    client.force_login(sergeant.user)

    response = client.get(
        "/staff/queries/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )

    assert elements(response, "html")
    assert "HX-Request" in response["Vary"]


def _count_sql(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/staff/queries/", {"page": 2})
    assert response.status_code == 200
    return len(captured)


def test_inbox_runs_a_fixed_number_of_sql_queries(
    client, frozen, area, sergeant, django_assert_max_num_queries
):
    elsewhere = NeighbourhoodFactory()
    QueryFactory.create_batch(30, neighbourhood=area, assigned_officer=sergeant)
    client.force_login(sergeant.user)
    few = _count_sql(client)

    for index in range(230):
        QueryFactory(
            neighbourhood=area if index % 2 else elsewhere,
            assigned_officer=OfficerFactory() if index % 3 else sergeant,
            submitted_at=NOW - index * HOUR,
        )
    many = _count_sql(client)

    assert many == few
    with django_assert_max_num_queries(8):
        response = client.get("/staff/queries/", {"page": 3, "show": "breached"})
    assert response.status_code == 200
    assert "Residents\N{RIGHT SINGLE QUOTATION MARK} queries" in response.content.decode()
