"""A finished quarter with figures in every section of the quarterly report, for the pages'
browser tests: three divisions of four neighbourhoods, each neighbourhood with queries in the
last finished quarter (some answered late), an abstraction, a hotspot patrolled in the
quarter, and the report drafted, written and published by OPCC."""

import datetime

from django.utils import timezone

from dashboards.models import QuarterlyReport
from dashboards.quarters import Quarter, last_finished
from dashboards.services import report_draft, report_publish, report_write
from officers.models import Abstraction
from patrols.services import patrol_record
from tests.dashboards.test_dashboard_figures import answer, submit
from tests.factories import DivisionFactory, ForceFactory
from tests.fixtures.clock import london
from tests.fixtures.patrols import make_hotspot
from tests.queries.factories import neighbourhood_with_team

COMMENTARY = (
    "Answers were quicker than last quarter in every division.\n\n"
    "Two neighbourhoods in the north missed the target for more than a third of their "
    "queries: the force has been asked to explain why at the Panel's next meeting."
)


def a_finished_quarter() -> Quarter:
    return last_finished(timezone.localdate(), 1)[0]


def quarter_with_figures() -> Quarter:
    quarter = a_finished_quarter()
    first = quarter.first_day
    force = ForceFactory()
    for index, name in enumerate(("North", "South", "West")):
        division = DivisionFactory(force=force, name=f"{name} division", slug=name.lower())
        for number in range(1, 5):
            area, team = neighbourhood_with_team(
                force=force, division=division, name=f"{name} area {number}"
            )
            # The team has served there since before the quarter.
            area.assignments.update(start_date=first - datetime.timedelta(days=30))
            sent = london(first.year, first.month, 10 + number, 9)
            # 5 + number queries: `number + index` of them answered late (after 80 hours).
            for late in range(5 + number):
                hours = 80 if late < (number + index) % 4 else 2
                answer(submit(area, sent), sent + datetime.timedelta(hours=hours))
            starts = london(first.year, first.month, 20, 9)
            Abstraction.objects.create(
                officer=team["named"],
                reason=Abstraction.Reason.COURT,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=3 + number),
            )
            # The named officer and the team member patrol a hotspot for `number` hours.
            patrol_record(
                hotspot=make_hotspot(area, f"{name} area {number} park"),
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=number),
                officers=[team["named"], team["team"]],
                outcomes={"people_engaged": number, "arrests": index},
            )
    return quarter


def published_report(opcc) -> QuarterlyReport:
    quarter = quarter_with_figures()
    draft = report_draft(by=opcc, quarter=quarter)
    report_write(report=draft, by=opcc, commentary=COMMENTARY)
    return report_publish(report=draft, by=opcc)
