"""Assignment changes, and authenticator apps set up or removed (second factor), go into the
audit whichever way they are made (the portal's pages, the admin, the shell): each record is
written in the transaction of the change. A member of staff's chosen language is kept for the
emails sent to them."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from audit.models import AuditRecord
from audit.origin import current_origin
from audit.services import audit_record
from config.languages import language_chosen
from officers.models import Assignment
from officers.second_factor import AUDIT_SUBJECT
from officers.services import staff_language_set


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


DEVICE_NAMES = {TOTPDevice: "authenticator app", WebAuthnCredential: "security key or passkey"}


def _record_device(device: TOTPDevice | WebAuthnCredential, what: str) -> None:
    """An authenticator app or a security key set up or removed, wherever it happened."""
    origin = current_origin()
    audit_record(
        actor=origin.actor,
        action=AuditRecord.Action.CHANGED,
        subject_type=AUDIT_SUBJECT,
        subject_id=device.user_id,
        address=origin.address,
        detail=f"{DEVICE_NAMES[type(device)]} {what}",
    )


@receiver(post_save, sender=TOTPDevice, dispatch_uid="audit_authenticator_app_saved")
@receiver(post_save, sender=WebAuthnCredential, dispatch_uid="audit_security_key_saved")
def second_factor_saved(sender, instance, created: bool, raw=False, **kwargs) -> None:
    if created and instance.confirmed and not raw:
        _record_device(instance, "set up")


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="audit_authenticator_app_deleted")
@receiver(post_delete, sender=WebAuthnCredential, dispatch_uid="audit_security_key_deleted")
def second_factor_deleted(sender, instance, **kwargs) -> None:
    _record_device(instance, "removed")


@receiver(language_chosen, dispatch_uid="staff_language_chosen")
def staff_language_chosen(sender, request, language: str, **kwargs) -> None:
    """A signed-in member of staff who switches language gets their emails in it too."""
    if request.user.is_authenticated:
        staff_language_set(user=request.user, language=language)
