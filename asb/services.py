"""Keeping the ASB action plan: its sections and actions. Every change is kept in the models'
history; the public page shows the last 30 days of it (asb.selectors.recent_changes)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from asb.models import Action, Delegation, Lead, Section
from asb.permissions import leads_delegating, require_plan_editor
from config.text import plain_text
from crimeplan.models import PlanPriority
from neighbourhoods.models import Division, Neighbourhood

User = AbstractBaseUser | AnonymousUser
TITLE_MAX_LENGTH = 300
SECTION_TITLE_MAX_LENGTH = 200
PARTNER_MAX_LENGTH = 200
PROGRESS_MAX_LENGTH = 5000
ONLY_THE_FORCE_LEAD = _("Only the force’s ASB lead adds sections to the plan.")
NOT_YOUR_DIVISION = _("You can edit only the actions of your own division’s plan.")


def _too_long(limit: int) -> str:
    return _("Write %(limit)s characters or fewer") % {"limit": f"{limit:,}"}


@dataclass(frozen=True)
class ActionData:
    section: Section
    division: Division | None
    title: str
    owner_kind: str
    owner_division: Division | None
    owner_neighbourhood: Neighbourhood | None
    owner_partner: str
    due_on: datetime.date
    status: str
    progress: str
    plan_priorities: Iterable[PlanPriority]


def _checked(data: ActionData) -> dict:
    errors: dict[str, str] = {}
    title = plain_text(data.title)
    partner = plain_text(data.owner_partner)
    progress = plain_text(data.progress)
    if not title:
        errors["title"] = _("Enter what the action is")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _too_long(TITLE_MAX_LENGTH)
    if len(progress) > PROGRESS_MAX_LENGTH:
        errors["progress"] = _too_long(PROGRESS_MAX_LENGTH)
    kind = data.owner_kind
    if kind == Action.OwnerKind.DIVISION and data.owner_division is None:
        errors["owner_division"] = _("Select the division that owns the action")
    elif kind == Action.OwnerKind.NEIGHBOURHOOD and data.owner_neighbourhood is None:
        errors["owner_neighbourhood"] = _("Select the neighbourhood team that owns the action")
    elif kind == Action.OwnerKind.PARTNER and not partner:
        errors["owner_partner"] = _("Enter the name of the partner organisation")
    elif len(partner) > PARTNER_MAX_LENGTH:
        errors["owner_partner"] = _too_long(PARTNER_MAX_LENGTH)
    if kind not in Action.OwnerKind.values:
        errors["owner_kind"] = _("Select who owns the action")
    if data.status not in Action.Status.values:
        errors["status"] = _("Select the status")
    if errors:
        raise ValidationError(errors)
    return {
        "section": data.section,
        "division": data.division,
        "title": title,
        "owner_kind": kind,
        "owner_division": data.owner_division if kind == Action.OwnerKind.DIVISION else None,
        "owner_neighbourhood": (
            data.owner_neighbourhood if kind == Action.OwnerKind.NEIGHBOURHOOD else None
        ),
        "owner_partner": partner if kind == Action.OwnerKind.PARTNER else "",
        "due_on": data.due_on,
        "status": data.status,
        "progress": progress,
    }


@transaction.atomic
def action_save(*, user: User, action: Action | None, data: ActionData) -> Action:
    """Add an action (`action` None) or change one. A division's lead may add and change only
    their division's actions, and may not move one to another division's plan."""
    scope = require_plan_editor(user)
    if action is not None and not scope.covers(action.division_id):
        raise PermissionDenied(NOT_YOUR_DIVISION)
    division_id = data.division.pk if data.division else None
    if not scope.covers(division_id):
        raise PermissionDenied(NOT_YOUR_DIVISION)
    values = _checked(data)
    action = action or Action()
    for name, value in values.items():
        setattr(action, name, value)
    action.full_clean()
    action.save()
    action.plan_priorities.set(list(data.plan_priorities))
    return action


@transaction.atomic
def section_add(*, user: User, title: str) -> Section:
    """A new section of the plan, listed last: for those who keep the whole plan."""
    scope = require_plan_editor(user)
    if not scope.whole_plan:
        raise PermissionDenied(ONLY_THE_FORCE_LEAD)
    title = plain_text(title)
    if not title:
        raise ValidationError({"title": _("Enter a title for the section")})
    if len(title) > SECTION_TITLE_MAX_LENGTH:
        raise ValidationError({"title": _too_long(SECTION_TITLE_MAX_LENGTH)})
    if Section.objects.filter(title__iexact=title).exists():
        raise ValidationError({"title": _("The plan already has a section with this title")})
    last = Section.objects.order_by("-position").values_list("position", flat=True).first()
    section = Section(title=title, position=(last or 0) + 1)
    section.full_clean()
    section.save()
    return section


NOT_YOUR_LEAD = _("Only the lead names their delegates.")


@transaction.atomic
def delegation_add(*, user: User, lead: Lead, username: str) -> Delegation:
    """Trust a member of staff (by their username) to edit the plan as `lead` would."""
    if not leads_delegating(user).filter(pk=lead.pk).exists():
        raise PermissionDenied(NOT_YOUR_LEAD)
    username = (username or "").strip()
    delegate = get_user_model().objects.filter(username=username, is_active=True).first()
    if delegate is None:
        raise ValidationError({"username": _("Enter the username of a member of staff")})
    if delegate.pk == lead.officer.user_id:
        raise ValidationError({"username": _("The lead edits the plan already")})
    delegation, _created = Delegation.objects.get_or_create(lead=lead, user=delegate)
    return delegation


@transaction.atomic
def delegation_remove(*, user: User, delegation: Delegation) -> None:
    if not leads_delegating(user).filter(pk=delegation.lead_id).exists():
        raise PermissionDenied(NOT_YOUR_LEAD)
    delegation.delete()
