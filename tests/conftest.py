"""Fixtures shared by the whole suite: users per role, a real SMTP server, and the header."""

import os
import sqlite3
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import settings as hypothesis_settings

# Playwright's sync API runs an event loop in the test thread; the ORM calls a browser test
# makes around it (creating users, reading rows) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Generated-input tests (Hypothesis, and Schemathesis on the API): a moderate number of examples
# and no per-example deadline, since a shared machine's timings vary. HYPOTHESIS_PROFILE=thorough
# runs many more, for a search before a release.
hypothesis_settings.register_profile("portal", max_examples=100, deadline=None, print_blob=True)
hypothesis_settings.register_profile("thorough", max_examples=2000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "portal"))

pytest_plugins = [
    "tests.fixtures.roles",
    "tests.fixtures.mail",
    "tests.fixtures.browser",
    "tests.fixtures.celery_worker",
    "tests.fixtures.team",
    "tests.fixtures.clock",
    "tests.fixtures.oidc",
    "tests.fixtures.asb",
    "tests.fixtures.patrols",
]


def _database_description() -> str:
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        with psycopg.connect(**params) as raw:
            version = raw.execute("SHOW server_version").fetchone()[0]
        return f"PostgreSQL {version}"
    return f"{connection.vendor} {sqlite3.sqlite_version}"


def _broker_description() -> str:
    url = settings.CELERY_BROKER_URL
    scheme = urlsplit(url).scheme
    if scheme.startswith("redis"):
        import redis

        version = redis.Redis.from_url(url).info()["redis_version"]
        return f"Redis {version} at {urlsplit(url).netloc}"
    return f"{scheme} (embedded)"


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch):
    """Each test starts with an empty cache: Redis outlives the per-test database rollback."""
    from django.core.cache import cache

    from config.cache_backends import cache_pauses_forget
    from config.caching import forget_local_state
    from config.publishing import publishing_resume

    # A test that stopped the broker or the cache must not leave the next one skipping them.
    cache_pauses_forget()
    publishing_resume()
    cache.clear()
    forget_local_state()
    # The per-process postcode locator is keyed by a counter in the cache, just cleared: a
    # locator built by an earlier test would pass for fresh.
    monkeypatch.setattr("neighbourhoods.geo._cached", None)
    yield


def pytest_report_header(config: pytest.Config) -> list[str]:
    return [f"database: {_database_description()}", f"broker and cache: {_broker_description()}"]


# --- The outage drills' reports (tests/drills) -------------------------------------------------
# Each drill's one-line report travels with its test's report (its `user_properties`), so it
# reaches this summary from whichever test process ran the drill. These hooks live here: the
# process that prints the summary does not collect the tests, and loads no other conftest.
DRILL_REPORTS: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "teardown":
        DRILL_REPORTS.extend(line for name, line in report.user_properties if name == "drill")


def pytest_terminal_summary(terminalreporter) -> None:
    if DRILL_REPORTS:
        terminalreporter.section("outage drills")
        for line in DRILL_REPORTS:
            terminalreporter.write_line(line)
