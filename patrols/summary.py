"""How the public summary says the figures: a sentence as residents read in the force's news,
a chart of the hours of each month beside its table, and the same months as CSV. Only totals:
never an officer's name, never a note."""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass

from patrols.models import OUTCOME_LABELS, OUTCOMES, PUBLIC_ORDER
from patrols.selectors import MonthFigures

SENTENCE_ORDER = PUBLIC_ORDER
WORDS = {name: (one, many) for name, _label, one, many in OUTCOMES}
LABELS = OUTCOME_LABELS


def hours_text(hours: float) -> str:
    """712, 1,204, 7.5: whole hours from ten on, to the half hour below."""
    if hours >= 10:
        return f"{round(hours):,}"
    return f"{round(hours * 2) / 2:g}"


def month_text(month: datetime.date) -> str:
    return f"{month:%B %Y}"


def _count(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"


def sentence(figures: MonthFigures, *, where: str, so_far: bool = False) -> str:
    """'Officers spent 712 hours on patrol in 9 hotspots in July 2026: 15 arrests, 15 groups
    dispersed, 68 Immediate Justice referrals.'"""
    when = f"in {month_text(figures.month)}{' so far' if so_far else ''}"
    if not figures.patrols:
        return f"No hotspot patrols were logged {where} {when}."
    hours = hours_text(figures.hours)
    text = (
        f"Officers spent {hours} hour{'' if hours == '1' else 's'} on patrol in "
        f"{_count(figures.hotspots, 'hotspot', 'hotspots')} {where} {when}"
    )
    outcomes = [
        _count(figures.outcomes[name], *WORDS[name])
        for name in SENTENCE_ORDER
        if figures.outcomes[name]
    ]
    return f"{text}: {', '.join(outcomes)}." if outcomes else f"{text}."


# --- The chart: officer hours each month as bars ------------------------------------------------

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 20, 40


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
    width: int
    height: int
    plot_left: int
    plot_right: int
    base: int
    bars: list[Bar]
    hour_ticks: list[Tick]
    month_ticks: list[Tick]
    summary: str

    @property
    def hour_label_x(self) -> int:
        return self.plot_left - 6

    @property
    def month_label_y(self) -> int:
        return self.base + 18


def _number(value: float) -> str:
    return f"{value:.1f}"


def _axis_top(largest: float) -> int:
    """Four equal steps of 1, 2, 5, 10, 20, 50... at or above the largest bar."""
    step = 1
    factors = iter((2, 2.5, 2) * 20)
    while step * 4 < largest:
        step = int(step * next(factors))
    return step * 4


def chart(figures: list[MonthFigures]) -> Chart:
    right, base = WIDTH - RIGHT, HEIGHT - BOTTOM
    plot_height = base - TOP
    top = _axis_top(math.ceil(max(month.hours for month in figures)))
    slot = (right - LEFT) / len(figures)
    bar_width = max(slot * 0.6, 1)
    bars, ticks = [], []
    for index, month in enumerate(figures):
        centre = LEFT + slot * (index + 0.5)
        height = plot_height * month.hours / top
        bars.append(
            Bar(
                _number(centre - bar_width / 2),
                _number(base - height),
                _number(bar_width),
                _number(height),
            )
        )
        if index % 2 == 0 or len(figures) <= 6:
            ticks.append(Tick(_number(centre), f"{month.month:%b}"))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=LEFT,
        plot_right=right,
        base=base,
        bars=bars,
        hour_ticks=[
            Tick(_number(base - plot_height * i / 4), f"{top * i / 4:g}") for i in range(5)
        ],
        month_ticks=ticks,
        summary=_chart_summary(figures),
    )


def _chart_summary(figures: list[MonthFigures]) -> str:
    text = (
        f"Officer hours on hotspot patrols each month, from {month_text(figures[0].month)} "
        f"to {month_text(figures[-1].month)}."
    )
    busiest = max(figures, key=lambda month: month.hours)
    if not busiest.patrols:
        text += " No patrols were logged."
    else:
        text += f" The most, {hours_text(busiest.hours)} hours, in {month_text(busiest.month)}."
    return text + " The table below gives each month\u2019s figures."


def csv_rows(figures: Iterable[MonthFigures], *, area: str) -> Iterable[list]:
    yield [
        "Area",
        "Month",
        "Officer hours on patrol",
        "Patrols",
        "Hotspots patrolled",
        *(LABELS[name] for name in SENTENCE_ORDER),
    ]
    for month in figures:
        yield [
            area,
            f"{month.month:%Y-%m}",
            round(month.hours, 1),
            month.patrols,
            month.hotspots,
            *(month.outcomes[name] for name in SENTENCE_ORDER),
        ]
