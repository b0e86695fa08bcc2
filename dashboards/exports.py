"""Every dashboard table as CSV rows, with the same filters as the page. Cells that a
spreadsheet would run as a formula are neutralised."""

import datetime
from collections.abc import Iterable

from config.spreadsheets import csv_lines, safe_cell  # noqa: F401 (the exports' own)
from dashboards.display import (
    drilldown_rows,
    guarantee_rows,
    hours_text,
    london_text,
    share_percent,
)
from dashboards.forms import Filters
from dashboards.selectors import sla as selectors

# --- Tables -------------------------------------------------------------------------------------


def _percent_cell(share: float | None) -> object:
    percent = share_percent(share)
    return "" if percent is None else percent


def _figures_table(filters: Filters, now: datetime.datetime) -> Iterable[list]:
    figures = selectors.sla_figures(scope=filters.scope, period=filters.period, now=now)
    yield ["Figure", "Value"]
    yield ["Queries received", figures.received]
    yield ["Responses due", figures.responses_due]
    yield ["Responses answered", figures.answered]
    yield ["Met the target", figures.met]
    yield ["Missed the target", figures.missed]
    yield ["Answered within the target (%)", _percent_cell(figures.share_met)]
    yield ["Median time to first response (hours)", hours_text(figures.median_seconds)]
    yield ["90th percentile time to first response (hours)", hours_text(figures.p90_seconds)]
    yield ["Open now", figures.open_now]
    yield ["At risk (due within 24 hours)", figures.at_risk]
    yield ["Breached and still open", figures.breached_open]
    yield ["Resident escalations", figures.resident_escalations]
    yield ["Urgent words (queries whose message read as an emergency)", figures.urgent_flagged]


def _trend_table(filters: Filters, now: datetime.datetime) -> Iterable[list]:
    yield ["Week starting", "Responses due", "Answered", "Met", "Missed", "Within target (%)"]
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
    yield ["Topic", "Received", "Responses due", "Met", "Missed", "Within target (%)"]
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
    yield ["Measure", "Count", "Of neighbourhoods"]
    for row in guarantee_rows(panel):
        yield [row.label, row.count, row.total]
    abstractions = panel.abstractions
    yield [f"Hours abstracted in the last {abstractions.days} days", abstractions.hours, None]
    yield [f"Officers abstracted in the last {abstractions.days} days", abstractions.officers, None]
    yield ["Reason with the most hours abstracted", abstractions.top_reason, None]


def queries_table(filters: Filters, now: datetime.datetime, figure: str) -> Iterable[list]:
    yield ["Reference", "Neighbourhood", "Topic", "Sent", "Due", "Status", "Officer"]
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
