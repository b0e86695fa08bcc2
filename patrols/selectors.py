"""Reading the patrols: the months of an area from the tally (PatrolMonth), several months of
several areas added up (for the quarterly report), a hotspot's month against its plan, and one
hotspot's patrols. Each is a fixed number of SQL queries, whatever the number of patrols."""

import calendar
import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from config.dates import london_midnight
from patrols.models import (
    OUTCOME_FIELDS,
    OUTCOME_LABELS,
    PUBLIC_ORDER,
    Hotspot,
    Patrol,
    PatrolMonth,
)

SUMMED = ("patrols", "minutes", "officer_minutes", *OUTCOME_FIELDS)
MONTHS_SHOWN = 12
DRILLDOWN_LIMIT = 500


def add_months(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_ending(month: datetime.date, count: int = MONTHS_SHOWN) -> list[datetime.date]:
    """`count` months up to and including `month`, oldest first."""
    return [add_months(month, offset) for offset in range(1 - count, 1)]


def month_bounds(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The London month as [start, end)."""
    return london_midnight(month), london_midnight(add_months(month, 1))


@dataclass(frozen=True)
class MonthFigures:
    month: datetime.date
    patrols: int = 0
    hotspots: int = 0
    officer_minutes: int = 0
    minutes: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def outcome_values(self) -> list[tuple[str, int]]:
        """(label, count) in the order the public summary names them."""
        return [(OUTCOME_LABELS[name], self.outcomes[name]) for name in PUBLIC_ORDER]

    @property
    def hours(self) -> float:
        """Officer hours: how long each patrol lasted times the officers on it."""
        return self.officer_minutes / 60


def _in_area(queryset: QuerySet, neighbourhood_ids: Collection[int] | None, prefix: str = ""):
    if neighbourhood_ids is None:
        return queryset
    return queryset.filter(**{f"{prefix}neighbourhood_id__in": neighbourhood_ids})


def month_figures(
    *, neighbourhood_ids: Collection[int] | None, months: list[datetime.date]
) -> list[MonthFigures]:
    """The figures of each month of `months` for the hotspots of the neighbourhoods (None: all
    of them), from the tally: one query."""
    rows = (
        _in_area(PatrolMonth.objects.order_by(), neighbourhood_ids, "hotspot__")
        .filter(month__gte=months[0], month__lte=months[-1], patrols__gt=0)
        .values("month")
        .annotate(
            hotspots=Count("hotspot_id", distinct=True),
            **{f"sum_{name}": Sum(name) for name in SUMMED},
        )
    )
    found = {row["month"]: row for row in rows}
    figures = []
    for month in months:
        row = found.get(month)
        if row is None:
            figures.append(MonthFigures(month=month, outcomes=dict.fromkeys(OUTCOME_FIELDS, 0)))
            continue
        figures.append(
            MonthFigures(
                month=month,
                patrols=row["sum_patrols"],
                hotspots=row["hotspots"],
                officer_minutes=row["sum_officer_minutes"],
                minutes=row["sum_minutes"],
                outcomes={name: row[f"sum_{name}"] for name in OUTCOME_FIELDS},
            )
        )
    return figures


@dataclass(frozen=True)
class PeriodFigures:
    """The figures of a run of months, summed as the monthly summary's months would be; but a
    hotspot patrolled in several of the months is one hotspot patrolled."""

    patrols: int = 0
    hotspots: int = 0
    officer_minutes: int = 0
    minutes: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOME_FIELDS, 0))

    @property
    def hours(self) -> float:
        return self.officer_minutes / 60


def period_figures(
    *, areas: Mapping[str, Collection[int] | None], first: datetime.date, last: datetime.date
) -> dict[str, PeriodFigures]:
    """The figures of the months from `first` to `last` (first days of months, both included)
    for each area, by its key: the hotspots of its neighbourhoods (None: all of them). From the
    tally the monthly summary reads, so they are its months added up: one query, whatever the
    number of areas."""
    rows = list(
        PatrolMonth.objects.order_by()
        .filter(month__gte=first, month__lte=last, patrols__gt=0)
        .values("hotspot__neighbourhood_id")
        .annotate(
            # A hotspot is in one neighbourhood: the neighbourhoods' counts add up.
            hotspots=Count("hotspot_id", distinct=True),
            **{f"sum_{name}": Sum(name) for name in SUMMED},
        )
    )
    figures = {}
    for key, neighbourhood_ids in areas.items():
        found = [
            row
            for row in rows
            if neighbourhood_ids is None or row["hotspot__neighbourhood_id"] in neighbourhood_ids
        ]
        figures[key] = PeriodFigures(
            patrols=sum(row["sum_patrols"] for row in found),
            hotspots=sum(row["hotspots"] for row in found),
            officer_minutes=sum(row["sum_officer_minutes"] for row in found),
            minutes=sum(row["sum_minutes"] for row in found),
            outcomes={name: sum(row[f"sum_{name}"] for row in found) for name in OUTCOME_FIELDS},
        )
    return figures


def planned_hours_in(hotspot: Hotspot, month: datetime.date) -> float:
    """The plan's hours that fall in `month`: its hours spread evenly over its days."""
    days = (hotspot.plan_ends_on - hotspot.plan_starts_on).days + 1
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    first_day, last_day = max(month, hotspot.plan_starts_on), min(last, hotspot.plan_ends_on)
    if last_day < first_day:
        return 0.0
    return hotspot.planned_hours * ((last_day - first_day).days + 1) / days


@dataclass(frozen=True)
class HotspotMonth:
    hotspot: Hotspot
    month: datetime.date
    patrols: int
    officer_minutes: int
    outcomes: dict[str, int]

    @property
    def hours(self) -> float:
        return self.officer_minutes / 60

    @property
    def planned_hours(self) -> float:
        return planned_hours_in(self.hotspot, self.month)

    @property
    def share_of_plan(self) -> float | None:
        planned = self.planned_hours
        return self.hours / planned if planned else None


def hotspot_months(
    *, neighbourhood_ids: Collection[int] | None, months: list[datetime.date]
) -> list[HotspotMonth]:
    """Each hotspot of the area whose plan or patrols fall in the months, for each of those
    months: two queries (the hotspots, their months' tallies)."""
    first, last = months[0], months[-1]
    last_day = add_months(last, 1) - datetime.timedelta(days=1)
    tallies = _in_area(PatrolMonth.objects.order_by(), neighbourhood_ids, "hotspot__").filter(
        month__gte=first, month__lte=last
    )
    hotspots = list(
        _in_area(Hotspot.objects.select_related("neighbourhood__division"), neighbourhood_ids)
        .filter(
            Q(plan_starts_on__lte=last_day, plan_ends_on__gte=first)
            | Q(pk__in=tallies.values("hotspot_id"))
        )
        .order_by("neighbourhood__name", "name", "pk")
    )
    found = {(row.hotspot_id, row.month): row for row in tallies}
    rows = []
    for month in months:
        for hotspot in hotspots:
            tally = found.get((hotspot.pk, month))
            if tally is None and not planned_hours_in(hotspot, month):
                continue
            rows.append(
                HotspotMonth(
                    hotspot=hotspot,
                    month=month,
                    patrols=tally.patrols if tally else 0,
                    officer_minutes=tally.officer_minutes if tally else 0,
                    outcomes={
                        name: getattr(tally, name) if tally else 0 for name in OUTCOME_FIELDS
                    },
                )
            )
    return rows


def hotspot_patrols(*, hotspot: Hotspot, month: datetime.date) -> list[Patrol]:
    """The hotspot's patrols that started in the month, first first, with their officers: two
    queries."""
    start, end = month_bounds(month)
    return list(
        Patrol.objects.filter(hotspot=hotspot, starts_at__gte=start, starts_at__lt=end)
        .select_related("logged_by")
        .prefetch_related("officers")
        .order_by("starts_at", "pk")[:DRILLDOWN_LIMIT]
    )


def patrols_logged_by(user, limit: int = 20) -> list[Patrol]:
    """The latest patrols the user logged or was on, newest first."""
    return list(
        Patrol.objects.filter(Q(logged_by_id=user.pk) | Q(officers__user_id=user.pk))
        .distinct()
        .select_related("hotspot")
        .order_by("-starts_at", "-pk")[:limit]
    )
