"""Cost of the SLA sweep: it should follow the due rows only, at the speed of its SQL.

    make bench                          # on a throwaway PostgreSQL and Redis
    .venv/bin/python bench/sla_sweep.py # on DATABASE_URL, which must be an empty PostgreSQL
    SLA_BENCH_QUERIES=100000 ...        # grow to fewer queries than 1,000,000 (quicker)

Migrates the database, seeds 10,000 queries of which 1,000 have their 48-hour reminder due,
and times full sweeps of them (after a small warm-up sweep, so none pays for compiling the
email templates or connecting to the broker), making the same 1,000 due again before each.
Then grows the table to 1,000,000 queries (written by PostgreSQL with INSERT ... SELECT
generate_series, in chunks) and times the same sweeps again; then a backlog of 10,000 due at
once, as after an outage. Prints the median of RUNS sweeps of each, the ratio of the first two
(goal: at most 1.5), the time over 1,000,000 queries (goal: at most 0.35 s), the backlog's steps
per second, and the SQL statements of each batch, which do not grow with its size. Half of the
queries that are not due are still open with their reminder in the future; the rest closed.
Emails go to the outbox and one task per batch to the broker, as in production.
"""

import datetime
import inspect
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from neighbourhoods.models import Force, Neighbourhood  # noqa: E402
from officers.models import Assignment, Officer, Rank  # noqa: E402
from queries import clock  # noqa: E402
from queries.models import EscalationStep, Query  # noqa: E402
from queries.services import sla  # noqa: E402

SMALL = 10_000
LARGE = int(os.environ.get("SLA_BENCH_QUERIES", 1_000_000))
DUE = 1_000
BACKLOG = 10_000
RUNS = 5
TIME_GOAL = 0.35  # seconds for DUE steps over LARGE queries
NEIGHBOURHOODS = 8
CHUNK = 100_000  # queries built in memory at a time
BATCH = 10_000  # rows per INSERT
GOAL = 1.5  # the ratio of the sweep's time over LARGE queries to that over SMALL
BATCH_SIZE = inspect.signature(sla.sla_sweep).parameters["batch_size"].default
HOUR = datetime.timedelta(hours=1)


def refuse_unless_empty_postgresql() -> None:
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/sla_sweep.py needs PostgreSQL (it measures the real query plans): run "
            "`make bench`, or set DATABASE_URL to an empty PostgreSQL database."
        )
    call_command("migrate", verbosity=0)
    if Query.objects.exists():
        sys.exit("bench/sla_sweep.py seeds its own queries: give it an empty database.")


def seed_neighbourhoods() -> list[Neighbourhood]:
    force, _ = Force.objects.get_or_create(slug="bench", defaults={"name": "Bench Constabulary"})
    neighbourhoods = []
    today = timezone.localdate()
    for n in range(NEIGHBOURHOODS):
        neighbourhood = Neighbourhood.objects.create(
            force=force, code=f"BN{n}", name=f"Bench neighbourhood {n}", slug=f"bench-{n}"
        )
        for role, rank in [
            (Assignment.Role.NAMED_OFFICER, Rank.PC),
            (Assignment.Role.SERGEANT, Rank.SGT),
            (Assignment.Role.INSPECTOR, Rank.INSP),
        ]:
            officer = Officer.objects.create(
                display_name=f"{role} {n}", rank=rank, email=f"{role}.{n}@example.police.uk"
            )
            Assignment.objects.create(
                officer=officer,
                neighbourhood=neighbourhood,
                role=role,
                start_date=today - datetime.timedelta(days=30),
            )
        neighbourhoods.append(neighbourhood)
    return neighbourhoods


def build_query(number: int, neighbourhood: Neighbourhood, submitted_at, closed: bool) -> Query:
    query = Query(
        reference=f"B{number:010d}",
        token_hash=f"{number:064x}",
        neighbourhood=neighbourhood,
        topic="asb",
        message="Bench query.",
        name="Bench Resident",
        email=f"resident{number}@example.com",
        contact_preference="email",
        consented_at=submitted_at,
        submitted_at=submitted_at,
    )
    clock.start(query, submitted_at)
    if closed:
        query.status = Query.Status.CLOSED
        query.closed_at = submitted_at + 10 * HOUR
        query.next_escalation_at = None
        query.next_escalation_step = ""
    return query


def seed_queries(neighbourhoods, first: int, count: int, due: int, now) -> list[int]:
    """Add `count` queries numbered from `first`, the first `due` of them with their reminder
    due at `now`. Returns the ids of the due ones."""
    due_ids: list[int] = []
    for start in range(first, first + count, CHUNK):
        chunk = []
        for number in range(start, min(start + CHUNK, first + count)):
            index = number - first
            neighbourhood = neighbourhoods[number % len(neighbourhoods)]
            if index < due:
                chunk.append(build_query(number, neighbourhood, now - 49 * HOUR, closed=False))
            else:
                # Not due: submitted in the last 47 hours, open or already closed.
                submitted = now - datetime.timedelta(seconds=number % (47 * 3600))
                chunk.append(build_query(number, neighbourhood, submitted, closed=number % 2 == 0))
        created = Query.objects.bulk_create(chunk, batch_size=BATCH)
        due_ids += [query.pk for query in created[: max(0, due - (start - first))]]
        print(f"  seeded {start - first + len(chunk):,} of {count:,}", flush=True)
    return due_ids


def grow_queries(neighbourhoods, first: int, count: int, now) -> None:
    """Add `count` queries that are not due, numbered from `first`, built by PostgreSQL in
    chunks: the same rows `seed_queries` would build (bulk_create managed about 5,000 rows a
    second here, over three minutes for the million)."""
    table = connection.ops.quote_name(Query._meta.db_table)
    sql = f"""
        INSERT INTO {table} (
            reference, token_hash, neighbourhood_id, topic, message, name, email, phone,
            contact_preference, consented_at, status, routing_reason, submitted_at, clock,
            clock_started_at, due_at, next_escalation_at, next_escalation_step, closed_at,
            outcome, urgent_reasons, source, language, created_at, updated_at
        )
        SELECT
            'B' || lpad(n::text, 10, '0'), lpad(to_hex(n), 64, '0'),
            (%(neighbourhoods)s::bigint[])[1 + n %% %(count)s], 'asb', 'Bench query.',
            'Bench Resident', 'resident' || n || '@example.com', '', 'email',
            submitted, CASE WHEN closed THEN 'closed' ELSE 'open' END, '', submitted, 1,
            submitted, submitted + %(target)s,
            CASE WHEN closed THEN NULL ELSE submitted + %(reminder)s END,
            CASE WHEN closed THEN '' ELSE 'reminder' END,
            CASE WHEN closed THEN submitted + interval '10 hours' END,
            '', '[]'::jsonb, '', 'en-gb', %(now)s, %(now)s
        FROM (
            SELECT n, n %% 2 = 0 AS closed,
                   %(now)s - make_interval(secs => n %% (47 * 3600)) AS submitted
            FROM generate_series(%(first)s, %(last)s) AS n
        ) AS seeded
    """
    reminder = clock.ladder()[0].after
    for start in range(first, first + count, CHUNK):
        last = min(start + CHUNK, first + count) - 1
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                {
                    "neighbourhoods": [n.pk for n in neighbourhoods],
                    "count": len(neighbourhoods),
                    "target": clock.target(),
                    "reminder": reminder,
                    "now": now,
                    "first": start,
                    "last": last,
                },
            )
        print(f"  seeded {last + 1 - first:,} of {count:,}", flush=True)


def analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


@dataclass
class Sweep:
    """One full sweep: its seconds, the steps it took, and the SQL statements of each of its
    batches (the last batch claims nothing and ends the sweep)."""

    seconds: float
    taken: int
    batches: list[int]
    cpu_seconds: float  # of this process alone: the sweep's Python, without PostgreSQL's work


def timed_sweep(now) -> Sweep:
    batches: list[int] = []
    real_batch = sla._sweep_batch

    def counted_batch(**kwargs):
        batches.append(0)
        return real_batch(**kwargs)

    def count(execute, sql, params, many, context):
        batches[-1] += 1
        return execute(sql, params, many, context)

    sla._sweep_batch = counted_batch
    try:
        with connection.execute_wrapper(count):
            started, cpu_started = time.perf_counter(), time.process_time()
            taken = sla.sla_sweep(now=now)
            seconds = time.perf_counter() - started
            cpu_seconds = time.process_time() - cpu_started
    finally:
        sla._sweep_batch = real_batch
    return Sweep(seconds, taken, batches, cpu_seconds)


def make_due(query_ids: list[int], now) -> None:
    """Point these queries at their reminder, due an hour ago and not yet taken."""
    EscalationStep.objects.filter(query_id__in=query_ids).delete()
    Query.objects.filter(pk__in=query_ids).update(
        status=Query.Status.OPEN, next_escalation_step="reminder", next_escalation_at=now - HOUR
    )


def median_sweep(query_ids: list[int], now, label: str) -> Sweep:
    """RUNS sweeps of the same due queries (made due again before each): the median one."""
    sweeps = []
    make_due(query_ids, now)
    analyse()
    for _ in range(RUNS):
        make_due(query_ids, now)
        sweep = timed_sweep(now)
        if sweep.taken != len(query_ids):
            sys.exit(f"expected {len(query_ids):,} steps, the sweep took {sweep.taken:,}")
        sweeps.append(sweep)
    sweeps.sort(key=lambda sweep: sweep.seconds)
    times = ", ".join(f"{sweep.seconds:.3f}" for sweep in sweeps)
    cpu = ", ".join(f"{sweep.cpu_seconds:.3f}" for sweep in sweeps)
    print(f"  {label}: {times} s (of which this process's CPU: {cpu} s)", flush=True)
    return sweeps[len(sweeps) // 2]


def warm_up(neighbourhoods, now) -> None:
    """One small sweep before the timed ones, so neither pays for compiling the email
    templates or connecting to the broker: 20 queries whose reminder fell due earlier."""
    Query.objects.bulk_create(
        build_query(LARGE + i, neighbourhoods[0], now - 60 * HOUR, closed=False) for i in range(20)
    )
    assert sla.sla_sweep(now=now - 6 * HOUR) == 20


def per_batch(sweep: Sweep) -> str:
    full = sorted(set(sweep.batches[:-1]))
    return (
        f"{' or '.join(map(str, full))} in each of {len(sweep.batches) - 1} batches "
        f"(+{sweep.batches[-1]} for the empty claim that ends the sweep)"
    )


def main() -> None:
    refuse_unless_empty_postgresql()
    now = timezone.now()
    neighbourhoods = seed_neighbourhoods()
    warm_up(neighbourhoods, now)

    print(f"seeding {SMALL:,} queries, {DUE:,} due")
    due_ids = seed_queries(neighbourhoods, 0, SMALL, DUE, now)
    print(f"sweeping {DUE:,} due, {RUNS} runs")
    small = median_sweep(due_ids, now, f"over {SMALL:,} queries")

    print(f"growing to {LARGE:,} queries")
    started = time.perf_counter()
    grow_queries(neighbourhoods, SMALL, LARGE - SMALL, now)
    seed_seconds = time.perf_counter() - started
    print(f"sweeping {DUE:,} due, {RUNS} runs")
    large = median_sweep(due_ids, now, f"over {LARGE:,} queries")
    # A backlog, as after an outage: BACKLOG due at once (open queries not due until now).
    backlog_ids = due_ids + list(
        Query.objects.filter(status=Query.Status.OPEN, next_escalation_at__gt=now)
        .exclude(pk__in=due_ids)
        .order_by("pk")
        .values_list("pk", flat=True)[: BACKLOG - len(due_ids)]
    )
    print(f"sweeping a backlog of {BACKLOG:,} due, {RUNS} runs")
    backlog = median_sweep(backlog_ids, now, f"{BACKLOG:,} due over {LARGE:,} queries")

    ratio = large.seconds / small.seconds
    total = Query.objects.count() - 20  # less the warm-up queries
    print()
    print(f"seeding {LARGE - SMALL:,} queries took {seed_seconds:,.1f} s")
    print(f"medians of {RUNS} runs, {DUE:,} due, batches of {BATCH_SIZE:,}:")
    print(f"  sweep over {SMALL:,} queries: {small.seconds:.3f} s ({small.cpu_seconds:.3f} s CPU)")
    print(
        f"  sweep over {total:,} queries: {large.seconds:.3f} s ({large.cpu_seconds:.3f} s CPU) "
        f"(goal <= {TIME_GOAL} s: {'met' if large.seconds <= TIME_GOAL else 'NOT MET'})"
    )
    print(f"  ratio: {ratio:.2f} (goal <= {GOAL}: {'met' if ratio <= GOAL else 'NOT MET'})")
    print(
        f"  backlog of {BACKLOG:,} due: {backlog.seconds:.3f} s, "
        f"{BACKLOG / backlog.seconds:,.0f} steps per second"
    )
    for label, sweep in [
        (f"{DUE:,} due over {SMALL:,} queries", small),
        (f"{DUE:,} due over {total:,} queries", large),
        (f"{BACKLOG:,} due over {total:,} queries", backlog),
    ]:
        statements = sum(sweep.batches)
        print(
            f"  SQL statements, {label}: {statements:,} "
            f"({statements / sweep.taken:.3f} per step), {per_batch(sweep)}"
        )


if __name__ == "__main__":
    main()
