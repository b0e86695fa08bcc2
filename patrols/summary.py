"""How the public summary says the figures: a sentence as residents read in the force's news,
a chart of the hours of each month beside its table, and the same months as CSV. Only totals:
never an officer's name, never a note."""

import datetime
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import dateformat, translation
from django.utils.translation import gettext, ngettext

from config import dates
from patrols.models import OUTCOME_LABELS, PUBLIC_ORDER
from patrols.selectors import MonthFigures

SENTENCE_ORDER = PUBLIC_ORDER
LABELS = OUTCOME_LABELS


def _outcome_text(name: str, number: int) -> str:
    """'15 arrests', '1 group dispersed', in the active language and its plural forms."""
    count = {"count": f"{number:,}"}
    words = {
        "people_engaged": ngettext("%(count)s person engaged", "%(count)s people engaged", number),
        "groups_dispersed": ngettext(
            "%(count)s group dispersed", "%(count)s groups dispersed", number
        ),
        "dispersal_orders": ngettext(
            "%(count)s dispersal order", "%(count)s dispersal orders", number
        ),
        "arrests": ngettext("%(count)s arrest", "%(count)s arrests", number),
        "immediate_justice": ngettext(
            "%(count)s Immediate Justice referral", "%(count)s Immediate Justice referrals", number
        ),
        "safeguarding": ngettext(
            "%(count)s safeguarding referral", "%(count)s safeguarding referrals", number
        ),
        "intelligence": ngettext(
            "%(count)s intelligence report", "%(count)s intelligence reports", number
        ),
    }
    return words[name] % count


def hours_text(hours: float) -> str:
    """712, 1,204, 7.5: whole hours from ten on, to the half hour below."""
    if hours >= 10:
        return f"{round(hours):,}"
    return f"{round(hours * 2) / 2:g}"


def month_text(month: datetime.date) -> str:
    return dates.month_text(month)


def sentence(figures: MonthFigures, *, where: str, so_far: bool = False) -> str:
    """'Officers spent 712 hours on patrol in 9 hotspots in July 2026: 15 arrests, 15 groups
    dispersed, 68 Immediate Justice referrals.' In the active language."""
    month = month_text(figures.month)
    if so_far:
        when = gettext("in %(month)s so far") % {"month": month}
    else:
        when = gettext("in %(month)s") % {"month": month}
    if not figures.patrols:
        return gettext("No hotspot patrols were logged %(where)s %(when)s.") % {
            "where": where,
            "when": when,
        }
    hours = hours_text(figures.hours)
    spent = ngettext("%(hours)s hour", "%(hours)s hours", round(figures.hours)) % {"hours": hours}
    hotspots = ngettext("%(count)s hotspot", "%(count)s hotspots", figures.hotspots) % {
        "count": f"{figures.hotspots:,}"
    }
    text = gettext("Officers spent %(hours)s on patrol in %(hotspots)s %(where)s %(when)s") % {
        "hours": spent,
        "hotspots": hotspots,
        "where": where,
        "when": when,
    }
    outcomes = [
        _outcome_text(name, figures.outcomes[name])
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
            ticks.append(Tick(_number(centre), dateformat.format(month.month, "M")))
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
    text = gettext("Officer hours on hotspot patrols each month, from %(first)s to %(last)s.") % {
        "first": month_text(figures[0].month),
        "last": month_text(figures[-1].month),
    }
    busiest = max(figures, key=lambda month: month.hours)
    if not busiest.patrols:
        text += " " + gettext("No patrols were logged.")
    else:
        text += " " + gettext("The most, %(hours)s hours, in %(month)s.") % {
            "hours": hours_text(busiest.hours),
            "month": month_text(busiest.month),
        }
    return text + " " + gettext("The table below gives the figures for each month.")


def csv_rows(figures: Iterable[MonthFigures], *, area: str) -> Iterable[list]:
    # The CSV keeps English headings in every language: a data file's columns stay the same.
    with translation.override("en-gb"):
        outcome_headings = [str(LABELS[name]) for name in SENTENCE_ORDER]
    yield [
        "Area",
        "Month",
        "Officer hours on patrol",
        "Patrols",
        "Hotspots patrolled",
        *outcome_headings,
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
