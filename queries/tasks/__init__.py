"""Celery tasks of the queries app (found by Celery's autodiscovery through this module)."""

from queries.tasks.outbox import *  # noqa: F403
from queries.tasks.sla import *  # noqa: F403
