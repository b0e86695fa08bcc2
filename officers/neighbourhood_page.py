"""The neighbourhood page's named officer and team (a neighbourhoods.page section)."""

import datetime
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Value, When

from neighbourhoods.models import Neighbourhood
from neighbourhoods.page import PageSection
from officers.models import Assignment

# The order a resident reads a team in: the named officer, then who they work with.
ROLE_ORDER = Case(
    When(role=Assignment.Role.NAMED_OFFICER, then=Value(0)),
    When(role=Assignment.Role.TEAM_MEMBER, then=Value(1)),
    When(role=Assignment.Role.SERGEANT, then=Value(2)),
    When(role=Assignment.Role.INSPECTOR, then=Value(3)),
    output_field=IntegerField(),
)


class TeamSection(PageSection):
    """The named officer (or what to do without one), how to contact the team, and who else
    serves the neighbourhood now."""

    order = 10
    template = "officers/_neighbourhood_team.html"

    def prefetches(self, today: datetime.date) -> list[Prefetch]:
        current_team = (
            Assignment.objects.current()
            .select_related("officer")
            .order_by(ROLE_ORDER, "officer__display_name")
        )
        return [Prefetch("assignments", queryset=current_team, to_attr="current_team")]

    def context(self, neighbourhood: Neighbourhood, today: datetime.date) -> dict[str, Any]:
        team = neighbourhood.current_team
        named = next((a for a in team if a.role == Assignment.Role.NAMED_OFFICER), None)
        return {"named_officer": named, "team": [a for a in team if a is not named]}

    def updated(self, neighbourhood: Neighbourhood) -> list[datetime.datetime]:
        return [assignment.officer.updated_at for assignment in neighbourhood.current_team]
