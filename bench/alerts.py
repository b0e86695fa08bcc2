"""Cost of sending alerts to 10,000 subscribers: one change to 10,000 immediate subscribers of
a neighbourhood, then the daily digest to 10,000 daily subscribers.

    make bench                        # on a throwaway PostgreSQL and Redis
    .venv/bin/python bench/alerts.py  # on DATABASE_URL, which must be an empty PostgreSQL

Migrates the database, seeds the subscribers with bulk inserts, records a change and runs the
send in this process (the task's function, not through a broker: the enqueues of the emails
are counted instead of sent). Prints the seconds (and the seconds per 10,000 subscribers), the
SQL statements in all, per batch of ALERT_BATCH_SIZE and per subscriber, the emails written
to the outbox and the enqueues made.
The goal: a constant number of statements per batch, about 0.01 per subscriber.
"""

import datetime
import math
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

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from alerts import changes, sending  # noqa: E402
from alerts.models import AlertChange, Subscriber  # noqa: E402
from alerts.tasks import send_alerts  # noqa: E402
from neighbourhoods.models import Force, Neighbourhood  # noqa: E402
from notifications import services as outbox  # noqa: E402
from notifications.models import OutboxEmail  # noqa: E402

SUBSCRIBERS = 10_000
CHANGES_IN_DIGEST = 3
SEED_BATCH = 5_000


def refuse_unless_empty_postgresql() -> None:
    if connection.vendor != "postgresql":
        sys.exit(
            "bench/alerts.py needs PostgreSQL (it measures the real statements): run "
            "`make bench`, or set DATABASE_URL to an empty PostgreSQL database."
        )
    call_command("migrate", verbosity=0)
    if Subscriber.objects.exists():
        sys.exit("bench/alerts.py seeds its own subscribers: give it an empty database.")


def seed_subscribers(neighbourhood: Neighbourhood, prefix: str, frequency: str) -> None:
    now = timezone.now()
    through = Subscriber.neighbourhoods.through
    for start in range(0, SUBSCRIBERS, SEED_BATCH):
        people = Subscriber.objects.bulk_create(
            Subscriber(
                email=f"{prefix}{n}@example.com",
                frequency=frequency,
                confirmed_at=now - datetime.timedelta(days=2),
                digest_covered_until=now - datetime.timedelta(days=1),
            )
            for n in range(start, min(start + SEED_BATCH, SUBSCRIBERS))
        )
        through.objects.bulk_create(
            through(subscriber_id=p.pk, neighbourhood_id=neighbourhood.pk) for p in people
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def record(neighbourhood: Neighbourhood, key: str) -> AlertChange:
    with transaction.atomic():
        return changes.alert_change_record(
            neighbourhood=neighbourhood,
            kind=AlertChange.Kind.EVENT,
            key=key,
            texts=lambda: (
                f"New event in {neighbourhood.name}: Beat meeting {key}",
                "When: Tuesday 6 October 2026 at 7pm\nWhere: Community Centre",
            ),
            path="/events/1/",
        )


class Enqueues:
    """Stands in for the broker: counts the tasks that would have been enqueued."""

    def __init__(self) -> None:
        self.calls = 0
        self.emails = 0

    def delay(self, email_ids: list[int]) -> None:
        self.calls += 1
        self.emails += len(email_ids)


def measured(run) -> tuple[float, int, int, Enqueues]:
    """Seconds, SQL statements and outbox rows written by `run()`, and its enqueues."""
    statements = 0

    def count(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    enqueues = Enqueues()
    # The outbox hands a batch's emails to the broker through _send_many_soon.
    real_send_many_soon = outbox._send_many_soon
    outbox._send_many_soon = enqueues.delay
    before = OutboxEmail.objects.count()
    try:
        with connection.execute_wrapper(count):
            started = time.perf_counter()
            run()
            seconds = time.perf_counter() - started
    finally:
        outbox._send_many_soon = real_send_many_soon
    return seconds, statements, OutboxEmail.objects.count() - before, enqueues


def report(label: str, seconds: float, statements: int, rows: int, enqueues: Enqueues) -> None:
    size = settings.ALERT_BATCH_SIZE
    # A run reads one batch past the last full one to learn there are no more subscribers.
    batches = math.ceil(SUBSCRIBERS / size) + (1 if SUBSCRIBERS % size == 0 else 0)
    print(f"{label}")
    print(f"  subscribers            {SUBSCRIBERS:>10,}")
    print(f"  seconds                {seconds:>10.2f}")
    print(f"  per 10,000 subscribers {seconds * 10_000 / SUBSCRIBERS:>10.2f} s")
    print(f"  SQL statements         {statements:>10,}")
    print(f"  batches of {size:<11} {batches:>10,}")
    print(f"  statements per batch   {statements / batches:>10.2f}")
    print(f"  statements/subscriber  {statements / SUBSCRIBERS:>10.4f}")
    print(f"  emails queued          {rows:>10,}")
    print(f"  enqueues (tasks)       {enqueues.calls:>10,} for {enqueues.emails:,} emails")


def main() -> None:
    refuse_unless_empty_postgresql()
    force, _ = Force.objects.get_or_create(slug="bench", defaults={"name": "Bench Constabulary"})
    now_area = Neighbourhood.objects.create(
        force=force, code="AL1", name="Bench Immediate", slug="bench-immediate"
    )
    daily_area = Neighbourhood.objects.create(
        force=force, code="AL2", name="Bench Daily", slug="bench-daily"
    )
    print(f"seeding {SUBSCRIBERS:,} immediate and {SUBSCRIBERS:,} daily subscribers", flush=True)
    seed_subscribers(now_area, "now", Subscriber.Frequency.IMMEDIATE)
    seed_subscribers(daily_area, "daily", Subscriber.Frequency.DAILY)

    # Recorded as a receiver records them, but sent here rather than by a worker.
    change = record(now_area, "bench:1")
    for number in range(CHANGES_IN_DIGEST):
        record(daily_area, f"bench:daily:{number}")

    print()
    report("One change, as it happens", *measured(lambda: send_alerts(change.pk)))
    print()
    later = timezone.now() + datetime.timedelta(seconds=1)
    report(
        f"Daily digest ({CHANGES_IN_DIGEST} changes each)",
        *measured(lambda: sending.alert_digests_send(now=later)),
    )


if __name__ == "__main__":
    main()
