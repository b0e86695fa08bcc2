"""Who may edit the ASB action plan.

- The force's ASB lead, and the people they delegate: the whole plan (every action, and its
  sections).
- A division's ASB lead, and their delegates: the actions of their division's plan only.
- Administrators: the whole plan.
- Each lead names their own delegates at /staff/asb/delegates/ (administrators name anyone's);
  delegates do not delegate further.
- Nobody else: other officers, supervisors, OPCC staff (they hold the force to account for the
  plan, they do not write it; a lead may still delegate to one of them), visitors.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from asb.models import Lead
from config.roles import Role, user_roles

User = AbstractBaseUser | AnonymousUser
NOT_ALLOWED = "Only the ASB leads and the people they delegate edit the action plan."


@dataclass(frozen=True)
class PlanScope:
    whole_plan: bool
    division_ids: frozenset[int]

    @property
    def edits_anything(self) -> bool:
        return self.whole_plan or bool(self.division_ids)

    def covers(self, division_id: int | None) -> bool:
        """Whether the user may edit an action of this division's plan (None: the force's)."""
        return self.whole_plan or (division_id is not None and division_id in self.division_ids)


NOTHING = PlanScope(whole_plan=False, division_ids=frozenset())


def plan_scope(user: User, *, roles: set[Role] | None = None) -> PlanScope:
    """What of the action plan the user may edit: one query, or two when the user's `roles`
    are not given."""
    if not user.is_authenticated or not user.is_active:
        return NOTHING
    if Role.ADMINISTRATOR in (user_roles(user) if roles is None else roles):
        return PlanScope(whole_plan=True, division_ids=frozenset())
    led = Lead.objects.filter(
        Q(officer__user_id=user.pk) | Q(delegations__user_id=user.pk)
    ).values_list("division_id", flat=True)
    divisions = set(led)
    return PlanScope(whole_plan=None in divisions, division_ids=frozenset(divisions - {None}))


def require_plan_editor(user: User) -> PlanScope:
    scope = plan_scope(user)
    if not scope.edits_anything:
        raise PermissionDenied(NOT_ALLOWED)
    return scope


def leads_delegating(user: User) -> QuerySet[Lead]:
    """The leads whose delegates the user names: their own lead roles, or, for an
    administrator, every lead. Delegates do not delegate further."""
    if not user.is_authenticated or not user.is_active:
        return Lead.objects.none()
    leads = Lead.objects.select_related("officer", "division")
    if Role.ADMINISTRATOR in user_roles(user):
        return leads
    return leads.filter(officer__user_id=user.pk)
