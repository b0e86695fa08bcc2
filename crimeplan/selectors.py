"""Reading the Police and Crime Plan: the plan in force, its priorities, and what serves them."""

import datetime

from django.db.models import Prefetch, QuerySet

from crimeplan.models import Plan, PlanPriority
from engagement.models import Priority


def current_plan(*, today: datetime.date) -> Plan | None:
    """The plan in force today; else the latest one published (the newest start first)."""
    return Plan.objects.in_force_on(today).first() or Plan.objects.first()


def plan_priorities_with_neighbourhood_work(*, plan: Plan) -> QuerySet[PlanPriority]:
    """The plan's priorities with the neighbourhood priorities serving each (and their
    neighbourhoods): two queries however many."""
    serving = Priority.objects.select_related("neighbourhood").order_by(
        "neighbourhood__name", "-issue_date", "pk"
    )
    return plan.priorities.prefetch_related(
        Prefetch("neighbourhood_priorities", queryset=serving, to_attr="serving")
    )
