"""The neighbourhood page's named officer and team (neighbourhoods.page sections)."""

import datetime
from typing import Any

from django.db.models import Prefetch

from neighbourhoods.models import Neighbourhood
from neighbourhoods.page import PageSection
from officers.models import Assignment
from officers.selectors import ROLE_ORDER


def _named(neighbourhood: Neighbourhood) -> Assignment | None:
    team = neighbourhood.current_team
    return next((a for a in team if a.role == Assignment.Role.NAMED_OFFICER), None)


class NamedOfficerSection(PageSection):
    """The named officer, or how to reach the team without one. It reads the team serving
    now (`current_team`), which TeamSection shows the rest of."""

    order = 10
    template = "officers/_neighbourhood_named_officer.html"

    def prefetches(self, today: datetime.date) -> list[Prefetch]:
        current_team = (
            Assignment.objects.current()
            .select_related("officer")
            .order_by(ROLE_ORDER, "officer__display_name")
        )
        return [Prefetch("assignments", queryset=current_team, to_attr="current_team")]

    def context(self, neighbourhood: Neighbourhood, today: datetime.date) -> dict[str, Any]:
        return {"named_officer": _named(neighbourhood)}

    def updated(self, neighbourhood: Neighbourhood) -> list[datetime.datetime]:
        return [assignment.officer.updated_at for assignment in neighbourhood.current_team]


class TeamSection(PageSection):
    """Who else serves the neighbourhood now."""

    order = 16
    template = "officers/_neighbourhood_team.html"

    def context(self, neighbourhood: Neighbourhood, today: datetime.date) -> dict[str, Any]:
        named = _named(neighbourhood)
        return {"team": [a for a in neighbourhood.current_team if a is not named]}
