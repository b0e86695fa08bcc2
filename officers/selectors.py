import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from meetings.models import Event
from meetings.permissions import can_use_event_listings, manageable_neighbourhoods
from meetings.staleness import stale_listings
from neighbourhoods.models import Neighbourhood
from neighbourhoods.priorities import overdue_priority_count
from neighbourhoods.surveys import survey_answers_awaiting_moderation_count
from officers.models import Assignment, Officer
from officers.permissions import COVERAGE_ROLES, OFFICER_ROLES
from officers.roles import Role, user_roles
from queries.dashboard_access import dashboard_scopes
from queries.services.outbox import outbox_failed_count

ASSIGNMENTS_ENDING_WITHIN_DAYS = 30


@dataclass
class StaffOverview:
    roles: set[Role]
    officer: Officer | None = None
    assignments: list[Assignment] = field(default_factory=list)
    uncovered_neighbourhoods: list[Neighbourhood] = field(default_factory=list)
    force_figures: dict[str, int] = field(default_factory=dict)
    # For administrators: emails the outbox gave up on, to look at and send again.
    failed_emails: int | None = None
    # For those who keep event listings: how many of their neighbourhoods' listings are stale.
    stale_listings: int | None = None
    # For the same people: how many of their neighbourhoods' priorities are overdue for review.
    overdue_priorities: int | None = None
    # And how many survey comments of their neighbourhoods wait for moderation.
    surveys_awaiting_moderation: int | None = None
    # Whether the SLA and Guarantee dashboard has any scope for this user.
    can_view_dashboard: bool = False

    @property
    def can_edit_own_profile(self) -> bool:
        return self.officer is not None and bool(self.roles & OFFICER_ROLES)

    @property
    def can_view_coverage(self) -> bool:
        return bool(self.roles & COVERAGE_ROLES)


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


def neighbourhoods_without_named_officer(
    *, on: datetime.date | None = None
) -> QuerySet[Neighbourhood]:
    named = Assignment.objects.current(on).filter(role=Assignment.Role.NAMED_OFFICER)
    return (
        Neighbourhood.objects.exclude(pk__in=named.values("neighbourhood_id"))
        .select_related("division")
        .order_by("name")
    )


def force_figures() -> dict[str, int]:
    """Headline figures for the force, each counted in SQL."""
    named = Assignment.objects.current().filter(role=Assignment.Role.NAMED_OFFICER)
    counts = Neighbourhood.objects.aggregate(
        neighbourhoods=Count("pk"),
        with_named_officer=Count("pk", filter=Q(pk__in=named.values("neighbourhood_id"))),
    )
    now = timezone.now()
    counts["events_next_28_days"] = Event.objects.filter(
        starts_at__gte=now,
        starts_at__lt=now + datetime.timedelta(days=28),
        status=Event.Status.SCHEDULED,
    ).count()
    return counts


def staff_overview(*, user: AbstractBaseUser) -> StaffOverview:
    """What the staff home shows this user, decided by their roles alone."""
    overview = StaffOverview(roles=user_roles(user))
    overview.officer = Officer.objects.filter(user=user).first()
    if overview.officer and Role.OFFICER in overview.roles:
        overview.assignments = list(
            overview.officer.assignments.current().select_related("neighbourhood")
        )
    if Role.SUPERVISOR in overview.roles:
        overview.uncovered_neighbourhoods = list(neighbourhoods_without_named_officer())
    if overview.roles & {Role.OPCC, Role.ADMINISTRATOR}:
        overview.force_figures = force_figures()
    if Role.ADMINISTRATOR in overview.roles:
        overview.failed_emails = outbox_failed_count()
    overview.can_view_dashboard = bool(dashboard_scopes(user))
    if can_use_event_listings(user):
        overview.stale_listings = len(
            stale_listings(neighbourhoods=manageable_neighbourhoods(user))
        )
        overview.overdue_priorities = overdue_priority_count(user=user)
        overview.surveys_awaiting_moderation = survey_answers_awaiting_moderation_count(user=user)
    return overview


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
