"""Celery tasks of local priorities and Have your say."""

import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from engagement.answers import unconfirmed_answers_delete
from engagement.priorities import overdue_priorities_notify

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=60,
    retry_jitter=True,
)
def notify_overdue_priorities() -> int:
    """Email the officers of each neighbourhood with priorities overdue for review (weekly).
    Safe to run twice: a neighbourhood already emailed this week is not emailed again."""
    written = overdue_priorities_notify()
    if written:
        logger.info("Emailed the officers of %d neighbourhood(s) with overdue priorities", written)
    return written


@shared_task(acks_late=True, autoretry_for=(OperationalError,), max_retries=3, retry_backoff=60)
def delete_unconfirmed_answers() -> int:
    """Delete survey answers and priority supports never confirmed within their link's life
    (daily)."""
    deleted = unconfirmed_answers_delete(now=timezone.now())
    if deleted:
        logger.info("Deleted %d unconfirmed survey answer(s) and support(s)", deleted)
    return deleted
