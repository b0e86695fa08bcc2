from django.db.models import Prefetch, QuerySet

from meetings.models import Event
from neighbourhoods.models import Division, Neighbourhood, Priority
from officers.models import Assignment

UPCOMING_EVENTS_ON_PAGE = 5


def division_list_with_neighbourhoods(*, force_slug: str) -> QuerySet[Division]:
    """Every division of the force with its neighbourhoods, in two queries."""
    return Division.objects.filter(force__slug=force_slug).prefetch_related(
        Prefetch("neighbourhoods", queryset=Neighbourhood.objects.order_by("name"))
    )


def neighbourhood_for_page(*, slug: str) -> Neighbourhood:
    """A neighbourhood with its current team, priorities and next events: four queries."""
    current_team = (
        Assignment.objects.current()
        .select_related("officer")
        .order_by("role", "officer__display_name")
    )
    upcoming = Event.objects.upcoming().select_related("organiser")[:UPCOMING_EVENTS_ON_PAGE]
    return (
        Neighbourhood.objects.select_related("force", "division")
        .prefetch_related(
            Prefetch("assignments", queryset=current_team, to_attr="current_team"),
            Prefetch(
                "priorities", queryset=Priority.objects.current(), to_attr="current_priorities"
            ),
            Prefetch("events", queryset=upcoming, to_attr="upcoming_events"),
        )
        .get(slug=slug)
    )
