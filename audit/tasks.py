from celery import shared_task

from audit.services import audit_purge


@shared_task(acks_late=True)
def purge_audit_records() -> int:
    """Daily: the audit keeps AUDIT_RETENTION_DAYS, no longer."""
    return audit_purge()
