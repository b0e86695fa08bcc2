"""The abstractions report: hours per week by reason in SQL, its page with chart and tables,
its CSV, and who may see it."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from dashboards.selectors.abstractions import abstraction_report, report_weeks
from officers.models import Abstraction, Assignment
from officers.scopes import Scope
from tests.factories import AssignmentFactory
from tests.html import elements

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
FORCE = Scope(key="force", label="Force", neighbourhood_ids=None)


def test_hours_are_the_overlap_of_each_entry_with_each_week(priya):
    now = timezone.now()
    weeks = report_weeks(weeks=2, now=now)
    # Four hours across the boundary between the two weeks: two in each.
    boundary = weeks[1].start
    Abstraction.objects.create(
        officer=priya, reason="court", starts_at=boundary - 2 * HOUR, ends_at=boundary + 2 * HOUR
    )

    report = abstraction_report(scope=FORCE, weeks=2, now=now)

    assert [row.by_reason["court"] for row in report.weeks] == [2.0, 2.0]
    assert report.by_officer[0].hours == 4.0
    assert report.by_neighbourhood[0].label == "Normanton"


def test_an_officer_with_two_roles_in_a_neighbourhood_counts_once_there(priya):
    now = timezone.now()
    AssignmentFactory(
        officer=priya,
        neighbourhood=priya.assignments.get().neighbourhood,
        role=Assignment.Role.TEAM_MEMBER,
    )
    Abstraction.objects.create(
        officer=priya, reason="court", starts_at=now - 5 * HOUR, ends_at=now - 2 * HOUR
    )

    report = abstraction_report(scope=FORCE, weeks=2, now=now)

    assert [(row.label, row.hours, row.officers) for row in report.by_neighbourhood] == [
        ("Normanton", 3.0, 1)
    ]


def test_an_open_entry_counts_up_to_now(priya):
    now = timezone.now()
    Abstraction.objects.create(officer=priya, reason="training", starts_at=now - 3 * HOUR)

    report = abstraction_report(scope=FORCE, weeks=4, now=now)

    assert report.total == 3.0


def test_the_report_takes_three_statements_with_200_entries(priya, django_assert_num_queries):
    now = timezone.now()
    officers = [priya, *(AssignmentFactory().officer for _ in range(9))]
    for number in range(200):
        starts = now - datetime.timedelta(days=number % 80, hours=number // 80 * 3 + 1)
        Abstraction.objects.create(
            officer=officers[number % 10],
            reason=Abstraction.Reason.values[number % 7],
            starts_at=starts,
            ends_at=starts + HOUR,
        )

    with django_assert_num_queries(3):
        report = abstraction_report(scope=FORCE, weeks=12, now=now)

    assert len(report.by_officer) == 10


def test_the_report_page_shows_chart_and_tables(
    client, priya, officer_account, django_assert_max_num_queries
):
    for number in range(200):
        starts = timezone.now() - datetime.timedelta(hours=2 * number + 2)
        Abstraction.objects.create(
            officer=priya, reason="court", starts_at=starts, ends_at=starts + HOUR
        )
    client.force_login(officer_account)

    with django_assert_max_num_queries(15):
        response = client.get("/staff/abstractions/report/")

    assert response.status_code == 200
    page = response.content.decode()
    assert elements(page, "svg")
    assert "Hours by officer" in page
    assert "once for each neighbourhood they serve now" in page


def test_the_report_csv_lists_weeks_officers_and_neighbourhoods(client, priya, officer_account):
    Abstraction.objects.create(
        officer=priya, reason="court", starts_at=timezone.now() - 2 * HOUR, ends_at=timezone.now()
    )
    client.force_login(officer_account)

    response = client.get("/staff/abstractions/report/csv/", {"weeks": "4"})

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Type"] == "text/csv"
    assert rows[2][:2] == ["Week starting", "Response cover"]
    assert any(row and row[0] == "PC Priya Sharma" for row in rows)
    assert any(row and row[0] == "Normanton" for row in rows)


def test_a_bad_period_is_a_message_not_an_error(client, priya, officer_account):
    client.force_login(officer_account)

    response = client.get("/staff/abstractions/report/", {"weeks": "9999", "scope": "force"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a period from the list" in page
    assert "Choose a scope from the list" in page


def test_an_account_without_a_role_cannot_see_the_report(client, make_account):
    client.force_login(make_account())

    assert client.get("/staff/abstractions/report/").status_code == 403
