"""Publishing the Police and Crime Plan, and tagging neighbourhood priorities with the plan
priorities they serve.

Who may do what:
- OPCC staff and administrators write the plan and its priorities; nobody else (officers,
  supervisors, visitors are refused).
- Whoever manages a neighbourhood's priorities (officers.permissions: its officers and
  administrators) tags them.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from config.roles import Role, user_roles
from config.text import plain_text
from crimeplan.models import Plan, PlanPriority
from engagement.models import Priority
from officers.permissions import require_listing_manager

User = AbstractBaseUser | AnonymousUser
PLAN_EDITORS = frozenset({Role.OPCC, Role.ADMINISTRATOR})
TITLE_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 2000


def _too_long(limit: int) -> str:
    return _("Write %(limit)s characters or fewer") % {"limit": f"{limit:,}"}


NOT_ALLOWED = _("Only the OPCC and administrators publish the Police and Crime Plan.")
NOT_YOURS = _("You cannot tag the priorities of this neighbourhood.")


def can_edit_plan(user: User) -> bool:
    return bool(user_roles(user) & PLAN_EDITORS)


def require_plan_editor(user: User) -> None:
    if not can_edit_plan(user):
        raise PermissionDenied(NOT_ALLOWED)


def _title(value: str | None, field: str = "title") -> str:
    title = plain_text(value)
    if not title:
        raise ValidationError({field: ValidationError(_("Enter a title"), code="required")})
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError({field: ValidationError(_too_long(TITLE_MAX_LENGTH))})
    return title


@transaction.atomic
def plan_save(
    *,
    user: User,
    plan: Plan | None,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> Plan:
    """Publish a new plan (`plan` None) or change one; history keeps every version."""
    require_plan_editor(user)
    title = _title(title)
    if ends_on < starts_on:
        raise ValidationError(
            {"ends_on": ValidationError(_("The end date must be the same as or after the start"))}
        )
    plan = plan or Plan()
    plan.title, plan.starts_on, plan.ends_on = title, starts_on, ends_on
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_priority_save(
    *,
    user: User,
    plan: Plan,
    priority: PlanPriority | None,
    title: str,
    description: str,
    position: int,
) -> PlanPriority:
    """Add a priority to the plan (`priority` None) or change one."""
    require_plan_editor(user)
    title = _title(title)
    description = plain_text(description)
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise ValidationError({"description": ValidationError(_too_long(DESCRIPTION_MAX_LENGTH))})
    priority = priority or PlanPriority(plan=plan)
    if priority.plan_id != plan.pk:
        raise PermissionDenied(_("That priority belongs to another plan."))
    priority.title, priority.description, priority.position = title, description, position
    priority.full_clean()
    priority.save()
    return priority


@transaction.atomic
def neighbourhood_priority_tag(
    *, user: User, priority: Priority, plan_priorities: Iterable[PlanPriority]
) -> None:
    """Say which plan priorities a neighbourhood priority serves (replacing what it said)."""
    require_listing_manager(user, priority.neighbourhood_id, refusal=NOT_YOURS)
    priority.plan_priorities.set(list(plan_priorities))
