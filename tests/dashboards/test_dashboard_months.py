"""The month counts (queries.models.ClockMonth and ResponseTimeMonth) are exactly the clock rows
counted by London calendar month, however the clocks were inserted, changed, moved or deleted
in bulk; and a period read from whole months, the weeks outside them and the days left over
gives exactly the figures counted from the clock rows themselves."""

import datetime
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from config.dates import LONDON
from dashboards.periods import Period, days_period, period_for
from dashboards.selectors import percentiles, sla, tallied
from officers.scopes import Scope
from queries.models import (
    CLOCK_COUNTS,
    ClockAreaWeek,
    ClockMonth,
    ClockWeek,
    Query,
    ResponseClock,
    ResponseTimeMonth,
    Topic,
)
from tests.dashboards.test_dashboard_figures import FORCE, area_scope, at
from tests.factories import NeighbourhoodFactory
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
TOPICS = [Topic.ANTI_SOCIAL_BEHAVIOUR, Topic.DRUGS, Topic.ROAD_SAFETY]
# From 20 November 2025 to 10 May 2026, London time: whole months, the clocks going forward
# (29 March), and clocks started in the last and first seconds of a month.
FIRST = at(2025, 11, 20)
SPREAD_HOURS = 171 * 24
NOW = at(2026, 5, 12, 12)
PERIODS = [
    # Whole months only, and whole months with part months at both ends.
    days_period(datetime.date(2025, 12, 1), datetime.date(2026, 2, 28)),
    days_period(datetime.date(2025, 11, 24), datetime.date(2026, 4, 9)),
    # A month and a day either side; one whole month, starting on a Sunday.
    days_period(datetime.date(2026, 1, 31), datetime.date(2026, 3, 1)),
    days_period(datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)),
    # No whole month: weeks and days only.
    days_period(datetime.date(2026, 2, 4), datetime.date(2026, 3, 24)),
    period_for(preset="365", first_day=None, last_day=None, today=NOW.date()),
    period_for(preset="1095", first_day=None, last_day=None, today=NOW.date()),
]


@pytest.fixture
def areas():
    return [NeighbourhoodFactory(name=name) for name in ("Alvaston", "Belper", "Chaddesden")]


def _scopes(areas) -> list[Scope]:
    return [
        FORCE,
        area_scope(areas[0]),
        Scope(
            key="division:south",
            label="Division: South",
            neighbourhood_ids=frozenset({areas[1].pk, areas[2].pk}),
        ),
    ]


def _bulk_insert(areas, count: int, *, offset: int = 0) -> None:
    """`count` queries over six months in one statement, their clocks in another: answered in
    time and late, running, closed before and after the deadline, some followed up."""
    edges = [at(2026, 1, 31, 23, 59, 59), at(2026, 2, 1), at(2026, 3, 31, 23, 59, 59)]
    queries = Query.objects.bulk_create(
        QueryFactory.build(
            neighbourhood=areas[i % len(areas)],
            topic=TOPICS[i % len(TOPICS)],
            submitted_at=edges[i % 3] if i % 50 == 0 else FIRST + (i * 97 % SPREAD_HOURS) * HOUR,
        )
        for i in range(offset, offset + count)
    )
    clocks = []
    for i, query in enumerate(queries, start=offset):
        started = query.submitted_at
        seconds = 60 + i * 7919 % (110 * 3600)
        answered = i % 7 != 0
        closed = None if answered or i % 3 == 0 else started + (i % 5 + 1) * 24 * HOUR
        clocks.append(
            ResponseClock(
                query=query,
                number=1,
                neighbourhood_id=query.neighbourhood_id,
                topic=query.topic,
                started_at=started,
                due_at=started + 72 * HOUR,
                answered_at=started + datetime.timedelta(seconds=seconds) if answered else None,
                response_seconds=seconds if answered else None,
                met_target=seconds <= 72 * 3600 if answered else None,
                ended_at=closed,
            )
        )
        if answered and i % 6 == 0:
            clocks.append(
                ResponseClock(
                    query=query,
                    number=2,
                    neighbourhood_id=query.neighbourhood_id,
                    topic=query.topic,
                    started_at=started + 200 * HOUR,
                    due_at=started + 272 * HOUR,
                    answered_at=started + 280 * HOUR if i % 4 else None,
                    response_seconds=80 * 3600 if i % 4 else None,
                    met_target=False if i % 4 else None,
                )
            )
    ResponseClock.objects.bulk_create(clocks)


def _month(started: datetime.datetime) -> datetime.date:
    return started.astimezone(LONDON).date().replace(day=1)


def _months_counted() -> dict[tuple, dict[str, int]]:
    """The month rows' counts worked out again from the clock rows, by the rules of
    migration 0012."""
    counted: dict[tuple, dict[str, int]] = {}
    for clock in ResponseClock.objects.all():
        unanswered = clock.answered_at is None
        rules = {
            "received": clock.number == 1,
            "responses_due": True,
            "answered": not unanswered,
            "met": clock.met_target is True,
            "late": clock.met_target is False,
            "first_answered": clock.number == 1 and not unanswered,
            "running": unanswered and clock.ended_at is None,
            "ended_late": unanswered
            and clock.ended_at is not None
            and clock.ended_at >= clock.due_at,
        }
        key = (_month(clock.started_at), clock.neighbourhood_id, clock.topic)
        into = counted.setdefault(key, dict.fromkeys(CLOCK_COUNTS, 0))
        for name, counts in rules.items():
            into[name] += counts
    return counted


def _month_rows() -> dict[tuple, dict[str, int]]:
    return {
        (row.pop("month"), row.pop("neighbourhood_id"), row.pop("topic")): row
        for row in ClockMonth.objects.values("month", "neighbourhood_id", "topic", *CLOCK_COUNTS)
        if any(row[name] for name in CLOCK_COUNTS)
    }


def _hours_counted() -> dict[tuple, int]:
    counted: dict[tuple, int] = {}
    first_answers = ResponseClock.objects.filter(number=1, answered_at__isnull=False)
    for area, started, seconds in first_answers.values_list(
        "neighbourhood_id", "started_at", "response_seconds"
    ):
        for key in [
            (area, _month(started), seconds // 3600),
            (None, _month(started), seconds // 3600),
        ]:
            counted[key] = counted.get(key, 0) + 1
    return counted


def _hour_rows() -> dict[tuple, int]:
    return {
        (row.neighbourhood_id, row.month, row.hour): row.first_answers
        for row in ResponseTimeMonth.objects.exclude(first_answers=0)
    }


def _area_weeks_summed() -> dict[tuple, dict[str, int]]:
    """The week rows summed over topics."""
    summed: dict[tuple, dict[str, int]] = {}
    for row in ClockWeek.objects.values("week", "neighbourhood_id", *CLOCK_COUNTS):
        into = summed.setdefault(
            (row.pop("week"), row.pop("neighbourhood_id")), dict.fromkeys(CLOCK_COUNTS, 0)
        )
        for name in CLOCK_COUNTS:
            into[name] += row[name]
    return {key: row for key, row in summed.items() if any(row.values())}


def _area_week_rows() -> dict[tuple, dict[str, int]]:
    return {
        (row.pop("week"), row.pop("neighbourhood_id")): row
        for row in ClockAreaWeek.objects.values("week", "neighbourhood_id", *CLOCK_COUNTS)
        if any(row[name] for name in CLOCK_COUNTS)
    }


def _assert_months_kept() -> None:
    months = _month_rows()
    assert months == _months_counted()
    assert all(month.day == 1 for month, _, _ in months)
    assert _hour_rows() == _hours_counted()
    assert _area_week_rows() == _area_weeks_summed()


def _selectors(scope: Scope, period: Period) -> dict:
    return {
        "sla_figures": lambda: sla.sla_figures(scope=scope, period=period, now=NOW),
        "weekly_trend": lambda: sla.weekly_trend(scope=scope, period=period, now=NOW),
        "neighbourhood_table": lambda: sla.neighbourhood_table(scope=scope, period=period, now=NOW),
        "topic_table": lambda: sla.topic_table(scope=scope, period=period, now=NOW),
    }


def _assert_same_figures(areas, monkeypatch) -> None:
    compared = 0
    for scope in _scopes(areas):
        for period in PERIODS:
            for name, call in _selectors(scope, period).items():
                kept = call()
                with monkeypatch.context() as patched:
                    patched.setattr(tallied, "applies", lambda scope: False)
                    direct = call()
                assert kept == direct, (name, scope.key, period.first_day, period.last_day)
                compared += 1
    assert compared == 3 * len(PERIODS) * 4


def test_month_counts_are_the_clocks_counted_by_month_after_bulk_inserts(areas, monkeypatch):
    _bulk_insert(areas, 600)
    _bulk_insert(areas, 250, offset=600)
    _assert_months_kept()
    assert len({month for month, _, _ in _month_rows()}) == 7  # November to May
    _assert_same_figures(areas, monkeypatch)
    figures = sla.sla_figures(scope=FORCE, period=PERIODS[1], now=NOW)
    assert figures.received > 500 and figures.missed > 50 and figures.median_seconds


def test_month_counts_follow_bulk_updates_moves_and_cascaded_deletes(areas, monkeypatch):
    _bulk_insert(areas, 700)
    # Answers moved later by an hour and a half: every one changes hour, some go late.
    first_queries = Query.objects.order_by("pk").values("pk")[:300]
    ResponseClock.objects.filter(
        number=1, answered_at__isnull=False, query__in=first_queries
    ).update(
        answered_at=F("answered_at") + 90 * datetime.timedelta(minutes=1),
        response_seconds=F("response_seconds") + 5400,
    )
    # Clocks moved across a month's end, to another neighbourhood and topic.
    ResponseClock.objects.filter(
        started_at__gte=at(2026, 1, 28), started_at__lt=at(2026, 2, 1)
    ).update(
        started_at=F("started_at") + 5 * 24 * HOUR,
        neighbourhood=areas[2],
        topic=Topic.OTHER,
    )
    # Answers taken back; running clocks answered.
    ResponseClock.objects.filter(number=1, response_seconds__lt=3600).update(
        answered_at=None, response_seconds=None, met_target=None
    )
    ResponseClock.objects.filter(answered_at__isnull=True, ended_at__isnull=True).filter(
        started_at__lt=at(2025, 12, 15)
    ).update(answered_at=F("started_at") + HOUR, response_seconds=3600, met_target=True)
    _assert_months_kept()
    _assert_same_figures(areas, monkeypatch)
    # Clocks deleted, and queries deleted with their clocks (as retention does).
    ResponseClock.objects.filter(number=2, started_at__gte=at(2026, 3, 1)).delete()
    Query.objects.filter(neighbourhood=areas[1], submitted_at__lt=at(2026, 2, 10)).delete()
    assert Query.objects.filter(neighbourhood=areas[1]).exists()
    _assert_months_kept()
    _assert_same_figures(areas, monkeypatch)
    Query.objects.all().delete()
    assert _month_rows() == {} and _hour_rows() == {} and _area_week_rows() == {}


def test_percentiles_from_months_weeks_and_days_equal_those_sorted(areas):
    _bulk_insert(areas, 900)
    checked = 0
    for scope in _scopes(areas):
        for period in PERIODS:
            clocks = ResponseClock.objects.filter(
                number=1,
                answered_at__isnull=False,
                started_at__gte=period.start,
                started_at__lt=period.end,
            )
            if scope.neighbourhood_ids is not None:
                clocks = clocks.filter(neighbourhood_id__in=scope.neighbourhood_ids)
            values = sorted(clocks.values_list("response_seconds", flat=True))
            count = len(values)
            expected = (values[-(-count // 2) - 1], values[-(-count * 9 // 10) - 1])
            assert percentiles.from_hours(scope=scope, period=period) == expected
            checked += 1
    assert checked == 3 * len(PERIODS)


@pytest.mark.parametrize("length", [1, 6, 7, 27, 28, 31, 59, 90, 365, 366, 1095, 1096])
def test_a_period_is_cut_into_whole_months_weeks_and_days_each_day_once(length):
    for offset in range(0, 400, 3):
        first = datetime.date(2023, 1, 1) + datetime.timedelta(days=offset)
        period = days_period(first, first + datetime.timedelta(days=length - 1))
        cut = tallied.pieces(period)
        covered: list[datetime.date] = []
        if cut.months is not None:
            month = cut.months[0]
            while month <= cut.months[1]:
                following = (month + datetime.timedelta(days=32)).replace(day=1)
                covered += [
                    month + datetime.timedelta(days=d) for d in range((following - month).days)
                ]
                month = following
        for monday, last_monday in cut.weeks:
            assert monday.weekday() == 0 and last_monday.weekday() == 0
            covered += [
                monday + datetime.timedelta(days=d) for d in range((last_monday - monday).days + 7)
            ]
        for start, end in cut.days:
            covered += [start + datetime.timedelta(days=d) for d in range((end - start).days + 1)]
        assert sorted(covered) == [first + datetime.timedelta(days=d) for d in range(length)], (
            period
        )
        # However long the period, what it reads beside its months is bounded: before and
        # after them at most four whole weeks, and six days either side of those.
        weeks = sum((last - monday).days // 7 + 1 for monday, last in cut.weeks)
        days = sum((end - start).days + 1 for start, end in cut.days)
        if length >= 62:
            assert cut.months is not None and weeks <= 8 and days <= 24, period


def test_the_tables_read_months_and_the_trend_weeks_by_neighbourhood(areas):
    _bulk_insert(areas, 300)
    period = PERIODS[1]  # 24 November 2025 to 9 April 2026: December to March whole
    with CaptureQueriesContext(connection) as statements:
        sla.neighbourhood_table(scope=FORCE, period=period, now=NOW)
        sla.topic_table(scope=FORCE, period=period, now=NOW)
    read = [s["sql"] for s in statements]
    assert len(read) == 3  # the neighbourhoods' names too
    assert all("queries_clockmonth" in sql for sql in read if "queries_clockday" in sql)
    assert sum("queries_clockmonth" in sql for sql in read) == 2
    # The weekly trend reads its whole weeks by neighbourhood, topics summed already.
    with CaptureQueriesContext(connection) as statements:
        sla.weekly_trend(scope=FORCE, period=period, now=NOW)
    (trend,) = [s["sql"] for s in statements]
    assert "queries_clockareaweek" in trend and "queries_clockweek" not in trend


# --- The migration ------------------------------------------------------------------------------

MONTHS_MIGRATION = ("queries", "0018_clock_months")
BEFORE_MONTHS = ("queries", "0017_dashboard_reads_by_index")


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_months_already_kept_and_can_be_undone(areas, monkeypatch):
    months = importlib.import_module("queries.migrations.0018_clock_months")
    _bulk_insert(areas, 400)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    assert MONTHS_MIGRATION in latest or any(
        MONTHS_MIGRATION in executor.loader.graph.forwards_plan(node) for node in latest
    )
    try:
        executor.migrate([BEFORE_MONTHS])
        executor.loader.build_graph()
        assert "queries_clockmonth" not in connection.introspection.table_names()
        # Back at weeks only, the triggers still keep the days and weeks, without months.
        ResponseClock.objects.filter(number=1, response_seconds__lt=7200).update(
            answered_at=None, response_seconds=None, met_target=None
        )
        Query.objects.filter(neighbourhood=areas[0], submitted_at__lt=at(2026, 1, 1)).delete()
        _bulk_insert(areas, 100, offset=400)
        executor.migrate(latest)
        executor.loader.build_graph()
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
    # Forward again: the months counted from the day rows, and kept from then on.
    _assert_months_kept()
    _bulk_insert(areas, 100, offset=500)
    ResponseClock.objects.filter(number=2).delete()
    _assert_months_kept()
    _assert_same_figures(areas, monkeypatch)
    # The recount a bulk load uses adds the clocks it is given, once.
    kept = _month_rows()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE queries_clockday, queries_clockweek, queries_clockmonth, "
            "queries_clockareaweek, queries_runningclocks, queries_responsetimeday, "
            "queries_responsetimeweek, queries_responsetimemonth, queries_answerday, "
            "queries_answerweek"
        )
        cursor.execute(months.counted("SELECT * FROM queries_responseclock"))
    assert _month_rows() == kept
    _assert_months_kept()
    _assert_same_figures(areas, monkeypatch)
