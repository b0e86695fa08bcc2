"""Role changes, recorded whichever way they are made (the admin's user page, the shell, a
management command): roles are groups, and a superuser holds every role. Each record is
written in the transaction of the change."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from audit.models import AuditRecord
from audit.origin import current_origin
from audit.services import audit_record

User = get_user_model()


def _role_changed(*, user, detail: str) -> None:
    origin = current_origin()
    audit_record(
        actor=origin.actor,
        action=AuditRecord.Action.ROLE_CHANGED,
        subject_type="user",
        subject_id=user.pk,
        reference=user.get_username(),
        address=origin.address,
        detail=detail,
    )


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="audit_groups_changed")
def groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action == "pre_clear":
        # Which groups a clear takes away is known only before it.
        instance._audit_cleared = (
            list(instance.user_set.all()) if reverse else list(instance.groups.all())
        )
        return
    if action == "post_clear":
        cleared = getattr(instance, "_audit_cleared", [])
        pairs = (
            [(instance, user) for user in cleared]
            if reverse
            else [(group, instance) for group in cleared]
        )
        for group, user in pairs:
            _role_changed(user=user, detail=f"removed from {group.name}")
        return
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    verb = "added to" if action == "post_add" else "removed from"
    if reverse:
        for user in User.objects.filter(pk__in=pk_set).order_by("pk"):
            _role_changed(user=user, detail=f"{verb} {instance.name}")
    else:
        for group in Group.objects.filter(pk__in=pk_set).order_by("name"):
            _role_changed(user=instance, detail=f"{verb} {group.name}")


@receiver(pre_save, sender=User, dispatch_uid="audit_superuser_before")
def superuser_before(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if raw or (update_fields is not None and "is_superuser" not in update_fields):
        return
    if instance.pk is None:
        instance._audit_was_superuser = False
        return
    instance._audit_was_superuser = (
        User.objects.filter(pk=instance.pk).values_list("is_superuser", flat=True).first()
    )


@receiver(post_save, sender=User, dispatch_uid="audit_superuser_after")
def superuser_after(sender, instance, raw=False, **kwargs) -> None:
    was = getattr(instance, "_audit_was_superuser", None)
    if raw or was is None:
        return
    del instance._audit_was_superuser
    if bool(was) != instance.is_superuser:
        _role_changed(
            user=instance,
            detail="made a superuser" if instance.is_superuser else "no longer a superuser",
        )
