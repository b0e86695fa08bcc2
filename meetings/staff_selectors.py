"""Reads for the staff events area: a fixed number of queries per page, whatever the number of
events, registrations or neighbourhoods."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from meetings import recurrence as rules
from meetings.models import MAX_EVENT_LENGTH, Event, Outcome, Registration, Series
from meetings.staleness import OUTCOME_LOOKBACK, StaleListing, stale_listings
from neighbourhoods.models import Neighbourhood

# The most past events awaiting an outcome, and stale listings, the list page shows at once.
AWAITING_SHOWN = 20
STALE_SHOWN = 20

_LIVE = Q(registrations__cancelled_at__isnull=True)
_PATTERN_RULE = re.compile(
    r"^FREQ=(?P<freq>WEEKLY|MONTHLY)(?:;INTERVAL=(?P<interval>\d+))?;BYDAY=(?P<ordinal>-?\d)?"
    r"(?P<day>MO|TU|WE|TH|FR|SA|SU)$"
)


@dataclass
class StaffEventsOverview:
    """What the staff events list shows besides the page of upcoming events."""

    awaiting_outcome: list[Event]
    awaiting_outcome_count: int
    series: list[Series]
    stale: list[StaleListing]
    stale_count: int


def with_registration_count(events: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with `registered`: its live registrations, counted in the same query."""
    return events.annotate(registered=Count("registrations", filter=_LIVE))


def upcoming_events(
    *,
    neighbourhoods: QuerySet[Neighbourhood],
    neighbourhood: Neighbourhood | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[Event]:
    """Events of these neighbourhoods not yet over (cancelled ones too, marked), soonest first."""
    now = now or timezone.now()
    events = Event.objects.filter(
        neighbourhood__in=neighbourhoods,
        ends_at__gte=now,
        starts_at__gte=now - MAX_EVENT_LENGTH,  # lets the index on starts_at bound the scan
    )
    if neighbourhood is not None:
        events = events.filter(neighbourhood=neighbourhood)
    return with_registration_count(
        events.select_related("neighbourhood").order_by("starts_at", "pk")
    )


def events_awaiting_outcome(
    *, neighbourhoods: QuerySet[Neighbourhood], now: datetime.datetime | None = None
) -> QuerySet[Event]:
    """Events of these neighbourhoods that are over, not cancelled, with no outcome recorded,
    within the last OUTCOME_LOOKBACK; most recent first."""
    now = now or timezone.now()
    return (
        Event.objects.filter(
            neighbourhood__in=neighbourhoods,
            ends_at__lt=now,
            ends_at__gte=now - OUTCOME_LOOKBACK,
        )
        .exclude(status=Event.Status.CANCELLED)
        .exclude(Exists(Outcome.objects.filter(event=OuterRef("pk"))))
        .select_related("neighbourhood")
        .order_by("-starts_at", "pk")
    )


def live_series(
    *, neighbourhoods: QuerySet[Neighbourhood], now: datetime.datetime | None = None
) -> QuerySet[Series]:
    """Series of these neighbourhoods that have not ended, each with `next_starts_at`."""
    now = now or timezone.now()
    return (
        Series.objects.filter(neighbourhood__in=neighbourhoods)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .select_related("neighbourhood")
        .annotate(
            next_starts_at=Min(
                "events__starts_at",
                filter=Q(events__starts_at__gt=now, events__status=Event.Status.SCHEDULED),
            )
        )
        .order_by("neighbourhood__name", "title", "pk")
    )


def staff_events_overview(
    *, neighbourhoods: QuerySet[Neighbourhood], now: datetime.datetime | None = None
) -> StaffEventsOverview:
    """Past events awaiting an outcome, live series and stale listings: six queries."""
    now = now or timezone.now()
    awaiting = events_awaiting_outcome(neighbourhoods=neighbourhoods, now=now)
    stale = stale_listings(neighbourhoods=neighbourhoods, now=now)
    return StaffEventsOverview(
        awaiting_outcome=list(awaiting[:AWAITING_SHOWN]),
        awaiting_outcome_count=awaiting.count(),
        series=list(live_series(neighbourhoods=neighbourhoods, now=now)),
        stale=stale[:STALE_SHOWN],
        stale_count=len(stale),
    )


def event_for_staff(*, pk: int) -> Event:
    """An event with what its staff page shows: neighbourhood, organiser, series, outcome and
    its priorities, and its live registrations (`live_registrations`). Four queries."""
    live = Registration.objects.filter(cancelled_at__isnull=True).order_by("created_at", "pk")
    return (
        Event.objects.select_related("neighbourhood", "organiser", "series", "outcome")
        .prefetch_related(
            Prefetch("registrations", queryset=live, to_attr="live_registrations"),
            "outcome__priorities",
        )
        .get(pk=pk)
    )


def series_for_staff(*, pk: int) -> Series:
    return Series.objects.select_related("neighbourhood", "organiser").get(pk=pk)


def series_occurrences(*, series: Series, now: datetime.datetime | None = None) -> QuerySet[Event]:
    """The series' occurrences not yet over, soonest first, with their registration counts."""
    now = now or timezone.now()
    return with_registration_count(
        Event.objects.filter(series=series, ends_at__gte=now).order_by("starts_at", "pk")
    )


def pattern_of(rule: str) -> rules.Pattern | None:
    """The pattern an officer chose, read back from its RRULE; None for any other rule."""
    match = _PATTERN_RULE.match(rule)
    if not match:
        return None
    weekday = rules.WEEKDAYS.index(match["day"])
    interval = int(match["interval"] or 1)
    ordinal = int(match["ordinal"]) if match["ordinal"] else None
    if match["freq"] == "WEEKLY" and ordinal is None and interval in (1, 2):
        return rules.Pattern("weekly" if interval == 1 else "fortnightly", weekday)
    if match["freq"] == "MONTHLY" and interval == 1 and ordinal in rules.ORDINALS:
        return rules.Pattern("monthly", weekday, ordinal)
    return None


def rule_description(series: Series) -> str:
    """'the first Tuesday of every month', or the RRULE itself for a rule set elsewhere."""
    pattern = pattern_of(series.rrule)
    return pattern.describe() if pattern else series.rrule
