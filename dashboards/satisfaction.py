"""The dashboard's satisfaction section: residents' answers to "Did this answer your query?"
for the chosen scope and period, as the page shows them and as CSV. Ratings only: residents'
comments may name people and are for the officers who answer the query, never shown here."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dashboards.display import share_percent, share_text
from dashboards.forms import Filters
from dashboards.selectors import satisfaction as selectors


@dataclass(frozen=True)
class RatingLine:
    label: str
    count: int
    share: str
    figure: str


@dataclass(frozen=True)
class AreaShares:
    row: selectors.SatisfactionArea

    @property
    def yes(self) -> str:
        return share_text(self.row.share_yes)

    @property
    def partly(self) -> str:
        return share_text(self.row.share_partly)

    @property
    def no(self) -> str:
        return share_text(self.row.share_no)


def _of_text(count: int, total: int) -> str:
    return _("%(count)s of %(total)s (%(share)s)") % {
        "count": count,
        "total": total,
        "share": share_text(count / total if total else None),
    }


def satisfaction_panel(filters: Filters) -> dict:
    """The section's context: the figures, each rating with its drill-down, the weekly trend
    and the worst neighbourhoods. Two statements."""
    scope, period = filters.scope, filters.period
    trend = selectors.satisfaction_trend(scope=scope, period=period)
    # Every answer of the period falls in one of its weeks: the totals are the weeks' sums.
    figures = selectors.satisfaction_total(trend)
    return {
        "satisfaction": figures,
        "satisfaction_rate": _of_text(figures.rated, figures.answers),
        "satisfaction_ratings": [
            RatingLine(_("Yes"), figures.yes, share_text(figures.share_yes), "rated_yes"),
            RatingLine(
                _("Partly"), figures.partly, share_text(figures.share_partly), "rated_partly"
            ),
            RatingLine(_("No"), figures.no, share_text(figures.share_no), "rated_no"),
        ],
        "satisfaction_trend": trend,
        "satisfaction_worst": [
            AreaShares(row) for row in selectors.worst_neighbourhoods(scope=scope, period=period)
        ],
        "satisfaction_min_rated": selectors.MIN_RATED,
    }


def _percent(share: float | None) -> object:
    percent = share_percent(share)
    return "" if percent is None else percent


def _share_headers() -> list[str]:
    return [
        _("Answers sent"),
        _("Rated"),
        _("Response rate (%)"),
        _("Yes"),
        _("Partly"),
        _("No"),
        _("Yes (%)"),
        _("Partly (%)"),
        _("No (%)"),
    ]


def _cells(row: selectors.SatisfactionFigures) -> list:
    return [
        row.answers,
        row.rated,
        _percent(row.response_rate),
        row.yes,
        row.partly,
        row.no,
        _percent(row.share_yes),
        _percent(row.share_partly),
        _percent(row.share_no),
    ]


def satisfaction_table(filters: Filters, now: datetime.datetime) -> Iterable[list]:
    """The scope's figures, then each neighbourhood's with answers in the period."""
    scope, period = filters.scope, filters.period
    yield [_("Neighbourhood"), _("Division"), *_share_headers()]
    yield [_("All"), "", *_cells(selectors.satisfaction_figures(scope=scope, period=period))]
    for row in selectors.satisfaction_by_neighbourhood(scope=scope, period=period):
        yield [row.name, row.division_name, *_cells(row)]


def satisfaction_trend_table(filters: Filters, now: datetime.datetime) -> Iterable[list]:
    yield [_("Week starting"), *_share_headers()]
    for row in selectors.satisfaction_trend(scope=filters.scope, period=filters.period):
        yield [row.week_start.isoformat(), *_cells(row)]


TABLE_ROWS = {
    "satisfaction": satisfaction_table,
    "satisfaction-trend": satisfaction_trend_table,
}
