"""Cost of the SLA sweep as the queries table grows: it should follow the due rows only.

    make bench                          # on a throwaway PostgreSQL and Redis
    .venv/bin/python bench/sla_sweep.py # on DATABASE_URL, which must be an empty PostgreSQL

Migrates the database, seeds 10,000 queries of which 1,000 have their 48-hour reminder due,
and times one full sweep (after a small warm-up sweep). Then grows the table to 1,000,000
queries (the growth is written by PostgreSQL with INSERT ... SELECT generate_series, in chunks),
makes the same 1,000 due again, and times the sweep once more. Prints both times, their ratio
(goal: at most 1.5) and the SQL statements per escalated query. Half of the queries that are
not due are still open with their reminder in the future; the other half are closed.
"""

import datetime
import os
import sys
import time
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
from queries.services.sla import sla_sweep  # noqa: E402

SMALL = 10_000
LARGE = 1_000_000
DUE = 1_000
NEIGHBOURHOODS = 8
CHUNK = 100_000  # queries built in memory at a time
BATCH = 10_000  # rows per INSERT
GOAL = 1.5
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
            outcome, created_at, updated_at
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
            '', %(now)s, %(now)s
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


def timed_sweep(now) -> tuple[float, int, int]:
    """Seconds, steps taken and SQL statements of one full sweep."""
    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        taken = sla_sweep(now=now)
        seconds = time.perf_counter() - started
    return seconds, taken, statements


def warm_up(neighbourhoods, now) -> None:
    """One small sweep before the timed ones, so neither pays for compiling the email
    templates or connecting to the broker: 20 queries whose reminder fell due earlier."""
    Query.objects.bulk_create(
        build_query(LARGE + i, neighbourhoods[0], now - 60 * HOUR, closed=False) for i in range(20)
    )
    assert sla_sweep(now=now - 6 * HOUR) == 20


def main() -> None:
    refuse_unless_empty_postgresql()
    now = timezone.now()
    neighbourhoods = seed_neighbourhoods()
    warm_up(neighbourhoods, now)

    print(f"seeding {SMALL:,} queries, {DUE:,} due")
    due_ids = seed_queries(neighbourhoods, 0, SMALL, DUE, now)
    analyse()
    small_seconds, small_taken, small_statements = timed_sweep(now)

    print(f"growing to {LARGE:,} queries")
    started = time.perf_counter()
    grow_queries(neighbourhoods, SMALL, LARGE - SMALL, now)
    seed_seconds = time.perf_counter() - started
    # The same 1,000 are due again: their reminder not yet taken.
    EscalationStep.objects.filter(query_id__in=due_ids).delete()
    Query.objects.filter(pk__in=due_ids).update(
        next_escalation_step="reminder", next_escalation_at=now - HOUR
    )
    analyse()
    large_seconds, large_taken, large_statements = timed_sweep(now)

    ratio = large_seconds / small_seconds
    total = Query.objects.count() - 20  # less the warm-up queries
    print(f"seeding {LARGE - SMALL:,} queries took {seed_seconds:,.1f} s")
    print(f"sweep over {SMALL:,} queries: {small_seconds:.3f} s, {small_taken:,} steps taken")
    print(f"sweep over {total:,} queries: {large_seconds:.3f} s, {large_taken:,} steps taken")
    print(f"ratio: {ratio:.2f} (goal <= {GOAL}: {'met' if ratio <= GOAL else 'NOT MET'})")
    print(
        "SQL statements per escalated query: "
        f"{small_statements / max(small_taken, 1):.3f} at {SMALL:,} "
        f"({small_statements:,} statements), "
        f"{large_statements / max(large_taken, 1):.3f} at {total:,} "
        f"({large_statements:,} statements)"
    )
    if small_taken != DUE or large_taken != DUE:
        sys.exit(f"expected {DUE:,} steps in each sweep")


if __name__ == "__main__":
    main()
