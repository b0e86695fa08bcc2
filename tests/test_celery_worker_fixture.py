"""The suite's real Celery worker leaves the process as it found it for the next test."""

import logging

import pytest

from tests.fixtures.celery_worker import running_worker


@pytest.mark.django_db(transaction=True)
def test_a_worker_gives_back_the_log_level_for_the_next_tests_capture(caplog):
    with running_worker():
        pass

    logging.getLogger("notifications.sending").warning("after the worker")

    assert "after the worker" in caplog.text
