"""The public Police and Crime Plan page is drawn here; apps above add what serves each plan
priority (the ASB action plan's actions) as sections, registered in their AppConfig.ready."""

from collections.abc import Sequence
from typing import Any

from config.sections import Sections
from crimeplan.models import PlanPriority


class PlanPageSection:
    """What an app above adds under each plan priority. `context` reads, in a fixed number of
    queries, what serves each of `priorities`: {plan priority pk: context for the template}."""

    order: int = 0
    template: str = ""

    def context(self, priorities: Sequence[PlanPriority]) -> dict[int, dict[str, Any]]:
        return {}


_sections: Sections[PlanPageSection] = Sections()


def register_section(section: PlanPageSection) -> None:
    _sections.register(section)


def sections_for(priorities: Sequence[PlanPriority]) -> dict[int, list[tuple[str, dict]]]:
    """For each plan priority, the (template, context) of every section that has something."""
    shown: dict[int, list[tuple[str, dict]]] = {priority.pk: [] for priority in priorities}
    for section in _sections:
        for pk, context in section.context(priorities).items():
            if pk in shown:
                shown[pk].append((section.template, context))
    return shown
