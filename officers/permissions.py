"""Who may do what with officer profiles. Services and views both ask these questions.

- An officer edits their own profile.
- A sergeant or inspector (an officer with a current sergeant or inspector assignment) edits the
  profiles of officers currently assigned to the same neighbourhoods.
- An administrator edits everyone's.
- Nobody else edits any: OPCC users, accounts without a role, visitors.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from officers.models import Assignment, Officer
from officers.roles import Role, user_roles

SUPERVISING_ROLES = (Assignment.Role.SERGEANT, Assignment.Role.INSPECTOR)
OFFICER_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
COVERAGE_ROLES = frozenset({Role.SUPERVISOR, Role.OPCC, Role.ADMINISTRATOR})

User = AbstractBaseUser | AnonymousUser


def supervises(user: User, officer: Officer) -> bool:
    """Whether the user's officer is sergeant or inspector where `officer` serves now."""
    led = Assignment.objects.current().filter(officer__user_id=user.pk, role__in=SUPERVISING_ROLES)
    return (
        Assignment.objects.current()
        .filter(officer=officer, neighbourhood_id__in=led.values("neighbourhood_id"))
        .exists()
    )


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
