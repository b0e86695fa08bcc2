"""The SLA sweep and the retention run on the embedded SQLite database that `make run` uses.

The suite's database is PostgreSQL, so the portal runs in a process of its own on a fresh
SQLite file (tests/queries/sla_on_sqlite.py) and reports what the sweep and the retention did."""

import json
import os
import subprocess
import sys

import pytest

from tests.mutation_children import child_functions_count, child_functions_env, child_functions_read


@pytest.fixture(scope="module")
def child(tmp_path_factory) -> tuple[dict, list[str]]:
    """What the child reported, and the functions it called (for `make mutation`)."""
    var = tmp_path_factory.mktemp("var")
    # No REDIS_URL: the embedded cache and broker, as `make run` has them.
    env = {name: value for name, value in os.environ.items() if name != "REDIS_URL"}
    env |= {
        "DATABASE_URL": f"sqlite:///{var / 'portal.sqlite3'}",
        "VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "PYTHONWARNINGS": "ignore",
    }
    env |= child_functions_env(var)
    run = subprocess.run(
        [sys.executable, "-m", "tests.queries.sla_on_sqlite"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout), child_functions_read(var)


@pytest.fixture
def report(child) -> dict:
    report, functions = child
    # Under `make mutation`, this test (a child process: seconds) runs for the functions that
    # take a way of their own on SQLite; the suite on PostgreSQL covers the rest.
    child_functions_count(
        functions,
        only=[
            "queries.services.sla._claim_steps",
            "queries.services.sla._advance_all",
            "queries.services.sla._expired",
        ],
    )
    return report


def sweep(report: dict, number: int) -> dict:
    return report["sweeps"][number - 1]


def test_the_portal_ran_on_sqlite(report):
    assert report["vendor"] == "sqlite"


def test_the_first_sweep_reminds_the_named_officer_of_each_query_once(report):
    first = sweep(report, 1)
    named = report["officers"]["named"]

    assert first["taken"] == 3
    assert [(email["query"], email["to"]) for email in first["emails"]] == [
        ("Ann", [named]),
        ("Bob", [named]),
        ("Cat", [named]),
    ]
    assert all(email["subject"].startswith("Reminder") for email in first["emails"])


def test_each_reminded_query_moves_on_to_its_breach_at_72_hours(report):
    ladder = sweep(report, 1)["ladder"]

    assert {name: ladder[name]["next_step"] for name in ("Ann", "Bob", "Cat")} == {
        "Ann": "breach",
        "Bob": "breach",
        "Cat": "breach",
    }
    # Submitted a minute apart from 09:30 on 2 November: due 72 hours later.
    assert [ladder[name]["next_at"] for name in ("Ann", "Bob", "Cat")] == [
        "2026-11-05T09:30:00+00:00",
        "2026-11-05T09:31:00+00:00",
        "2026-11-05T09:32:00+00:00",
    ]
    assert ladder["Ann"]["steps"] == ["reminder"]
    assert ladder["Ann"]["events"].count("reminder") == 1


def test_a_closed_query_gets_no_step(report):
    for number in (1, 2, 3, 4):
        dan = sweep(report, number)["ladder"]["Dan"]
        assert dan["steps"] == []
        assert (dan["next_step"], dan["next_at"]) == ("", None)


def test_a_second_sweep_at_the_same_time_takes_nothing(report):
    first, second = sweep(report, 1), sweep(report, 2)

    assert second["taken"] == 0
    assert second["emails"] == []
    assert second["ladder"] == first["ladder"]


def test_a_late_sweep_takes_the_breach_and_escalation_of_unanswered_queries(report):
    third = sweep(report, 3)
    sergeant, inspector = report["officers"]["sergeant"], report["officers"]["inspector"]

    assert third["taken"] == 4
    sent = sorted(
        (email["query"], email["subject"].split(":")[0], email["to"]) for email in third["emails"]
    )
    assert sent == [
        ("Ann", "Escalated", [inspector, "opcc@example.police.uk"]),
        ("Ann", "Response target missed", [sergeant]),
        ("Bob", "Escalated", [inspector, "opcc@example.police.uk"]),
        ("Bob", "Response target missed", [sergeant]),
    ]
    for name in ("Ann", "Bob"):
        assert third["ladder"][name]["steps"] == ["breach", "escalation", "reminder"]
        assert (third["ladder"][name]["next_step"], third["ladder"][name]["next_at"]) == ("", None)


def test_a_query_answered_before_its_breach_gets_no_more_steps(report):
    cat = sweep(report, 3)["ladder"]["Cat"]

    assert cat["steps"] == ["reminder"]
    assert (cat["next_step"], cat["next_at"]) == ("", None)


def test_the_late_sweep_is_not_repeated(report):
    third, fourth = sweep(report, 3), sweep(report, 4)

    assert fourth["taken"] == 0
    assert fourth["emails"] == []
    assert fourth["ladder"] == third["ladder"]


def test_retention_anonymises_the_answered_and_the_closed_queries_once(report):
    # Cat's query was answered and never closed; Dan's closed and never answered: on SQLite a
    # missing time must not hide the last activity.
    assert report["anonymised"] == [2, 0]
    assert report["left"] == {"Ann": "open", "Bob": "open"}
    assert report["removed"] == [["", "[removed]"], ["", "[removed]"]]
