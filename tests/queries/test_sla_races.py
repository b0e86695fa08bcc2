"""Sweeps running at the same time, or killed half-way, never repeat or lose a step."""

import base64
import datetime
import json
import threading
from collections import Counter

import pytest
import redis
from django.conf import settings
from django.db import connection
from time_machine import travel

from config import celery_app
from notifications.models import OutboxEmail
from notifications.tasks import send_outbox_email, send_outbox_emails
from queries.models import EscalationStep, Query, QueryEvent
from queries.services import sla
from tests.fixtures.celery_worker import running_worker, wait_until_worker_idle
from tests.locks import row_held_elsewhere
from tests.queries.factories import QueryFactory, neighbourhood_with_team, sweep_dies_at_step
from tests.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

SUBMITTED = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)
# Enough for four sweeps of 50-query batches to overlap many times over (2,000 ran the test
# four times as long, and it runs for every change mutation testing makes to the sweep).
QUERIES = 500


@pytest.fixture(autouse=True)
def empty_queue() -> None:
    """No message left in the broker by an earlier test."""
    celery_app.control.purge()


def handed_to_broker() -> list[int]:
    """The outbox emails whose sending waits in the real broker's queue, one entry for each
    time an email was handed over (no worker takes them here)."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    email_ids: list[int] = []
    for raw in client.lrange(celery_app.conf.task_default_queue, 0, -1):
        message = json.loads(raw)
        args = json.loads(base64.b64decode(message["body"]))[0]
        task = message["headers"]["task"]
        if task == send_outbox_email.name:
            email_ids.append(args[0])
        elif task == send_outbox_emails.name:
            email_ids.extend(args[0])
    client.close()
    return email_ids


def seed_due_queries(count: int) -> list[Query]:
    neighbourhood, officers = neighbourhood_with_team()
    return Query.objects.bulk_create(
        QueryFactory.build(
            neighbourhood=neighbourhood, submitted_at=SUBMITTED, assigned_officer=officers["named"]
        )
        for _ in range(count)
    )


def test_four_sweeps_at_once_take_every_step_exactly_once(time_machine):
    time_machine.move_to(SUBMITTED, tick=False)
    queries = seed_due_queries(QUERIES)
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
    assert sum(taken) == 3 * QUERIES
    steps = Counter(EscalationStep.objects.values_list("query_id", "step"))
    assert len(steps) == 3 * QUERIES
    assert set(steps.values()) == {1}
    emails = Counter(
        (query_id, template.removeprefix("queries/email/"))
        for query_id, template in OutboxEmail.objects.values_list(
            "query_link__query_id", "template"
        )
    )
    assert emails == steps
    handed_over = handed_to_broker()
    assert len(handed_over) == 3 * QUERIES
    assert set(handed_over) == set(OutboxEmail.objects.values_list("pk", flat=True))
    assert QueryEvent.objects.count() == 3 * QUERIES
    assert not Query.objects.filter(
        pk__in=[q.pk for q in queries], next_escalation_at__isnull=False
    ).exists()


def test_sweep_killed_mid_batch_leaves_nothing_half_done(monkeypatch, smtp_server):
    """The worker running the sweep dies half-way through a batch's transaction. Nothing real
    can kill it at that exact point, so `_take_step` raises there: the fault injected is the
    process dying, everything else (the database, the broker, the worker that then sends the
    emails, the SMTP server) is real."""
    with travel(SUBMITTED, tick=False):
        seed_due_queries(30)
        now = SUBMITTED + 49 * HOUR
        take_step = sweep_dies_at_step(monkeypatch, 15)  # the fifth query of the second batch

        with pytest.raises(RuntimeError):
            sla.sla_sweep(now=now, batch_size=10)

        # The first batch committed whole; the second left no trace.
        assert EscalationStep.objects.count() == 10
        assert OutboxEmail.objects.count() == 10
        assert QueryEvent.objects.count() == 10
        assert sorted(handed_to_broker()) == sorted(
            OutboxEmail.objects.values_list("pk", flat=True)
        )
        advanced = Query.objects.filter(next_escalation_step="breach")
        assert set(advanced.values_list("pk", flat=True)) == set(
            EscalationStep.objects.values_list("query_id", flat=True)
        )

        monkeypatch.setattr(sla, "_take_step", take_step)
        assert sla.sla_sweep(now=now, batch_size=10) == 20

        assert EscalationStep.objects.count() == 30
        assert OutboxEmail.objects.count() == 30
        assert Query.objects.filter(next_escalation_step="breach").count() == 30
        assert sorted(handed_to_broker()) == sorted(
            OutboxEmail.objects.values_list("pk", flat=True)
        )

    # A worker sends what the broker holds: every reminder arrives, each exactly once.
    with running_worker(keep_queue=True):
        wait_until(lambda: len(smtp_server.messages) >= 30, timeout=30)
        wait_until_worker_idle()
    assert len(smtp_server.messages) == 30
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {OutboxEmail.Status.SENT}
    message_ids = Counter(message["Message-ID"] for message in smtp_server.messages)
    assert len(message_ids) == 30


def test_a_sweep_passes_over_a_query_an_officer_is_answering(time_machine):
    """An officer's reply holds the query's row: the sweep takes the other queries' steps
    without waiting, and the next sweep takes the one it passed over if it is still due."""
    time_machine.move_to(SUBMITTED, tick=False)
    busy, idle = seed_due_queries(2)
    now = SUBMITTED + 49 * HOUR
    with row_held_elsewhere(Query, busy.pk):
        assert sla.sla_sweep(now=now) == 1

    assert list(EscalationStep.objects.values_list("query_id", flat=True)) == [idle.pk]
    assert sla.sla_sweep(now=now) == 1
    assert set(EscalationStep.objects.values_list("query_id", flat=True)) == {idle.pk, busy.pk}
