"""The Guarantee figures as open data: /api/performance/... as JSON and CSV."""

import csv
import datetime
import io

import pytest

from queries import clock
from tests.factories import DivisionFactory, NeighbourhoodFactory
from tests.fixtures.clock import london
from tests.queries.factories import QueryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = london(2026, 12, 4, 12)
HOUR = datetime.timedelta(hours=1)
COLUMNS = [
    "month",
    "first_day",
    "last_day",
    "queries",
    "answered_within_target",
    "share_within_target_percent",
    "median_first_response_seconds",
    "suppressed",
]


def answered(area, sent, hours):
    query = QueryFactory(neighbourhood=area, submitted_at=sent)
    clock.stop(query, sent + hours * HOUR, None)
    query.save()
    clock.record_answer(query, sent + hours * HOUR)


@pytest.fixture
def area():
    """DC02 in the City division: in October 2026, 6 queries, 5 answered in 2 hours and one
    in 80 (late); in November 2026, 4 (too few to publish)."""
    area = NeighbourhoodFactory(
        code="DC02", name="Normanton", division=DivisionFactory(slug="city", name="City")
    )
    for n in range(5):
        answered(area, london(2026, 10, 5, 9) + n * HOUR, 2)
    answered(area, london(2026, 10, 31, 23, 30), 80)
    for n in range(4):
        answered(area, london(2026, 11, 5, 9) + n * HOUR, 2)
    return area


def test_json_gives_each_month_with_the_licence(client, area, settings):
    response = client.get("/api/performance/neighbourhoods/DC02.json")

    assert response.status_code == 200
    data = response.json()
    assert data["area"] == {"type": "neighbourhood", "id": "DC02", "name": "Normanton"}
    assert data["licence"] == {
        "name": "Open Government Licence v3.0",
        "url": settings.OPEN_DATA_LICENCE_URL,
    }
    assert data["suppression_threshold"] == 5
    assert data["response_target_hours"] == 72
    assert data["months"][0]["month"] == "2025-12"
    assert len(data["months"]) == 12
    october, november = data["months"][-2:]
    assert october == {
        "month": "2026-10",
        "first_day": "2026-10-01",
        "last_day": "2026-10-31",
        "queries": 6,
        "answered_within_target": 5,
        "share_within_target_percent": 83,
        "median_first_response_seconds": 7200,
        "suppressed": False,
    }
    assert november == {
        "month": "2026-11",
        "first_day": "2026-11-01",
        "last_day": "2026-11-30",
        "queries": None,
        "answered_within_target": None,
        "share_within_target_percent": None,
        "median_first_response_seconds": None,
        "suppressed": True,
    }
    assert response["Access-Control-Allow-Origin"] == "*"


def test_csv_has_stable_columns_and_the_licence_in_a_link_header(client, area, settings):
    response = client.get("/api/performance/divisions/city.csv?from=2026-10&to=2026-11")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Link"] == (
        f'<{settings.OPEN_DATA_LICENCE_URL}>; rel="license"; title="Open Government Licence v3.0"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        COLUMNS,
        ["2026-10", "2026-10-01", "2026-10-31", "6", "5", "83", "7200", "False"],
        ["2026-11", "2026-11-01", "2026-11-30", "", "", "", "", "True"],
    ]


def test_the_open_data_keeps_its_english_columns_for_a_visitor_who_chose_welsh(
    client, area, settings
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    response = client.get("/api/performance/divisions/city.csv?from=2026-10&to=2026-11")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == COLUMNS
    data = client.get("/api/performance/divisions/city.json?from=2026-10&to=2026-11").json()
    assert data["licence"]["name"] == "Open Government Licence v3.0"
    assert data["months"][0]["month"] == "2026-10"


def test_the_force_answers_this_month_so_far(client, area):
    data = client.get("/api/performance/force.json?from=2026-12&to=2026-12").json()

    assert data["area"]["type"] == "force"
    assert [(m["month"], m["last_day"]) for m in data["months"]] == [("2026-12", "2026-12-04")]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13", "from must be a month as YYYY-MM"),
        ("to=26-01", "to must be a month as YYYY-MM"),
        ("from=2026-10&to=2026-09", "from must be the same month as to or earlier."),
        ("to=2027-01", "to must be this month (2026-12) or earlier."),
        ("from=2023-01&to=2026-01", "Ask for at most 36 months at a time."),
        ("from=%00", "from must be a month as YYYY-MM"),
    ],
)
def test_bad_months_are_a_400_that_says_why(client, area, query, message):
    for fmt in ("json", "csv"):
        response = client.get(f"/api/performance/force.{fmt}?{query}")

        assert response.status_code == 400
        assert message in response.json()["error"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/api/performance/divisions/nowhere.json", "There is no division with the id 'nowhere'."),
        (
            "/api/performance/neighbourhoods/XX99.csv",
            "There is no neighbourhood with the id 'XX99'.",
        ),
    ],
)
def test_an_unknown_id_is_a_404(client, area, path, message):
    response = client.get(path)

    assert response.status_code == 404
    assert response.json() == {"error": message}


def test_the_document_describes_every_operation(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    for fmt in ("json", "csv"):
        assert f"/performance/force.{fmt}" in paths
        assert f"/performance/divisions/{{division}}.{fmt}" in paths
        assert f"/performance/neighbourhoods/{{neighbourhood}}.{fmt}" in paths
    assert "text/csv" in paths["/performance/force.csv"]["get"]["responses"]["200"]["content"]
