"""The dashboard bench writes its queries and clocks in bulk with the clock table's triggers
off and adds their counts afterwards, one statement for each kind: the counts it leaves are
exactly those the triggers would have kept, so the bench measures the same tables."""

import datetime

import pytest
from django.db import connection

from bench import _seed_queries as seed
from dashboards.periods import Period, period_for
from dashboards.selectors import sla, tallied
from queries.models import Query, ResponseClock
from tests.dashboards.test_dashboard_figures import FORCE

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)
KEPT = [
    "queries_clockday",
    "queries_clockweek",
    "queries_clockmonth",
    "queries_clockareaweek",
    "queries_runningclocks",
    "queries_responsetimeday",
    "queries_responsetimeweek",
    "queries_responsetimemonth",
    "queries_answerday",
    "queries_answerweek",
]


KEYS = {"id", "day", "week", "month", "neighbourhood_id", "topic", "hour"}
FIGURES = ("received", "responses_due", "answered", "met", "missed", "open_now", "breached_open")


def _kept() -> dict[str, set[tuple]]:
    """Every count row with a count that is not zero, without its id."""
    rows = {}
    with connection.cursor() as cursor:
        for table in KEPT:
            cursor.execute(f"SELECT * FROM {table}")
            names = [column.name for column in cursor.description]
            rows[table] = {
                tuple((name, value) for name, value in zip(names, row, strict=True) if name != "id")
                for row in cursor.fetchall()
                if any(value for name, value in zip(names, row, strict=True) if name not in KEYS)
            }
    return rows


def _counted_clock_by_clock(period: Period, now: datetime.datetime) -> dict[int, dict[str, int]]:
    """Each neighbourhood's figures, counted one clock at a time by the definitions the
    dashboard states (dashboards.selectors.sla): those with no clock are all zeros."""
    counted: dict[int, dict[str, int]] = {}
    for clock in ResponseClock.objects.values(
        "neighbourhood_id", "number", "started_at", "due_at", "answered_at", "ended_at"
    ):
        row = counted.setdefault(clock["neighbourhood_id"], dict.fromkeys(FIGURES, 0))
        if clock["answered_at"] is None and clock["ended_at"] is None:
            row["open_now"] += 1
            row["breached_open"] += clock["due_at"] < now
        if not period.start <= clock["started_at"] < period.end:
            continue
        row["received"] += clock["number"] == 1
        row["responses_due"] += 1
        if clock["answered_at"] is not None:
            row["answered"] += 1
            row["met" if clock["answered_at"] <= clock["due_at"] else "missed"] += 1
        elif clock["due_at"] < now and (
            clock["ended_at"] is None or clock["ended_at"] >= clock["due_at"]
        ):
            row["missed"] += 1
    return counted


def test_the_bench_seed_leaves_the_counts_the_triggers_keep():
    areas = seed.seed_areas(now=NOW)
    seed.grow_queries(areas, first=0, count=1_500, now=NOW)
    seed.grow_queries(areas, first=1_500, count=1_500, now=NOW)
    assert Query.objects.count() == 3_000 and ResponseClock.objects.count() > 3_100
    seeded = _kept()
    assert all(seeded[table] for table in KEPT[:8]), "a kind of count was not added"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE clocks AS SELECT * FROM queries_responseclock")
        # Deleted through the triggers: each count goes back to nothing.
        cursor.execute("DELETE FROM queries_responseclock")
        assert _kept() == {table: set() for table in KEPT}
        # Written back through the triggers: the same counts as the seed left.
        cursor.execute("INSERT INTO queries_responseclock SELECT * FROM clocks")
    assert _kept() == seeded
    # And the figures from them are the clocks' own, counted one by one.
    period = period_for(preset="365", first_day=None, last_day=None, today=NOW.date())
    assert tallied.applies(FORCE)
    table = sla.neighbourhood_table(scope=FORCE, period=period, now=NOW)
    counted = _counted_clock_by_clock(period, NOW)
    assert {
        row.neighbourhood_id: {name: getattr(row, name) for name in FIGURES} for row in table
    } == {
        area.neighbourhood.pk: counted.get(area.neighbourhood.pk, dict.fromkeys(FIGURES, 0))
        for area in areas
    }
    # Every kind of figure has clocks behind it.
    assert all(sum(row[name] for row in counted.values()) for name in FIGURES)


def test_the_sweep_bench_seeds_queries_the_table_accepts():
    # Its raw INSERT names every column without a database default, the resident's language
    # included: the queries are written, not due, and every one reads as English.
    from bench import sla_sweep

    neighbourhoods = [area.neighbourhood for area in seed.seed_areas(now=NOW)[:3]]
    sla_sweep.grow_queries(neighbourhoods, 0, 40, NOW)
    assert Query.objects.count() == 40
    assert set(Query.objects.values_list("language", flat=True)) == {"en-gb"}
    assert not Query.objects.filter(next_escalation_at__lte=NOW).exists()
