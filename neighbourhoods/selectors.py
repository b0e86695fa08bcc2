import datetime
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from meetings.models import Event
from neighbourhoods.models import Division, Neighbourhood, Priority, PrioritySupport, Survey
from neighbourhoods.priorities import RESOLVED_ON_PAGE, RESOLVED_SHOWN_DAYS
from neighbourhoods.surveys import CLOSED_ON_PAGE, CLOSED_SHOWN_DAYS
from officers.models import Assignment

UPCOMING_EVENTS_ON_PAGE = 5
PRIORITIES_ON_PAGE = 10
OUTCOMES_ON_PAGE = 3
# Open surveys and recently closed ones, read together (open ones close latest).
SURVEYS_READ_FOR_PAGE = 6

# The order a resident reads a team in: the named officer, then who they work with.
ROLE_ORDER = Case(
    When(role=Assignment.Role.NAMED_OFFICER, then=Value(0)),
    When(role=Assignment.Role.TEAM_MEMBER, then=Value(1)),
    When(role=Assignment.Role.SERGEANT, then=Value(2)),
    When(role=Assignment.Role.INSPECTOR, then=Value(3)),
    output_field=IntegerField(),
)


def division_list_with_neighbourhoods(*, force_slug: str) -> QuerySet[Division]:
    """Every division of the force with its neighbourhoods, in two queries."""
    return Division.objects.filter(force__slug=force_slug).prefetch_related(
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name"))
    )


@dataclass
class NeighbourhoodPage:
    neighbourhood: Neighbourhood
    named_officer: Assignment | None
    team: list[Assignment]
    priorities: list[Priority]
    priorities_total: int
    # "You said, we did": the latest priorities resolved in the past year, newest first.
    resolved_priorities: list[Priority]
    events: list[Event]
    # Past meetings with their outcome ("you said, we did"), the most recent first.
    past_meetings: list[Event]
    last_updated: datetime.datetime
    # Have your say: surveys open today, and the latest closed ones whose results are public.
    open_surveys: list[Survey]
    closed_surveys: list[Survey]


def _priorities_on_page(today: datetime.date) -> QuerySet[Priority]:
    """In one query: the PRIORITIES_ON_PAGE most recent current priorities of each
    neighbourhood, and its RESOLVED_ON_PAGE most recently resolved within RESOLVED_SHOWN_DAYS
    (a resolved priority's action date is the day it was resolved), each with `supporters`:
    how many residents confirmed their support."""
    resolved = Q(status=Priority.Status.RESOLVED)
    since = today - datetime.timedelta(days=RESOLVED_SHOWN_DAYS)
    supporters = (
        PrioritySupport.objects.filter(priority=OuterRef("pk"), confirmed_at__isnull=False)
        .order_by()
        .values("priority")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Priority.objects.filter(~resolved | Q(resolved, action_date__gte=since))
        .annotate(supporters=Coalesce(Subquery(supporters), 0))
        .annotate(
            is_resolved=Case(
                When(resolved, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            shown_date=Case(
                When(resolved, then=F("action_date")),
                default=F("issue_date"),
                output_field=DateField(),
            ),
        )
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("neighbourhood_id"), F("is_resolved")],
                order_by=[F("shown_date").desc(), F("pk").asc()],
            )
        )
        .filter(
            Q(is_resolved=False, place__lte=PRIORITIES_ON_PAGE)
            | Q(is_resolved=True, place__lte=RESOLVED_ON_PAGE)
        )
        .order_by("-shown_date", "pk")
    )


def _surveys_on_page(today: datetime.date) -> QuerySet[Survey]:
    """Surveys open today and those closed within CLOSED_SHOWN_DAYS, latest closing first."""
    return Survey.objects.filter(
        opens_on__lte=today, closes_on__gte=today - datetime.timedelta(days=CLOSED_SHOWN_DAYS)
    ).order_by("-closes_on", "-pk")[:SURVEYS_READ_FOR_PAGE]


def neighbourhood_page(*, slug: str) -> NeighbourhoodPage:
    """What the public neighbourhood page shows, in seven queries whatever the data size:
    the ten most recent current priorities (and how many there are) with the last five
    resolved in the past year ("you said, we did"), the next five events residents see (not
    cancelled), the last three meetings with a published outcome and the priorities each
    created, and the surveys open today with the latest closed ones ("have your say").

    Raises Neighbourhood.DoesNotExist for an unknown slug."""
    current_team = (
        Assignment.objects.current()
        .select_related("officer")
        .order_by(ROLE_ORDER, "officer__display_name")
    )
    today = timezone.localdate()
    upcoming = Event.objects.upcoming().listed()[:UPCOMING_EVENTS_ON_PAGE]
    with_outcome = (
        Event.objects.past()
        .listed()
        .filter(outcome__isnull=False)
        .select_related("outcome")
        .order_by("-starts_at", "-pk")[:OUTCOMES_ON_PAGE]
    )
    neighbourhood = (
        Neighbourhood.objects.select_related("force", "division")
        .annotate(
            priorities_total=Count(
                "priorities", filter=~Q(priorities__status=Priority.Status.RESOLVED)
            )
        )
        .prefetch_related(
            Prefetch("assignments", queryset=current_team, to_attr="current_team"),
            Prefetch(
                "priorities",
                queryset=_priorities_on_page(today),
                to_attr="priorities_on_page",
            ),
            Prefetch("events", queryset=upcoming, to_attr="upcoming_events"),
            Prefetch("events", queryset=with_outcome, to_attr="past_meetings"),
            Prefetch(
                "past_meetings__outcome__priorities",
                queryset=Priority.objects.order_by("issue_date", "pk"),
            ),
            Prefetch("surveys", queryset=_surveys_on_page(today), to_attr="surveys_on_page"),
        )
        .get(slug=slug)
    )
    team = neighbourhood.current_team
    named = next((a for a in team if a.role == Assignment.Role.NAMED_OFFICER), None)
    current = [p for p in neighbourhood.priorities_on_page if not p.is_resolved]
    resolved = [p for p in neighbourhood.priorities_on_page if p.is_resolved]
    stamps = [neighbourhood.updated_at]
    stamps += [a.officer.updated_at for a in team]
    stamps += [p.updated_at for p in neighbourhood.priorities_on_page]
    stamps += [e.updated_at for e in neighbourhood.upcoming_events]
    stamps += [e.outcome.updated_at for e in neighbourhood.past_meetings]
    surveys = neighbourhood.surveys_on_page
    return NeighbourhoodPage(
        neighbourhood=neighbourhood,
        named_officer=named,
        team=[a for a in team if a is not named],
        priorities=current,
        priorities_total=neighbourhood.priorities_total,
        resolved_priorities=resolved,
        events=neighbourhood.upcoming_events,
        past_meetings=neighbourhood.past_meetings,
        last_updated=max(stamps),
        open_surveys=[s for s in surveys if s.closes_on >= today],
        closed_surveys=[s for s in surveys if s.closes_on < today][:CLOSED_ON_PAGE],
    )
