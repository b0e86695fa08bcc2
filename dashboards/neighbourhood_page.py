"""The neighbourhood page's scorecard: how the team keeps the Guarantee (a neighbourhoods.page
section). It reads the scorecard the beat keeps in the cache, never the database, so the page
keeps its fixed number of queries."""

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from config import dates
from dashboards import public
from dashboards.public_display import (
    ago_text,
    answered_text,
    as_of_text,
    hours_text,
    next_meeting_text,
)
from neighbourhoods.models import Neighbourhood
from neighbourhoods.page import PageSection


class ScorecardSection(PageSection):
    order = 18
    template = "dashboards/_neighbourhood_scorecard.html"

    def context(self, neighbourhood: Neighbourhood, today: datetime.date) -> dict[str, Any]:
        card = public.cached_neighbourhood_scorecard(neighbourhood.slug)
        if card is None:
            return {"scorecard": None}
        figures = card.figures
        return {
            "scorecard": card,
            "answered": answered_text(figures),
            "typical": hours_text(figures.median_hours),
            "last_meeting": ago_text(card.last_beat_meeting, today),
            "next_meeting": next_meeting_text(card.next_beat_meeting),
            "priorities_updated": ago_text(card.priorities_updated, today),
            "named_since": (
                dates.month_text(card.named_officer_since) if card.named_officer_since else ""
            ),
            "as_of": as_of_text(card.computed_at, timezone.now()),
            "target_hours": settings.RESPONSE_TARGET_HOURS,
        }
