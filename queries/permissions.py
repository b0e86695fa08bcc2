"""Who may read and act on residents' queries. Selectors, services and views all ask these.

- Read and act (reply, note, close): the assigned officer; any officer currently assigned, in
  any role, to the query's neighbourhood (its team and sergeant); administrators.
- Reassign: the neighbourhood's current sergeants and inspectors; administrators.
- OPCC users read every query, for oversight, but never the resident's contact details or
  words, and act on none.
- Nobody else: accounts without a role, visitors.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from config.roles import Role, user_roles
from officers.models import Assignment
from officers.permissions import OFFICER_ROLES, SUPERVISING_ROLES
from queries.models import Query, QueryQuerySet

INBOX_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.OPCC, Role.ADMINISTRATOR})

User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class QueryAccess:
    """What one user may do with one query."""

    read: bool = False
    act: bool = False
    reassign: bool = False

    @property
    def see_resident(self) -> bool:
        """The resident's name, email, phone and words: only for those who answer them."""
        return self.act


def _current_roles_in(user: User, query: Query) -> set[str]:
    """The roles the user's officer holds now in the query's neighbourhood."""
    roles = (
        Assignment.objects.current()
        .filter(officer__user_id=user.pk, neighbourhood_id=query.neighbourhood_id)
        .values_list("role", flat=True)
    )
    return set(roles)


def query_access(user: User, query: Query) -> QueryAccess:
    roles = user_roles(user)
    if Role.ADMINISTRATOR in roles:
        return QueryAccess(read=True, act=True, reassign=True)
    if roles & OFFICER_ROLES:
        area_roles = _current_roles_in(user, query)
        assigned = (
            query.assigned_officer_id is not None
            and query.assigned_officer is not None
            and query.assigned_officer.user_id == user.pk
        )
        if assigned or area_roles:
            return QueryAccess(
                read=True,
                act=True,
                reassign=bool(area_roles & set(SUPERVISING_ROLES)),
            )
    if Role.OPCC in roles:
        return QueryAccess(read=True)
    return QueryAccess()


def can_read_query(user: User, query: Query) -> bool:
    return query_access(user, query).read


def can_act_on_query(user: User, query: Query) -> bool:
    return query_access(user, query).act


def can_reassign_query(user: User, query: Query) -> bool:
    return query_access(user, query).reassign


def can_use_inbox(user: User) -> bool:
    return bool(user_roles(user) & INBOX_ROLES)


def readable_queries(user: User) -> QueryQuerySet:
    """Every query the user may read: all for OPCC and administrators; for an officer, those
    assigned to them and those of the neighbourhoods where they serve now; none otherwise.
    One queryset: the neighbourhoods are a subquery, not a separate read."""
    roles = user_roles(user)
    if roles & {Role.ADMINISTRATOR, Role.OPCC}:
        return Query.objects.all()
    if not roles & OFFICER_ROLES:
        return Query.objects.none()
    areas = Assignment.objects.current().filter(officer__user_id=user.pk).values("neighbourhood_id")
    return Query.objects.filter(
        Q(assigned_officer__user_id=user.pk) | Q(neighbourhood_id__in=areas)
    )
