"""How the dashboard says its figures: durations and shares in words, the headline list, the
Guarantee panel's rows and the rows behind a figure. Its charts are dashboards.charts."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from config.dates import LONDON, date_text, day_month_text
from dashboards.forms import Filters
from dashboards.periods import Period
from dashboards.selectors import satisfaction
from dashboards.selectors import sla as selectors
from dashboards.selectors.shares import share_percent
from queries.models import Query

NO_DATA = gettext_lazy("No data")


def duration_text(seconds: int | None) -> str:
    """41 hours 12 minutes; 'No data' when there were no answers."""
    if seconds is None:
        return str(NO_DATA)
    hours, minutes = divmod(int(seconds) // 60, 60)
    if not hours and not minutes:
        return _("less than a minute")
    hours_part = ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    minutes_part = ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    if not minutes:
        return hours_part
    if not hours:
        return minutes_part
    return _("%(hours)s %(minutes)s") % {"hours": hours_part, "minutes": minutes_part}


def share_text(share: float | None) -> str:
    percent = share_percent(share)
    return str(NO_DATA) if percent is None else f"{percent}%"


def period_text(period: Period) -> str:
    """'1 September to 28 September 2026', '1 December 2025 to 28 February 2026'."""
    first, last = period.first_day, period.last_day
    if first == last:
        return date_text(last)
    start = day_month_text(first) if first.year == last.year else date_text(first)
    return _("%(first)s to %(last)s") % {"first": start, "last": date_text(last)}


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
        Headline(_("Queries received"), str(figures.received), figure="received"),
        Headline(
            _("Responses due"),
            str(figures.responses_due),
            hint=_("First responses and responses to follow-ups whose clock started in the period"),
        ),
        Headline(_("Responses answered"), str(figures.answered), figure="answered"),
        Headline(
            _("Answered within the target"),
            share_text(figures.share_met),
            hint=_("%(met)s met, %(missed)s missed")
            % {"met": figures.met, "missed": figures.missed},
        ),
        Headline(_("Met the target"), str(figures.met), figure="met"),
        Headline(_("Missed the target"), str(figures.missed), figure="missed"),
        Headline(_("Median time to first response"), duration_text(figures.median_seconds)),
        Headline(_("90th percentile time to first response"), duration_text(figures.p90_seconds)),
        Headline(
            _("Open now"), str(figures.open_now), hint=_("Whatever the period"), figure="open"
        ),
        Headline(
            _("At risk"),
            str(figures.at_risk),
            hint=_("Open and due within 24 hours"),
            figure="at_risk",
        ),
        Headline(
            _("Breached and still open"),
            str(figures.breached_open),
            hint=_("Open and past the time they were due"),
            figure="breached",
        ),
        Headline(
            _("Resident escalations"),
            str(figures.resident_escalations),
            hint=_("Queries a resident escalated in the period"),
            figure="escalated",
        ),
        Headline(
            _("Urgent words"),
            str(figures.urgent_flagged),
            hint=_("Queries sent in the period whose message read as an emergency"),
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
        return _("%(count)s of %(total)s (%(share)s)") % {
            "count": self.count,
            "total": self.total,
            "share": share_text(share),
        }


def guarantee_rows(panel: selectors.GuaranteeFigures) -> list[GuaranteeRow]:
    total = panel.neighbourhoods
    return [
        GuaranteeRow(_("Neighbourhoods"), total),
        GuaranteeRow(_("With a current named officer"), panel.with_named_officer, total),
        GuaranteeRow(
            _("With priorities updated in the last 3 months"), panel.priorities_recent, total
        ),
        GuaranteeRow(
            _("With a beat meeting held in the last 3 months"), panel.meeting_held_recent, total
        ),
        GuaranteeRow(_("With a beat meeting scheduled"), panel.meeting_scheduled, total),
        GuaranteeRow(
            _("With a beat meeting held in the last 3 months and one scheduled"),
            panel.held_and_scheduled,
            total,
        ),
        GuaranteeRow(_("Meetings without an outcome recorded"), panel.meetings_without_outcome),
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
            "neighbourhood__name_cy",
            "assigned_officer__display_name",
        )
    )
