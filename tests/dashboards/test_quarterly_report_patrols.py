"""The quarterly report's hotspot patrol figures: the force's and each division's for the
quarter's three months, read from the same monthly tally as the public summary, by hand on a
small fixture with patrols either side of the quarter's boundaries; never an officer's name or
a note; and a report published before the figures were added still reads.

Quarter 2 of 2026-27 is July to September 2026 (BST: London is UTC+1). "Now" is Monday
5 October 2026, after the quarter."""

import csv
import io
import json

import pytest
from pytest_django.asserts import assertContains

from dashboards.models import QuarterlyReport
from dashboards.quarters import Quarter
from dashboards.report_display import report_context
from dashboards.selectors.quarterly import report_snapshot
from dashboards.services import report_draft, report_publish, report_write
from patrols.services import patrol_record
from tests.factories import DivisionFactory, ForceFactory, NeighbourhoodFactory, OfficerFactory
from tests.fixtures.clock import london
from tests.fixtures.patrols import make_hotspot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = london(2026, 10, 5, 12)
Q2 = Quarter(2026, 2)
NOTE = "Spoke to the lad in the red coat by the bus shelter."
OFFICER = "Constable Florence Nightwatch"
NO_OUTCOMES = {
    "arrests": 0,
    "groups_dispersed": 0,
    "dispersal_orders": 0,
    "immediate_justice": 0,
    "safeguarding": 0,
    "people_engaged": 0,
    "intelligence": 0,
}


@pytest.fixture
def patrolled():
    """Two divisions: North (Arnold and Bulwell) and South (Carlton), one hotspot each."""
    force = ForceFactory()
    north = DivisionFactory(force=force, name="North", slug="north")
    south = DivisionFactory(force=force, name="South", slug="south")
    arnold = NeighbourhoodFactory(force=force, division=north, name="Arnold")
    bulwell = NeighbourhoodFactory(force=force, division=north, name="Bulwell")
    carlton = NeighbourhoodFactory(force=force, division=south, name="Carlton")
    market = make_hotspot(arnold, "Arnold market")
    station = make_hotspot(bulwell, "Bulwell bus station")
    square = make_hotspot(carlton, "Carlton Square")
    crew = [OfficerFactory(display_name=OFFICER), *(OfficerFactory() for _ in range(3))]

    def patrol(hotspot, starts, ends, officers, **outcomes):
        patrol_record(
            hotspot=hotspot,
            starts_at=starts,
            ends_at=ends,
            officers=crew[:officers],
            outcomes=outcomes,
            note=NOTE,
        )

    # Before the quarter: 23:00 BST on 30 June (a June patrol, though it ends in July).
    patrol(market, london(2026, 6, 30, 23), london(2026, 7, 1, 1), 1, arrests=5)
    # In it: 00:30 BST on 1 July (23:30 UTC on 30 June), two hours, two officers: 240
    # officer minutes.
    patrol(
        market,
        london(2026, 7, 1, 0, 30),
        london(2026, 7, 1, 2, 30),
        2,
        arrests=1,
        groups_dispersed=2,
    )
    # The same hotspot in August: three hours, one officer: 180.
    patrol(
        market,
        london(2026, 8, 15, 19),
        london(2026, 8, 15, 22),
        1,
        people_engaged=6,
        immediate_justice=2,
    )
    # 22:00 on 30 September to 00:30 on 1 October, two officers: 150 x 2 = 300, in September.
    patrol(
        station,
        london(2026, 9, 30, 22),
        london(2026, 10, 1, 0, 30),
        2,
        dispersal_orders=1,
        safeguarding=1,
        intelligence=2,
    )
    # South: 90 minutes, four officers: 360.
    patrol(
        square,
        london(2026, 9, 10, 18),
        london(2026, 9, 10, 19, 30),
        4,
        arrests=2,
        groups_dispersed=1,
    )
    # After the quarter: 00:15 BST on 1 October (23:15 UTC on 30 September).
    patrol(square, london(2026, 10, 1, 0, 15), london(2026, 10, 1, 1, 15), 1, arrests=9)
    return {"north": north, "south": south}


def test_the_quarters_patrol_figures_by_hand(patrolled):
    patrols = report_snapshot(quarter=Q2, now=NOW)["patrols"]
    assert (patrols["first_month"], patrols["last_month"]) == ("2026-07-01", "2026-09-01")
    # North: 240 + 180 + 300 = 720 officer minutes (12 hours) in 3 patrols of 2 hotspots (the
    # market, patrolled in July and August, counts once).
    assert patrols["divisions"] == [
        {
            "name": "North",
            "key": "division:north",
            "officer_minutes": 720,
            "patrols": 3,
            "hotspots": 2,
            **NO_OUTCOMES,
            "arrests": 1,
            "groups_dispersed": 2,
            "dispersal_orders": 1,
            "immediate_justice": 2,
            "safeguarding": 1,
            "people_engaged": 6,
            "intelligence": 2,
        },
        {
            "name": "South",
            "key": "division:south",
            "officer_minutes": 360,
            "patrols": 1,
            "hotspots": 1,
            **NO_OUTCOMES,
            "arrests": 2,
            "groups_dispersed": 1,
        },
    ]
    force = patrols["force"]
    assert force["name"] == "Derbyshire Constabulary (demo)"
    assert (force["officer_minutes"], force["patrols"], force["hotspots"]) == (1080, 4, 3)
    assert {name: force[name] for name in NO_OUTCOMES} == {
        "arrests": 3,
        "groups_dispersed": 3,
        "dispersal_orders": 1,
        "immediate_justice": 2,
        "safeguarding": 1,
        "people_engaged": 6,
        "intelligence": 2,
    }


def test_the_boundary_patrols_count_in_the_quarters_they_started_in(patrolled):
    later = london(2027, 1, 5, 12)
    q1 = report_snapshot(quarter=Quarter(2026, 1), now=later)["patrols"]["force"]
    q3 = report_snapshot(quarter=Quarter(2026, 3), now=later)["patrols"]["force"]
    assert (q1["patrols"], q1["arrests"], q1["officer_minutes"]) == (1, 5, 120)
    assert (q3["patrols"], q3["arrests"], q3["officer_minutes"]) == (1, 9, 60)


def _summary_months(client, path: str) -> list[dict[str, str]]:
    response = client.get(path, {"month": "2026-09"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    return [row for row in rows if "2026-07" <= row["Month"] <= "2026-09"]


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("force", "/patrols/export.csv"),
        ("division:north", "/patrols/north/export.csv"),
        ("division:south", "/patrols/south/export.csv"),
    ],
)
def test_the_figures_are_the_public_summarys_three_months_summed(client, patrolled, key, path):
    patrols = report_snapshot(quarter=Q2, now=NOW)["patrols"]
    figures = (
        patrols["force"]
        if key == "force"
        else next(row for row in patrols["divisions"] if row["key"] == key)
    )
    months = _summary_months(client, path)
    assert [row["Month"] for row in months] == ["2026-07", "2026-08", "2026-09"]

    def summed(column: str) -> float:
        return sum(float(row[column]) for row in months)

    assert summed("Officer hours on patrol") == pytest.approx(figures["officer_minutes"] / 60)
    assert summed("Patrols") == figures["patrols"]
    for name, column in [
        ("arrests", "Arrests"),
        ("groups_dispersed", "Groups dispersed"),
        ("dispersal_orders", "Dispersal orders"),
        ("immediate_justice", "Immediate Justice referrals"),
        ("safeguarding", "Safeguarding referrals"),
        ("people_engaged", "People engaged"),
        ("intelligence", "Intelligence submitted"),
    ]:
        assert summed(column) == figures[name], column
    # A hotspot patrolled in two months is one hotspot patrolled in the quarter.
    assert max(float(row["Hotspots patrolled"]) for row in months) <= figures["hotspots"]
    assert figures["hotspots"] <= summed("Hotspots patrolled")


def test_the_report_never_names_an_officer_or_quotes_a_note(client, opcc_account, patrolled):
    draft = report_draft(by=opcc_account, quarter=Q2)
    report_write(report=draft, by=opcc_account, commentary="Patrols helped.")
    report = report_publish(report=draft, by=opcc_account)
    stored = json.dumps(QuarterlyReport.objects.get(pk=report.pk).snapshot)
    page = client.get(f"/performance/reports/{Q2.slug}/").content.decode()
    for text in (stored, page):
        assert OFFICER not in text
        assert "red coat" not in text
    assert "Arnold market" not in stored  # totals only, not hotspot by hotspot


def test_the_published_report_shows_the_patrol_table(client, opcc_account, patrolled):
    draft = report_draft(by=opcc_account, quarter=Q2)
    report_write(report=draft, by=opcc_account, commentary="Patrols helped.")
    report = report_publish(report=draft, by=opcc_account)
    assert report.snapshot["schema"] == 2
    response = client.get(f"/performance/reports/{Q2.slug}/")
    assert response.status_code == 200
    assert response.context["patrols"]["areas"] == [
        "Derbyshire Constabulary (demo)",
        "North",
        "South",
    ]
    header = (
        '<tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Measure</th>'
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
        "Derbyshire Constabulary (demo)</th>"
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">North</th>'
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">South</th>'
        "</tr>"
    )
    assertContains(response, header, html=True)
    for label, values in [
        ("Officer hours on patrol", ("18", "12", "6")),
        ("Patrols", ("4", "3", "1")),
        ("Hotspots patrolled", ("3", "2", "1")),
        ("Arrests", ("3", "1", "2")),
        ("Intelligence submitted", ("2", "2", "0")),
    ]:
        row = (
            '<tr class="govuk-table__row">'
            f'<th scope="row" class="govuk-table__header">{label}</th>'
            + "".join(
                f'<td class="govuk-table__cell govuk-table__cell--numeric" data-label="{area}">'
                f"{value}</td>"
                for area, value in zip(
                    ("Derbyshire Constabulary (demo)", "North", "South"), values, strict=True
                )
            )
            + "</tr>"
        )
        assertContains(response, row, html=True)
    assertContains(
        response,
        '<a class="govuk-link" href="/patrols/">the monthly hotspot patrol figures</a>',
        html=True,
    )


def _schema_1_report(user) -> QuarterlyReport:
    """A report as published before the patrol figures were added, its snapshot whole."""
    row = {
        "received": 6,
        "responses_due": 6,
        "answered": 6,
        "met": 5,
        "missed": 1,
        "share_met": 5 / 6,
        "median_seconds": 3600,
    }
    snapshot = {
        "schema": 1,
        "quarter": "2026-27-q2",
        "first_day": "2026-07-01",
        "last_day": "2026-09-30",
        "as_at": "2026-10-05T12:00:00+01:00",
        "target_hours": 72,
        "force": {
            "name": "Derbyshire Constabulary (demo)",
            "quarter": "2026-27-q2",
            "label": "Q2 2026-27",
        }
        | row,
        "divisions": [{"name": "North", "key": "division:north"} | row],
        "trend": [
            {"quarter": quarter, "label": label} | row
            for quarter, label in [
                ("2025-26-q3", "Q3 2025-26"),
                ("2025-26-q4", "Q4 2025-26"),
                ("2026-27-q1", "Q1 2026-27"),
                ("2026-27-q2", "Q2 2026-27"),
            ]
        ],
        "small_number": 5,
        "furthest": [{"name": "Arnold", "division": "North"} | row],
        "not_ranked": 0,
        "abstractions": {"force_hours": 6.0, "divisions": [{"division": "North", "hours": 6.0}]},
    }
    return QuarterlyReport.objects.create(
        year=2026,
        number=2,
        commentary="Published long ago.",
        commentary_html="<p>Published long ago.</p>",
        created_by=user,
        published_at=london(2026, 10, 5, 12),
        published_by=user,
        snapshot=snapshot,
    )


def test_a_report_published_before_the_patrol_figures_still_reads(client, opcc_account):
    _schema_1_report(opcc_account)
    response = client.get(f"/performance/reports/{Q2.slug}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Arnold" in page and "Published long ago." in page
    assert response.context["patrols"] is None
    assertContains(
        response,
        '<p class="govuk-body">No patrol figures were recorded for this report: it was '
        "published before the report included them.</p>",
        html=True,
    )
    assert "Hours abstracted by division" in page


def test_a_quarter_without_patrols_says_so(client, opcc_account):
    snapshot = report_snapshot(quarter=Q2, now=NOW)
    assert snapshot["patrols"]["force"]["patrols"] == 0
    assert report_context(snapshot)["patrols"]["any"] is False
    draft = report_draft(by=opcc_account, quarter=Q2)
    report_write(report=draft, by=opcc_account, commentary="Quiet.")
    report_publish(report=draft, by=opcc_account)
    page = client.get(f"/performance/reports/{Q2.slug}/").content.decode()
    assert "No hotspot patrols were logged from July to September 2026." in page
