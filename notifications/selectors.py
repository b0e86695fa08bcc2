"""Reads of the outbox."""

from notifications.models import OutboxEmail


def outbox_failed_count() -> int:
    """How many emails have given up, for administrators' attention."""
    return OutboxEmail.objects.filter(status=OutboxEmail.Status.FAILED).count()
