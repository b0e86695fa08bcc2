"""What residents read of events: the force-wide list, an event's page, the calendar feeds and
a registration found by its cancel link. Each costs a fixed number of queries, however many
events and registrations there are."""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.dates import london_midnight
from config.limits import token_hash
from engagement.models import Priority
from meetings.models import MAX_EVENT_LENGTH, Event, Outcome, Registration
from neighbourhoods.models import Neighbourhood

# Calendar feeds carry events from this long ago, so a calendar that subscribed keeps the
# recent past and learns of late cancellations, to this far ahead.
FEED_PAST = datetime.timedelta(days=30)
FEED_AHEAD = datetime.timedelta(days=366)


def with_places_taken(events: QuerySet[Event]) -> QuerySet[Event]:
    """Annotate `places_taken`: live (not cancelled) registrations, as one subquery per row,
    which a COUNT of the queryset leaves out."""
    live = (
        Registration.objects.filter(event=OuterRef("pk"), cancelled_at__isnull=True)
        .order_by()
        .values("event")
        .annotate(taken=Count("pk"))
        .values("taken")
    )
    return events.annotate(
        places_taken=Coalesce(Subquery(live, output_field=IntegerField()), Value(0))
    )


def places_left(event: Event) -> int | None:
    """Places still free at an event annotated by `with_places_taken`; None when unlimited."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.places_taken, 0)


def is_full(event: Event) -> bool:
    return places_left(event) == 0


def event_list(
    *,
    neighbourhood_id: int | None = None,
    event_type: str = "",
    starts_from: datetime.date | None = None,
    starts_to: datetime.date | None = None,
) -> QuerySet[Event]:
    """Upcoming events residents see (not cancelled), by start, each with its neighbourhood and
    `places_taken`. `starts_from` and `starts_to` are London calendar days, both included."""
    events = Event.objects.upcoming().listed().select_related("neighbourhood")
    if neighbourhood_id is not None:
        events = events.filter(neighbourhood_id=neighbourhood_id)
    if event_type:
        events = events.filter(event_type=event_type)
    if starts_from is not None:
        events = events.filter(starts_at__gte=london_midnight(starts_from))
    if starts_to is not None:
        next_day = starts_to + datetime.timedelta(days=1)
        events = events.filter(starts_at__lt=london_midnight(next_day))
    return with_places_taken(events.order_by("starts_at", "pk"))


def event_for_page(*, pk: int) -> Event:
    """An event with what its public page shows: neighbourhood, organiser, `places_taken`, and
    its outcome, if one was recorded, with the priorities it created. Two queries. Raises
    Event.DoesNotExist."""
    priorities = Priority.objects.order_by("issue_date", "pk")
    events = Event.objects.select_related("neighbourhood", "organiser", "outcome")
    return with_places_taken(
        events.prefetch_related(Prefetch("outcome__priorities", queryset=priorities))
    ).get(pk=pk)


def event_outcome(event: Event) -> Outcome | None:
    """The event's outcome, or None when none was recorded (no query after event_for_page)."""
    try:
        return event.outcome
    except Outcome.DoesNotExist:
        return None


def feed_events(
    *, neighbourhood: Neighbourhood | None = None, now: datetime.datetime | None = None
) -> QuerySet[Event]:
    """Events for a calendar feed: every status (a cancelled event must reach the calendars
    that hold it), from FEED_PAST ago to FEED_AHEAD ahead. One query, on the starts_at index."""
    now = now or timezone.now()
    events = Event.objects.filter(
        ends_at__gte=now - FEED_PAST,
        starts_at__gte=now - FEED_PAST - MAX_EVENT_LENGTH,
        starts_at__lte=now + FEED_AHEAD,
    )
    if neighbourhood is not None:
        events = events.filter(neighbourhood=neighbourhood)
    return events.order_by("starts_at", "pk")


def registration_for_token(*, token: str) -> Registration | None:
    """The registration a cancel link belongs to, with its event and neighbourhood, or None."""
    return (
        Registration.objects.select_related("event__neighbourhood")
        .filter(cancel_token_hash=token_hash(token))
        .first()
    )


def live_registrations(event: Event) -> QuerySet[Registration]:
    return Registration.objects.filter(event=event, cancelled_at__isnull=True)
