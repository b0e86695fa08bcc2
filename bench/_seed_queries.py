"""Seed a force's worth of neighbourhoods and answered, late and open queries for the benches,
fast: PostgreSQL writes the queries and their response clocks itself, with INSERT ... SELECT
generate_series, in chunks, with the clock table's triggers off (and, for a superuser, without
checking each row's foreign keys); the counts the triggers keep (day, week and month counts,
running clocks, response time hours, answers) are then added for the new clocks in one
statement each, exactly as the triggers would have (tests/dashboards/test_bench_seed.py).

Each query is numbered; everything about it follows from its number (and, for when it was sent,
the growth it came in), so a run can grow the table in steps and every size has the same mix:

- submitted over the SPAN before `now`, the queries of each growth evenly (so every size
  has them evenly too), in one of the neighbourhoods, held by its officer;
- 90% answered, 85% of those within the target and the rest late, answers 1 to 120 hours
  after the clock started (an answer that would fall after `now` has not come yet);
- of the unanswered, older than two weeks: 80% closed unanswered one to eight days after the
  start, the rest still open (breached); the recent ones running, at risk or breached;
- about 8% with a follow-up (clock 2) started 1 to 48 hours after the first answer, answered
  or not as the first clocks are;
- 2% escalated by the resident three to five days after they wrote; topics mixed.

Not run by `make bench` itself (its name starts with _): bench/dashboard.py uses it.
"""

import contextlib
import datetime
import importlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from config.roles import Role
from engagement.models import Priority
from meetings.models import Event, Outcome
from meetings.staleness import BEAT_MEETING_TYPES
from neighbourhoods.models import Division, Force, Neighbourhood
from officers.models import Assignment, Officer, Rank
from queries import clock
from queries.models import (
    AnswerDay,
    AnswerWeek,
    ClockAreaWeek,
    ClockDay,
    ClockMonth,
    ClockWeek,
    Query,
    ResponseClock,
    ResponseTimeDay,
    ResponseTimeMonth,
    ResponseTimeWeek,
    RunningClocks,
    Topic,
)

NEIGHBOURHOODS = 100
DIVISIONS = 8
SPAN = datetime.timedelta(days=730)
CHUNK = 100_000  # queries per INSERT statement

ANSWERED = 0.90  # share of clocks answered
WITHIN_TARGET = 0.85  # share of the answered that meet the target
FOLLOW_UP = 0.089  # share of answered first clocks the resident follows up (8% of queries)
CLOSED_UNANSWERED = 0.80  # share of old unanswered clocks closed without an answer
RESIDENT_ESCALATED = 0.02
FIRST_ANSWER_HOURS, LAST_ANSWER_HOURS = 1, 120
HOUR = 3600


@dataclass(frozen=True)
class Area:
    neighbourhood: Neighbourhood
    division: Division
    officer: Officer


def seed_areas(*, now: datetime.datetime) -> list[Area]:
    """NEIGHBOURHOODS neighbourhoods in DIVISIONS divisions, each with a named officer (who
    holds its queries), a sergeant, a priority, a beat meeting held last month (every other
    one with its outcome recorded) and one scheduled next month."""
    force, _ = Force.objects.get_or_create(slug="bench", defaults={"name": "Bench Constabulary"})
    divisions = [
        Division.objects.create(force=force, slug=f"division-{d}", name=f"Bench division {d}")
        for d in range(DIVISIONS)
    ]
    today = now.date()
    areas = []
    for n in range(NEIGHBOURHOODS):
        division = divisions[n * DIVISIONS // NEIGHBOURHOODS]
        neighbourhood = Neighbourhood.objects.create(
            force=force,
            division=division,
            code=f"BD{n:03d}",
            name=f"Bench neighbourhood {n:03d}",
            slug=f"bench-{n:03d}",
        )
        officer = Officer.objects.create(
            display_name=f"Officer {n:03d}", rank=Rank.PC, email=f"officer.{n}@example.police.uk"
        )
        sergeant = Officer.objects.create(
            display_name=f"Sergeant {n:03d}", rank=Rank.SGT, email=f"sergeant.{n}@example.police.uk"
        )
        Assignment.objects.bulk_create(
            Assignment(
                officer=person,
                neighbourhood=neighbourhood,
                role=role,
                start_date=today - SPAN - datetime.timedelta(days=1),
            )
            for person, role in [
                (officer, Assignment.Role.NAMED_OFFICER),
                (sergeant, Assignment.Role.SERGEANT),
            ]
        )
        areas.append(Area(neighbourhood, division, officer))

    Priority.objects.bulk_create(
        Priority(
            neighbourhood=area.neighbourhood,
            issue="Speeding on the high street.",
            issue_date=today - datetime.timedelta(days=30 * (n % 6)),
        )
        for n, area in enumerate(areas)
    )
    # A third of the priorities last touched four months ago: not "updated in the last 3 months".
    Priority.objects.filter(neighbourhood__in=[area.neighbourhood for area in areas[::3]]).update(
        updated_at=now - datetime.timedelta(days=120)
    )
    meetings = []
    for n, area in enumerate(areas):
        for days, status in [(-30, Event.Status.HELD), (30, Event.Status.SCHEDULED)]:
            starts_at = now + datetime.timedelta(days=days + n % 7)
            meetings.append(
                Event(
                    neighbourhood=area.neighbourhood,
                    organiser=area.officer,
                    event_type=BEAT_MEETING_TYPES[n % len(BEAT_MEETING_TYPES)],
                    title="Beat meeting",
                    venue_name="Community Centre",
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=1, minutes=30),
                    status=status,
                )
            )
    Event.objects.bulk_create(meetings)
    Outcome.objects.bulk_create(
        Outcome(event=event, attendance=12, summary="Speeding raised.", recorded_by=event.organiser)
        for event in meetings[::4]  # every other neighbourhood's held meeting
    )
    return areas


def seed_opcc_user(username: str = "bench-opcc"):
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org")
    user.groups.add(Group.objects.get_or_create(name=Role.OPCC.value)[0])
    return user


def _uniform(k: int) -> str:
    """SQL for a number in [0, 1) fixed by the query's number n and the draw k."""
    return f"((hashint8extended(n, {k}) & 2147483647)::float8 / 2147483648)"


# One row per query: its clocks worked out from its number. Parameters: now, span (seconds),
# target (seconds), first, last, neighbourhoods, officers, topics, reminder, reminder_step.
_SEEDED = f"""
    WITH drawn AS (
        SELECT n,
            %(now)s::timestamptz - make_interval(secs => %(span)s * (1 - CASE
                WHEN %(scattered)s THEN mod(n * 0.6180339887498949, 1)::float8
                ELSE (n - %(growth_first)s + {_uniform(0)}) / %(growth_count)s
            END)) AS started1,
            {_uniform(1)} AS answer1, {_uniform(2)} AS within1, {_uniform(3)} AS hours1,
            {_uniform(4)} AS closed1, {_uniform(5)} AS closed_after1,
            {_uniform(6)} AS follow_up, {_uniform(7)} AS gap,
            {_uniform(8)} AS answer2, {_uniform(9)} AS within2, {_uniform(10)} AS hours2,
            {_uniform(11)} AS closed2, {_uniform(12)} AS closed_after2,
            {_uniform(13)} AS escalated, {_uniform(14)} AS escalated_after
        FROM generate_series(%(first)s, %(last)s) AS n
    ),
    clock1 AS (
        SELECT drawn.*,
            CASE WHEN within1 < {WITHIN_TARGET}
                THEN {FIRST_ANSWER_HOURS * HOUR} + floor(hours1 * (%(target)s - {HOUR}))
                ELSE %(target)s + 1
                    + floor(hours1 * ({LAST_ANSWER_HOURS * HOUR} - %(target)s - 1))
            END::integer AS seconds1
        FROM drawn
    ),
    answered1 AS (
        SELECT clock1.*,
            CASE WHEN answer1 < {ANSWERED}
                    AND started1 + make_interval(secs => seconds1) <= %(now)s
                THEN started1 + make_interval(secs => seconds1)
            END AS answered_at1
        FROM clock1
    ),
    clock2 AS (
        SELECT answered1.*,
            CASE WHEN answered_at1 IS NULL AND answer1 >= {ANSWERED}
                    AND started1 < %(now)s - interval '14 days' AND closed1 < {CLOSED_UNANSWERED}
                THEN started1 + make_interval(secs => (24 + closed_after1 * 168) * {HOUR})
            END AS ended_at1,
            CASE WHEN answered_at1 IS NOT NULL AND follow_up < {FOLLOW_UP}
                    AND answered_at1 + make_interval(secs => (1 + gap * 47) * {HOUR}) < %(now)s
                THEN answered_at1 + make_interval(secs => (1 + gap * 47) * {HOUR})
            END AS started2,
            CASE WHEN within2 < {WITHIN_TARGET}
                THEN {FIRST_ANSWER_HOURS * HOUR} + floor(hours2 * (%(target)s - {HOUR}))
                ELSE %(target)s + 1
                    + floor(hours2 * ({LAST_ANSWER_HOURS * HOUR} - %(target)s - 1))
            END::integer AS seconds2
        FROM answered1
    ),
    seeded AS (
        SELECT clock2.*,
            n + 1 AS id,
            (%(neighbourhoods)s::bigint[])[1 + n %% {NEIGHBOURHOODS}] AS neighbourhood_id,
            (%(officers)s::bigint[])[1 + n %% {NEIGHBOURHOODS}] AS officer_id,
            (%(topics)s::text[])[1 + (n / {NEIGHBOURHOODS}) %% cardinality(%(topics)s::text[])]
                AS topic,
            CASE WHEN started2 IS NOT NULL AND answer2 < {ANSWERED}
                    AND started2 + make_interval(secs => seconds2) <= %(now)s
                THEN started2 + make_interval(secs => seconds2)
            END AS answered_at2,
            CASE WHEN started2 IS NOT NULL AND answer2 >= {ANSWERED}
                    AND started2 < %(now)s - interval '14 days' AND closed2 < {CLOSED_UNANSWERED}
                THEN started2 + make_interval(secs => (24 + closed_after2 * 168) * {HOUR})
            END AS ended_at2,
            CASE WHEN escalated < {RESIDENT_ESCALATED}
                    AND started1 + make_interval(secs => (72 + escalated_after * 48) * {HOUR})
                        <= %(now)s
                THEN started1 + make_interval(secs => (72 + escalated_after * 48) * {HOUR})
            END AS escalated_at
        FROM clock2
    ),
    latest AS (
        SELECT seeded.*,
            coalesce(started2, started1) AS clock_started,
            CASE WHEN started2 IS NULL THEN answered_at1 ELSE answered_at2 END AS answered_at,
            CASE WHEN started2 IS NULL THEN ended_at1 ELSE ended_at2 END AS ended_at
        FROM seeded
    ),
    queries AS (
        INSERT INTO {Query._meta.db_table} (
            id, reference, token_hash, neighbourhood_id, topic, message, name, email, phone,
            contact_preference, consented_at, status, assigned_officer_id, routing_reason,
            submitted_at, clock, clock_started_at, due_at, next_escalation_at,
            next_escalation_step, first_response_at, first_response_seconds,
            first_response_met_target, first_response_officer_id, resident_escalated_at,
            closed_at, outcome, urgent_reasons, source, language, created_at, updated_at
        )
        SELECT
            id, 'D' || lpad(n::text, 10, '0'), lpad(to_hex(n), 64, '0'), neighbourhood_id, topic,
            'Bench query.', 'Bench Resident', 'resident' || n || '@example.com', '', 'email',
            started1,
            CASE WHEN answered_at IS NOT NULL THEN 'answered'
                 WHEN ended_at IS NOT NULL THEN 'closed' ELSE 'open' END,
            officer_id, 'named officer', started1,
            CASE WHEN started2 IS NULL THEN 1 ELSE 2 END,
            clock_started, clock_started + make_interval(secs => %(target)s),
            CASE WHEN answered_at IS NULL AND ended_at IS NULL
                THEN clock_started + %(reminder)s END,
            CASE WHEN answered_at IS NULL AND ended_at IS NULL THEN %(reminder_step)s ELSE '' END,
            answered_at1,
            CASE WHEN answered_at1 IS NOT NULL THEN seconds1 END,
            CASE WHEN answered_at1 IS NOT NULL THEN seconds1 <= %(target)s END,
            CASE WHEN answered_at1 IS NOT NULL THEN officer_id END,
            escalated_at, ended_at, '', '[]'::jsonb, '', 'en-gb', %(now)s, %(now)s
        FROM latest
    )
    INSERT INTO {ResponseClock._meta.db_table} (
        query_id, number, neighbourhood_id, topic, started_at, due_at, answered_at,
        response_seconds, met_target, held_by_id, ended_at
    )
    SELECT id, 1, neighbourhood_id, topic, started1,
        started1 + make_interval(secs => %(target)s), answered_at1,
        CASE WHEN answered_at1 IS NOT NULL THEN seconds1 END,
        CASE WHEN answered_at1 IS NOT NULL THEN seconds1 <= %(target)s END,
        CASE WHEN answered_at1 IS NOT NULL THEN officer_id END,
        ended_at1
    FROM seeded
    UNION ALL
    SELECT id, 2, neighbourhood_id, topic, started2,
        started2 + make_interval(secs => %(target)s), answered_at2,
        CASE WHEN answered_at2 IS NOT NULL THEN seconds2 END,
        CASE WHEN answered_at2 IS NOT NULL THEN seconds2 <= %(target)s END,
        CASE WHEN answered_at2 IS NOT NULL THEN officer_id END,
        ended_at2
    FROM seeded
    WHERE started2 IS NOT NULL
"""


def grow_queries(
    areas: list[Area],
    *,
    first: int,
    count: int,
    now: datetime.datetime,
    scattered: bool = False,
) -> None:
    """Add the queries numbered first .. first + count - 1 (ids one more) and their clocks.

    They are written in the order they were sent, as a live table fills: the rows of one
    period lie together on disk, among those of earlier growths. `scattered` spreads each
    chunk over the whole span instead (each period's rows on every page of the table), the
    worst case for reading a period's rows from the table rather than from an index."""
    target = clock.target()
    reminder = clock.ladder()[0]
    params = {
        "now": now,
        "span": SPAN.total_seconds(),
        "target": int(target.total_seconds()),
        "neighbourhoods": [area.neighbourhood.pk for area in areas],
        "officers": [area.officer.pk for area in areas],
        "topics": list(Topic.values),
        "reminder": reminder.after,
        "reminder_step": reminder.name,
        "scattered": scattered,
        "growth_first": first,
        "growth_count": count,
    }
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {ResponseClock._meta.db_table}")
        (last_clock,) = cursor.fetchone()
    with _bulk_load():
        for start in range(first, first + count, CHUNK):
            last = min(start + CHUNK, first + count) - 1
            with connection.cursor() as cursor:
                cursor.execute(_SEEDED, {**params, "first": start, "last": last})
            print(f"  {last + 1:,} queries", flush=True)
    # The counts the triggers would have kept, added for the new clocks in one statement each.
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute(
            _COUNTS.counted(f"SELECT * FROM {ResponseClock._meta.db_table} WHERE id > {last_clock}")
        )
        cursor.execute("RESET work_mem")
    with connection.cursor() as cursor:
        for model in (Query, ResponseClock):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )


# The counts kept from the clocks, and the migration whose triggers keep them (and say how to
# count them again).
COUNTED = (
    ClockDay,
    ClockWeek,
    ClockAreaWeek,
    ClockMonth,
    RunningClocks,
    ResponseTimeDay,
    ResponseTimeWeek,
    ResponseTimeMonth,
    AnswerDay,
    AnswerWeek,
)
_COUNTS = importlib.import_module("queries.migrations.0018_clock_months")


@contextlib.contextmanager
def _bulk_load() -> Iterator[None]:
    """Write the queries and clocks without the clock table's triggers (the counts are added
    afterwards, once) nor, where the role may (a superuser, as `make bench`'s own server
    gives), the foreign key checks of every row: PostgreSQL's replica mode, for this session
    only. Other roles only switch the clock table's triggers off while loading."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        (superuser,) = cursor.fetchone()
        table = ResponseClock._meta.db_table
        if superuser:
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            yield
        finally:
            if superuser:
                cursor.execute("SET session_replication_role = origin")
            else:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def vacuum_analyse() -> None:
    """What autovacuum would have done to a table that grew over two years: the visibility map
    set (index-only scans skip the heap) and fresh statistics for the planner."""
    tables = [model._meta.db_table for model in (Query, ResponseClock, *COUNTED)]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        cursor.execute("ANALYZE")
        # A page is marked all-visible only once no running transaction could still miss its
        # rows; autovacuum analysing another of the new tables meanwhile holds such a snapshot
        # (at 1,000,000 queries a quarter of the queries table was left unmarked, and counting
        # 3 years of escalations read 19,000 rows from the heap: 37 ms instead of 3). Vacuum
        # again, as autovacuum would, until every page of a table is marked.
        for table in tables:
            for _ in range(3):
                cursor.execute(
                    "SELECT relallvisible < relpages FROM pg_class WHERE oid = %s::regclass",
                    [table],
                )
                if not cursor.fetchone()[0]:
                    break
                cursor.execute(f"VACUUM {table}")
