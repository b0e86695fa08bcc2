"""Staff accounts of the force's identity provider: found by issuer and subject, made on the
first sign-in without a role, approved by an administrator, and given the roles their groups
map to (OIDC_GROUP_ROLES) at every sign-in after that.

Roles are groups (config.roles), so each change goes through `user.groups` and the audit
records it (audit.receivers). Roles no group maps to (usually Administrator) are never touched
here: an administrator gives and takes them in the admin.
"""

import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from audit.models import AuditRecord
from audit.origin import current_origin
from audit.services import audit_record
from config.roles import Role, is_administrator
from officers.models import OidcIdentity

User = get_user_model()
USERNAME_MAX = 150


def group_roles() -> dict[str, Role]:
    """OIDC_GROUP_ROLES, e.g. {"NPT-Sergeants": Role.SUPERVISOR}."""
    return {group: Role(role) for group, role in settings.OIDC_GROUP_ROLES.items()}


def claimed_groups(claims: dict[str, Any]) -> list[str]:
    """The groups in the OIDC_GROUPS_CLAIM claim: a list, or one name."""
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return sorted({str(group) for group in groups if isinstance(group, str | int)})


def roles_from_groups(groups: list[str]) -> set[Role]:
    mapping = group_roles()
    return {mapping[group] for group in groups if group in mapping}


def oidc_roles_set(*, user: AbstractBaseUser, groups: list[str]) -> None:
    """Set the user's roles that OIDC_GROUP_ROLES governs to exactly those `groups` give."""
    governed = set(group_roles().values())
    wanted = roles_from_groups(groups)
    held = set(user.groups.filter(name__in=[role.value for role in governed]))
    held_names = {group.name for group in held}
    remove = [group for group in held if Role(group.name) not in wanted]
    add = [
        Group.objects.get_or_create(name=role.value)[0]
        for role in sorted(wanted)
        if role.value not in held_names
    ]
    if remove:
        user.groups.remove(*remove)
    if add:
        user.groups.add(*add)


def _free_username(claims: dict) -> str:
    """A username from the provider's preferred username or email, made unique. It is only a
    name: the account is found by issuer and subject, never by it."""
    wanted = str(claims.get("preferred_username") or claims.get("email") or "staff")
    base = re.sub(r"[^\w.@+-]", "", wanted)[: USERNAME_MAX - 8] or "staff"
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


@transaction.atomic
def oidc_identity_sign_in(*, issuer: str, subject: str, claims: dict) -> OidcIdentity:
    """The identity of `issuer` and `subject`, its groups and sign-in time brought up to date
    and, once approved, its account's roles set from its groups. An unknown subject gets a new
    account with no role and no usable password, waiting for an administrator's approval."""
    groups = claimed_groups(claims)
    now = timezone.now()
    identity = (
        OidcIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    if identity is None:
        user = User.objects.create_user(
            username=_free_username(claims),
            email=str(claims.get("email") or "")[:254],
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
        )
        return OidcIdentity.objects.create(
            user=user, issuer=issuer, subject=subject, groups=groups, last_sign_in_at=now
        )
    identity.groups = groups
    identity.last_sign_in_at = now
    identity.save(update_fields=["groups", "last_sign_in_at"])
    if identity.approved:
        oidc_roles_set(user=identity.user, groups=groups)
    return identity


@transaction.atomic
def oidc_identity_approve(*, identity: OidcIdentity, by: AbstractBaseUser) -> None:
    """An administrator lets the account in: it gets the roles its groups at its last sign-in
    map to, and from then on those of each sign-in."""
    if not is_administrator(by):
        raise PermissionDenied("Only an administrator may approve an account.")
    identity = OidcIdentity.objects.select_for_update().select_related("user").get(pk=identity.pk)
    if identity.approved:
        return
    identity.approved_at = timezone.now()
    identity.approved_by = by
    identity.save(update_fields=["approved_at", "approved_by"])
    audit_record(
        actor=by,
        action=AuditRecord.Action.ROLE_CHANGED,
        subject_type="user",
        subject_id=identity.user_id,
        reference=identity.user.get_username(),
        address=current_origin().address,
        detail="approved for sign-in through the identity provider",
    )
    if identity.last_sign_in_at is not None:
        # An identity an administrator added to link an existing account has sent no groups
        # yet: its roles stay as they are until its first sign-in.
        oidc_roles_set(user=identity.user, groups=identity.groups)
