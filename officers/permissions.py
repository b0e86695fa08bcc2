"""Who may do what with officer profiles. Services and views both ask these questions.

- An officer edits their own profile.
- A sergeant edits the profiles of the named officers and team members currently assigned to
  the neighbourhoods where they are sergeant now; an inspector, those and the sergeants'.
  Nobody edits a fellow supervisor's or their own supervisor's profile.
- An administrator edits everyone's.
- Nobody else edits any: OPCC users, accounts without a role, visitors.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from officers.models import Assignment, Officer
from officers.roles import Role, user_roles

SUPERVISING_ROLES = (Assignment.Role.SERGEANT, Assignment.Role.INSPECTOR)
# Whom each supervising role leads, by the role they hold in the same neighbourhood.
LEADS = {
    Assignment.Role.SERGEANT: (Assignment.Role.NAMED_OFFICER, Assignment.Role.TEAM_MEMBER),
    Assignment.Role.INSPECTOR: (
        Assignment.Role.NAMED_OFFICER,
        Assignment.Role.TEAM_MEMBER,
        Assignment.Role.SERGEANT,
    ),
}
OFFICER_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
COVERAGE_ROLES = frozenset({Role.SUPERVISOR, Role.OPCC, Role.ADMINISTRATOR})

User = AbstractBaseUser | AnonymousUser


def supervises(user: User, officer: Officer) -> bool:
    """Whether the user's officer leads `officer` now: sergeant or inspector of a neighbourhood
    where `officer` serves in a role below theirs."""
    current = Assignment.objects.current()
    for lead_role, led_roles in LEADS.items():
        led_areas = current.filter(officer__user_id=user.pk, role=lead_role).values(
            "neighbourhood_id"
        )
        if current.filter(
            officer=officer, role__in=led_roles, neighbourhood_id__in=led_areas
        ).exists():
            return True
    return False


def can_edit_officer_profile(user: User, officer: Officer) -> bool:
    roles = user_roles(user)
    if Role.ADMINISTRATOR in roles:
        return True
    if not roles & OFFICER_ROLES:
        return False
    if officer.user_id is not None and officer.user_id == user.pk:
        return True
    return supervises(user, officer)


def can_view_coverage(user: User) -> bool:
    return bool(user_roles(user) & COVERAGE_ROLES)
