"""Every dashboard table as CSV rows, with the same filters as the page. Cells that a
spreadsheet would run as a formula are neutralised."""

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from config.spreadsheets import csv_lines, safe_cell  # noqa: F401 (the exports' own)
from dashboards.display import (
    drilldown_rows,
    guarantee_rows,
    hours_text,
    london_text,
    share_percent,
)
from dashboards.forms import Filters
from dashboards.periods import Period
from dashboards.selectors import sla as selectors

# --- Tables -------------------------------------------------------------------------------------


def _percent_cell(share: float | None) -> object:
    percent = share_percent(share)
    return "" if percent is None else percent


def _figures_table(filters: Filters, now: datetime.datetime) -> Iterable[list]:
    figures = selectors.sla_figures(scope=filters.scope, period=filters.period, now=now)
    yield [_("Figure"), _("Value")]
    yield [_("Queries received"), figures.received]
    yield [_("Responses due"), figures.responses_due]
    yield [_("Responses answered"), figures.answered]
    yield [_("Met the target"), figures.met]
    yield [_("Missed the target"), figures.missed]
    yield [_("Answered within the target (%)"), _percent_cell(figures.share_met)]
    yield [_("Median time to first response (hours)"), hours_text(figures.median_seconds)]
    yield [_("90th percentile time to first response (hours)"), hours_text(figures.p90_seconds)]
    yield [_("Open now"), figures.open_now]
    yield [_("At risk (due within 24 hours)"), figures.at_risk]
    yield [_("Breached and still open"), figures.breached_open]
    yield [_("Resident escalations"), figures.resident_escalations]
    yield [_("Urgent words (queries whose message read as an emergency)"), figures.urgent_flagged]


def _trend_table(filters: Filters, now: datetime.datetime) -> Iterable[list]:
    yield [
        _("Week starting"),
        _("Responses due"),
        _("Answered"),
        _("Met"),
        _("Missed"),
        _("Within target (%)"),
    ]
    for row in selectors.weekly_trend(scope=filters.scope, period=filters.period, now=now):
        yield [
            row.week_start.isoformat(),
            row.responses_due,
            row.answered,
            row.met,
            row.missed,
            _percent_cell(row.share_met),
        ]


def _neighbourhoods_table(filters: Filters, now: datetime.datetime) -> Iterable[list]:
    yield [
        _("Neighbourhood"),
        _("Division"),
        _("Received"),
        _("Responses due"),
        _("Answered"),
        _("Met"),
        _("Missed"),
        _("Within target (%)"),
        _("Open now"),
        _("Breached and still open"),
    ]
    for row in selectors.neighbourhood_table(scope=filters.scope, period=filters.period, now=now):
        yield [
            row.name,
            row.division_name,
            row.received,
            row.responses_due,
            row.answered,
            row.met,
            row.missed,
            _percent_cell(row.share_met),
            row.open_now,
            row.breached_open,
        ]


def _topics_table(filters: Filters, now: datetime.datetime) -> Iterable[list]:
    yield [
        _("Topic"),
        _("Received"),
        _("Responses due"),
        _("Met"),
        _("Missed"),
        _("Within target (%)"),
    ]
    for row in selectors.topic_table(scope=filters.scope, period=filters.period, now=now):
        yield [
            row.label,
            row.received,
            row.responses_due,
            row.met,
            row.missed,
            _percent_cell(row.share_met),
        ]


def _guarantee_table(filters: Filters, now: datetime.datetime) -> Iterable[list]:
    panel = selectors.guarantee_panel(scope=filters.scope, now=now)
    yield [_("Measure"), _("Count"), _("Of neighbourhoods")]
    for row in guarantee_rows(panel):
        yield [row.label, row.count, row.total]
    abstractions = panel.abstractions
    days = {"days": abstractions.days}
    yield [_("Hours abstracted in the last %(days)s days") % days, abstractions.hours, None]
    yield [_("Officers abstracted in the last %(days)s days") % days, abstractions.officers, None]
    yield [_("Reason with the most hours abstracted"), abstractions.top_reason, None]


def queries_table(filters: Filters, now: datetime.datetime, figure: str) -> Iterable[list]:
    yield [
        _("Reference"),
        _("Neighbourhood"),
        _("Topic"),
        _("Sent"),
        _("Due"),
        _("Status"),
        _("Officer"),
    ]
    for query in drilldown_rows(filters, figure, now).iterator(chunk_size=2000):
        officer = query.assigned_officer
        yield [
            query.reference,
            query.neighbourhood.name,
            query.get_topic_display(),
            london_text(query.submitted_at),
            london_text(query.due_at),
            query.get_status_display(),
            officer.display_name if officer else "",
        ]


TABLE_ROWS = {
    "figures": _figures_table,
    "trend": _trend_table,
    "neighbourhoods": _neighbourhoods_table,
    "topics": _topics_table,
    "guarantee": _guarantee_table,
}


# The words of a file's name, in the language of the person downloading it (plain letters only:
# a file name travels in a header).
TABLE_FILE_WORDS = {
    "figures": pgettext_lazy("file name", "figures"),
    "trend": pgettext_lazy("file name", "trend"),
    "neighbourhoods": pgettext_lazy("file name", "neighbourhoods"),
    "topics": pgettext_lazy("file name", "topics"),
    "guarantee": pgettext_lazy("file name", "guarantee"),
    "satisfaction": pgettext_lazy("file name", "satisfaction"),
    "satisfaction-trend": pgettext_lazy("file name", "satisfaction-trend"),
}
QUERIES_FILE_WORDS = {
    "received": pgettext_lazy("file name", "queries-received"),
    "answered": pgettext_lazy("file name", "queries-answered"),
    "met": pgettext_lazy("file name", "queries-met"),
    "missed": pgettext_lazy("file name", "queries-missed"),
    "open": pgettext_lazy("file name", "queries-open"),
    "at_risk": pgettext_lazy("file name", "queries-at-risk"),
    "breached": pgettext_lazy("file name", "queries-breached"),
    "escalated": pgettext_lazy("file name", "queries-escalated"),
    "urgent": pgettext_lazy("file name", "queries-urgent"),
    "rated_yes": pgettext_lazy("file name", "queries-rated-yes"),
    "rated_partly": pgettext_lazy("file name", "queries-rated-partly"),
    "rated_no": pgettext_lazy("file name", "queries-rated-no"),
}


def export_file_name(table: str, period: Period, figure: str = "") -> str:
    """'dashboard-topics-2026-01-05-to-2026-02-01.csv', in the language of the page."""
    words = QUERIES_FILE_WORDS[figure] if table == "queries" else TABLE_FILE_WORDS[table]
    return pgettext("file name", "dashboard-%(table)s-%(first)s-to-%(last)s.csv") % {
        "table": words,
        "first": period.first_day.isoformat(),
        "last": period.last_day.isoformat(),
    }
