"""Abstractions in figures: the Guarantee panel's last 28 days, and the report of hours
abstracted per week and reason, per officer and per neighbourhood, for a dashboard scope.

The report counts hours in SQL: the overlap of each abstraction with each London week (Monday to
Sunday), an entry still open counting up to now. An entry counts once for its officer, and once
for each neighbourhood the officer serves now.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils.translation import gettext, ngettext

from config.dates import LONDON, london_midnight
from neighbourhoods.models import Neighbourhood
from officers.models import Abstraction, AbstractionQuerySet, Assignment
from officers.scopes import Scope

GUARANTEE_DAYS = 28
WEEK = datetime.timedelta(days=7)
REPORT_WEEKS = (4, 12, 26, 52)
DEFAULT_REPORT_WEEKS = 12


def abstractions_in(scope: Scope, day: datetime.date) -> AbstractionQuerySet:
    """The entries of a dashboard scope: its officer's, or those of the officers serving its
    neighbourhoods on `day`, or every entry for the force."""
    entries = Abstraction.objects.order_by()
    if scope.officer_id is not None:
        return entries.filter(officer_id=scope.officer_id)
    if scope.neighbourhood_ids is None:
        return entries
    serving = Assignment.objects.current(day).filter(neighbourhood_id__in=scope.neighbourhood_ids)
    return entries.filter(officer_id__in=serving.values("officer_id"))


def _at(moment: datetime.datetime) -> Value:
    return Value(moment, output_field=DateTimeField())


def overlap(start: datetime.datetime, end: datetime.datetime) -> tuple[ExpressionWrapper, Q]:
    """The time an entry shares with [start, end), an open entry counting up to `end`, and
    the condition for sharing any: sum the first with the second as its filter."""
    starts, ends = F("starts_at"), F("ends_at")
    shared = ExpressionWrapper(
        Least(Coalesce(ends, _at(end)), _at(end)) - Greatest(starts, _at(start)),
        output_field=DurationField(),
    )
    condition = Q(starts_at__lt=end) & (Q(ends_at__isnull=True) | Q(ends_at__gt=start))
    return shared, condition


def hours(value: datetime.timedelta | None) -> float:
    return round(value.total_seconds() / 3600, 1) if value else 0.0


@dataclass(frozen=True)
class AbstractionFigures:
    """Abstractions over the last 28 days for a scope."""

    hours: float
    officers: int
    top_reason: str  # a reason's label, "" when nobody was abstracted
    days: int = GUARANTEE_DAYS

    def __str__(self) -> str:
        if not self.officers:
            return gettext("No abstractions in the last %(days)s days") % {"days": self.days}
        return ngettext(
            "%(hours)s hours in the last %(days)s days, %(count)s officer abstracted; "
            "most often for %(reason)s",
            "%(hours)s hours in the last %(days)s days, %(count)s officers abstracted; "
            "most often for %(reason)s",
            self.officers,
        ) % {
            "hours": f"{self.hours:g}",
            "days": self.days,
            "count": self.officers,
            "reason": str(self.top_reason).lower(),
        }


def guarantee_subqueries(scope: Scope, now: datetime.datetime) -> dict[str, Subquery]:
    """Scalar subqueries for the Guarantee panel's abstraction figures, so the panel can read
    them in its own statement: the time abstracted in the last 28 days, the officers
    abstracted and the reason with the most time."""
    start = now - datetime.timedelta(days=GUARANTEE_DAYS)
    shared, condition = overlap(start, now)
    entries = abstractions_in(scope, now.astimezone(LONDON).date()).filter(condition)
    single = {"one": Value(1)}
    return {
        "abstracted_time": Subquery(
            entries.annotate(**single)
            .values("one")
            .annotate(total=Sum(shared))
            .values("total")[:1],
            output_field=DurationField(),
        ),
        "abstracted_officers": Subquery(
            entries.annotate(**single)
            .values("one")
            .annotate(officers=Count("officer_id", distinct=True))
            .values("officers")[:1]
        ),
        "abstracted_reason": Subquery(
            entries.values("reason")
            .annotate(total=Sum(shared))
            .order_by("-total", "reason")
            .values("reason")[:1]
        ),
    }


def guarantee_figures(
    *, time: datetime.timedelta | None, officers: int | None, reason: str | None
) -> AbstractionFigures:
    label = Abstraction.Reason(reason).label if reason else ""
    return AbstractionFigures(hours=hours(time), officers=officers or 0, top_reason=label)


@dataclass(frozen=True)
class Week:
    first_day: datetime.date
    start: datetime.datetime
    end: datetime.datetime  # the end of the week, or now for the week under way


def report_weeks(*, weeks: int, now: datetime.datetime) -> list[Week]:
    """The last `weeks` London weeks, Monday to Sunday, the one under way last (up to now)."""
    today = now.astimezone(LONDON).date()
    monday = today - datetime.timedelta(days=today.weekday())
    firsts = [monday - WEEK * back for back in range(weeks - 1, -1, -1)]
    return [
        Week(
            first_day=first,
            start=london_midnight(first).astimezone(datetime.UTC),
            end=min(london_midnight(first + WEEK).astimezone(datetime.UTC), now),
        )
        for first in firsts
    ]


@dataclass(frozen=True)
class WeekRow:
    week_start: datetime.date
    by_reason: dict[str, float]  # reason value: hours

    @property
    def total(self) -> float:
        return round(sum(self.by_reason.values()), 1)

    def cells(self) -> list[float]:
        return [self.by_reason[reason] for reason in Abstraction.Reason.values]

    def labelled_cells(self) -> list[tuple[str, float]]:
        """Each reason's label and hours, in the order of `cells`."""
        return [(label, self.by_reason[reason]) for reason, label in Abstraction.Reason.choices]


@dataclass(frozen=True)
class TableRow:
    label: str
    hours: float
    officers: int = 0
    entries: int = 0
    division: str = ""
    by_reason: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    weeks: list[WeekRow]
    by_reason: list[TableRow]
    by_officer: list[TableRow]
    by_neighbourhood: list[TableRow]

    @property
    def total(self) -> float:
        return round(sum(row.total for row in self.weeks), 1)


def _week_sums(weeks: Iterable[Week]) -> dict[str, Sum]:
    sums = {}
    for index, week in enumerate(weeks):
        shared, condition = overlap(week.start, week.end)
        sums[f"w{index}"] = Sum(shared, filter=condition)
    return sums


def _neighbourhood_totals(
    scope: Scope, now: datetime.datetime, first: datetime.datetime, last: datetime.datetime
) -> QuerySet:
    """Per neighbourhood in the scope, the hours its current officers were abstracted and how
    many of them: each officer's entries once, however many roles they hold there."""
    shared, condition = overlap(first, last)
    current = Assignment.objects.current(now.astimezone(LONDON).date()).order_by()
    if scope.officer_id is not None:
        current = current.filter(officer_id=scope.officer_id)
    serving_here = current.filter(
        officer_id=OuterRef("officer_id"), neighbourhood_id=OuterRef(OuterRef("pk"))
    )
    entries = (
        Abstraction.objects.filter(condition, Exists(serving_here))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
    )
    areas = Neighbourhood.objects.filter(Exists(current.filter(neighbourhood_id=OuterRef("pk"))))
    if scope.neighbourhood_ids is not None:
        areas = areas.filter(pk__in=scope.neighbourhood_ids)
    return (
        areas.annotate(
            total=Subquery(
                entries.annotate(total=Sum(shared)).values("total")[:1],
                output_field=DurationField(),
            ),
            officers=Subquery(
                entries.annotate(n=Count("officer_id", distinct=True)).values("n")[:1]
            ),
        )
        .filter(total__isnull=False)
        .values("pk", "name", "division__name", "total", "officers")
        .order_by("-total", "name", "pk")
    )


def abstraction_report(*, scope: Scope, weeks: int, now: datetime.datetime) -> Report:
    """Hours abstracted in the scope per week and reason, per officer and per neighbourhood,
    over the last `weeks` weeks. Three statements, whatever the number of entries."""
    periods = report_weeks(weeks=weeks, now=now)
    first, last = periods[0].start, periods[-1].end
    entries = abstractions_in(scope, now.astimezone(LONDON).date())
    shared, condition = overlap(first, last)

    per_reason = {
        row["reason"]: row
        for row in entries.filter(condition).values("reason").annotate(**_week_sums(periods))
    }
    week_rows = [
        WeekRow(
            week_start=week.first_day,
            by_reason={
                reason: hours(per_reason.get(reason, {}).get(f"w{index}"))
                for reason in Abstraction.Reason.values
            },
        )
        for index, week in enumerate(periods)
    ]
    by_reason = [
        TableRow(
            label=reason.label, hours=round(sum(r.by_reason[reason.value] for r in week_rows), 1)
        )
        for reason in Abstraction.Reason
    ]

    reason_sums = {
        f"r_{reason}": Sum(shared, filter=condition & Q(reason=reason))
        for reason in Abstraction.Reason.values
    }
    by_officer = [
        TableRow(
            label=f"{row['officer__rank']} {row['officer__display_name']}",
            hours=hours(row["total"]),
            entries=row["entries"],
            by_reason={reason: hours(row[f"r_{reason}"]) for reason in Abstraction.Reason.values},
        )
        for row in entries.filter(condition)
        .values("officer_id", "officer__rank", "officer__display_name")
        .annotate(total=Sum(shared), entries=Count("pk"), **reason_sums)
        .order_by("-total", "officer__display_name", "officer_id")
    ]

    by_neighbourhood = [
        TableRow(
            label=row["name"],
            division=row["division__name"] or "",
            hours=hours(row["total"]),
            officers=row["officers"],
        )
        for row in _neighbourhood_totals(scope, now, first, last)
    ]
    return Report(
        weeks=week_rows,
        by_reason=by_reason,
        by_officer=by_officer,
        by_neighbourhood=by_neighbourhood,
    )
