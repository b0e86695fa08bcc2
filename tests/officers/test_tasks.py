"""A real Celery worker on the embedded filesystem broker, as `make run` starts it."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def embedded_worker(tmp_path):
    """A `celery worker` process with no REDIS_URL, on the test database."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database only on PostgreSQL")
    db = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        VAR_DIR=str(tmp_path),
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "INFO"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    queue = tmp_path / "celery" / "queue"
    queue.mkdir(parents=True, exist_ok=True)
    producer = Celery(broker="filesystem://localhost//", set_as_current=False)
    producer.conf.broker_transport_options = {
        "data_folder_in": str(queue),
        "data_folder_out": str(queue),
        "control_folder": str(tmp_path / "celery" / "control"),
    }
    producer.conf.task_serializer = "json"
    try:
        yield producer, tmp_path / "worker.log"
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()


@pytest.mark.django_db(transaction=True)
def test_worker_on_embedded_broker_clears_expired_sessions(embedded_worker):
    producer, log_path = embedded_worker
    expired, live = SessionStore(), SessionStore()
    expired.create()
    live.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(days=1)
    )

    producer.send_task("officers.tasks.clear_expired_sessions")

    deadline = time.monotonic() + 60
    while Session.objects.filter(session_key=expired.session_key).exists():
        assert time.monotonic() < deadline, log_path.read_text()
        time.sleep(0.5)
    assert Session.objects.filter(session_key=live.session_key).exists()
    assert "succeeded" in log_path.read_text()
