"""Cost of the public events pages as the events table grows: the first page of the force-wide
list (/events/) and the force's calendar feed (/events/calendar.ics).

    make bench                        # on a throwaway PostgreSQL and Redis
    .venv/bin/python bench/events.py  # on DATABASE_URL, which must be an empty PostgreSQL

Migrates the database and seeds 1,000 events over 20 neighbourhoods, spread evenly from a year
ago to a year ahead (one in ten cancelled, one in ten with two registrations), then grows the
table to 10,000 and 50,000. At each size it requests both pages through Django's test client
(the whole view: form, selectors, template or iCalendar) and prints the median time, the SQL
statements each ran and the feed's size, and finally the ratio of the largest size's times to
the smallest's. The list's first page should cost about the same at every size; the feed
carries every event from 30 days ago to a year ahead, so building it grows with them; once
built it is served from the shared cache until an event changes, which the "cached" column
shows.
"""

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

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings.models import Event, Registration  # noqa: E402
from meetings.selectors import feed_events  # noqa: E402
from neighbourhoods.models import Force, Neighbourhood  # noqa: E402
from officers.models import Officer, Rank  # noqa: E402

SIZES = [1_000, 10_000, 50_000]
NEIGHBOURHOODS = 20
SPAN = datetime.timedelta(days=365)  # events from a year ago to a year ahead
BATCH = 5_000
RUNS = 5  # timed requests per page and size; the median is printed
HOST = "localhost"


def refuse_unless_empty_postgresql() -> None:
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/events.py needs PostgreSQL (it measures the real query plans): run "
            "`make bench`, or set DATABASE_URL to an empty PostgreSQL database."
        )
    call_command("migrate", verbosity=0)
    if Event.objects.exists():
        sys.exit("bench/events.py seeds its own events: give it an empty database.")


def seed_neighbourhoods() -> list[tuple[Neighbourhood, Officer]]:
    force, _ = Force.objects.get_or_create(slug="bench", defaults={"name": "Bench Constabulary"})
    seeded = []
    for n in range(NEIGHBOURHOODS):
        neighbourhood = Neighbourhood.objects.create(
            force=force, code=f"BE{n}", name=f"Bench neighbourhood {n}", slug=f"bench-{n}"
        )
        officer = Officer.objects.create(
            display_name=f"Organiser {n}", rank=Rank.PC, email=f"organiser{n}@example.police.uk"
        )
        seeded.append((neighbourhood, officer))
    return seeded


def grow_events(seeded, first: int, count: int, total: int, now: datetime.datetime) -> None:
    """Add events numbered first .. first + count - 1, spread so that the `total` events of
    this size cover the span evenly."""
    types = list(Event.Type)
    for start in range(first, first + count, BATCH):
        numbers = range(start, min(start + BATCH, first + count))
        events = []
        for number in numbers:
            neighbourhood, organiser = seeded[number % len(seeded)]
            # A position in [-1, 1) by a low-discrepancy sequence: every size covers the span.
            position = ((number * 0.6180339887) % 1.0) * 2 - 1
            starts_at = now + SPAN * position
            events.append(
                Event(
                    neighbourhood=neighbourhood,
                    organiser=organiser,
                    event_type=types[number % len(types)],
                    title=f"Bench event {number}",
                    description="Meet the team.",
                    venue_name="Community Centre",
                    address="1 High Street",
                    postcode="DE1 1AA",
                    capacity=30,
                    starts_at=starts_at,
                    ends_at=starts_at + datetime.timedelta(hours=1, minutes=30),
                    status=Event.Status.CANCELLED if number % 10 == 0 else Event.Status.SCHEDULED,
                )
            )
        created = Event.objects.bulk_create(events)
        Registration.objects.bulk_create(
            Registration(
                event=event,
                name="Bench Resident",
                email=f"resident{event.pk}.{seat}@example.com",
                cancel_token_hash=f"{event.pk:056x}{seat:08x}",
            )
            for event in created
            if event.pk % 10 == 5
            for seat in range(2)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  {total:,} events", flush=True)


def timed(client: Client, path: str, *, cached: bool = False) -> tuple[float, int, int]:
    """Median seconds over RUNS requests, SQL statements of one request, and its size. With
    `cached`, the shared cache is kept, as a calendar app polling the feed finds it."""
    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    response = client.get(path, HTTP_HOST=HOST)  # warm-up: templates compiled, caches filled
    assert response.status_code == 200, (path, response.status_code)
    seconds = []
    for run in range(RUNS):
        if not cached:
            cache.clear()  # nothing served from a cache: the view builds the page each time
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            response = client.get(path, HTTP_HOST=HOST)
            seconds.append(time.perf_counter() - started)
        if run == 0:
            first_statements = statements
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(seconds), first_statements, len(response.content)


def main() -> None:
    refuse_unless_empty_postgresql()
    now = timezone.now()
    seeded = seed_neighbourhoods()
    client = Client()
    list_path, feed_path = reverse("meetings:list"), reverse("meetings:force_feed")
    results = []
    existing = 0
    print("seeding")
    for size in SIZES:
        grow_events(seeded, existing, size - existing, size, now)
        existing = size
        listed = timed(client, list_path)
        feed = timed(client, feed_path)
        feed_cached = timed(client, feed_path, cached=True)
        results.append((size, listed, feed, feed_cached, feed_events().count()))

    print()
    print(
        f"{'events':>8}  {'list page 1':>12} {'SQL':>4}  {'force feed':>11} {'SQL':>4} "
        f"{'cached':>9} {'SQL':>4} {'in feed':>8} {'size':>9}"
    )
    for size, listed, feed, cached, carried in results:
        print(
            f"{size:>8,}  {listed[0] * 1000:>9.1f} ms {listed[1]:>4}  {feed[0] * 1000:>8.1f} ms "
            f"{feed[1]:>4} {cached[0] * 1000:>6.1f} ms {cached[1]:>4} {carried:>8,} "
            f"{feed[2] / 1024:>6,.0f} KB"
        )
    small, small_list, small_feed, small_cached, small_carried = results[0]
    large, large_list, large_feed, large_cached, large_carried = results[-1]
    print(
        f"ratio {large:,} / {small:,} events: list page 1 {large_list[0] / small_list[0]:.2f}, "
        f"force feed built {large_feed[0] / small_feed[0]:.2f} "
        f"(for {large_carried / small_carried:.1f} times the events in the feed), "
        f"force feed cached {large_cached[0] / small_cached[0]:.2f}"
    )


if __name__ == "__main__":
    main()
