"""Sending the outbox: one task per email, and a periodic task for rows left unsent."""

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from notifications.selectors import outbox_claim_expires_at
from notifications.sending import (
    OutboxEmailRetryLater,
    outbox_email_send,
    outbox_emails_forget,
    outbox_unsent_ids,
)

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=settings.OUTBOX_MAX_ATTEMPTS)
def send_outbox_email(self, email_id: int) -> None:
    """Send one outbox email; after a delivery failure, try again after the back-off."""
    try:
        sent = outbox_email_send(email_id=email_id)
    except OutboxEmailRetryLater as exc:
        raise self.retry(countdown=exc.retry_in.total_seconds(), exc=exc) from exc
    if not sent:
        # A task comes back at once when its worker is killed mid-send (acks late, rejected on
        # worker loss) and finds its own claim: try again as it runs out, not at the next sweep.
        expires_at = outbox_claim_expires_at(email_id=email_id)
        if expires_at is not None:
            wait = max((expires_at - timezone.now()).total_seconds(), 0)
            raise self.retry(countdown=wait + 1)


@shared_task(
    acks_late=True,
    # A batch of a few hundred emails outlasts the default limits of one email's task.
    soft_time_limit=600,
    time_limit=660,
)
def send_outbox_emails(email_ids: list[int]) -> int:
    """Send a batch of outbox emails written together (outbox_emails_enqueue), one after the
    other with the same at-most-once send as send_outbox_email. An email whose attempt failed
    gets a task of its own for its retries; the rest of the batch carries on. Returns how many
    this run sent."""
    sent = 0
    for email_id in email_ids:
        try:
            sent += outbox_email_send(email_id=email_id)
        except OutboxEmailRetryLater as exc:
            send_outbox_email.apply_async((email_id,), countdown=exc.retry_in.total_seconds())
        except Exception:
            # Marked failed and logged by outbox_email_send: the batch's other emails go on.
            continue
    return sent


@shared_task(acks_late=True)
def resend_unsent_emails() -> int:
    """Enqueue a send for each row left unsent (the broker was down when it was written, a
    retry was lost, a worker died mid-send), oldest first, a bounded batch per run."""
    email_ids = outbox_unsent_ids()
    for email_id in email_ids:
        send_outbox_email.delay(email_id)
    if email_ids:
        logger.info("Enqueued %s unsent outbox emails", len(email_ids))
    return len(email_ids)


@shared_task
def forget_expired_emails() -> int:
    """Remove the recipients' details from sent emails past their retention."""
    forgotten = outbox_emails_forget()
    if forgotten:
        logger.info("Removed recipients' details from %d emails past retention", forgotten)
    return forgotten


# --- Tasks queued before the outbox moved here --------------------------------------------------
# Messages already in the broker when the release that moved the outbox from the queries app was
# deployed (a retry waits up to an hour) name the old tasks: they hand over to the new ones.
# Remove these a release later.


@shared_task(name="queries.tasks.outbox.send_outbox_email", acks_late=True)
def send_outbox_email_queued_under_old_name(email_id: int) -> None:
    send_outbox_email.delay(email_id)


@shared_task(name="queries.tasks.outbox.send_outbox_emails", acks_late=True)
def send_outbox_emails_queued_under_old_name(email_ids: list[int]) -> None:
    send_outbox_emails.delay(email_ids)
