"""The audit: who saw a resident's details or changed a query, an assignment or a role; when,
from which address. Append-only: the model refuses to change or delete a row, and on PostgreSQL
a trigger refuses it too, except the purge of rows older than AUDIT_RETENTION_DAYS."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

APPEND_ONLY = "Audit records are never changed or deleted: they are purged after the retention."


class AuditRecordQuerySet(models.QuerySet):
    def views_of(self, reference: str) -> "AuditRecordQuerySet":
        return self.filter(reference__iexact=reference.strip(), action=AuditRecord.Action.VIEWED)

    def update(self, **kwargs):
        raise TypeError(APPEND_ONLY)

    def delete(self):
        raise TypeError(APPEND_ONLY)


class AuditRecord(models.Model):
    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        EXPORTED = "exported", "Exported"
        CHANGED = "changed", "Changed"
        ASSIGNMENT_CHANGED = "assignment_changed", "Assignment changed"
        ROLE_CHANGED = "role_changed", "Role changed"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The account, kept while its records are (PROTECT); its username and roles are copied so
    # the record reads the same after a rename or a change of role.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty for the portal itself (a task or a management command)."),
    )
    actor_name = models.CharField(_("person"), max_length=150)
    actor_roles = models.CharField(_("roles"), max_length=100, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    subject_type = models.CharField(_("what"), max_length=40)
    subject_id = models.CharField(_("id"), max_length=64, blank=True)
    reference = models.CharField(
        max_length=40, blank=True, help_text=_("The query's reference, when about a query.")
    )
    address = models.CharField(_("from address"), max_length=64, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    objects = AuditRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["reference", "at"], name="audit_reference_at"),
            models.Index(fields=["actor_name", "at"], name="audit_actor_name_at"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.get_action_display().lower()} {self.subject_type}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise TypeError(APPEND_ONLY)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError(APPEND_ONLY)
