"""Who may keep a neighbourhood's event listings. Services and views both ask these.

- An officer currently assigned to a neighbourhood, in any role (named officer, team member,
  sergeant, inspector), manages its events, series, registrations and outcomes: so a sergeant
  or inspector manages those of every neighbourhood they lead.
- An administrator manages every neighbourhood's.
- Nobody else: OPCC users (they read dashboards, not listings), accounts without a role,
  visitors.
"""

from collections.abc import Callable
from typing import Protocol, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from neighbourhoods.models import Neighbourhood
from officers.models import Assignment
from officers.roles import Role, user_roles

OFFICER_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})

User = AbstractBaseUser | AnonymousUser


def manageable_neighbourhoods(user: User) -> QuerySet[Neighbourhood]:
    """The neighbourhoods whose events the user may manage, as one queryset."""
    roles = user_roles(user)
    if Role.ADMINISTRATOR in roles:
        return Neighbourhood.objects.all()
    if not roles & OFFICER_ROLES:
        return Neighbourhood.objects.none()
    areas = Assignment.objects.current().filter(officer__user_id=user.pk).values("neighbourhood_id")
    return Neighbourhood.objects.filter(pk__in=areas)


def can_manage_events(user: User, neighbourhood_id: int) -> bool:
    return manageable_neighbourhoods(user).filter(pk=neighbourhood_id).exists()


def can_use_event_listings(user: User) -> bool:
    """Whether the staff events area is for this user at all."""
    return bool(user_roles(user) & (OFFICER_ROLES | {Role.ADMINISTRATOR}))


def require_listings_user(user: User) -> None:
    """Refuse (403) anyone the staff listings areas (events, priorities, surveys) are not for."""
    if not can_use_event_listings(user):
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
    if not can_manage_events(user, listing.neighbourhood_id):
        raise PermissionDenied
    return listing
