"""Who may do what in the staff area: the scope rules every app asks, in services and views.

Neighbourhood listings (events, series, registrations, outcomes, priorities, surveys):
- An officer currently assigned to a neighbourhood, in any role (named officer, team member,
  sergeant, inspector), manages its listings: so a sergeant or inspector manages those of every
  neighbourhood they lead.
- An administrator manages every neighbourhood's.
- Nobody else: OPCC users (they read dashboards, not listings), accounts without a role,
  visitors.

Officer profiles:
- An officer edits their own profile.
- A sergeant edits the profiles of the named officers and team members currently assigned to
  the neighbourhoods where they are sergeant now; an inspector, those and the sergeants'.
  Nobody edits a fellow supervisor's or their own supervisor's profile.
- An administrator edits everyone's.
- Nobody else edits any: OPCC users, accounts without a role, visitors.
"""

from collections.abc import Callable
from typing import Protocol, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from config.roles import Role, user_roles
from neighbourhoods.models import Neighbourhood
from officers.models import Assignment, Officer

# Staff who serve neighbourhoods, and so keep their listings and answer their queries.
OFFICER_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
COVERAGE_ROLES = frozenset({Role.SUPERVISOR, Role.OPCC, Role.ADMINISTRATOR})
# Staff the listings areas (events, priorities, surveys) are for.
LISTINGS_ROLES = OFFICER_ROLES | {Role.ADMINISTRATOR}
# The assignments that lead a neighbourhood's team.
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

User = AbstractBaseUser | AnonymousUser


# --- Neighbourhood listings --------------------------------------------------------------------


def manageable_neighbourhoods(user: User) -> QuerySet[Neighbourhood]:
    """The neighbourhoods whose listings the user may manage, as one queryset."""
    roles = user_roles(user)
    if Role.ADMINISTRATOR in roles:
        return Neighbourhood.objects.all()
    if not roles & OFFICER_ROLES:
        return Neighbourhood.objects.none()
    areas = Assignment.objects.current().filter(officer__user_id=user.pk).values("neighbourhood_id")
    return Neighbourhood.objects.filter(pk__in=areas)


def can_manage_listings(user: User, neighbourhood_id: int) -> bool:
    return manageable_neighbourhoods(user).filter(pk=neighbourhood_id).exists()


def require_listing_manager(user: User, neighbourhood_id: int, *, refusal: str) -> None:
    """Refuse (PermissionDenied, saying `refusal`) anyone who may not manage the
    neighbourhood's listings: what every listing service checks first."""
    if not can_manage_listings(user, neighbourhood_id):
        raise PermissionDenied(refusal)


def can_use_listings(user: User) -> bool:
    """Whether the staff listings areas (events, priorities, surveys) are for this user at all."""
    return bool(user_roles(user) & LISTINGS_ROLES)


def require_listings_user(user: User) -> None:
    """Refuse (403) anyone the staff listings areas (events, priorities, surveys) are not for."""
    if not can_use_listings(user):
        raise PermissionDenied


class _OfANeighbourhood(Protocol):
    neighbourhood_id: int


Listing = TypeVar("Listing", bound=_OfANeighbourhood)


def managed_or_refused(user: User, load: Callable[[], Listing], *, missing: str) -> Listing:
    """What `load` reads (an event, series, priority, survey), if the user manages its
    neighbourhood: a 404 saying `missing` when it does not exist, a 403 when it is not theirs."""
    try:
        listing = load()
    except ObjectDoesNotExist as exc:
        raise Http404(missing) from exc
    if not can_manage_listings(user, listing.neighbourhood_id):
        raise PermissionDenied
    return listing


# --- Officer profiles and coverage ---------------------------------------------------------------


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
