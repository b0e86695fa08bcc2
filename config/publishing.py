"""Publishing a Celery task as a hint, never a wait.

The row a task works on (an outbox email, an alert change) is already committed: it is the
durable record, and a periodic task sends whatever is left unsent. Telling a worker at once is
only a way to be quick. So a publish from a request, the SLA sweep or an alert send must never
hold its caller when the broker is stopped, slow or hung (alive but not answering):

- it uses its own broker connection with short connect and socket timeouts, and no retries;
- after a failure, publishing pauses in this process for BROKER_PUBLISH_PAUSE_SECONDS: the
  callers in that time skip the broker at once instead of each waiting for the timeout.
"""

import logging
import threading
import time
from typing import Any

from celery import Task
from django.conf import settings

from config.celery import app

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_paused_until = 0.0


def publishing_paused() -> bool:
    """Whether a recent failure to reach the broker pauses publishing in this process."""
    return time.monotonic() < _paused_until


def publishing_pause() -> None:
    """Skip the broker for BROKER_PUBLISH_PAUSE_SECONDS: it failed, or the Redis it lives on
    did (config.cache_backends)."""
    global _paused_until
    with _lock:
        _paused_until = time.monotonic() + settings.BROKER_PUBLISH_PAUSE_SECONDS


def publishing_resume() -> None:
    """Forget a past failure: the next publish tries the broker again."""
    global _paused_until
    with _lock:
        _paused_until = 0.0


def task_publish(task: Task, *args: Any) -> bool:
    """Ask a worker to run `task(*args)` soon. True when the broker took the message; False
    when it could not be reached in time (logged) or publishing is paused after such a failure,
    and the caller's row waits for the periodic task."""
    if publishing_paused():
        logger.info("Broker publishing paused: %s%r left to the periodic task", task.name, args)
        return False
    timeout = settings.BROKER_PUBLISH_TIMEOUT_SECONDS
    try:
        with app.connection_for_write(
            connect_timeout=timeout,
            transport_options={
                "socket_timeout": timeout,
                "socket_connect_timeout": timeout,
                "max_retries": 0,
            },
        ) as connection:
            task.apply_async(args, connection=connection, retry=False)
    except Exception:
        # Whatever the broker or its client raised (refused, timed out, reset, a protocol
        # error from a half-dead server): the row is safe, so log it and stop trying for a while.
        publishing_pause()
        logger.warning(
            "Broker unreachable: %s%r left to the periodic task; publishing paused for %ss",
            task.name,
            args,
            settings.BROKER_PUBLISH_PAUSE_SECONDS,
            exc_info=True,
        )
        return False
    return True
