"""The quarterly Guarantee report's figures, on fixtures small enough to work out by hand, and
what publishing does to them: frozen in a snapshot that later data does not change, in a row the
model and the database refuse to change, corrected only by a new version.

Quarter 2 of 2026-27 is July to September 2026 (BST: London is UTC+1). "Now" is Monday
5 October 2026, after the quarter."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from pytest_django.asserts import assertHTMLEqual

from config.roles import Role
from dashboards.models import QuarterlyReport
from dashboards.quarters import Quarter, last_finished, parse_quarter, quarter_of
from dashboards.report_display import report_context
from dashboards.selectors.quarterly import report_snapshot
from dashboards.services import report_draft, report_publish, report_write
from officers.models import Abstraction
from tests.dashboards.test_dashboard_figures import answer, submit
from tests.factories import DivisionFactory, ForceFactory, NeighbourhoodFactory
from tests.fixtures.clock import london
from tests.queries.factories import neighbourhood_with_team

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = london(2026, 10, 5, 12)
Q2 = Quarter(2026, 2)
HOUR = datetime.timedelta(hours=1)


# --- Quarters ---------------------------------------------------------------------------------


def test_financial_quarters_run_from_april():
    assert (Quarter(2026, 1).first_day, Quarter(2026, 1).last_day) == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 6, 30),
    )
    assert (Q2.first_day, Q2.last_day) == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    assert (Quarter(2026, 4).first_day, Quarter(2026, 4).last_day) == (
        datetime.date(2027, 1, 1),
        datetime.date(2027, 3, 31),
    )
    assert Q2.slug == "2026-27-q2"
    assert Q2.label == "Quarter 2 2026-27 (July to September 2026)"
    assert parse_quarter("2026-27-q2") == Q2


@pytest.mark.parametrize("slug", ["2026-28-q2", "2026-27-q5", "2026-27-q0", "1999-00-q1", "q2"])
def test_an_address_that_is_no_quarter_is_refused(slug):
    with pytest.raises(ValueError, match="Choose a quarter"):
        parse_quarter(slug)


@pytest.mark.parametrize(
    ("moment", "quarter"),
    [
        # 23:30 BST on 31 March is 22:30 UTC: still the last quarter of 2026-27.
        (london(2027, 3, 31, 23, 30), Quarter(2026, 4)),
        (london(2027, 4, 1, 0, 0), Quarter(2027, 1)),
        # 00:30 BST on 1 July is 23:30 UTC on 30 June: already quarter 2.
        (london(2026, 7, 1, 0, 30), Quarter(2026, 2)),
        (london(2026, 6, 30, 23, 59), Quarter(2026, 1)),
        # In GMT, London and UTC agree.
        (london(2026, 12, 31, 23, 30), Quarter(2026, 3)),
        (london(2027, 1, 1, 0, 30), Quarter(2026, 4)),
    ],
)
def test_a_moment_belongs_to_the_quarter_of_its_london_day(moment, quarter):
    assert quarter_of(moment) == quarter
    period = quarter.period
    assert period.start <= moment < period.end


def test_the_finished_quarters_are_the_ones_before_today():
    assert last_finished(datetime.date(2026, 10, 5), 3) == [
        Quarter(2026, 2),
        Quarter(2026, 1),
        Quarter(2025, 4),
    ]
    assert not Quarter(2026, 3).is_finished(datetime.date(2026, 12, 31))
    assert Quarter(2026, 3).is_finished(datetime.date(2027, 1, 1))


def test_a_query_sent_at_2330_on_31_march_counts_in_quarter_4():
    area, _team = neighbourhood_with_team()
    submit(area, london(2027, 3, 31, 23, 30))
    later = london(2027, 4, 10, 12)
    q4 = report_snapshot(quarter=Quarter(2026, 4), now=later)
    q1 = report_snapshot(quarter=Quarter(2027, 1), now=later)
    assert q4["force"]["received"] == 1
    assert q1["force"]["received"] == 0


def test_a_query_sent_at_0030_on_1_july_bst_counts_in_quarter_2():
    area, _team = neighbourhood_with_team()
    submit(area, london(2026, 7, 1, 0, 30))
    assert report_snapshot(quarter=Q2, now=NOW)["force"]["received"] == 1
    assert report_snapshot(quarter=Quarter(2026, 1), now=NOW)["force"]["received"] == 0


# --- A quarter's figures, by hand ------------------------------------------------------------


@pytest.fixture
def quarter_2():
    """Two divisions, three neighbourhoods, answers worked out in the comments."""
    force = ForceFactory()
    north = DivisionFactory(force=force, name="North", slug="north")
    south = DivisionFactory(force=force, name="South", slug="south")
    arnold, team = neighbourhood_with_team(force=force, division=north, name="Arnold")
    bulwell, _ = neighbourhood_with_team(force=force, division=north, name="Bulwell")
    carlton, _ = neighbourhood_with_team(force=force, division=south, name="Carlton")
    # Arnold: 5 queries on Monday 6 July 10:00, answered after 24, 48, 72 (exactly the
    # deadline: met), 80 hours (missed) and never (missed: due 9 July, long past).
    sent = london(2026, 7, 6, 10)
    for after in (24, 48, 72, 80, None):
        query = submit(arnold, sent)
        if after is not None:
            answer(query, sent + after * HOUR)
    # Bulwell: 2 queries on 3 August 09:00, each answered after 10 hours.
    for _ in range(2):
        answer(submit(bulwell, london(2026, 8, 3, 9)), london(2026, 8, 3, 19))
    # Carlton: 6 queries on 1 September 12:00: five answered after 1 hour, one after 100.
    for after in (1, 1, 1, 1, 1, 100):
        answer(submit(carlton, london(2026, 9, 1, 12)), london(2026, 9, 1, 12) + after * HOUR)
    # Quarter 1: one query on 1 May, answered after 2 hours.
    answer(submit(arnold, london(2026, 5, 1, 9)), london(2026, 5, 1, 11))
    # Arnold's named officer: 2 hours abstracted on the morning of 1 July (from 22:00 on
    # 30 June) and 4 hours on the evening of 30 September (to 04:00 on 1 October).
    officer = team["named"]
    for starts, ends in [
        (london(2026, 6, 30, 22), london(2026, 7, 1, 2)),
        (london(2026, 9, 30, 20), london(2026, 10, 1, 4)),
    ]:
        Abstraction.objects.create(
            officer=officer, reason=Abstraction.Reason.COURT, starts_at=starts, ends_at=ends
        )
    return {"north": north, "south": south}


def test_the_force_figures_of_a_quarter(quarter_2):
    force = report_snapshot(quarter=Q2, now=NOW)["force"]
    # received 5 + 2 + 6 = 13; met 3 + 2 + 5 = 10; missed 2 + 0 + 1 = 3; 10/13 = 77%.
    assert (force["received"], force["met"], force["missed"]) == (13, 10, 3)
    assert force["share_met"] == pytest.approx(10 / 13)
    # The 12 first answers, sorted: 1 1 1 1 1 10 10 24 48 72 80 100 hours: the 6th is 10 h.
    assert force["median_seconds"] == 10 * 3600


def test_each_division_has_its_own_figures(quarter_2):
    divisions = {row["name"]: row for row in report_snapshot(quarter=Q2, now=NOW)["divisions"]}
    north, south = divisions["North"], divisions["South"]
    # North: Arnold and Bulwell: 7 received, 5 met, 2 missed; answers 10 10 24 48 72 80: 24 h.
    assert (north["received"], north["met"], north["missed"]) == (7, 5, 2)
    assert north["median_seconds"] == 24 * 3600
    # South: Carlton: 6 received, 5 met, 1 missed; answers 1 1 1 1 1 100: the 3rd is 1 h.
    assert (south["received"], south["met"], south["missed"]) == (6, 5, 1)
    assert south["median_seconds"] == 3600


def test_the_trend_is_the_quarter_and_the_three_before(quarter_2):
    trend = report_snapshot(quarter=Q2, now=NOW)["trend"]
    assert [row["label"] for row in trend] == [
        "Q3 2025-26",
        "Q4 2025-26",
        "Q1 2026-27",
        "Q2 2026-27",
    ]
    assert [row["received"] for row in trend] == [0, 0, 1, 13]
    assert [row["share_met"] for row in trend][:3] == [None, None, 1.0]


def test_neighbourhoods_with_fewer_than_5_queries_are_not_ranked(quarter_2):
    snapshot = report_snapshot(quarter=Q2, now=NOW)
    # Arnold 3/5 = 60% before Carlton 5/6 = 83%; Bulwell had 2 queries: not ranked.
    assert [(row["name"], row["received"]) for row in snapshot["furthest"]] == [
        ("Arnold", 5),
        ("Carlton", 6),
    ]
    assert snapshot["not_ranked"] == 1


def test_hours_abstracted_by_division_count_the_time_inside_the_quarter(quarter_2):
    abstractions = report_snapshot(quarter=Q2, now=NOW)["abstractions"]
    # 00:00 to 02:00 on 1 July, and 20:00 to midnight on 30 September: 6 hours.
    assert abstractions["divisions"] == [
        {"division": "North", "hours": 6.0},
        {"division": "South", "hours": 0.0},
    ]
    assert abstractions["force_hours"] == 6.0


def _dashboard_figures(client, scope: str) -> dict[str, str]:
    response = client.get(
        "/staff/dashboard/export/figures.csv",
        {"scope": scope, "period": "custom", "from": "2026-07-01", "to": "2026-09-30"},
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return dict(list(csv.reader(io.StringIO(text)))[1:])


@pytest.mark.parametrize("scope", ["force", "division:north", "division:south"])
def test_the_report_figures_are_the_dashboard_figures(client, opcc_account, quarter_2, scope):
    snapshot = report_snapshot(quarter=Q2, now=NOW)
    figures = (
        snapshot["force"]
        if scope == "force"
        else next(row for row in snapshot["divisions"] if row["key"] == scope)
    )
    client.force_login(opcc_account)
    dashboard = _dashboard_figures(client, scope)
    assert int(dashboard["Queries received"]) == figures["received"]
    assert int(dashboard["Met the target"]) == figures["met"]
    assert int(dashboard["Missed the target"]) == figures["missed"]
    assert int(dashboard["Answered within the target (%)"]) == round(100 * figures["share_met"])
    assert float(dashboard["Median time to first response (hours)"]) == (
        figures["median_seconds"] / 3600
    )


# --- Drafting and publishing -----------------------------------------------------------------


def test_a_quarter_not_over_cannot_be_drafted(opcc_account):
    with pytest.raises(ValidationError, match="not over yet"):
        report_draft(by=opcc_account, quarter=Quarter(2026, 3))
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize("roles", [(), (Role.OFFICER,), (Role.OFFICER, Role.SUPERVISOR)])
def test_only_opcc_and_administrators_draft_and_publish(make_account, opcc_account, roles):
    user = make_account(*roles)
    with pytest.raises(PermissionDenied):
        report_draft(by=user, quarter=Q2)
    draft = report_draft(by=opcc_account, quarter=Q2)
    report_write(report=draft, by=opcc_account, commentary="Good.")
    with pytest.raises(PermissionDenied):
        report_write(report=draft, by=user, commentary="Changed")
    with pytest.raises(PermissionDenied):
        report_publish(report=draft, by=user)
    draft.refresh_from_db()
    assert (draft.commentary, draft.published_at) == ("Good.", None)


def _published(user, commentary="Answers were quicker.\n\nArnold needs attention."):
    draft = report_draft(by=user, quarter=Q2)
    report_write(report=draft, by=user, commentary=commentary)
    return report_publish(report=draft, by=user)


def test_publishing_freezes_the_figures_and_the_commentary(opcc_account, quarter_2):
    report = _published(opcc_account)
    report.refresh_from_db()
    assert report.snapshot["schema"] == 2
    assert report.snapshot["force"]["received"] == 13
    assertHTMLEqual(
        report.commentary_html, "<p>Answers were quicker.</p><p>Arnold needs attention.</p>"
    )


def test_the_published_snapshot_does_not_follow_the_data(opcc_account, quarter_2):
    report = _published(opcc_account)
    # Afterwards: three more queries in the quarter, all answered in time.
    area = NeighbourhoodFactory(division=quarter_2["north"], name="Daybrook")
    for _ in range(3):
        answer(submit(area, london(2026, 9, 10, 9)), london(2026, 9, 10, 10))
    assert report_snapshot(quarter=Q2, now=NOW)["force"]["received"] == 16
    assert QuarterlyReport.objects.get(pk=report.pk).snapshot["force"]["received"] == 13


def test_the_model_refuses_to_change_a_published_report(opcc_account):
    report = QuarterlyReport.objects.get(pk=_published(opcc_account).pk)
    report.commentary = "Rewritten"
    with pytest.raises(TypeError, match="never changed"):
        report.save()
    with pytest.raises(TypeError, match="never changed"):
        QuarterlyReport.objects.filter(pk=report.pk).update(commentary="Rewritten")
    with pytest.raises(TypeError, match="never changed"):
        report.delete()
    with pytest.raises(TypeError, match="never changed"):
        QuarterlyReport.objects.all().delete()
    assert (
        QuarterlyReport.objects.get(pk=report.pk).commentary
        == "Answers were quicker.\n\nArnold needs attention."
    )


def test_the_database_refuses_to_change_a_published_report(opcc_account):
    report = _published(opcc_account)
    for sql in [
        "UPDATE dashboards_quarterlyreport SET commentary = 'Rewritten' WHERE id = %s",
        "DELETE FROM dashboards_quarterlyreport WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [report.pk])
    assert QuarterlyReport.objects.get(pk=report.pk).commentary.startswith("Answers")


def test_a_correction_is_a_new_version_with_a_note(opcc_account, quarter_2):
    first = _published(opcc_account)
    correction = report_draft(by=opcc_account, quarter=Q2)
    assert (correction.version, correction.commentary) == (2, first.commentary)
    with pytest.raises(ValidationError, match="what this version corrects"):
        report_publish(report=correction, by=opcc_account)
    report_write(
        report=correction,
        by=opcc_account,
        commentary=first.commentary,
        correction_note="Carlton's figures counted a test query.",
    )
    second = report_publish(report=correction, by=opcc_account)
    assert [(r.version, r.is_published) for r in QuarterlyReport.objects.of_quarter(Q2)] == [
        (2, True),
        (1, True),
    ]
    assert second.correction_note == "Carlton's figures counted a test query."


def test_drafting_a_quarter_twice_opens_the_same_draft(opcc_account, administrator_account):
    first = report_draft(by=opcc_account, quarter=Q2)
    assert report_draft(by=administrator_account, quarter=Q2) == first
    assert QuarterlyReport.objects.count() == 1


def test_the_trend_chart_names_each_quarter_and_says_what_it_shows(quarter_2):
    context = report_context(report_snapshot(quarter=Q2, now=NOW))
    chart = context["chart"]
    assert [tick.label for tick in chart.week_ticks] == [
        "Q3 2025-26",
        "Q4 2025-26",
        "Q1 2026-27",
        "Q2 2026-27",
    ]
    assert len(chart.bars) == 4
    # Shares: Q1 1/1 = 100%, Q2 10/13 = 77%; the two before have none.
    assert chart.summary == (
        "Responses due in each of the 4 quarters from Q3 2025-26 to Q2 2026-27 (bars) and the "
        "share answered within the target (line). The share within the target ranged from 77% "
        "to 100%. The table below gives each quarter\u2019s figures."
    )
    assert [row["share_text"] for row in context["trend"]] == ["No data", "No data", "100%", "77%"]
    assert context["force"]["median_text"] == "10 hours"
