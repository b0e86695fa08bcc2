"""Residents' satisfaction with the answers they got, for a scope and a period, beside the
response figures. Every figure is an aggregate the database computes, so each function runs a
fixed number of statements however many answers there are: on PostgreSQL, for the force, a
division or a neighbourhood, a sum of the answer counts it keeps by London day and week
(queries.models.AnswerDay, AnswerWeek), a few rows a day; otherwise (SQLite, an officer's
figures, which follow who held each query) over ResponseClock rows joined to their
AnswerFeedback (one per answer at most). Both give the same figures. Residents' comments are
never read here.

The definitions, which the dashboard's help text repeats:

- answers sent: clocks of the scope answered in the period (an answer is the reply that stopped
  a clock; a further reply while nothing is owed is not asked about).
- rated: those answers the resident said yes, partly or no about (whenever they said it).
- response rate: rated / answers sent; None when no answers were sent.
- share yes / partly / no: each of them / rated; None when none was rated.
- weekly trend: the same, by the London week (Monday to Sunday) the answer was sent.
- worst neighbourhoods: those with at least MIN_RATED rated answers, the lowest share of yes
  first (then the highest share of no, then by name).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncWeek
from django.utils.translation import gettext_lazy as _

from config.dates import LONDON
from dashboards.periods import Period
from dashboards.selectors import tallied
from dashboards.selectors.sla import clocks_in
from officers.scopes import Scope
from queries.models import ANSWER_COUNTS, AnswerDay, AnswerWeek, Query, ResponseClock, Satisfaction

# Fewer rated answers than this say too little about a neighbourhood to call it the worst.
MIN_RATED = 5
WORST_SHOWN = 5
# The drill-down's figures: the queries behind each rating.
FIGURES = ("rated_yes", "rated_partly", "rated_no")
FIGURE_TITLES = {
    "rated_yes": _("Queries whose answer the resident said answered their query"),
    "rated_partly": _("Queries whose answer the resident said partly answered their query"),
    "rated_no": _("Queries whose answer the resident said did not answer their query"),
}


def _answered_in(period: Period) -> Q:
    return Q(answered_at__gte=period.start, answered_at__lt=period.end)


def _counts() -> dict[str, Count]:
    """Over clocks already filtered to answers sent in the period."""
    return {
        "answers": Count("pk"),
        "rated": Count("feedback"),
        "yes": Count("pk", filter=Q(feedback__rating=Satisfaction.YES)),
        "partly": Count("pk", filter=Q(feedback__rating=Satisfaction.PARTLY)),
        "no": Count("pk", filter=Q(feedback__rating=Satisfaction.NO)),
    }


def _answers(scope: Scope, period: Period) -> QuerySet[ResponseClock]:
    return clocks_in(scope).filter(_answered_in(period))


NAMES = tuple(ANSWER_COUNTS)  # answers, rated, yes, partly, no


def _kept(scope: Scope, period: Period, key: str | None, **groups) -> dict:
    """The period's answer counts by `key` (and `groups`, values beside it), summed from the
    day and week counts. One statement."""
    sums = {name: Coalesce(Sum(name), 0) for name in NAMES}
    rows = tallied.summed_by_key(
        scope=scope, period=period, key=key, tables=(AnswerDay, AnswerWeek), **groups, **sums
    ).values_list("key", *groups, *NAMES)
    return tallied.merged(
        ((tuple(row[: 1 + len(groups)]), *row[1 + len(groups) :]) for row in rows), NAMES
    )


def _of(count: int, total: int) -> float | None:
    return count / total if total else None


@dataclass(frozen=True)
class SatisfactionFigures:
    answers: int
    rated: int
    yes: int
    partly: int
    no: int

    @property
    def response_rate(self) -> float | None:
        return _of(self.rated, self.answers)

    @property
    def share_yes(self) -> float | None:
        return _of(self.yes, self.rated)

    @property
    def share_partly(self) -> float | None:
        return _of(self.partly, self.rated)

    @property
    def share_no(self) -> float | None:
        return _of(self.no, self.rated)


def satisfaction_figures(*, scope: Scope, period: Period) -> SatisfactionFigures:
    """The scope's satisfaction in the period. One statement."""
    if tallied.applies(scope):
        kept = _kept(scope, period, None)
        return SatisfactionFigures(**kept.get((0,), dict.fromkeys(NAMES, 0)))
    return SatisfactionFigures(**_answers(scope, period).aggregate(**_counts()))


def satisfaction_total(rows: list[SatisfactionFigures]) -> SatisfactionFigures:
    """The figures of several rows together (a period's weeks): no statement."""
    return SatisfactionFigures(
        answers=sum(row.answers for row in rows),
        rated=sum(row.rated for row in rows),
        yes=sum(row.yes for row in rows),
        partly=sum(row.partly for row in rows),
        no=sum(row.no for row in rows),
    )


@dataclass(frozen=True)
class SatisfactionWeek(SatisfactionFigures):
    week_start: datetime.date = datetime.date.min  # a Monday, London time


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def satisfaction_trend(*, scope: Scope, period: Period) -> list[SatisfactionWeek]:
    """Each London week overlapping the period, by when the answer was sent; weeks without
    answers are rows of zeros. One statement."""
    counts = _counts()
    if tallied.applies(scope):
        by_day = _kept(scope, period, "day")
        by_week = tallied.merged(
            ((_monday(day), *row.values()) for (day,), row in by_day.items()), NAMES
        )
    else:
        rows = (
            _answers(scope, period)
            .annotate(week=TruncWeek("answered_at", tzinfo=LONDON))
            .values("week")
            .annotate(**counts)
            .order_by("week")
        )
        by_week = {row.pop("week").astimezone(LONDON).date(): row for row in rows}
    weeks = []
    week = _monday(period.first_day)
    while week <= period.last_day:
        row = by_week.get(week, dict.fromkeys(counts, 0))
        weeks.append(SatisfactionWeek(week_start=week, **row))
        week += datetime.timedelta(weeks=1)
    return weeks


@dataclass(frozen=True)
class SatisfactionArea(SatisfactionFigures):
    neighbourhood_id: int = 0
    name: str = ""
    division_name: str = ""


def satisfaction_by_neighbourhood(*, scope: Scope, period: Period) -> list[SatisfactionArea]:
    """Each neighbourhood with answers sent in the period, by name. One statement."""
    if tallied.applies(scope):
        kept = _kept(
            scope,
            period,
            "neighbourhood_id",
            name=F("neighbourhood__name"),
            division_name=F("neighbourhood__division__name"),
        )
        areas = [
            SatisfactionArea(neighbourhood_id=area, name=name, division_name=division or "", **row)
            for (area, name, division), row in kept.items()
            if row["answers"]
        ]
        return sorted(areas, key=lambda row: (row.name, row.neighbourhood_id))
    rows = (
        _answers(scope, period)
        .values("neighbourhood_id", "neighbourhood__name", "neighbourhood__division__name")
        .annotate(**_counts())
        .order_by("neighbourhood__name", "neighbourhood_id")
    )
    return [
        SatisfactionArea(
            neighbourhood_id=row.pop("neighbourhood_id"),
            name=row.pop("neighbourhood__name"),
            division_name=row.pop("neighbourhood__division__name") or "",
            **row,
        )
        for row in rows
    ]


def worst_neighbourhoods(
    *, scope: Scope, period: Period, min_rated: int = MIN_RATED, limit: int = WORST_SHOWN
) -> list[SatisfactionArea]:
    """The neighbourhoods residents were least satisfied with: at least `min_rated` rated
    answers, the lowest share of yes first. One statement."""
    areas = satisfaction_by_neighbourhood(scope=scope, period=period)
    rated = [row for row in areas if row.rated >= min_rated]
    rated.sort(key=lambda r: (r.share_yes, -(r.share_no or 0.0), r.name, r.neighbourhood_id))
    return rated[:limit]


def drilldown(*, scope: Scope, period: Period, figure: str) -> QuerySet[Query]:
    """The queries with an answer sent in the period that the resident rated as `figure`
    says, newest first; a query with two such answers is listed once. Raises ValueError for
    a figure that is not one of FIGURES."""
    if figure not in FIGURES:
        raise ValueError(f"“{figure[:40]}” is not a satisfaction figure.")
    rating = figure.removeprefix("rated_")
    behind = _answers(scope, period).filter(feedback__rating=rating)
    return Query.objects.filter(pk__in=behind.values("query_id")).order_by("-submitted_at", "-pk")
