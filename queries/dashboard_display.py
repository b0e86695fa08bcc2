"""How the dashboard says its figures: durations and shares in words, the headline list, the
weekly trend as an SVG bar chart with its summary, and the Guarantee panel's rows."""

import datetime
import itertools
import math
from dataclasses import dataclass

from config.dates import LONDON
from queries.dashboard_access import Period
from queries.dashboard_forms import Filters
from queries.selectors import dashboard as selectors

NO_DATA = "No data"


# --- Words for numbers ---------------------------------------------------------------------


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


def share_percent(share: float | None) -> int | None:
    """A whole percentage that never rounds a miss away: 99.6% is 99%, and 0.4% is 1%."""
    if share is None:
        return None
    percent = math.floor(share * 100 + 0.5)
    if percent == 100 and share < 1:
        return 99
    if percent == 0 and share > 0:
        return 1
    return percent


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


# --- The panels--------------------------------------------------------------------------------


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
    ]


def _n(value: float) -> str:
    """A coordinate for an SVG attribute."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class Bar:
    x: str
    y: str
    width: str
    height: str


@dataclass(frozen=True)
class Tick:
    at: str
    label: str


@dataclass(frozen=True)
class Chart:
    """An SVG chart of each week: responses due as bars (left axis), the share answered
    within the target as a marker per week joined by lines (right axis); a week with nothing
    decided has no share, so the line breaks there. Every number is placed here; the template
    only writes the attributes."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    base: int
    bars: list[Bar]
    points: list[tuple[str, str]]
    lines: list[str]  # each run of weeks with a share, as SVG polyline points
    volume_ticks: list[Tick]
    share_ticks: list[Tick]
    week_ticks: list[Tick]
    summary: str

    # Where the labels and the legend go.
    @property
    def volume_label_x(self) -> int:
        return self.plot_left - 6

    @property
    def share_label_x(self) -> int:
        return self.plot_right + 6

    @property
    def week_label_y(self) -> int:
        return self.base + 18

    @property
    def legend_volume_x(self) -> int:
        return self.plot_left + 20

    @property
    def legend_share_x(self) -> int:
        return self.plot_left + 240

    @property
    def legend_share_end(self) -> int:
        return self.legend_share_x + 24

    @property
    def legend_share_mark(self) -> int:
        return self.legend_share_x + 12

    @property
    def legend_share_text(self) -> int:
        return self.legend_share_end + 6


CHART_WIDTH, CHART_HEIGHT = 640, 300
CHART_MARGINS = {"left": 48, "right": 56, "top": 44, "bottom": 40}
# Most week labels under the chart; with more weeks, every second, fourth... week is named.
MOST_WEEK_LABELS = 8


def _axis_top(largest: int) -> int:
    """The top of the volume axis: four equal steps of 1, 2, 5, 10, 20, 50... at or above
    the largest bar, so each gridline is a round number."""
    step, factors = 1, itertools.cycle((2, 2.5, 2))
    while step * 4 < largest:
        step = int(step * next(factors))
    return step * 4


def trend_chart(rows: list) -> Chart | None:
    if not rows:
        return None
    left, right = CHART_MARGINS["left"], CHART_WIDTH - CHART_MARGINS["right"]
    top, base = CHART_MARGINS["top"], CHART_HEIGHT - CHART_MARGINS["bottom"]
    plot_height = base - top
    volume_top = _axis_top(max(row.responses_due for row in rows))
    slot = (right - left) / len(rows)
    bar_width = max(slot * 0.6, 1)
    bars, points, centres, runs = [], [], [], [[]]
    for index, row in enumerate(rows):
        centre = left + slot * (index + 0.5)
        centres.append(centre)
        height = plot_height * row.responses_due / volume_top
        bars.append(Bar(_n(centre - bar_width / 2), _n(base - height), _n(bar_width), _n(height)))
        if row.share_met is None:
            runs.append([])
            continue
        point = (_n(centre), _n(base - plot_height * row.share_met))
        points.append(point)
        runs[-1].append(f"{point[0]},{point[1]}")
    fractions = [i / 4 for i in range(5)]
    every = math.ceil(len(rows) / MOST_WEEK_LABELS)
    return Chart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        plot_left=left,
        plot_right=right,
        base=base,
        bars=bars,
        points=points,
        lines=[" ".join(run) for run in runs if len(run) > 1],
        volume_ticks=[
            Tick(_n(base - plot_height * f), str(int(volume_top * f))) for f in fractions
        ],
        share_ticks=[Tick(_n(base - plot_height * f), f"{int(100 * f)}%") for f in fractions],
        week_ticks=[
            Tick(_n(centres[i]), f"{row.week_start.day} {row.week_start:%b}")
            for i, row in enumerate(rows)
            if i % every == 0
        ],
        summary=_trend_summary(rows),
    )


def _trend_summary(rows: list) -> str:
    first = rows[0].week_start
    weeks = f"{len(rows)} week{'s' if len(rows) != 1 else ''}"
    text = (
        "Responses due each week (bars) and the share answered within the target (line), "
        f"over {weeks} from the week starting {first.day} {first:%B %Y}."
    )
    busiest = max(rows, key=lambda row: row.responses_due)
    if not busiest.responses_due:
        text += " No responses were due."
    else:
        text += (
            f" The busiest week, starting {busiest.week_start.day} {busiest.week_start:%B}, "
            f"had {busiest.responses_due} response{'s' if busiest.responses_due != 1 else ''} due."
        )
    shares = [share_percent(row.share_met) for row in rows if row.share_met is not None]
    if not shares:
        text += " No response has been decided yet, so there is no share within the target."
    elif min(shares) == max(shares):
        text += f" The share within the target was {shares[0]}% in every week with one."
    else:
        text += f" The share within the target ranged from {min(shares)}% to {max(shares)}%."
    return text + " The table below gives each week\u2019s figures."


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


def drilldown_rows(filters: Filters, figure: str, now: datetime.datetime):
    """The queries behind a figure, with the officer and neighbourhood in the same read and
    none of the resident's fields at all."""
    return (
        selectors.drilldown(scope=filters.scope, period=filters.period, figure=figure, now=now)
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
