"""Assignment changes go into the audit whichever way they are made (the officer's admin page,
the shell): each record is written in the transaction of the change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from audit.models import AuditRecord
from audit.origin import current_origin
from audit.services import audit_record
from officers.models import Assignment


def _record(assignment: Assignment, what: str) -> None:
    origin = current_origin()
    period = f"from {assignment.start_date}" + (
        f" to {assignment.end_date}" if assignment.end_date else ""
    )
    audit_record(
        actor=origin.actor,
        action=AuditRecord.Action.ASSIGNMENT_CHANGED,
        subject_type="assignment",
        subject_id=assignment.pk,
        address=origin.address,
        detail=(
            f"{what}: officer {assignment.officer_id} as {assignment.get_role_display()} "
            f"of neighbourhood {assignment.neighbourhood_id}, {period}"
        ),
    )


@receiver(post_save, sender=Assignment, dispatch_uid="audit_assignment_saved")
def assignment_saved(sender, instance: Assignment, created: bool, raw=False, **kwargs) -> None:
    if not raw:
        _record(instance, "added" if created else "changed")


@receiver(post_delete, sender=Assignment, dispatch_uid="audit_assignment_deleted")
def assignment_deleted(sender, instance: Assignment, **kwargs) -> None:
    _record(instance, "removed")
