import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from meetings.models import Event
from neighbourhoods.models import Division, Neighbourhood, Priority
from officers.models import Assignment

UPCOMING_EVENTS_ON_PAGE = 5
PRIORITIES_ON_PAGE = 10
OUTCOMES_ON_PAGE = 3

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
    events: list[Event]
    # Past meetings with their outcome ("you said, we did"), the most recent first.
    past_meetings: list[Event]
    last_updated: datetime.datetime


def neighbourhood_page(*, slug: str) -> NeighbourhoodPage:
    """What the public neighbourhood page shows, in six queries whatever the data size:
    the ten most recent current priorities (and how many there are), the next five events
    residents see (not cancelled), and the last three meetings with a published outcome and
    the priorities each created.

    Raises Neighbourhood.DoesNotExist for an unknown slug."""
    current_team = (
        Assignment.objects.current()
        .select_related("officer")
        .order_by(ROLE_ORDER, "officer__display_name")
    )
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
                queryset=Priority.objects.current().order_by("-issue_date", "pk")[
                    :PRIORITIES_ON_PAGE
                ],
                to_attr="current_priorities",
            ),
            Prefetch("events", queryset=upcoming, to_attr="upcoming_events"),
            Prefetch("events", queryset=with_outcome, to_attr="past_meetings"),
            Prefetch(
                "past_meetings__outcome__priorities",
                queryset=Priority.objects.order_by("issue_date", "pk"),
            ),
        )
        .get(slug=slug)
    )
    team = neighbourhood.current_team
    named = next((a for a in team if a.role == Assignment.Role.NAMED_OFFICER), None)
    stamps = [neighbourhood.updated_at]
    stamps += [a.officer.updated_at for a in team]
    stamps += [p.updated_at for p in neighbourhood.current_priorities]
    stamps += [e.updated_at for e in neighbourhood.upcoming_events]
    stamps += [e.outcome.updated_at for e in neighbourhood.past_meetings]
    return NeighbourhoodPage(
        neighbourhood=neighbourhood,
        named_officer=named,
        team=[a for a in team if a is not named],
        priorities=neighbourhood.current_priorities,
        priorities_total=neighbourhood.priorities_total,
        events=neighbourhood.upcoming_events,
        past_meetings=neighbourhood.past_meetings,
        last_updated=max(stamps),
    )
