import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Value, When
from django.utils import timezone

from neighbourhoods.models import Neighbourhood
from notifications.services import recipients_by_language, unique_addresses
from officers.models import Assignment, Officer, StaffLanguage
from officers.permissions import SUPERVISING_ROLES

ASSIGNMENTS_ENDING_WITHIN_DAYS = 30

# The order a resident reads a team in: the named officer, then who they work with.
ROLE_ORDER = Case(
    When(role=Assignment.Role.NAMED_OFFICER, then=Value(0)),
    When(role=Assignment.Role.TEAM_MEMBER, then=Value(1)),
    When(role=Assignment.Role.SERGEANT, then=Value(2)),
    When(role=Assignment.Role.INSPECTOR, then=Value(3)),
    output_field=IntegerField(),
)


@dataclass
class Coverage:
    uncovered_neighbourhoods: list[Neighbourhood]
    ending_assignments: list[Assignment]
    within_days: int


@dataclass
class NeighbourhoodChoice:
    pk: int
    slug: str
    name: str
    division_name: str


def neighbourhoods_led_by(
    *, user_id: int, on: datetime.date | None = None
) -> QuerySet[Neighbourhood]:
    """The neighbourhoods whose team the user's officer leads now, as sergeant or inspector."""
    led = Assignment.objects.current(on).filter(
        officer__user_id=user_id, role__in=SUPERVISING_ROLES
    )
    return Neighbourhood.objects.filter(pk__in=led.values("neighbourhood_id"))


def neighbourhoods_without_named_officer(
    *, on: datetime.date | None = None, led_by_user_id: int | None = None
) -> QuerySet[Neighbourhood]:
    """Every neighbourhood with no named officer now, or only those the user leads (one query
    either way)."""
    named = Assignment.objects.current(on).filter(role=Assignment.Role.NAMED_OFFICER)
    neighbourhoods = Neighbourhood.objects.all()
    if led_by_user_id is not None:
        neighbourhoods = neighbourhoods_led_by(user_id=led_by_user_id, on=on)
    return (
        neighbourhoods.exclude(pk__in=named.values("neighbourhood_id"))
        .select_related("division")
        .order_by("name")
    )


def _current_assignments_prefetch() -> Prefetch:
    return Prefetch(
        "assignments",
        queryset=Assignment.objects.current()
        .select_related("neighbourhood")
        .order_by("neighbourhood__name", "role"),
        to_attr="current_assignments",
    )


def officer_for_profile(*, pk: int) -> Officer:
    """An officer with the neighbourhoods they serve now (`current_assignments`): two queries."""
    return Officer.objects.prefetch_related(_current_assignments_prefetch()).get(pk=pk)


def neighbourhood_choices() -> list[NeighbourhoodChoice]:
    """Every neighbourhood for the directory's filter, by division then name: one query."""
    rows = Neighbourhood.objects.order_by("division__name", "name", "pk").values_list(
        "pk", "slug", "name", "division__name"
    )
    return [
        NeighbourhoodChoice(pk=pk, slug=slug, name=name, division_name=division or "")
        for pk, slug, name, division in rows
    ]


def officer_directory(*, neighbourhood_id: int | None = None, name: str = "") -> QuerySet[Officer]:
    """Officers serving a neighbourhood now, by name, each with `current_assignments`.

    Filtered to one neighbourhood and to names containing `name` (any case) when given. A page
    of it costs two queries, whatever the number of officers or assignments."""
    serving = Assignment.objects.current().filter(officer=OuterRef("pk"))
    if neighbourhood_id is not None:
        serving = serving.filter(neighbourhood_id=neighbourhood_id)
    officers = Officer.objects.filter(Exists(serving))
    if name:
        officers = officers.filter(display_name__icontains=name)
    return officers.order_by("display_name", "pk").prefetch_related(_current_assignments_prefetch())


def coverage(*, on: datetime.date | None = None) -> Coverage:
    """Gaps in the Guarantee: neighbourhoods without a named officer now, and assignments
    ending within the next 30 days. Two queries."""
    today = on or timezone.localdate()
    ending = (
        Assignment.objects.current(today)
        .filter(
            end_date__lte=today + datetime.timedelta(days=ASSIGNMENTS_ENDING_WITHIN_DAYS),
        )
        .select_related("officer", "neighbourhood")
        .order_by("end_date", "neighbourhood__name", "officer__display_name")
    )
    return Coverage(
        uncovered_neighbourhoods=list(neighbourhoods_without_named_officer(on=today)),
        ending_assignments=list(ending),
        within_days=ASSIGNMENTS_ENDING_WITHIN_DAYS,
    )


def current_teams(
    neighbourhood_ids: Iterable[int], day: datetime.date
) -> dict[int, dict[str, list[Officer]]]:
    """Every neighbourhood's current officers by role (Assignment.Role), in one query."""
    teams: dict[int, dict[str, list[Officer]]] = defaultdict(lambda: defaultdict(list))
    assignments = (
        Assignment.objects.current(day)
        .filter(neighbourhood_id__in=set(neighbourhood_ids))
        # With each member's chosen language, for the emails to them.
        .select_related("officer__user__staff_language")
        .order_by("neighbourhood_id", "role", "start_date", "pk")
    )
    for assignment in assignments:
        teams[assignment.neighbourhood_id][assignment.role].append(assignment.officer)
    return teams


def current_officer_addresses(
    neighbourhood_ids: Iterable[int], day: datetime.date
) -> dict[int, list[str]]:
    """Each neighbourhood's current officers' addresses (every role), in one query."""
    return {
        pk: unique_addresses(
            officer.contact_email for officers in roles.values() for officer in officers
        )
        for pk, roles in current_teams(neighbourhood_ids, day).items()
    }


def current_officer_addresses_by_language(
    neighbourhood_ids: Iterable[int], day: datetime.date
) -> dict[int, list[tuple[str, list[str]]]]:
    """Each neighbourhood's current officers' addresses (every role), split by the language
    each reads: [(language, addresses)], one email each. One query."""
    return {
        pk: recipients_by_language(
            (officer.contact_email for officers in roles.values() for officer in officers),
            officer_addresses_languages(o for officers in roles.values() for o in officers),
            settings.LANGUAGE_CODE,
        )
        for pk, roles in current_teams(neighbourhood_ids, day).items()
    }


def staff_languages(*, user_ids: Iterable[int]) -> dict[int, str]:
    """The language each member of staff reads their emails in (one query): the one they last
    chose with the switcher while signed in, or the portal's default."""
    known = dict(settings.LANGUAGES)
    user_ids = list(user_ids)
    chosen = dict(
        StaffLanguage.objects.filter(user_id__in=user_ids).values_list("user_id", "language")
    )
    return {
        user_id: chosen[user_id] if chosen.get(user_id) in known else settings.LANGUAGE_CODE
        for user_id in user_ids
    }


def staff_language(*, user_id: int) -> str:
    """The language one member of staff reads their emails in."""
    return staff_languages(user_ids=[user_id])[user_id]


def officer_addresses_languages(officers: Iterable[Officer]) -> dict[str, str]:
    """The language each officer's address (in lower case) reads its emails in, for
    notifications.services.recipients_by_language: one query, none when the officers were
    read with `select_related("user__staff_language")`. An officer with no account reads the
    portal's default."""
    officers = [officer for officer in officers if officer.contact_email]
    chosen_of = get_user_model().staff_language
    cached = all(
        not officer.user_id
        or (Officer.user.is_cached(officer) and chosen_of.is_cached(officer.user))
        for officer in officers
    )
    if cached:
        known = dict(settings.LANGUAGES)
        languages = {}
        for officer in officers:
            chosen = getattr(getattr(officer.user, "staff_language", None), "language", "")
            languages[officer.contact_email.lower()] = (
                chosen if chosen in known else settings.LANGUAGE_CODE
            )
        return languages
    by_user = staff_languages(user_ids={o.user_id for o in officers if o.user_id})
    return {
        officer.contact_email.lower(): by_user.get(officer.user_id, settings.LANGUAGE_CODE)
        for officer in officers
    }
