"""The dashboards' charts as SVG: the weekly trend of responses, and the hours abstracted each
week stacked by reason. Each chart comes with a summary in words and is shown beside its table;
the templates only write the attributes computed here."""

import dataclasses
import itertools
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.dates import date_text, day_month_text, month_text, short_month_text
from dashboards.display import share_percent
from dashboards.selectors.abstractions import WeekRow
from dashboards.selectors.scorecard import Figures as PublicFigures
from dashboards.selectors.sla import WeekRow as TrendRow
from officers.models import Abstraction


def svg_number(value: float) -> str:
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
    volume_label: str = ""

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


def axis_top(largest: int) -> int:
    """The top of the volume axis: four equal steps of 1, 2, 5, 10, 20, 50... at or above
    the largest bar, so each gridline is a round number."""
    step, factors = 1, itertools.cycle((2, 2.5, 2))
    while step * 4 < largest:
        step = int(step * next(factors))
    return step * 4


def trend_chart(rows: list[TrendRow]) -> Chart | None:
    if not rows:
        return None
    left, right = CHART_MARGINS["left"], CHART_WIDTH - CHART_MARGINS["right"]
    top, base = CHART_MARGINS["top"], CHART_HEIGHT - CHART_MARGINS["bottom"]
    plot_height = base - top
    volume_top = axis_top(max(row.responses_due for row in rows))
    slot = (right - left) / len(rows)
    bar_width = max(slot * 0.6, 1)
    bars, points, centres, runs = [], [], [], [[]]
    for index, row in enumerate(rows):
        centre = left + slot * (index + 0.5)
        centres.append(centre)
        height = plot_height * row.responses_due / volume_top
        bars.append(
            Bar(
                svg_number(centre - bar_width / 2),
                svg_number(base - height),
                svg_number(bar_width),
                svg_number(height),
            )
        )
        if row.share_met is None:
            runs.append([])
            continue
        point = (svg_number(centre), svg_number(base - plot_height * row.share_met))
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
            Tick(svg_number(base - plot_height * f), str(int(volume_top * f))) for f in fractions
        ],
        share_ticks=[
            Tick(svg_number(base - plot_height * f), f"{int(100 * f)}%") for f in fractions
        ],
        week_ticks=[
            Tick(svg_number(centres[i]), _day_short(row.week_start))
            for i, row in enumerate(rows)
            if i % every == 0
        ],
        summary=_trend_summary(rows),
        volume_label=_("Responses due (left scale)"),
    )


def _day_short(day) -> str:
    """'3 Nov' under a bar."""
    return f"{day.day} {short_month_text(day)}"


def _trend_summary(rows: list[TrendRow]) -> str:
    first = rows[0].week_start
    sentences = [
        ngettext(
            "Responses due each week (bars) and the share answered within the target (line), "
            "over %(count)s week from the week starting %(first)s.",
            "Responses due each week (bars) and the share answered within the target (line), "
            "over %(count)s weeks from the week starting %(first)s.",
            len(rows),
        )
        % {"count": len(rows), "first": date_text(first)}
    ]
    busiest = max(rows, key=lambda row: row.responses_due)
    if not busiest.responses_due:
        sentences.append(_("No responses were due."))
    else:
        sentences.append(
            ngettext(
                "The busiest week, starting %(day)s, had %(count)s response due.",
                "The busiest week, starting %(day)s, had %(count)s responses due.",
                busiest.responses_due,
            )
            % {"day": day_month_text(busiest.week_start), "count": busiest.responses_due}
        )
    shares = [share_percent(row.share_met) for row in rows if row.share_met is not None]
    if not shares:
        sentences.append(
            _("No response has been decided yet, so there is no share within the target.")
        )
    elif min(shares) == max(shares):
        sentences.append(
            _("The share within the target was %(share)s%% in every week with one.")
            % {"share": shares[0]}
        )
    else:
        sentences.append(
            _("The share within the target ranged from %(low)s%% to %(high)s%%.")
            % {"low": min(shares), "high": max(shares)}
        )
    sentences.append(_("The table below gives each week’s figures."))
    return " ".join(sentences)


def month_chart(months: list[PublicFigures]) -> Chart | None:
    """The public trend: queries decided each month (bars) and the share answered within the
    target (line), drawn as the weekly trend is. A month with too few queries to publish has
    neither."""
    rows = [
        TrendRow(
            week_start=month.first_day,
            responses_due=month.queries or 0,
            answered=0,
            met=month.met or 0,
            missed=0,
            share_met=None if month.share_percent is None else month.share_percent / 100,
        )
        for month in months
    ]
    chart = trend_chart(rows)
    if chart is None:
        return None
    every = math.ceil(len(rows) / MOST_WEEK_LABELS)
    ticks = [
        Tick(
            tick.at,
            f"{short_month_text(rows[i * every].week_start)} {rows[i * every].week_start.year}",
        )
        for i, tick in enumerate(chart.week_ticks)
    ]
    first, last = months[0].first_day, months[-1].first_day
    shown = [month.share_percent for month in months if month.share_percent is not None]
    sentences = [
        _(
            "Queries decided each month (bars) and the share answered within the target (line), "
            "from %(first)s to %(last)s. Months with fewer than %(count)s queries have neither."
        )
        % {
            "first": month_text(first),
            "last": month_text(last),
            "count": settings.PUBLIC_SUPPRESSION_THRESHOLD,
        }
    ]
    if shown:
        sentences.append(
            _("The share within the target ranged from %(low)s%% to %(high)s%%.")
            % {"low": min(shown), "high": max(shown)}
        )
    sentences.append(_("The table below gives each month’s figures."))
    return dataclasses.replace(
        chart,
        week_ticks=ticks,
        summary=" ".join(sentences),
        volume_label=_("Queries (left scale)"),
    )


# GOV.UK colours, one per reason, in the order of Abstraction.Reason.
REASON_COLOURS = ("#1d70b8", "#f47738", "#4c2c92", "#00703c", "#d4351c", "#28a197", "#505a5f")


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    bars: list[Bar]


@dataclass(frozen=True)
class StackedChart:
    """Hours abstracted each week as bars stacked by reason, drawn like the dashboard's trend
    chart (the same axes, ticks and sizes). The template only writes the attributes."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    base: int
    series: list[Series]
    hour_ticks: list[Tick]
    week_ticks: list[Tick]
    summary: str

    @property
    def hour_label_x(self) -> int:
        return self.plot_left - 6

    @property
    def week_label_y(self) -> int:
        return self.base + 18


def report_chart(rows: list[WeekRow]) -> StackedChart | None:
    if not rows:
        return None
    left, right = CHART_MARGINS["left"], CHART_WIDTH - CHART_MARGINS["right"]
    top, base = CHART_MARGINS["top"] - 24, CHART_HEIGHT - CHART_MARGINS["bottom"]
    plot_height = base - top
    hours_top = axis_top(math.ceil(max(row.total for row in rows)))
    slot = (right - left) / len(rows)
    bar_width = max(slot * 0.6, 1)
    stacked = [0.0] * len(rows)
    series = []
    for (value, label), colour in zip(Abstraction.Reason.choices, REASON_COLOURS, strict=True):
        bars = []
        for index, row in enumerate(rows):
            amount = row.by_reason[value]
            if not amount:
                continue
            centre = left + slot * (index + 0.5)
            height = plot_height * amount / hours_top
            stacked[index] += height
            bars.append(
                Bar(
                    svg_number(centre - bar_width / 2),
                    svg_number(base - stacked[index]),
                    svg_number(bar_width),
                    svg_number(height),
                )
            )
        series.append(Series(label=str(label), colour=colour, bars=bars))
    every = math.ceil(len(rows) / MOST_WEEK_LABELS)
    fractions = [i / 4 for i in range(5)]
    return StackedChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        plot_left=left,
        plot_right=right,
        base=base,
        series=series,
        hour_ticks=[
            Tick(svg_number(base - plot_height * f), f"{hours_top * f:g}") for f in fractions
        ],
        week_ticks=[
            Tick(svg_number(left + slot * (i + 0.5)), _day_short(row.week_start))
            for i, row in enumerate(rows)
            if i % every == 0
        ],
        summary=_report_summary(rows),
    )


def _report_summary(rows: list[WeekRow]) -> str:
    first = rows[0].week_start
    sentences = [
        ngettext(
            "Hours abstracted each week, stacked by reason, over %(count)s week from the week "
            "starting %(first)s.",
            "Hours abstracted each week, stacked by reason, over %(count)s weeks from the week "
            "starting %(first)s.",
            len(rows),
        )
        % {"count": len(rows), "first": date_text(first)}
    ]
    busiest = max(rows, key=lambda row: row.total)
    if not busiest.total:
        sentences.append(_("Nobody was abstracted."))
    else:
        sentences.append(
            _("The most, %(hours)s hours, in the week starting %(day)s.")
            % {"hours": f"{busiest.total:g}", "day": day_month_text(busiest.week_start)}
        )
    sentences.append(_("The table below gives each week’s hours by reason."))
    return " ".join(sentences)
