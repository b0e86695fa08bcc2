"""The neighbourhood page's upcoming events and past meetings (neighbourhoods.page sections)."""

import datetime
from typing import Any

from django.db.models import Prefetch

from engagement.models import Priority
from meetings.models import Event
from neighbourhoods.models import Neighbourhood
from neighbourhoods.page import PageSection

UPCOMING_EVENTS_ON_PAGE = 5
OUTCOMES_ON_PAGE = 3


class UpcomingEventsSection(PageSection):
    """The next five events residents see (not cancelled), and the neighbourhood's calendar."""

    order = 40
    template = "meetings/_neighbourhood_events.html"
    head_template = "meetings/_neighbourhood_feed_link.html"

    def prefetches(self, today: datetime.date) -> list[Prefetch]:
        upcoming = Event.objects.upcoming().listed()[:UPCOMING_EVENTS_ON_PAGE]
        return [Prefetch("events", queryset=upcoming, to_attr="upcoming_events")]

    def context(self, neighbourhood: Neighbourhood, today: datetime.date) -> dict[str, Any]:
        return {"events": neighbourhood.upcoming_events}

    def updated(self, neighbourhood: Neighbourhood) -> list[datetime.datetime]:
        return [event.updated_at for event in neighbourhood.upcoming_events]


class PastMeetingsSection(PageSection):
    """The last three meetings with a published outcome ("you said, we did"), with the
    priorities each made."""

    order = 50
    template = "meetings/_neighbourhood_past_meetings.html"

    def prefetches(self, today: datetime.date) -> list[Prefetch]:
        with_outcome = (
            Event.objects.past()
            .listed()
            .filter(outcome__isnull=False)
            .select_related("outcome")
            .order_by("-starts_at", "-pk")[:OUTCOMES_ON_PAGE]
        )
        return [
            Prefetch("events", queryset=with_outcome, to_attr="past_meetings"),
            Prefetch(
                "past_meetings__outcome__priorities",
                queryset=Priority.objects.order_by("issue_date", "pk"),
            ),
        ]

    def context(self, neighbourhood: Neighbourhood, today: datetime.date) -> dict[str, Any]:
        return {"past_meetings": neighbourhood.past_meetings}

    def updated(self, neighbourhood: Neighbourhood) -> list[datetime.datetime]:
        return [event.outcome.updated_at for event in neighbourhood.past_meetings]
