"""Celery tasks of alerts: sending each change and the daily digests, announcing surveys as
they open, and the nightly purge."""

import logging

from celery import shared_task
from django.db import IntegrityError, OperationalError, transaction

from alerts import changes, sending, subscriptions
from alerts.models import AlertChange
from config.publishing import task_publish

logger = logging.getLogger(__name__)


def send_change_soon(change_id: int) -> None:
    """Ask a worker to send the change now. Never waits on the broker: when it is down or hung
    the change stays unsent, and the periodic run of send_alerts sends it."""
    task_publish(send_alerts, change_id)


def send_after_commit(change: AlertChange | None) -> None:
    """Send a change just recorded (None: nothing new) once its transaction commits."""
    if change is not None:
        transaction.on_commit(lambda: send_change_soon(change.pk), robust=True)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, IntegrityError),
    max_retries=5,
    retry_backoff=10,
    retry_jitter=True,
    # Ten thousand subscribers are twenty batches of emails to write.
    soft_time_limit=600,
    time_limit=660,
)
def send_alerts(change_id: int | None = None) -> int:
    """Queue the emails of one change (enqueued when it is recorded), or of every change left
    unsent (every few minutes: the broker was down, a worker died). Safe to run twice or on two
    workers: no subscriber is sent a change twice. Returns how many emails were queued."""
    change_ids = [change_id] if change_id is not None else sending.unsent_change_ids()
    queued = sum(sending.alert_change_send(change_id=pk) for pk in change_ids)
    if queued:
        logger.info("Queued %d alert email(s) for %d change(s)", queued, len(change_ids))
    return queued


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, IntegrityError),
    max_retries=5,
    retry_backoff=60,
    retry_jitter=True,
    soft_time_limit=1800,
    time_limit=1860,
)
def send_alert_digests() -> int:
    """Each daily subscriber's one digest (every morning). Running it again the same day
    sends only what has happened since."""
    queued = sending.alert_digests_send()
    if queued:
        logger.info("Queued %d alert digest(s)", queued)
    return queued


@shared_task(acks_late=True, autoretry_for=(OperationalError,), max_retries=3, retry_backoff=60)
def record_survey_openings() -> int:
    """Record, once each, the surveys that are open today (hourly): their subscribers hear."""
    recorded = changes.survey_openings_record()
    for change in recorded:
        send_after_commit(change)
    return len(recorded)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), max_retries=3, retry_backoff=60)
def purge_subscribers() -> int:
    """Delete unconfirmed sign-ups past their link's life and unsubscribed addresses (daily)."""
    deleted = subscriptions.subscribers_purge()
    if deleted:
        logger.info("Deleted %d unconfirmed or unsubscribed alert subscriber(s)", deleted)
    return deleted


# --- Tasks queued before alerts moved here ------------------------------------------------------
# A change's sending queued when the release that moved alerts from the neighbourhoods app was
# deployed names the old task: it hands over to the new one. Remove this a release later.


@shared_task(name="neighbourhoods.tasks.send_alerts", acks_late=True)
def send_alerts_queued_under_old_name(change_id: int | None = None) -> None:
    send_alerts.delay(change_id)
