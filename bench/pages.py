"""Throughput of the public neighbourhood page under concurrent load, as a ratio to a bare
"hello" Django view served the same way (same gunicorn, middleware and database).

    make bench                      # on a throwaway PostgreSQL and Redis
    .venv/bin/python bench/pages.py # on whatever DATABASE_URL / REDIS_URL say (else embedded)

Loads the demo data plus 300 events, 300 priorities and 200 team members on one neighbourhood,
starts gunicorn, and drives it with wrk (Debian's `wrk` package; installed when missing and
running as root). Goal: page / hello >= 0.7, in English and in Welsh (the same pages under /cy/,
when the portal offers Welsh).
"""

import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DJANGO_DEBUG", "false")

DURATION = os.environ.get("BENCH_SECONDS", "10")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
WORKERS = os.environ.get("BENCH_WORKERS", "2")
SLUG = "derby-city-centre"  # given 300 events, 300 priorities and 200 team members
TYPICAL_SLUG = "normanton"  # as the demo data has it


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, capture_output=True)
        return shutil.which("wrk") or sys.exit("wrk did not install")
    sys.exit("bench/pages.py needs wrk: apt-get install wrk")


def seed() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from engagement.models import Priority
    from meetings.models import Event
    from neighbourhoods.models import Neighbourhood
    from officers.models import Assignment, Officer, Rank

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    neighbourhood = Neighbourhood.objects.get(slug=SLUG)
    if neighbourhood.priorities.count() < 300:
        Priority.objects.bulk_create(
            Priority(
                neighbourhood=neighbourhood,
                issue=f"Bench issue {n}",
                issue_date=timezone.localdate(),
            )
            for n in range(300)
        )
        start = timezone.now() + datetime.timedelta(days=1)
        Event.objects.bulk_create(
            Event(
                neighbourhood=neighbourhood,
                event_type="beat_meeting",
                title=f"Bench meeting {n}",
                starts_at=start + datetime.timedelta(hours=n),
                ends_at=start + datetime.timedelta(hours=n, minutes=45),
            )
            for n in range(300)
        )
        officers = Officer.objects.bulk_create(
            Officer(display_name=f"Bench officer {n}", rank=Rank.PCSO, collar_number=f"B{n}")
            for n in range(200)
        )
        Assignment.objects.bulk_create(
            Assignment(
                officer=officer,
                neighbourhood=neighbourhood,
                role="team",
                start_date=timezone.localdate(),
            )
            for officer in officers
        )
    from django.db import connection

    from dashboards.public import scorecards_refresh

    # As the beat keeps them: each page's scorecard panel reads its figures from the cache.
    scorecards_refresh()
    print(f"database: {connection.vendor}; cache: {os.environ.get('REDIS_URL') or 'file'}")
    connection.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str) -> None:
    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer {url}")


def requests_per_second(wrk: str, url: str) -> float:
    subprocess.run([wrk, "-t2", "-c4", "-d2s", url], check=True, capture_output=True)  # warm up
    out = subprocess.run(
        [wrk, "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        sys.exit(f"{url}: {errors.group(1)} error responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    wrk = ensure_wrk()
    seed()
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "bench._pages_wsgi:application",
            "--workers",
            WORKERS,
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/bench/hello/")
        wait_for(f"{base}/neighbourhoods/{SLUG}/")
        hello = requests_per_second(wrk, f"{base}/bench/hello/")
        page = requests_per_second(wrk, f"{base}/neighbourhoods/{SLUG}/")
        typical = requests_per_second(wrk, f"{base}/neighbourhoods/{TYPICAL_SLUG}/")
        from django.conf import settings

        welsh = {}
        if "cy" in dict(settings.LANGUAGES):
            for slug in (SLUG, TYPICAL_SLUG):
                wait_for(f"{base}/cy/neighbourhoods/{slug}/")
                welsh[slug] = requests_per_second(wrk, f"{base}/cy/neighbourhoods/{slug}/")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"gunicorn workers: {WORKERS}, connections: {CONNECTIONS}, {DURATION}s each")
    print(f"hello view:                               {hello:8,.0f} requests/s")
    print(f"neighbourhood page, 300 events/priorities: {page:8,.0f} requests/s")
    print(f"neighbourhood page, typical:              {typical:8,.0f} requests/s")
    print(f"ratio busy page / hello:    {page / hello:6.2f}   (goal >= 0.70)")
    print(f"ratio typical page / hello: {typical / hello:6.2f}   (goal >= 0.70)")
    if welsh:
        busy_cy, typical_cy = welsh[SLUG], welsh[TYPICAL_SLUG]
        print(f"Welsh page, 300 events/priorities:        {busy_cy:8,.0f} requests/s")
        print(f"Welsh page, typical:                      {typical_cy:8,.0f} requests/s")
        print(f"ratio Welsh busy page / hello:    {busy_cy / hello:6.2f}   (goal >= 0.70)")
        print(f"ratio Welsh typical page / hello: {typical_cy / hello:6.2f}   (goal >= 0.70)")


if __name__ == "__main__":
    main()
