"""Celery beat, not the test, starts the sweep: a due query's reminder reaches a real SMTP
server through beat, a real worker on Redis, the sweep and the outbox."""

import datetime
import time

import pytest
from celery.beat import EmbeddedService
from django.utils import timezone

from config import celery_app
from tests.queries.factories import QueryFactory, neighbourhood_with_team

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def beat(tmp_path):
    """Beat in a thread with the project's schedule, the sweep every second instead of every
    few minutes."""
    schedule = dict(celery_app.conf.beat_schedule)
    schedule["sla-sweep"] = {**schedule["sla-sweep"], "schedule": datetime.timedelta(seconds=1)}
    original = celery_app.conf.beat_schedule
    celery_app.conf.beat_schedule = schedule
    service = EmbeddedService(
        celery_app, thread=True, schedule_filename=str(tmp_path / "beat-schedule")
    )
    service.start()
    try:
        yield service
    finally:
        service.stop()
        celery_app.conf.beat_schedule = original


def test_beat_runs_the_sweep_and_the_reminder_is_delivered(celery_worker, beat, smtp_server):
    neighbourhood, officers = neighbourhood_with_team()
    officers["named"].email = "named@example.police.uk"
    officers["named"].save(update_fields=["email"])
    query = QueryFactory(
        neighbourhood=neighbourhood,
        assigned_officer=officers["named"],
        submitted_at=timezone.now() - datetime.timedelta(hours=49),
    )

    deadline = time.monotonic() + 45
    while not smtp_server.messages:
        assert time.monotonic() < deadline, "beat's sweep sent no reminder"
        time.sleep(0.3)
    time.sleep(2)  # more sweeps have run by now: still one reminder

    assert len(smtp_server.messages) == 1
    assert "named@example.police.uk" in smtp_server.messages[0]["X-Envelope-To"]
    assert query.reference in smtp_server.messages[0]["Subject"]
    assert query.escalation_steps.filter(step="reminder").count() == 1
