"""Stale listings: a neighbourhood with no beat meeting scheduled in the next weeks, or a past
meeting whose outcome was never recorded. The staff area lists them; a weekly task emails the
officers of each."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from meetings.models import Event, Outcome
from neighbourhoods.models import Neighbourhood

# Meetings that count as beat meetings for the Guarantee.
BEAT_MEETING_TYPES = (Event.Type.BEAT_MEETING, Event.Type.ONLINE_MEETING)
# Meetings older than this are history: a missing outcome is no longer chased.
OUTCOME_LOOKBACK = datetime.timedelta(days=90)


@dataclass
class StaleListing:
    neighbourhood: Neighbourhood
    no_upcoming_meeting: bool
    outcomes_missing: list[Event] = field(default_factory=list)


def meetings_without_outcome(*, now: datetime.datetime | None = None) -> QuerySet[Event]:
    """Meetings that ended more than OUTCOME_OVERDUE_DAYS ago (and within OUTCOME_LOOKBACK),
    not cancelled, with no outcome recorded."""
    now = now or timezone.now()
    overdue = now - datetime.timedelta(days=settings.OUTCOME_OVERDUE_DAYS)
    return (
        Event.objects.filter(
            event_type__in=BEAT_MEETING_TYPES,
            ends_at__lt=overdue,
            ends_at__gte=now - OUTCOME_LOOKBACK,
        )
        .exclude(status=Event.Status.CANCELLED)
        .exclude(Exists(Outcome.objects.filter(event=OuterRef("pk"))))
    )


def stale_listings(
    *, neighbourhoods: QuerySet[Neighbourhood], now: datetime.datetime | None = None
) -> list[StaleListing]:
    """The stale listings among `neighbourhoods`, by name, in two queries."""
    now = now or timezone.now()
    ahead = now + datetime.timedelta(weeks=settings.STALE_NO_MEETING_WEEKS)
    upcoming = Event.objects.filter(
        neighbourhood=OuterRef("pk"),
        event_type__in=BEAT_MEETING_TYPES,
        status=Event.Status.SCHEDULED,
        starts_at__gte=now,
        starts_at__lte=ahead,
    )
    areas = neighbourhoods.annotate(has_upcoming=Exists(upcoming)).order_by("name")
    missing: dict[int, list[Event]] = {}
    for event in (
        meetings_without_outcome(now=now)
        .filter(neighbourhood__in=neighbourhoods)
        .order_by("starts_at")
    ):
        missing.setdefault(event.neighbourhood_id, []).append(event)
    return [
        StaleListing(
            neighbourhood=area,
            no_upcoming_meeting=not area.has_upcoming,
            outcomes_missing=missing.get(area.pk, []),
        )
        for area in areas
        if not area.has_upcoming or area.pk in missing
    ]
