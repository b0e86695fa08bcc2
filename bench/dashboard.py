"""Cost of the OPCC dashboard as the queries grow from 10,000 to 1,000,000.

    make bench                             # on a throwaway PostgreSQL and Redis
    .venv/bin/python bench/dashboard.py    # on DATABASE_URL, which must be an empty PostgreSQL
    .venv/bin/python bench/dashboard.py --sizes 10000,100000 --explain
    DASHBOARD_BENCH_3M=1 make bench        # and 3,000,000 queries too (about 3,300,000 clocks)

Migrates the database and seeds 100 neighbourhoods in 8 divisions and 10,000 queries with
their response clocks, spread over the last two years (bench/_seed_queries.py says the mix:
90% answered, 85% of those within the target, 8% followed up, 2% escalated by the resident,
the rest closed unanswered, running, at risk or breached). Then grows them to 100,000 and
1,000,000 (and 3,000,000 with --three-million or DASHBOARD_BENCH_3M=1: a few minutes more),
written by PostgreSQL with INSERT ... SELECT generate_series with the clock table's triggers
off, the counts they keep added afterwards in one statement each, and vacuums and analyses
after each growth, as autovacuum would have.

At each size it requests the dashboard through Django's test client as an OPCC user (the whole
view: filters, selectors, template), with the cache cleared before every request: the default
page (the force, the last 28 days), the last 90 days, 12 months and 3 years, and one division
for 28 days and 3 years. It prints the median of 5 requests and the SQL statements one request
ran, then each selector's own time for every page, and the ratio of the times at 1,000,000 to
those at 10,000 (goal: at most 2, for 100 times the rows: the cost must not grow with
history; with 3,000,000, its ratio to 10,000 too), and the force's 12-month page at 1,000,000
(goal: under 150 ms). The slowest statements of each page at the largest size are printed
too; with --explain, or when a page misses the goal, with their EXPLAIN ANALYZE. Last, the
load average around each size's timings: the machine may be shared, and its other work shows
in the times.

The rows are written in the order their queries came, as in a live table (a period's clocks lie
together on disk); --scattered writes them all over the table instead, the worst case.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench import _seed_queries as seed  # noqa: E402
from dashboards.periods import period_for  # noqa: E402
from dashboards.selectors import sla as selectors  # noqa: E402
from officers.scopes import scope_for  # noqa: E402
from queries.models import Query, ResponseClock  # noqa: E402

SIZES = [10_000, 100_000, 1_000_000]
THREE_MILLION = 3_000_000
# The ratio compares these sizes (the largest and smallest run when either is missing).
RATIO_SIZES = (10_000, 1_000_000)
RUNS = 5  # timed requests per page and size; the median is printed
SELECTOR_RUNS = 3
GOAL = 2.0
YEAR_PAGE = "force, 365 days"
YEAR_PAGE_GOAL = 0.150  # seconds, at 1,000,000 queries
HOST = "localhost"
SLOWEST = 3  # statements shown per page at the largest size
DRILLDOWN_PAGE = 25


def refuse_unless_empty_postgresql() -> None:
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/dashboard.py needs PostgreSQL (it measures the real query plans): run "
            "`make bench`, or set DATABASE_URL to an empty PostgreSQL database."
        )
    call_command("migrate", verbosity=0)
    if Query.objects.exists():
        sys.exit("bench/dashboard.py seeds its own queries: give it an empty database.")


def clear_caches() -> None:
    for alias in ("default", "local"):
        caches[alias].clear()


class Statements:
    """Counts and times the SQL statements run inside it."""

    def __init__(self) -> None:
        self.timed: list[tuple[float, str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.timed.append((time.perf_counter() - started, sql, params))


def timed_page(client: Client, path: str) -> tuple[float, Statements]:
    """Median seconds over RUNS requests, each with the cache cleared first, and the
    statements of the first timed request."""
    response = client.get(path, HTTP_HOST=HOST)  # warm-up: templates compiled, session read
    assert response.status_code == 200, (path, response.status_code)
    seconds = []
    first = None
    for _ in range(RUNS):
        clear_caches()
        statements = Statements()
        with connection.execute_wrapper(statements):
            started = time.perf_counter()
            response = client.get(path, HTTP_HOST=HOST)
            seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code)
        first = first or statements
    return statistics.median(seconds), first


def selector_calls(scope, period, now) -> dict[str, Callable[[], object]]:
    def drilldown():
        # As the page does: the number from the running counts where they are kept.
        found = selectors.drilldown(scope=scope, period=period, figure="breached", now=now)
        count = selectors.drilldown_count(scope=scope, period=period, figure="breached", now=now)
        return found.count() if count is None else count, list(found[:DRILLDOWN_PAGE])

    return {
        "sla_figures": lambda: selectors.sla_figures(scope=scope, period=period, now=now),
        "weekly_trend": lambda: selectors.weekly_trend(scope=scope, period=period),
        "neighbourhood_table": lambda: selectors.neighbourhood_table(
            scope=scope, period=period, now=now
        ),
        "topic_table": lambda: selectors.topic_table(scope=scope, period=period),
        "guarantee_panel": lambda: selectors.guarantee_panel(scope=scope, now=now),
        "drilldown breached": drilldown,
    }


def timed_selectors(user, params: dict[str, str]) -> dict[str, tuple[float, int]]:
    """Each selector's median seconds over SELECTOR_RUNS calls and its SQL statements, for the
    scope and period the page's parameters name."""
    now = timezone.now()
    scope = scope_for(user, params.get("scope"))
    period = period_for(
        preset=params.get("period", "28"),
        first_day=None,
        last_day=None,
        today=timezone.localdate(now),
    )
    results = {}
    for name, call in selector_calls(scope, period, now).items():
        seconds = []
        for _ in range(SELECTOR_RUNS):
            clear_caches()
            statements = Statements()
            with connection.execute_wrapper(statements):
                started = time.perf_counter()
                call()
                seconds.append(time.perf_counter() - started)
        results[name] = (statistics.median(seconds), len(statements.timed))
    return results


def in_period(days: int, now: datetime.datetime) -> int:
    return ResponseClock.objects.filter(started_at__gte=now - datetime.timedelta(days=days)).count()


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def milliseconds(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(size) for size in SIZES),
        help="queries at each step, increasing, comma-separated (default: %(default)s)",
    )
    parser.add_argument(
        "--three-million",
        action="store_true",
        default=os.environ.get("DASHBOARD_BENCH_3M", "") not in ("", "0"),
        help="grow to 3,000,000 queries after the other sizes (also DASHBOARD_BENCH_3M=1)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="EXPLAIN ANALYZE the slowest statements of each page at the largest size",
    )
    parser.add_argument(
        "--scattered",
        action="store_true",
        help="write each period's rows all over the table, not together as a live table has them",
    )
    arguments = parser.parse_args()
    arguments.sizes = [int(size.replace("_", "")) for size in arguments.sizes.split(",")]
    if arguments.three_million and THREE_MILLION not in arguments.sizes:
        arguments.sizes.append(THREE_MILLION)
    if arguments.sizes != sorted(set(arguments.sizes)) or arguments.sizes[0] <= 0:
        parser.error("--sizes must be positive and increasing")
    return arguments


def size_text(size: int) -> str:
    for unit, name in [(1_000_000, "M"), (1_000, "k")]:
        if size >= unit and size % unit == 0:
            return f"{size // unit:,}{name}"
    return f"{size:,}"


def ratio_columns(sizes: list[int]) -> tuple[int, int]:
    """The positions of the sizes the ratio compares: 10k and 1M when both ran."""
    if all(size in sizes for size in RATIO_SIZES):
        return sizes.index(RATIO_SIZES[0]), sizes.index(RATIO_SIZES[1])
    return 0, len(sizes) - 1


def ratio_label(sizes: list[int]) -> str:
    small, large = ratio_columns(sizes)
    return f"{size_text(sizes[large])}/{size_text(sizes[small])}"


def extra_ratio(sizes: list[int]) -> tuple[str, int] | None:
    """The label and position of the largest size, when it is beyond those the goal compares
    (3M): its ratio to the smallest is printed too, for information."""
    small, large = ratio_columns(sizes)
    if len(sizes) - 1 > large:
        return f"{size_text(sizes[-1])}/{size_text(sizes[small])}", len(sizes) - 1
    return None


def print_pages(sizes: list[int], results: dict[str, list[tuple[float, Statements]]]) -> list[str]:
    """The page table; returns the pages over the goal."""
    small, large = ratio_columns(sizes)
    label = f"ratio {ratio_label(sizes)}"
    extra = extra_ratio(sizes)
    print(
        f"The dashboard page, median of {RUNS} requests, cache cleared (SQL statements per request)"
    )
    print(
        f"{'page':<20}"
        + "".join(f"{size:>20,}" for size in sizes)
        + f"{label:>16}"
        + (f"{'ratio ' + extra[0]:>16}" if extra else "")
    )
    over = []
    for name, per_size in results.items():
        cells = "".join(
            f"{milliseconds(seconds) + f' ({len(statements.timed)})':>20}"
            for seconds, statements in per_size
        )
        ratio = per_size[large][0] / per_size[small][0]
        if ratio > GOAL:
            over.append(name)
        beyond = f"{per_size[extra[1]][0] / per_size[small][0]:>16.2f}" if extra else ""
        print(f"{name:<20}{cells}{ratio:>16.2f}{beyond}")
    verdict = "met" if not over else f"NOT MET for {', '.join(over)}"
    print(f"goal: ratio <= {GOAL:g} for every page: {verdict}")
    if YEAR_PAGE in results and 1_000_000 in sizes:
        seconds = results[YEAR_PAGE][sizes.index(1_000_000)][0]
        met = "met" if seconds < YEAR_PAGE_GOAL else "NOT MET"
        print(
            f"{YEAR_PAGE} at 1M: {milliseconds(seconds)} "
            f"(goal: under {milliseconds(YEAR_PAGE_GOAL)}: {met})"
        )
    return over


def print_selectors(
    sizes: list[int], results: dict[str, list[dict[str, tuple[float, int]]]]
) -> list[str]:
    """The selector table; returns the selectors over the goal."""
    small, large = ratio_columns(sizes)
    extra = extra_ratio(sizes)
    print(
        f"Each selector, median of {SELECTOR_RUNS} calls (SQL statements per call), "
        f"ratio {ratio_label(sizes)}" + (f" and {extra[0]}" if extra else "")
    )
    over = []
    for name, per_size in results.items():
        print(f"  {name}")
        for selector in per_size[0]:
            cells = "".join(
                f"{milliseconds(timed[selector][0]) + f' ({timed[selector][1]})':>20}"
                for timed in per_size
            )
            ratio = per_size[large][selector][0] / per_size[small][selector][0]
            if ratio > GOAL:
                over.append(f"{selector} ({name})")
            beyond = (
                f"{per_size[extra[1]][selector][0] / per_size[small][selector][0]:>12.2f}"
                if extra
                else ""
            )
            print(f"    {selector:<22}{cells}{ratio:>12.2f}{beyond}")
    verdict = "met" if not over else f"NOT MET for {', '.join(over)}"
    print(f"goal: ratio <= {GOAL:g} for every selector: {verdict}")
    return over


def print_slowest(
    size: int, results: dict[str, list[tuple[float, Statements]]], explained: set[str]
) -> None:
    """The slowest statements of one request of each page at the last size, with their plans
    for the pages in `explained`."""
    print(f"Slowest statements of one request at {size:,} queries")
    for name, per_size in results.items():
        statements = sorted(per_size[-1][1].timed, key=lambda timed: timed[0], reverse=True)
        print(f"  {name}")
        for seconds, sql, params in statements[:SLOWEST]:
            print(f"    {milliseconds(seconds):>10}  {' '.join(sql.split())[:150]}")
            if name in explained:
                print("      " + explain(sql, params).replace("\n", "\n      "))


def main() -> None:
    arguments = parse_arguments()
    sizes = arguments.sizes
    began = time.perf_counter()
    refuse_unless_empty_postgresql()
    now = timezone.now()
    areas = seed.seed_areas(now=now)
    user = seed.seed_opcc_user()
    # The bench measures the dashboard, not the second factor a staff session must give first.
    settings.MFA_SKIP_USERNAMES = [*settings.MFA_SKIP_USERNAMES, user.get_username()]
    client = Client()
    client.force_login(user)
    index = reverse("dashboard:index")
    pages = {
        "force, 28 days": {},
        "force, 90 days": {"period": "90"},
        YEAR_PAGE: {"period": "365"},
        "force, 3 years": {"period": "1095"},
        "division, 28 days": {"scope": f"division:{areas[0].division.slug}"},
        "division, 3 years": {"scope": f"division:{areas[0].division.slug}", "period": "1095"},
    }

    page_results: dict[str, list[tuple[float, Statements]]] = {name: [] for name in pages}
    selector_results: dict[str, list[dict[str, tuple[float, int]]]] = {name: [] for name in pages}
    existing = 0
    loads: list[tuple[int, float, float]] = []
    for size in sizes:
        print(f"seeding {size:,} queries", flush=True)
        started = time.perf_counter()
        seed.grow_queries(
            areas,
            first=existing,
            count=size - existing,
            now=now,
            scattered=arguments.scattered,
        )
        seed.vacuum_analyse()
        existing = size
        print(
            f"  seeded in {time.perf_counter() - started:,.1f} s: "
            f"{ResponseClock.objects.count():,} clocks, {in_period(28, now):,} started in the "
            f"last 28 days, {in_period(90, now):,} in the last 90",
            flush=True,
        )
        # Other work on the machine shows in the times: say how busy it was.
        before = os.getloadavg()[0]
        for name, params in pages.items():
            path = f"{index}?{urlencode(params)}" if params else index
            page_results[name].append(timed_page(client, path))
            selector_results[name].append(timed_selectors(user, params))
        loads.append((size, before, os.getloadavg()[0]))
        print(f"  load average {before:.1f} before timing, {loads[-1][2]:.1f} after", flush=True)

    print()
    over = print_pages(sizes, page_results)
    print()
    print_selectors(sizes, selector_results)
    print()
    print_slowest(sizes[-1], page_results, set(pages) if arguments.explain else set(over))
    # The machine may be shared: the 1-minute load average around each size's timings.
    print(f"\nload average (1 minute) on {os.cpu_count()} cores, before and after timing:")
    for size, before, after in loads:
        print(f"  {size_text(size):>6}: {before:.1f} / {after:.1f}")
    print(f"\nwhole run: {time.perf_counter() - began:,.0f} s")


if __name__ == "__main__":
    main()
