"""Sweeps running at the same time, or killed half-way, never repeat or lose a step."""

import datetime
import threading
from collections import Counter

import pytest
from django.db import connection

from notifications.models import OutboxEmail
from queries.models import EscalationStep, Query, QueryEvent
from queries.services import sla
from tests.queries.factories import QueryFactory, neighbourhood_with_team

pytestmark = pytest.mark.django_db(transaction=True)

SUBMITTED = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


@pytest.fixture(autouse=True)
def sent(monkeypatch) -> list[int]:
    """The emails handed to the sender after each commit (no broker needed here)."""
    handed_over: list[int] = []
    monkeypatch.setattr("notifications.services._send_soon", handed_over.append)
    monkeypatch.setattr("notifications.services._send_many_soon", handed_over.extend)
    return handed_over


def seed_due_queries(count: int) -> list[Query]:
    neighbourhood, officers = neighbourhood_with_team()
    return Query.objects.bulk_create(
        QueryFactory.build(
            neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=officers["named"]
        )
        for _ in range(count)
    )


def test_four_sweeps_at_once_take_every_step_exactly_once(time_machine, sent):
    time_machine.move_to(SUBMITTED, tick=False)
    queries = seed_due_queries(2000)
    now = SUBMITTED + 97 * HOUR  # reminder, breach and escalation are all due
    start = threading.Barrier(4)
    taken: list[int] = []
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            start.wait()
            taken.append(sla.sla_sweep(now=now, batch_size=50))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(taken) == 3 * 2000
    steps = Counter(EscalationStep.objects.values_list("query_id", "step"))
    assert len(steps) == 3 * 2000
    assert set(steps.values()) == {1}
    kinds = {"Reminder": "reminder", "Response target missed": "breach", "Escalated": "escalation"}
    emails = Counter(
        (query_id, next(kind for prefix, kind in kinds.items() if subject.startswith(prefix)))
        for query_id, subject in OutboxEmail.objects.values_list("query_link__query_id", "subject")
    )
    assert emails == steps
    assert len(sent) == 3 * 2000
    assert QueryEvent.objects.count() == 3 * 2000
    assert not Query.objects.filter(
        pk__in=[q.pk for q in queries], next_escalation_at__isnull=False
    ).exists()


def test_sweep_killed_mid_batch_leaves_nothing_half_done(time_machine, monkeypatch, sent):
    time_machine.move_to(SUBMITTED, tick=False)
    seed_due_queries(30)
    now = SUBMITTED + 49 * HOUR
    take_step = sla._take_step
    calls = 0

    def take_step_then_die(*args):
        nonlocal calls
        calls += 1
        if calls == 15:  # the fifth query of the second batch
            raise RuntimeError("worker killed")
        return take_step(*args)

    monkeypatch.setattr(sla, "_take_step", take_step_then_die)

    with pytest.raises(RuntimeError):
        sla.sla_sweep(now=now, batch_size=10)

    # The first batch committed whole; the second left no trace.
    assert EscalationStep.objects.count() == 10
    assert OutboxEmail.objects.count() == 10
    assert QueryEvent.objects.count() == 10
    assert len(sent) == 10
    advanced = Query.objects.filter(next_escalation_step="breach")
    assert set(advanced.values_list("pk", flat=True)) == set(
        EscalationStep.objects.values_list("query_id", flat=True)
    )

    monkeypatch.setattr(sla, "_take_step", take_step)
    assert sla.sla_sweep(now=now, batch_size=10) == 20

    assert EscalationStep.objects.count() == 30
    assert OutboxEmail.objects.count() == 30
    assert Query.objects.filter(next_escalation_step="breach").count() == 30
    assert len(sent) == 30
