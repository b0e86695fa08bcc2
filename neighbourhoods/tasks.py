import logging

from celery import shared_task
from django.db import IntegrityError, OperationalError
from django.utils import timezone

from neighbourhoods import alerts, surveys
from neighbourhoods.imports.postcodes import postcodes_relocate
from neighbourhoods.priorities import overdue_priorities_notify

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    max_retries=5,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    # A pass over every postcode in the country can outlast the default limits.
    soft_time_limit=600,
    time_limit=660,
)
def relocate_postcodes(neighbourhood_ids: list[int] | None = None) -> int:
    """Place again the postcodes in and around these neighbourhoods after their boundaries
    changed (every postcode when None: the nightly check that nothing was missed); answer how
    many moved. Running it twice moves nothing the second time."""
    ids = None if neighbourhood_ids is None else list(neighbourhood_ids)
    return postcodes_relocate(neighbourhood_ids=ids)


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


# --- Alerts -------------------------------------------------------------------------------------


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
    change_ids = [change_id] if change_id is not None else alerts.unsent_change_ids()
    queued = sum(alerts.alert_change_send(change_id=pk) for pk in change_ids)
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
    queued = alerts.alert_digests_send()
    if queued:
        logger.info("Queued %d alert digest(s)", queued)
    return queued


@shared_task(acks_late=True, autoretry_for=(OperationalError,), max_retries=3, retry_backoff=60)
def record_survey_openings() -> int:
    """Record, once each, the surveys that are open today (hourly): their subscribers hear."""
    return alerts.survey_openings_record()


@shared_task(acks_late=True, autoretry_for=(OperationalError,), max_retries=3, retry_backoff=60)
def purge_subscribers() -> int:
    """Delete unconfirmed sign-ups past their link's life and unsubscribed addresses (daily)."""
    deleted = alerts.subscribers_purge()
    if deleted:
        logger.info("Deleted %d unconfirmed or unsubscribed alert subscriber(s)", deleted)
    return deleted


@shared_task(acks_late=True, autoretry_for=(OperationalError,), max_retries=3, retry_backoff=60)
def delete_unconfirmed_answers() -> int:
    """Delete survey answers and priority supports never confirmed within their link's life
    (daily)."""
    deleted = surveys.unconfirmed_answers_delete(now=timezone.now())
    if deleted:
        logger.info("Deleted %d unconfirmed survey answer(s) and support(s)", deleted)
    return deleted
