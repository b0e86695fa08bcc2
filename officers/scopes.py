"""Whose figures a member of staff may see on the dashboards and reports: the scopes.

- Administrators and OPCC: the whole force (the default), any division, any neighbourhood, any
  officer who serves a neighbourhood now. Read only.
- Supervisors (sergeants and inspectors of a neighbourhood now): their neighbourhoods together
  (the default), each of them, each division all of whose neighbourhoods they supervise, and
  each officer who serves in them now.
- Officers: their own figures only.
- Anyone else: nothing.

A scope names its neighbourhoods, or its officer: the dashboards' selectors read no further
than that.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from config.bilingual import in_language, setting_in_language
from config.roles import Role, user_roles
from neighbourhoods.models import Division, Neighbourhood
from officers.models import Assignment, Officer
from officers.permissions import SUPERVISING_ROLES

User = AbstractBaseUser | AnonymousUser
FORCE = "force"
MINE = "mine"

# The URL value of a scope: "force", "mine", "division:<slug>", "neighbourhood:<slug>",
# "officer:<pk>".
KEY_PATTERN = re.compile(r"force|mine|(division|neighbourhood):[-a-zA-Z0-9_]+|officer:[0-9]+")


@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    # None: every neighbourhood (the force). For an officer: the neighbourhoods they serve now.
    neighbourhood_ids: frozenset[int] | None
    officer_id: int | None = None
    # The division's or neighbourhood's name, or the officer's rank and name, for `title`.
    name: str = field(default="", compare=False)
    # A neighbourhood's Welsh name, where written: `title` shows it on Welsh pages.
    name_cy: str = field(default="", compare=False)

    @property
    def title(self) -> str:
        """The label to show, in the active language: "Division: Derby City" or
        "Adran: Derby City". `label` stays the English, for what is stored."""
        kind = self.key.split(":", 1)[0]
        if kind == MINE:
            return gettext("Your neighbourhoods")
        if kind == FORCE:
            return setting_in_language("FORCE_NAME")
        if not self.name:
            return self.label
        if kind == "division":
            return gettext("Division: %(name)s") % {"name": self.name}
        if kind == "neighbourhood":
            return gettext("Neighbourhood: %(name)s") % {"name": in_language(self, "name")}
        if kind == "officer":
            return gettext("Officer: %(name)s") % {"name": self.name}
        return self.label

    @property
    def is_officer(self) -> bool:
        return self.officer_id is not None


def _force_scope() -> Scope:
    return Scope(key=FORCE, label=settings.FORCE_NAME, neighbourhood_ids=None)


def _area_scopes(rows: Iterable[tuple]) -> tuple[list[Scope], list[Scope]]:
    """Division and neighbourhood scopes from neighbourhood rows (pk, slug, name, division
    slug, division name, Welsh name); a division's scope covers the rows given for it."""
    divisions: dict[str, tuple[str, set[int]]] = {}
    areas = []
    for pk, slug, name, division_slug, division_name, name_cy in rows:
        areas.append(
            Scope(
                key=f"neighbourhood:{slug}",
                label=f"Neighbourhood: {name}",
                neighbourhood_ids=frozenset({pk}),
                name=name,
                name_cy=name_cy,
            )
        )
        if division_slug:
            divisions.setdefault(division_slug, (division_name, set()))[1].add(pk)
    division_scopes = [
        Scope(
            key=f"division:{slug}",
            label=f"Division: {name}",
            neighbourhood_ids=frozenset(ids),
            name=name,
        )
        for slug, (name, ids) in sorted(divisions.items(), key=lambda item: (item[1][0], item[0]))
    ]
    return division_scopes, areas


def _officer_scopes(assignments: Iterable[tuple]) -> list[Scope]:
    """Officer scopes from current assignment rows (officer pk, rank, display name,
    neighbourhood pk): each officer with the neighbourhoods they serve now, by name."""
    serving: dict[int, set[int]] = defaultdict(set)
    officers: dict[int, tuple[str, str]] = {}
    for officer_id, rank, display_name, neighbourhood_id in assignments:
        serving[officer_id].add(neighbourhood_id)
        officers[officer_id] = (display_name, rank)
    return [
        Scope(
            key=f"officer:{pk}",
            label=f"Officer: {rank} {display_name}",
            neighbourhood_ids=frozenset(serving[pk]),
            officer_id=pk,
            name=f"{rank} {display_name}",
        )
        for pk, (display_name, rank) in sorted(
            officers.items(), key=lambda item: (item[1], item[0])
        )
    ]


def _current_assignments(today: datetime.date) -> QuerySet:
    return (
        Assignment.objects.current(today)
        .order_by()
        .values_list("officer_id", "officer__rank", "officer__display_name", "neighbourhood_id")
    )


def _neighbourhood_rows(neighbourhoods: QuerySet[Neighbourhood]) -> QuerySet:
    return neighbourhoods.order_by("name", "pk").values_list(
        "pk", "slug", "name", "division__slug", "division__name", "name_cy"
    )


def _whole_force_scopes(today: datetime.date) -> list[Scope]:
    """Everything: two queries."""
    divisions, areas = _area_scopes(_neighbourhood_rows(Neighbourhood.objects.all()))
    return [_force_scope(), *divisions, *areas, *_officer_scopes(_current_assignments(today))]


def _supervisor_scopes(supervised: set[int], today: datetime.date) -> list[Scope]:
    """A supervisor's neighbourhoods, the divisions they supervise whole, and the officers
    serving there now: three queries."""
    rows = list(_neighbourhood_rows(Neighbourhood.objects.filter(pk__in=supervised)))
    divisions, areas = _area_scopes(rows)
    sizes = {
        f"division:{slug}": size
        for slug, size in Division.objects.filter(
            pk__in=Neighbourhood.objects.filter(pk__in=supervised).values("division_id")
        )
        .annotate(size=Count("neighbourhoods"))
        .values_list("slug", "size")
    }
    whole = [
        scope for scope in divisions if len(scope.neighbourhood_ids or ()) == sizes.get(scope.key)
    ]
    serving_there = Assignment.objects.current(today).filter(neighbourhood_id__in=supervised)
    officers = _officer_scopes(
        _current_assignments(today).filter(officer_id__in=serving_there.values("officer_id"))
    )
    mine = Scope(key=MINE, label="Your neighbourhoods", neighbourhood_ids=frozenset(supervised))
    return [mine, *whole, *areas, *officers]


def _own_scope(officer: Officer, serving: set[int]) -> Scope:
    return Scope(
        key=f"officer:{officer.pk}",
        label=f"Officer: {officer}",
        neighbourhood_ids=frozenset(serving),
        officer_id=officer.pk,
        name=str(officer),
    )


def engagement_scopes(scopes: list[Scope]) -> list[Scope]:
    """Of a user's dashboard scopes, those the engagement panel shows: it compares
    neighbourhoods, so an officer's own figures are not among them; [] refuses the panel."""
    return [scope for scope in scopes if not scope.is_officer]


def dashboard_scopes(user: User, *, today: datetime.date | None = None) -> list[Scope]:
    """The scopes the user may choose, the default first; [] when they may see no dashboard.
    At most six queries, whatever the number of neighbourhoods and officers."""
    roles = user_roles(user)
    day = today or timezone.localdate()
    if roles & {Role.ADMINISTRATOR, Role.OPCC}:
        return _whole_force_scopes(day)
    if not roles & {Role.OFFICER, Role.SUPERVISOR}:
        return []
    officer = Officer.objects.filter(user_id=user.pk).first()
    if officer is None:
        return []
    assignments = list(
        Assignment.objects.current(day)
        .filter(officer=officer)
        .order_by()
        .values_list("neighbourhood_id", "role")
    )
    serving = {neighbourhood_id for neighbourhood_id, _role in assignments}
    supervised = {
        neighbourhood_id for neighbourhood_id, role in assignments if role in SUPERVISING_ROLES
    }
    scopes = []
    if Role.SUPERVISOR in roles and supervised:
        scopes = _supervisor_scopes(supervised, day)
    own = _own_scope(officer, serving)
    if Role.OFFICER in roles and all(scope.key != own.key for scope in scopes):
        scopes.append(own)
    return scopes


def parse_scope_key(key: str) -> str:
    """The key itself when it has the shape of a scope; ValueError otherwise."""
    if not KEY_PATTERN.fullmatch(key):
        raise ValueError(
            f"“{key[:60]}” is not a dashboard scope. Choose one from the list of scopes."
        )
    return key


def scope_for(user: User, key: str | None, *, today: datetime.date | None = None) -> Scope:
    """The scope named by `key` if the user may see it, their default when `key` is empty.

    Raises ValueError for a key that is not a scope at all, and PermissionDenied for one the
    user may not see (including one that names nothing that exists: the answer does not say
    which)."""
    if key:
        parse_scope_key(key)
    scopes = dashboard_scopes(user, today=today)
    if not scopes:
        raise PermissionDenied("You do not have access to the dashboards.")
    if not key:
        return scopes[0]
    for scope in scopes:
        if scope.key == key:
            return scope
    raise PermissionDenied("You cannot see the figures for that scope.")
