"""Under each priority of the public Police and Crime Plan page, the ASB action plan's actions
that serve it (a crimeplan.plan_page section)."""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from asb.models import Action
from crimeplan.models import PlanPriority
from crimeplan.plan_page import PlanPageSection


class AsbActionsSection(PlanPageSection):
    order = 10
    template = "asb/_plan_priority_actions.html"

    def context(self, priorities: Sequence[PlanPriority]) -> dict[int, dict[str, Any]]:
        """One query, whatever the number of priorities and actions."""
        tagged = (
            Action.plan_priorities.through.objects.filter(
                planpriority_id__in=[priority.pk for priority in priorities]
            )
            .select_related("action__section")
            .order_by("action__section__position", "action__due_on", "action_id")
        )
        serving: dict[int, list[Action]] = defaultdict(list)
        for row in tagged:
            serving[row.planpriority_id].append(row.action)
        return {pk: {"actions": actions} for pk, actions in serving.items()}
