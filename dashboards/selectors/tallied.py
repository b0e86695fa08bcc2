"""The SLA figures of a period from the day counts PostgreSQL keeps (queries.models.ClockDay),
so a page sums at most a few hundred rows a day however many clocks there are; a long period
reads its whole London calendar months from the month counts (ClockMonth), its whole weeks
outside them from the week counts (ClockWeek) and only the days left over from the day counts:
a year is about 12 month rows, 4 week rows and 10 day rows per neighbourhood and topic, where
weeks alone would be 52 and a few days.

The counts are exact: the same definitions as dashboards.selectors.sla, counted as each clock
is written. Only one thing depends on when the dashboard is read: a clock not answered is
missed once its deadline has passed. The day counts hold every unanswered clock (running, or
closed at or after its deadline) as missed, and the clocks not yet due are taken away again,
read from an index on the unanswered clocks' deadlines (a few days' worth, whatever the
period). Clocks of the force, a division or a neighbourhood; an officer's figures follow who
held each query, which the day counts do not record, so they are counted from the clocks.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from config.dates import LONDON
from dashboards.periods import Period
from officers.scopes import Scope
from queries.models import (
    ClockAreaWeek,
    ClockDay,
    ClockMonth,
    ClockWeek,
    ResponseClock,
    RunningClocks,
)

RUNNING = Q(answered_at__isnull=True, ended_at__isnull=True)
COUNTED = ("received", "responses_due", "answered", "met", "missed")


def applies(scope: Scope) -> bool:
    """Whether the day counts can give this scope's figures."""
    return scope.officer_id is None and connection.vendor == "postgresql"


def not_yet_due(period: Period, now: datetime.datetime) -> Q:
    """Clocks started in the period, unanswered and not past their deadline: running, or
    closed at or after a deadline still to come. The day counts hold them as missed."""
    return Q(
        started_at__gte=period.start,
        started_at__lt=period.end,
        answered_at__isnull=True,
        due_at__gte=now,
    ) & (Q(ended_at__isnull=True) | Q(ended_at__gte=F("due_at")))


def running_not_due(now: datetime.datetime) -> Q:
    """Running clocks whose deadline is still to come: every other running clock is breached."""
    return RUNNING & Q(due_at__gte=now)


def _running(scope: Scope) -> QuerySet[RunningClocks]:
    running = RunningClocks.objects.order_by()
    if scope.neighbourhood_ids is not None:
        running = running.filter(neighbourhood_id__in=scope.neighbourhood_ids)
    return running


def _weeks_within(
    first_day: datetime.date, last_day: datetime.date
) -> tuple[datetime.date, datetime.date] | None:
    """The Mondays of the first and last whole London weeks from `first_day` to `last_day`."""
    first = first_day + datetime.timedelta(days=-first_day.weekday() % 7)
    last = last_day - datetime.timedelta(days=(last_day.weekday() + 1) % 7 + 6)
    return (first, last) if first <= last else None


def _days_outside_weeks(
    first_day: datetime.date, last_day: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The runs of days from `first_day` to `last_day` outside its whole weeks."""
    weeks = _weeks_within(first_day, last_day)
    if weeks is None:
        return [(first_day, last_day)]
    first, last = weeks
    runs = [
        (first_day, first - datetime.timedelta(days=1)),
        (last + datetime.timedelta(days=7), last_day),
    ]
    return [(start, end) for start, end in runs if start <= end]


def _next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after `day`'s."""
    # Mutation testing keeps the 2nd for the 1st, and 33 days for 32, alive: from either day,
    # either number of days lands in the next month, whatever its length.
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def whole_months(period: Period) -> tuple[datetime.date, datetime.date] | None:
    """The first days of the first and last whole calendar months in the period, if any."""
    first = period.first_day if period.first_day.day == 1 else _next_month(period.first_day)
    after = period.last_day + datetime.timedelta(days=1)
    last = (after - datetime.timedelta(days=after.day)).replace(day=1)
    return (first, last) if first <= last else None


@dataclass(frozen=True)
class Pieces:
    """A period cut into what each kind of counts reads: its whole months (the first days of
    the first and last, or None), the whole weeks of each run of days outside them (Mondays of
    the first and last), and the days outside both (first and last day of each run)."""

    months: tuple[datetime.date, datetime.date] | None
    weeks: list[tuple[datetime.date, datetime.date]]
    days: list[tuple[datetime.date, datetime.date]]


def pieces(period: Period, *, months: bool = True) -> Pieces:
    """The period's whole months (unless `months` is False), the whole weeks of the days
    before and after them, and the days left over: every day of the period in exactly one."""
    whole = whole_months(period) if months else None
    if whole is None:
        runs = [(period.first_day, period.last_day)]
    else:
        runs = [
            (period.first_day, whole[0] - datetime.timedelta(days=1)),
            (_next_month(whole[1]), period.last_day),
        ]
    weeks, days = [], []
    for first, last in runs:
        if first > last:
            continue
        within = _weeks_within(first, last)
        if within is not None:
            weeks.append(within)
        days += _days_outside_weeks(first, last)
    return Pieces(months=whole, weeks=weeks, days=days)


def _tallies(
    scope: Scope,
    period: Period,
    key: str | None,
    tables: tuple[type, ...] = (ClockDay, ClockWeek, ClockMonth),
) -> list[QuerySet]:
    """The period's counts as rows to sum: its whole months from the month rows (when
    `tables` has a month model), its whole weeks outside them from the week rows and the
    days left over from the day rows, with a column `key` (by which the caller groups: "day"
    gives a week's Monday or a day, and reads no months; None gives 0). `tables` are the day,
    week and (optionally) month counts to read."""
    day_table, week_table, *month_table = tables
    # Mutation testing keeps another word for "day" alive: every caller keyed by day reads
    # tables without months (a month row has neither a day nor a week to key it by).
    cut = pieces(period, months=bool(month_table) and key != "day")
    tallies = [
        day_table.objects.order_by().filter(day__gte=first, day__lte=last)
        for first, last in cut.days
    ]
    tallies += [
        week_table.objects.order_by().filter(week__gte=first, week__lte=last)
        for first, last in cut.weeks
    ]
    if cut.months is not None:
        first, last = cut.months
        tallies.append(month_table[0].objects.order_by().filter(month__gte=first, month__lte=last))
    keyed = []
    for rows in tallies:
        if scope.neighbourhood_ids is not None:
            rows = rows.filter(neighbourhood_id__in=scope.neighbourhood_ids)
        if key is None:
            value = _zero()
        elif key == "day":
            value = F("day") if rows.model is day_table else F("week")
        else:
            value = F(key)
        keyed.append(rows.annotate(key=value).values("key"))
    return keyed


def _summed_by_key(
    scope: Scope,
    period: Period,
    key: str | None,
    tables: tuple[type, ...] = (ClockDay, ClockWeek, ClockMonth),
    **sums,
) -> QuerySet:
    """The period's counts summed by `key`: one row per key from each range of day, week and
    month rows (the caller merges them), as one statement."""
    first, *rest = [rows.annotate(**sums) for rows in _tallies(scope, period, key, tables)]
    # Mutation testing keeps a union of `first` alone alive: it has the same rows.
    return first.union(*rest, all=True) if rest else first


def summed_by_key(
    *, scope: Scope, period: Period, key: str | None, tables: tuple[type, ...], **sums
) -> QuerySet:
    """As the SLA figures sum ClockDay, ClockWeek and ClockMonth, other counts kept the same
    way (`tables`: the day model, with `day`, the week model, with `week`, and optionally the
    month model, with `month`): the period's whole months from the month rows, its other
    whole weeks from the week rows, the days left from the day rows, summed by `key`, one row
    per key from each (merge them with `merged`). One statement."""
    return _summed_by_key(scope, period, key, tables, **sums)


def merged(rows: Iterable[tuple], names: tuple[str, ...]) -> dict[object, dict[str, int]]:
    """Rows of (key, *counts) summed by key."""
    return _merged(rows, names)


def _clocks(scope: Scope) -> QuerySet[ResponseClock]:
    clocks = ResponseClock.objects.order_by()
    if scope.neighbourhood_ids is not None:
        clocks = clocks.filter(neighbourhood_id__in=scope.neighbourhood_ids)
    return clocks


def _summed(name: str) -> Coalesce:
    return Coalesce(Sum(name), 0)


def _day_sums() -> dict:
    return {
        "received": _summed("received"),
        "responses_due": _summed("responses_due"),
        "answered": _summed("answered"),
        "met": _summed("met"),
        "missed": Coalesce(Sum(F("late") + F("ended_late") + F("running")), 0),
    }


def _zero() -> Value:
    # Mutation testing keeps no `output_field` alive: Django reads an int as an IntegerField.
    return Value(0, output_field=IntegerField())


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _merged(rows: Iterable[tuple], names: tuple[str, ...]) -> dict[object, dict[str, int]]:
    """Rows of (key, *counts) from the day counts and the not-yet-due corrections, summed by
    key.

    The counts are read by position, in the order the first query of a union annotates them:
    on a union, `values_list` selects nothing (each query has chosen its columns already), so
    mutation testing keeps its names changed or dropped alive wherever the rows are a union."""
    merged: dict[object, dict[str, int]] = {}
    for key, *counts in rows:
        into = merged.setdefault(key, dict.fromkeys(names, 0))
        # Mutation testing keeps `strict=False` alive: every row has a count for each name.
        for name, count in zip(names, counts, strict=True):
            into[name] += count
    return merged


def period_counts(*, scope: Scope, period: Period) -> dict[str, int]:
    """The period's decided counts, missed as if every unanswered clock were past its deadline
    (`missed_corrections` takes the rest away). One statement."""
    # Mutation testing keeps any default of `.get` alive: a sum keyed by a constant is not
    # grouped (Django leaves constants out of GROUP BY), so it gives its one row, of zeros when
    # nothing matches.
    rows = _summed_by_key(scope, period, None, **_day_sums()).values_list("key", *COUNTED)
    return _merged(rows, COUNTED).get(0, dict.fromkeys(COUNTED, 0))


def by_week(*, scope: Scope, period: Period, now: datetime.datetime) -> dict:
    """The decided counts of each London week (keyed by its Monday) of the period that has
    clocks, within the period: whole weeks from the week rows by neighbourhood (topics summed
    already), the part weeks at the ends from the day rows. One statement."""
    names = ("responses_due", "answered", "met", "missed")
    sums = {name: expr for name, expr in _day_sums().items() if name in names}
    # Mutation testing keeps two changes alive here. `tzinfo=None` or none: Django's current
    # time zone is TIME_ZONE, London. A UNION without ALL: every row has its own key (a day or
    # a Monday, each in one piece of the period), and a correction's missed is below zero
    # where a count's is not, so no two rows are alike for it to drop.
    tallied = _summed_by_key(scope, period, "day", (ClockDay, ClockAreaWeek), **sums)
    corrections = (
        _clocks(scope)
        .filter(not_yet_due(period, now))
        .annotate(key=TruncDate("started_at", tzinfo=LONDON))
        .values("key")
        .annotate(responses_due=_zero(), answered=_zero(), met=_zero(), missed=-Count("pk"))
    )
    rows = tallied.union(corrections, all=True).values_list("key", *names)
    by_day = _merged(rows, names)
    return _merged(((_monday(day), *row.values()) for day, row in by_day.items()), names)


def by_topic(*, scope: Scope, period: Period, now: datetime.datetime) -> dict:
    """The decided counts of each topic with clocks in the period. One statement."""
    names = ("received", "responses_due", "met", "missed")
    sums = {name: expr for name, expr in _day_sums().items() if name in names}
    tallied = _summed_by_key(scope, period, "topic", **sums)
    corrections = (
        _clocks(scope)
        .filter(not_yet_due(period, now))
        .annotate(key=F("topic"))
        .values("key")
        .annotate(received=_zero(), responses_due=_zero(), met=_zero(), missed=-Count("pk"))
    )
    rows = tallied.union(corrections, all=True).values_list("key", *names)
    return _merged(rows, names)


def by_neighbourhood(*, scope: Scope, period: Period, now: datetime.datetime) -> dict:
    """The decided counts of each neighbourhood with clocks in the period, and the clocks
    running in it now and those of them past their deadline. One statement."""
    names = (*COUNTED, "open_now", "breached_open")
    zeros = {name: _zero() for name in COUNTED}
    tallied = _summed_by_key(
        scope, period, "neighbourhood_id", **_day_sums(), open_now=_zero(), breached_open=_zero()
    )
    running = (
        _running(scope)
        .annotate(key=F("neighbourhood_id"))
        .values("key")
        .annotate(**zeros, open_now=F("running"), breached_open=F("running"))
    )
    waiting, not_due = not_yet_due(period, now), running_not_due(now)
    corrections = (
        _clocks(scope)
        .filter(not_due | waiting)
        .annotate(key=F("neighbourhood_id"))
        .values("key")
        .annotate(
            **{**zeros, "missed": -Count("pk", filter=waiting)},
            open_now=_zero(),
            breached_open=-Count("pk", filter=not_due),
        )
    )
    rows = tallied.union(running, corrections, all=True).values_list("key", *names)
    return _merged(rows, names)


def running_counts(
    *, scope: Scope, period: Period, now: datetime.datetime, at_risk: Q
) -> dict[str, int]:
    """The clocks running now, at risk and breached, and the period's clocks not yet due (to
    take away from its missed). One statement: the neighbourhoods' running counts and the
    few clocks not yet due, from the unanswered clocks' index."""
    names = ("open_now", "breached_open", "at_risk", "not_yet_due")
    running = (
        _running(scope)
        .annotate(key=_zero())
        .values("key")
        .annotate(
            open_now=Coalesce(Sum("running"), 0),
            breached_open=Coalesce(Sum("running"), 0),
            at_risk=_zero(),
            not_yet_due=_zero(),
        )
    )
    waiting, not_due = not_yet_due(period, now), running_not_due(now)
    corrections = (
        _clocks(scope)
        .filter(not_due | waiting)
        .annotate(key=_zero())
        .values("key")
        .annotate(
            open_now=_zero(),
            breached_open=-Count("pk", filter=not_due),
            at_risk=Count("pk", filter=at_risk),
            not_yet_due=Count("pk", filter=waiting),
        )
    )
    # Mutation testing keeps a UNION without ALL alive here, and any default of `.get`: the two
    # rows, each one sum keyed by a constant (so never grouped, one row even over none), are
    # alike only when both are all zeros, and dropping one changes no figure.
    rows = running.union(corrections, all=True).values_list("key", *names)
    return _merged(rows, names).get(0, dict.fromkeys(names, 0))
