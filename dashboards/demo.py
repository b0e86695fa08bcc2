"""Demo quarterly reports for `seed_demo`: the last finished quarter's report published, and
a draft of the quarter before it. Safe to run again: a quarter with a report is left alone."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from dashboards.models import QuarterlyReport
from dashboards.quarters import last_finished
from dashboards.services import report_draft, report_publish, report_write
from neighbourhoods.demo import demo_seeder
from neighbourhoods.models import Neighbourhood

COMMENTARY = (
    "Most residents' queries were answered within the 72-hour target this quarter.\n\n"
    "The neighbourhoods furthest from the Guarantee have been asked to explain their delays "
    "to the Police and Crime Panel at its next meeting."
)


@demo_seeder
def seed_quarterly_reports(neighbourhoods: dict[str, Neighbourhood]) -> None:
    opcc = get_user_model().objects.get(username="opcc")
    latest, before = last_finished(timezone.localdate(), 2)
    if not QuarterlyReport.objects.of_quarter(latest).exists():
        report = report_draft(by=opcc, quarter=latest)
        report_write(report=report, by=opcc, commentary=COMMENTARY)
        report_publish(report=report, by=opcc)
    if not QuarterlyReport.objects.of_quarter(before).exists():
        report_draft(by=opcc, quarter=before)
