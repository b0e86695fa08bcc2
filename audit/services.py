"""Writing the audit. Every app records through `audit_record`; a page that shows a resident's
details records through `audit_view`, which commits before the page is built."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from audit.models import AuditRecord
from config.http import client_ip
from config.roles import user_roles

Actor = AbstractBaseUser | AnonymousUser | None
PORTAL = "the portal"


def _actor_fields(actor: Actor) -> dict:
    if actor is None or not actor.is_authenticated:
        return {"actor": None, "actor_name": PORTAL, "actor_roles": ""}
    roles = ", ".join(sorted(role.value for role in user_roles(actor)))
    return {"actor": actor, "actor_name": actor.get_username(), "actor_roles": roles[:100]}


def audit_record(
    *,
    actor: Actor,
    action: AuditRecord.Action,
    subject_type: str,
    subject_id: object = "",
    reference: str = "",
    address: str,
    detail: str = "",
) -> AuditRecord:
    """Append one record, in the caller's transaction: a change and its record are committed
    together or not at all. `detail` says which fields changed, never what a resident wrote."""
    return AuditRecord.objects.create(
        action=action,
        subject_type=subject_type[:40],
        subject_id=str(subject_id)[:64],
        reference=reference[:40],
        address=address[:64],
        detail=detail[:300],
        **_actor_fields(actor),
    )


def audit_view(
    *,
    request: HttpRequest,
    subject_type: str,
    subject_id: object = "",
    reference: str = "",
    detail: str = "",
    action: AuditRecord.Action = AuditRecord.Action.VIEWED,
) -> AuditRecord:
    """Record that the requesting user is being shown a resident's details, committed at once
    (durable: never inside another transaction), so the record stays even when building the
    page fails afterwards."""
    with transaction.atomic(durable=True):
        return audit_record(
            actor=request.user,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            reference=reference,
            address=client_ip(request),
            detail=detail,
        )


def audit_purge() -> int:
    """Delete the records older than AUDIT_RETENTION_DAYS; the number deleted. On PostgreSQL
    the table's trigger allows a DELETE only of rows older than the retention this transaction
    declares, measured by the database's clock, which the purge uses too."""
    days = settings.AUDIT_RETENTION_DAYS
    table = AuditRecord._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            declare = "SELECT set_config('portal.audit_retention_days', %s, true)"
            cursor.execute(declare, [str(days)])
            cursor.execute(
                f"DELETE FROM {table} WHERE at < now() - make_interval(days => %s)",
                [days],
            )
        else:
            before = timezone.now() - datetime.timedelta(days=days)
            cursor.execute(f"DELETE FROM {table} WHERE at < %s", [before])
        return cursor.rowcount
