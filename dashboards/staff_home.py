"""The dashboards on the staff home: a link to the figures for those with a scope, and the
force at a glance for OPCC staff and administrators (officers.staff_home sections)."""

import datetime
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from config.roles import Role
from meetings.models import Event
from neighbourhoods.models import Neighbourhood
from officers.models import Assignment
from officers.scopes import dashboard_scopes
from officers.staff_home import StaffHome, StaffHomeSection


class FiguresSection(StaffHomeSection):
    order = 40
    template = "dashboards/_staff_home_figures.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        return {} if dashboard_scopes(home.user) else None


def force_figures() -> dict[str, int]:
    """Headline figures for the force, each counted in SQL."""
    named = Assignment.objects.current().filter(role=Assignment.Role.NAMED_OFFICER)
    counts = Neighbourhood.objects.aggregate(
        neighbourhoods=Count("pk"),
        with_named_officer=Count("pk", filter=Q(pk__in=named.values("neighbourhood_id"))),
    )
    now = timezone.now()
    counts["events_next_28_days"] = Event.objects.filter(
        starts_at__gte=now,
        starts_at__lt=now + datetime.timedelta(days=28),
        status=Event.Status.SCHEDULED,
    ).count()
    return counts


class ForceSection(StaffHomeSection):
    order = 100
    template = "dashboards/_staff_home_force.html"

    def context(self, home: StaffHome) -> dict[str, Any] | None:
        if not home.roles & {Role.OPCC, Role.ADMINISTRATOR}:
            return None
        return {"force_figures": force_figures()}
