"""Every dashboard table as a CSV file: the same filters and permissions as the page, a header
row and one row per table row, cells a spreadsheet will not run as formulas, and no resident's
details. "Now" is Monday 28 September 2026, midday in London."""

import csv
import datetime
import io

import pytest

from config.dates import LONDON
from dashboards.exports import safe_cell
from officers.models import Assignment
from tests.factories import AssignmentFactory, DivisionFactory, NeighbourhoodFactory, OfficerFactory
from tests.queries.factories import QueryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime.datetime(2026, 9, 28, 12, 0, tzinfo=LONDON)
HOUR = datetime.timedelta(hours=1)
EXPORT = "/staff/dashboard/export/{table}.csv"


@pytest.fixture
def areas():
    north = DivisionFactory(name="Derby North", slug="derby-north")
    south = DivisionFactory(name="Derby South", slug="derby-south")
    return {
        "normanton": NeighbourhoodFactory(name="Normanton", slug="normanton", division=north),
        "arboretum": NeighbourhoodFactory(name="Arboretum", slug="arboretum", division=north),
        "alvaston": NeighbourhoodFactory(name="Alvaston", slug="alvaston", division=south),
    }


@pytest.fixture
def opcc(client, opcc_account):
    client.force_login(opcc_account)
    return client


def sent(area, hours_ago: float, **fields):
    return QueryFactory(neighbourhood=area, submitted_at=NOW - hours_ago * HOUR, **fields)


def rows_of(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


def test_csv_is_an_attachment_named_after_the_table_and_period(opcc, areas):
    response = opcc.get(EXPORT.format(table="neighbourhoods"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="dashboard-neighbourhoods-2026-09-01-to-2026-09-28.csv"'
    )


def test_csv_follows_the_period_in_the_url(opcc, areas):
    response = opcc.get(
        EXPORT.format(table="topics"),
        {"period": "custom", "from": "2026-01-05", "to": "2026-02-01"},
    )
    assert response["Content-Disposition"].endswith(
        'filename="dashboard-topics-2026-01-05-to-2026-02-01.csv"'
    )


def test_neighbourhoods_csv_has_a_header_and_a_row_per_neighbourhood(opcc, areas):
    sent(areas["normanton"], 80)
    rows = rows_of(
        opcc.get(EXPORT.format(table="neighbourhoods"), {"scope": "division:derby-north"})
    )
    assert rows[0] == [
        "Neighbourhood",
        "Division",
        "Received",
        "Responses due",
        "Answered",
        "Met",
        "Missed",
        "Within target (%)",
        "Open now",
        "Breached and still open",
    ]
    # Normanton missed its only response (0%); Arboretum has nothing decided, so comes last.
    assert rows[1:] == [
        ["Normanton", "Derby North", "1", "1", "0", "0", "1", "0", "1", "1"],
        ["Arboretum", "Derby North", "0", "0", "0", "0", "0", "", "0", "0"],
    ]


def test_figures_csv_gives_each_headline_figure(opcc, areas):
    sent(areas["normanton"], 80)
    rows = rows_of(opcc.get(EXPORT.format(table="figures")))
    assert rows[0] == ["Figure", "Value"]
    figures = dict(rows[1:])
    assert figures["Queries received"] == "1"
    assert figures["Breached and still open"] == "1"
    assert figures["Answered within the target (%)"] == "0"
    assert figures["Median time to first response (hours)"] == ""


def test_trend_csv_has_a_row_per_week(opcc, areas):
    rows = rows_of(opcc.get(EXPORT.format(table="trend")))
    assert rows[0][0] == "Week starting"
    assert [row[0] for row in rows[1:]] == [
        "2026-08-31",
        "2026-09-07",
        "2026-09-14",
        "2026-09-21",
        "2026-09-28",
    ]


def test_topics_csv_has_a_row_per_topic(opcc, areas):
    rows = rows_of(opcc.get(EXPORT.format(table="topics")))
    assert rows[0] == ["Topic", "Received", "Responses due", "Met", "Missed", "Within target (%)"]
    assert "Anti-social behaviour" in [row[0] for row in rows[1:]]


def test_guarantee_csv_gives_abstraction_figures(opcc, areas):
    rows = rows_of(opcc.get(EXPORT.format(table="guarantee")))
    assert rows[0] == ["Measure", "Count", "Of neighbourhoods"]
    assert ["Neighbourhoods", "3", ""] in rows
    assert ["Hours abstracted in the last 28 days", "0.0", ""] in rows
    measures = [row[0] for row in rows]
    assert "Officers abstracted in the last 28 days" in measures
    assert "Reason with the most hours abstracted" in measures


def test_queries_csv_lists_the_queries_behind_a_figure(opcc, areas):
    officer = OfficerFactory(display_name="Priya Sharma")
    sent(areas["normanton"], 80, reference="DY-LATE-001", assigned_officer=officer)
    sent(areas["normanton"], 5, reference="DY-NEW-0001")
    response = opcc.get(EXPORT.format(table="queries"), {"figure": "breached"})
    assert response["Content-Disposition"] == (
        'attachment; filename="dashboard-queries-breached-2026-09-01-to-2026-09-28.csv"'
    )
    assert rows_of(response) == [
        ["Reference", "Neighbourhood", "Topic", "Sent", "Due", "Status", "Officer"],
        [
            "DY-LATE-001",
            "Normanton",
            "Anti-social behaviour",
            "2026-09-25 04:00",
            "2026-09-28 04:00",
            "Waiting for a response",
            "Priya Sharma",
        ],
    ]


@pytest.mark.parametrize("user", ["opcc_account", "administrator_account"])
def test_queries_csv_has_no_resident_details(client, areas, request, user):
    client.force_login(request.getfixturevalue(user))
    sent(
        areas["normanton"],
        80,
        name="Winifred Oakes",
        email="winifred.oakes@example.com",
        phone="01632 960 001",
        message="Someone keeps parking across my drive.",
    )
    body = b"".join(
        client.get(EXPORT.format(table="queries"), {"figure": "breached"}).streaming_content
    ).decode()
    for detail in ("Winifred", "winifred.oakes@example.com", "01632 960 001", "my drive"):
        assert detail not in body


def test_a_name_that_looks_like_a_formula_is_not_run(opcc, areas):
    NeighbourhoodFactory(name='=HYPERLINK("http://evil.example","Click")', slug="odd")
    rows = rows_of(opcc.get(EXPORT.format(table="neighbourhoods")))
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","Click")' in names


@pytest.mark.parametrize("text", ["=1+1", "+44 1632", "-2", "@SUM(A1)", "\tTab", "\rReturn"])
def test_cells_starting_like_a_formula_get_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Normanton", "", 12, -3])
def test_other_cells_are_left_as_they_are(value):
    assert safe_cell(value) == value


def test_unknown_table_is_not_found(opcc, areas):
    assert opcc.get(EXPORT.format(table="residents")).status_code == 404


@pytest.mark.parametrize("figure", ["", "everything"])
def test_queries_csv_without_a_known_figure_is_a_clear_message(opcc, areas, figure):
    response = opcc.get(EXPORT.format(table="queries"), {"figure": figure})
    assert response.status_code == 400
    assert "There is no such figure" in response.content.decode()


def test_csv_with_bad_dates_is_a_clear_message(opcc, areas):
    response = opcc.get(
        EXPORT.format(table="trend"), {"period": "custom", "from": "2026-09-10", "to": "2026-09-01"}
    )
    assert response.status_code == 400
    assert "The to date must be the same as or after the from date" in response.content.decode()


def test_sergeant_cannot_export_another_division(client, supervisor_account, areas):
    officer = OfficerFactory(user=supervisor_account)
    for name in ("normanton", "arboretum"):
        AssignmentFactory(officer=officer, neighbourhood=areas[name], role=Assignment.Role.SERGEANT)
    client.force_login(supervisor_account)
    path = EXPORT.format(table="queries")
    assert client.get(path, {"figure": "open", "scope": "division:derby-south"}).status_code == 403
    assert client.get(path, {"figure": "open", "scope": "division:derby-north"}).status_code == 200


@pytest.mark.parametrize("table", ["figures", "trend", "neighbourhoods", "topics", "guarantee"])
def test_table_csv_runs_a_bounded_number_of_statements(
    opcc, areas, django_assert_max_num_queries, table
):
    for number in range(300):
        sent(list(areas.values())[number % 3], number % 500, assigned_officer=OfficerFactory())
    with django_assert_max_num_queries(12):
        response = opcc.get(EXPORT.format(table=table))
    assert response.status_code == 200
    assert len(rows_of(response)) > 1


def test_queries_csv_runs_a_bounded_number_of_statements(
    opcc, areas, django_assert_max_num_queries
):
    for number in range(300):
        sent(list(areas.values())[number % 3], 80 + number, assigned_officer=OfficerFactory())
    with django_assert_max_num_queries(8):
        response = opcc.get(EXPORT.format(table="queries"), {"figure": "breached"})
    assert response.status_code == 200
    assert len(rows_of(response)) == 301
