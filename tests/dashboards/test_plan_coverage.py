"""Police and Crime Plan coverage on the dashboard, on a fixture small enough to count by
hand: for each plan priority, the neighbourhoods working on it and how their tagged priorities
stand in the period; who may see it; CSV; and a fixed number of statements."""

import csv
import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.dates import LONDON
from config.roles import Role
from crimeplan.models import Plan, PlanPriority
from engagement.models import Priority
from tests.factories import (
    AssignmentFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    PriorityFactory,
)
from tests.html import element, elements, hrefs, rows

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=LONDON)
PERIOD = {"scope": "force", "period": "custom", "from": "2026-02-01", "to": "2026-02-28"}
PAGE = "/staff/dashboard/plan/"
EXPORT = "/staff/dashboard/plan/export.csv"


def priority(area, status, *, action_date=None, review_date=None, serves=()):
    with time_machine.travel(NOW - datetime.timedelta(days=10), tick=False):
        made = PriorityFactory(
            neighbourhood=area,
            status=status,
            action_date=action_date,
            review_date=review_date,
            issue_date=datetime.date(2026, 1, 5),
        )
    made.plan_priorities.add(*serves)
    return made


@pytest.fixture
def plan():
    with time_machine.travel(NOW, tick=False):
        plan = Plan.objects.create(
            title="Police and Crime Plan 2024 to 2028",
            starts_on=datetime.date(2024, 5, 13),
            ends_on=datetime.date(2028, 5, 31),
        )
        crime = PlanPriority.objects.create(plan=plan, title="Neighbourhood crime", position=1)
        roads = PlanPriority.objects.create(plan=plan, title="Road safety", position=2)
        PlanPriority.objects.create(plan=plan, title="Rural crime", position=3)
    normanton = NeighbourhoodFactory(name="Normanton", slug="normanton")
    allenton = NeighbourhoodFactory(name="Allenton", slug="allenton")
    # Normanton: two current (one overdue by its review date), one resolved in February.
    priority(normanton, Priority.Status.OPEN, serves=[crime])
    priority(
        normanton,
        Priority.Status.IN_PROGRESS,
        review_date=datetime.date(2026, 2, 20),
        serves=[crime, roads],
    )
    priority(
        normanton,
        Priority.Status.RESOLVED,
        action_date=datetime.date(2026, 2, 10),
        serves=[crime],
    )
    # Allenton: one resolved before the period (not working on it now), one current.
    priority(
        allenton, Priority.Status.RESOLVED, action_date=datetime.date(2026, 1, 10), serves=[crime]
    )
    priority(allenton, Priority.Status.OPEN, serves=[roads])
    return {"plan": plan, "normanton": normanton, "allenton": allenton}


def test_each_plan_priority_s_coverage_worked_by_hand(client, opcc_account, plan):
    client.force_login(opcc_account)
    with time_machine.travel(NOW, tick=False):
        response = client.get(PAGE, PERIOD)
    rows = [[cell.strip() for cell in row] for row in _table_rows(response.content.decode())]
    assert rows == [
        # neighbourhoods, current, overdue, resolved in the period
        ["Neighbourhood crime", "1", "2", "1", "1"],
        ["Road safety", "2", "2", "1", "0"],
        ["Rural crime", "0", "0", "0", "0"],
    ]


def _table_rows(page: str) -> list[list[str]]:
    return rows(element(element(page, "*", id="plan-coverage-table"), "tbody"))


def test_the_csv_has_the_same_figures(client, opcc_account, plan):
    client.force_login(opcc_account)
    with time_machine.travel(NOW, tick=False):
        response = client.get(EXPORT, PERIOD)
    assert response["Content-Disposition"].endswith('"plan-coverage-2026-02-01-to-2026-02-28.csv"')
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        [
            "Plan priority",
            "Neighbourhoods working on it",
            "Current priorities",
            "Overdue for review",
            "Resolved in the period",
        ],
        ["Neighbourhood crime", "1", "2", "1", "1"],
        ["Road safety", "2", "2", "1", "0"],
        ["Rural crime", "0", "0", "0", "0"],
    ]


def test_a_supervisor_sees_their_neighbourhoods_and_an_officer_is_refused(
    client, make_account, plan
):
    sergeant = make_account(Role.OFFICER, Role.SUPERVISOR)
    AssignmentFactory(
        officer=OfficerFactory(user=sergeant, rank="Sgt"),
        neighbourhood=plan["allenton"],
        role="sergeant",
        start_date=datetime.date(2026, 1, 1),
    )
    officer = make_account(Role.OFFICER)
    AssignmentFactory(
        officer=OfficerFactory(user=officer),
        neighbourhood=plan["allenton"],
        start_date=datetime.date(2026, 1, 1),
    )
    with time_machine.travel(NOW, tick=False):
        client.force_login(sergeant)
        page = client.get(PAGE, {**PERIOD, "scope": "mine"}).content.decode()
        client.force_login(officer)
        refused = [client.get(PAGE).status_code, client.get(EXPORT).status_code]
    assert [row[1:] for row in _table_rows(page)] == [
        ["0", "0", "0", "0"],
        ["1", "1", "0", "0"],
        ["0", "0", "0", "0"],
    ]
    assert refused == [403, 403]


def test_a_visitor_signs_in_first(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/")


def test_bad_filters_get_a_message_not_a_500(client, opcc_account, plan):
    client.force_login(opcc_account)
    response = client.get(EXPORT, {**PERIOD, "from": "nonsense"})
    assert response.status_code == 400
    assert "There is a problem with the filters" in response.content.decode()


def test_the_dashboard_links_to_the_coverage(client, opcc_account):
    client.force_login(opcc_account)
    assert PAGE in hrefs(client.get("/staff/dashboard/"))


def _statements(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(PAGE, PERIOD).status_code == 200
    return len(captured.captured_queries)


def test_the_page_runs_a_fixed_number_of_statements(
    client, opcc_account, plan, django_assert_max_num_queries
):
    client.force_login(opcc_account)
    crime = plan["plan"].priorities.get(title="Neighbourhood crime")
    with time_machine.travel(NOW, tick=False):
        few = _statements(client)
        for n in range(20):
            PlanPriority.objects.create(plan=plan["plan"], title=f"Extra {n}", position=10 + n)
            priority(NeighbourhoodFactory(), Priority.Status.OPEN, serves=[crime])
        with django_assert_max_num_queries(10):
            page = client.get(PAGE, PERIOD).content.decode()
        many = _statements(client)
    assert len(elements(page, "*", data_label="Plan priority")) == 23
    assert many == few
