"""Cost of the hotspot patrols pages as the logged patrols grow from 10,000 to 1,000,000.

    make bench                           # on a throwaway PostgreSQL and Redis
    .venv/bin/python bench/patrols.py    # on DATABASE_URL, which must be an empty PostgreSQL
    .venv/bin/python bench/patrols.py --sizes 10000,100000

Migrates the database and seeds 100 neighbourhoods in 8 divisions, an officer in each and three
hotspots in each (300), with plans over the last two years. Then grows the patrols to each size,
written by PostgreSQL with INSERT ... SELECT generate_series (each with its officer, one to
three hours long, with outcomes), spread evenly over the last two years, and rebuilds the
monthly tally the service keeps as each patrol is logged (PatrolMonth) from them, as it would
have been; then vacuums and analyses, as autovacuum would have.

At each size it requests through Django's test client (the whole view: form, selectors,
template), as a resident and as an OPCC user: the force's summary for last month, a
division's, a neighbourhood's, the CSV of the force, the OPCC panel, its CSV and one hotspot's
patrols (the drill-down). It prints the median of 5 requests and the SQL statements one request
ran, the ratio of the times at 1,000,000 to those at 10,000 (goal: at most 10), and whether the
statements stayed the same. For comparison, the same 12 months summed from the patrols
themselves rather than the tally (what the tally saves).
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum  # noqa: E402
from django.db.models.functions import TruncMonth  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from config.dates import LONDON  # noqa: E402
from config.roles import Role  # noqa: E402
from neighbourhoods.models import Division, Force, Neighbourhood  # noqa: E402
from officers.models import Assignment, Officer, Rank  # noqa: E402
from patrols.models import Hotspot, Patrol, PatrolMonth  # noqa: E402
from patrols.selectors import add_months, month_bounds, months_ending  # noqa: E402

SIZES = [10_000, 100_000, 1_000_000]
RATIO_SIZES = (10_000, 1_000_000)
RUNS = 5
GOAL = 10.0
NEIGHBOURHOODS, DIVISIONS, HOTSPOTS_EACH = 100, 8, 3
SPAN = datetime.timedelta(days=730)
CHUNK = 100_000
HOST = "localhost"


def refuse_unless_empty_postgresql() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/patrols.py needs PostgreSQL: run `make bench`, or set DATABASE_URL.")
    call_command("migrate", verbosity=0)
    if Patrol.objects.exists() or Hotspot.objects.exists():
        sys.exit("bench/patrols.py seeds its own patrols: give it an empty database.")


def seed_areas(today: datetime.date) -> tuple[list[int], list[int], str, str]:
    """The neighbourhoods, officers and hotspots; (hotspot ids, their officers' ids, a
    division's slug, a neighbourhood's slug)."""
    force, _ = Force.objects.get_or_create(slug="bench", defaults={"name": "Bench Constabulary"})
    divisions = [
        Division.objects.create(force=force, slug=f"division-{d}", name=f"Bench division {d}")
        for d in range(DIVISIONS)
    ]
    hotspots, officers = [], []
    for n in range(NEIGHBOURHOODS):
        neighbourhood = Neighbourhood.objects.create(
            force=force,
            division=divisions[n * DIVISIONS // NEIGHBOURHOODS],
            code=f"BP{n:03d}",
            name=f"Bench neighbourhood {n:03d}",
            slug=f"bench-{n:03d}",
        )
        officer = Officer.objects.create(
            display_name=f"Officer {n:03d}", rank=Rank.PC, email=f"officer.{n}@example.police.uk"
        )
        Assignment.objects.create(
            officer=officer,
            neighbourhood=neighbourhood,
            role=Assignment.Role.NAMED_OFFICER,
            start_date=today - SPAN,
        )
        for h in range(HOTSPOTS_EACH):
            hotspot = Hotspot.objects.create(
                neighbourhood=neighbourhood,
                name=f"Hotspot {n:03d}-{h}",
                reason="Reports of nuisance behaviour.",
                area={"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]},
                plan_starts_on=today - SPAN,
                plan_ends_on=today + datetime.timedelta(days=60),
                planned_hours=2000,
            )
            hotspots.append(hotspot.pk)
            officers.append(officer.pk)
    return hotspots, officers, divisions[0].slug, "bench-000"


def grow(*, start: int, stop: int, hotspots: list[int], officers: list[int], now) -> None:
    """Patrols numbered start..stop-1, spread evenly over SPAN before `now`, with officers."""
    first = now - SPAN
    step = SPAN.total_seconds() / (stop - start)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM patrols_patrol")
        last_id = cursor.fetchone()[0]
        for lo in range(start, stop, CHUNK):
            hi = min(lo + CHUNK, stop)
            cursor.execute(
                """
                INSERT INTO patrols_patrol (
                    hotspot_id, starts_at, ends_at, logged_by_id, people_engaged,
                    groups_dispersed, dispersal_orders, arrests, immediate_justice,
                    safeguarding, intelligence, note, created_at)
                SELECT (%(hotspots)s::int[])[1 + i %% %(count)s],
                       %(first)s + (i - %(start)s) * %(step)s * interval '1 second',
                       %(first)s + (i - %(start)s) * %(step)s * interval '1 second'
                           + (60 + (i %% 5) * 30) * interval '1 minute',
                       NULL, i %% 9, (i %% 7 = 0)::int, (i %% 31 = 0)::int, (i %% 13 = 0)::int,
                       (i %% 11 = 0)::int, (i %% 47 = 0)::int, (i %% 3 = 0)::int,
                       'A note for staff only.', now()
                FROM generate_series(%(lo)s, %(hi)s - 1) AS i
                ORDER BY i
                """,
                {
                    "hotspots": hotspots,
                    "count": len(hotspots),
                    "first": first,
                    "start": start,
                    "step": step,
                    "lo": lo,
                    "hi": hi,
                },
            )
        cursor.execute(
            """
            INSERT INTO patrols_patrol_officers (patrol_id, officer_id)
            SELECT p.id, m.officer_id
            FROM patrols_patrol p
            JOIN unnest(%s::int[], %s::int[]) AS m(hotspot_id, officer_id)
              ON m.hotspot_id = p.hotspot_id
            WHERE p.id > %s
            """,
            [hotspots, officers, last_id],
        )
        # The tally, as patrols.services keeps it when each patrol is logged.
        cursor.execute("TRUNCATE patrols_patrolmonth")
        cursor.execute(
            """
            INSERT INTO patrols_patrolmonth (
                hotspot_id, month, patrols, minutes, officer_minutes, people_engaged,
                groups_dispersed, dispersal_orders, arrests, immediate_justice, safeguarding,
                intelligence)
            SELECT p.hotspot_id,
                   date_trunc('month', p.starts_at AT TIME ZONE 'Europe/London')::date,
                   count(*),
                   sum(extract(epoch FROM p.ends_at - p.starts_at)::bigint / 60),
                   sum(extract(epoch FROM p.ends_at - p.starts_at)::bigint / 60 * c.n),
                   sum(p.people_engaged), sum(p.groups_dispersed), sum(p.dispersal_orders),
                   sum(p.arrests), sum(p.immediate_justice), sum(p.safeguarding),
                   sum(p.intelligence)
            FROM patrols_patrol p
            JOIN (SELECT patrol_id, count(*) AS n FROM patrols_patrol_officers
                  GROUP BY patrol_id) c ON c.patrol_id = p.id
            GROUP BY 1, 2
            """
        )
    with connection.cursor() as cursor:
        for table in ("patrols_patrol", "patrols_patrol_officers", "patrols_patrolmonth"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def clear_caches() -> None:
    for alias in ("default", "local"):
        caches[alias].clear()


class Statements:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _read(response) -> None:
    if response.streaming:
        b"".join(response.streaming_content)


def timed_page(client: Client, path: str) -> tuple[float, int]:
    response = client.get(path, HTTP_HOST=HOST)
    _read(response)
    assert response.status_code == 200, (path, response.status_code)
    seconds, counted = [], None
    for _ in range(RUNS):
        clear_caches()
        statements = Statements()
        with connection.execute_wrapper(statements):
            started = time.perf_counter()
            response = client.get(path, HTTP_HOST=HOST)
            _read(response)
            seconds.append(time.perf_counter() - started)
        counted = counted if counted is not None else statements.count
    return statistics.median(seconds), counted


def plain_aggregate(month: datetime.date) -> float:
    """The force's 12 months summed from the patrols themselves, not the tally: median seconds."""
    first, _ = month_bounds(months_ending(month)[0])
    _, end = month_bounds(month)
    seconds = []
    for _ in range(RUNS):
        started = time.perf_counter()
        list(
            Patrol.objects.filter(starts_at__gte=first, starts_at__lt=end)
            .annotate(month=TruncMonth("starts_at", tzinfo=LONDON))
            .order_by()
            .values("month")
            .annotate(
                patrols=Count("pk"),
                hotspots=Count("hotspot_id", distinct=True),
                time=Sum(ExpressionWrapper(F("ends_at") - F("starts_at"), DurationField())),
                arrests=Sum("arrests"),
            )
        )
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds)


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(str(size) for size in SIZES))
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    refuse_unless_empty_postgresql()
    now = timezone.now()
    today = timezone.localdate(now)
    hotspots, officers, division, neighbourhood = seed_areas(today)
    month = add_months(today.replace(day=1), -1)
    query = f"?month={month:%Y-%m}"
    User = get_user_model()
    opcc = User.objects.create_user("bench-opcc", password="bench-password-long")
    opcc.groups.add(Group.objects.get_or_create(name=Role.OPCC.value)[0])
    resident, staff = Client(), Client()
    staff.force_login(opcc)
    pages = {
        "force summary": (resident, f"/patrols/{query}"),
        "division summary": (resident, f"/patrols/{division}/{query}"),
        "neighbourhood summary": (resident, f"/neighbourhoods/{neighbourhood}/patrols/{query}"),
        "force CSV": (resident, f"/patrols/export.csv{query}"),
        "OPCC panel": (staff, f"/staff/dashboard/patrols/{query}"),
        "OPCC panel CSV": (staff, f"/staff/dashboard/patrols/export.csv{query}"),
        "hotspot drill-down": (staff, f"/staff/dashboard/patrols/hotspots/{hotspots[0]}/{query}"),
    }
    results: dict[str, list[tuple[float, int]]] = {name: [] for name in pages}
    plain = []
    done = 0
    for size in sizes:
        started = time.perf_counter()
        grow(start=done, stop=size, hotspots=hotspots, officers=officers, now=now)
        done = size
        print(
            f"seeded {size:,} patrols ({PatrolMonth.objects.count():,} tally rows) "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        for name, (client, path) in pages.items():
            results[name].append(timed_page(client, path))
        plain.append(plain_aggregate(month))

    small = sizes.index(RATIO_SIZES[0]) if RATIO_SIZES[0] in sizes else 0
    large = sizes.index(RATIO_SIZES[1]) if RATIO_SIZES[1] in sizes else len(sizes) - 1
    print(f"\nPatrols pages, median of {RUNS} requests, cache cleared (SQL statements per request)")
    print(f"{'page':<24}" + "".join(f"{size:>20,}" for size in sizes) + f"{'ratio':>10}")
    over, moving = [], []
    for name, per_size in results.items():
        cells = "".join(f"{milliseconds(s) + f' ({n})':>20}" for s, n in per_size)
        ratio = per_size[large][0] / per_size[small][0]
        if ratio > GOAL:
            over.append(name)
        if len({n for _s, n in per_size}) != 1:
            moving.append(name)
        print(f"{name:<24}{cells}{ratio:>10.2f}")
    cells = "".join(f"{milliseconds(s):>20}" for s in plain)
    print(f"{'(12 months, no tally)':<24}{cells}{plain[large] / plain[small]:>10.2f}")
    print(f"goal: ratio <= {GOAL:g}: {'met' if not over else 'NOT MET for ' + ', '.join(over)}")
    print("SQL statements constant: " + ("yes" if not moving else "NO for " + ", ".join(moving)))


if __name__ == "__main__":
    main()
