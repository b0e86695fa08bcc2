"""Reads of the outbox."""

import datetime

from notifications.models import OutboxEmail


def outbox_failed_count() -> int:
    """How many emails have given up, for administrators' attention."""
    return OutboxEmail.objects.filter(status=OutboxEmail.Status.FAILED).count()


def outbox_claim_expires_at(*, email_id: int) -> datetime.datetime | None:
    """When the claim of the worker sending this email runs out; None unless it is `sending`."""
    return (
        OutboxEmail.objects.filter(pk=email_id, status=OutboxEmail.Status.SENDING)
        .values_list("next_attempt_at", flat=True)
        .first()
    )
