"""How the dashboard says its figures: durations and shares in words, the headline list, the
Guarantee panel's rows and the rows behind a figure. Its charts are dashboards.charts."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from config.dates import LONDON
from dashboards.forms import Filters
from dashboards.periods import Period
from dashboards.selectors import satisfaction
from dashboards.selectors import sla as selectors
from dashboards.selectors.shares import share_percent
from queries.models import Query

NO_DATA = "No data"


def duration_text(seconds: int | None) -> str:
    """41 hours 12 minutes; 'No data' when there were no answers."""
    if seconds is None:
        return NO_DATA
    hours, minutes = divmod(int(seconds) // 60, 60)
    if not hours and not minutes:
        return "less than a minute"
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)


def share_text(share: float | None) -> str:
    percent = share_percent(share)
    return NO_DATA if percent is None else f"{percent}%"


def period_text(period: Period) -> str:
    """'1 September to 28 September 2026', '1 December 2025 to 28 February 2026'."""
    first, last = period.first_day, period.last_day
    if first == last:
        return f"{last.day} {last:%B %Y}"
    start = f"{first.day} {first:%B}" + ("" if first.year == last.year else f" {first.year}")
    return f"{start} to {last.day} {last:%B %Y}"


def hours_text(seconds: int | None) -> str:
    return "" if seconds is None else f"{seconds / 3600:.1f}"


def london_text(moment: datetime.datetime | None) -> str:
    return "" if moment is None else moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    hint: str = ""
    figure: str = ""  # the drill-down's figure, when the value is a count of queries


def headline(figures: selectors.SlaFigures) -> list[Headline]:
    return [
        Headline("Queries received", str(figures.received), figure="received"),
        Headline(
            "Responses due",
            str(figures.responses_due),
            hint="First responses and responses to follow-ups whose clock started in the period",
        ),
        Headline("Responses answered", str(figures.answered), figure="answered"),
        Headline(
            "Answered within the target",
            share_text(figures.share_met),
            hint=f"{figures.met} met, {figures.missed} missed",
        ),
        Headline("Met the target", str(figures.met), figure="met"),
        Headline("Missed the target", str(figures.missed), figure="missed"),
        Headline("Median time to first response", duration_text(figures.median_seconds)),
        Headline("90th percentile time to first response", duration_text(figures.p90_seconds)),
        Headline("Open now", str(figures.open_now), hint="Whatever the period", figure="open"),
        Headline(
            "At risk",
            str(figures.at_risk),
            hint="Open and due within 24 hours",
            figure="at_risk",
        ),
        Headline(
            "Breached and still open",
            str(figures.breached_open),
            hint="Open and past the time they were due",
            figure="breached",
        ),
        Headline(
            "Resident escalations",
            str(figures.resident_escalations),
            hint="Queries a resident escalated in the period",
            figure="escalated",
        ),
        Headline(
            "Urgent words",
            str(figures.urgent_flagged),
            hint="Queries sent in the period whose message read as an emergency",
            figure="urgent",
        ),
    ]


@dataclass(frozen=True)
class GuaranteeRow:
    label: str
    count: int
    total: int | None = None  # for a count of neighbourhoods, out of how many

    @property
    def value(self) -> str:
        if self.total is None:
            return str(self.count)
        share = self.count / self.total if self.total else None
        return f"{self.count} of {self.total} ({share_text(share)})"


def guarantee_rows(panel: selectors.GuaranteeFigures) -> list[GuaranteeRow]:
    total = panel.neighbourhoods
    return [
        GuaranteeRow("Neighbourhoods", total),
        GuaranteeRow("With a current named officer", panel.with_named_officer, total),
        GuaranteeRow(
            "With priorities updated in the last 3 months", panel.priorities_recent, total
        ),
        GuaranteeRow(
            "With a beat meeting held in the last 3 months", panel.meeting_held_recent, total
        ),
        GuaranteeRow("With a beat meeting scheduled", panel.meeting_scheduled, total),
        GuaranteeRow(
            "With a beat meeting held in the last 3 months and one scheduled",
            panel.held_and_scheduled,
            total,
        ),
        GuaranteeRow("Meetings without an outcome recorded", panel.meetings_without_outcome),
    ]


@dataclass(frozen=True)
class Shown:
    """A table row with its share in words, and a link to its own figures if it has one."""

    row: object
    share_text: str
    link: str = ""


def _behind(filters: Filters, figure: str, now: datetime.datetime) -> QuerySet[Query]:
    if figure in satisfaction.FIGURES:
        return satisfaction.drilldown(scope=filters.scope, period=filters.period, figure=figure)
    return selectors.drilldown(scope=filters.scope, period=filters.period, figure=figure, now=now)


class CountedRows(Sequence):
    """A drill-down's rows, read a page at a time, with their number already known."""

    def __init__(self, rows: QuerySet[Query], count: int) -> None:
        self.rows, self.known = rows, count

    def count(self) -> int:
        return self.known

    def __len__(self) -> int:
        return self.known

    def __getitem__(self, index):
        return self.rows[index]


def drilldown_page_rows(filters: Filters, figure: str, now: datetime.datetime) -> Sequence[Query]:
    """The drill-down's rows for a page: a running figure's number is read from the counts
    kept with the clocks, not counted from the rows."""
    rows = drilldown_rows(filters, figure, now)
    if figure in satisfaction.FIGURES:
        return rows
    count = selectors.drilldown_count(
        scope=filters.scope, period=filters.period, figure=figure, now=now
    )
    return rows if count is None else CountedRows(rows, count)


def drilldown_rows(filters: Filters, figure: str, now: datetime.datetime) -> QuerySet[Query]:
    """The queries behind a figure, with the officer and neighbourhood in the same read and
    none of the resident's fields at all."""
    return (
        _behind(filters, figure, now)
        .select_related("neighbourhood", "assigned_officer")
        .only(
            "reference",
            "neighbourhood",
            "assigned_officer",
            "topic",
            "status",
            "submitted_at",
            "due_at",
            "neighbourhood__name",
            "assigned_officer__display_name",
        )
    )
