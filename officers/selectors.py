import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from meetings.models import Event
from neighbourhoods.models import Neighbourhood
from officers.models import Assignment, Officer
from officers.roles import Role, user_roles


@dataclass
class StaffOverview:
    roles: set[Role]
    officer: Officer | None = None
    assignments: list[Assignment] = field(default_factory=list)
    uncovered_neighbourhoods: list[Neighbourhood] = field(default_factory=list)
    force_figures: dict[str, int] = field(default_factory=dict)


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
    return overview
