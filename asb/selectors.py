"""Reading the ASB leads, the action plan and what changed in it lately."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext, gettext_lazy

from asb.models import Action, Lead, Section
from asb.permissions import PlanScope

RECENT_DAYS = 30
RECENT_LIMIT = 20
# The fields residents see, and how the page names them.
PUBLIC_FIELDS = {
    "title": gettext_lazy("Action"),
    "status": gettext_lazy("Status"),
    "due_on": gettext_lazy("Due date"),
    "progress": gettext_lazy("Progress"),
    "section_id": gettext_lazy("Section"),
    "owner_kind": gettext_lazy("Owner"),
    "owner_division_id": gettext_lazy("Owner"),
    "owner_neighbourhood_id": gettext_lazy("Owner"),
    "owner_partner": gettext_lazy("Owner"),
}


def leads() -> QuerySet[Lead]:
    """The force's lead first, then the divisions' by name."""
    return Lead.objects.select_related("officer", "division")


def _actions() -> QuerySet[Action]:
    return Action.objects.select_related(
        "division", "owner_division", "owner_neighbourhood"
    ).prefetch_related("plan_priorities")


def plan_sections(*, scope: PlanScope | None = None) -> list[Section]:
    """The sections with their actions (`shown_actions`), in three queries; with `scope`, only
    the actions it may edit."""
    actions = _actions()
    if scope is not None and not scope.whole_plan:
        actions = actions.filter(division_id__in=scope.division_ids)
    return list(
        Section.objects.prefetch_related(Prefetch("actions", queryset=actions, to_attr="shown"))
    )


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    title: str
    section: str
    what: str


def _change_text(record, previous, sections: dict[int, str]) -> str:
    """What changed, in the active language: 'Status now done; progress changed'."""
    if record.history_type == "+":
        return gettext("Added to the plan")
    if record.history_type == "-":
        return gettext("Removed from the plan")
    changed = []
    for field, label in PUBLIC_FIELDS.items():
        if getattr(record, field) != getattr(previous, field) and str(label) not in changed:
            changed.append(str(label))
    status_label = str(PUBLIC_FIELDS["status"])
    others = ", ".join(label.lower() for label in changed if label != status_label)
    if status_label in changed:
        status = str(Action.Status(record.status).label).lower()
        if others:
            return gettext("Status now %(status)s; %(others)s changed") % {
                "status": status,
                "others": others,
            }
        return gettext("Status now %(status)s") % {"status": status}
    return (gettext("%(fields)s changed") % {"fields": ", ".join(changed)}) if changed else ""


def recent_changes(*, now: datetime.datetime, days: int = RECENT_DAYS) -> list[Change]:
    """The last RECENT_LIMIT changes to the plan's actions in the last `days` days, newest
    first, naming only public fields: never who made them (two queries)."""
    history = Action.history.model
    since = now - datetime.timedelta(days=days)
    recent = list(history.objects.filter(history_date__gte=since).order_by("-history_date")[:100])
    if not recent:
        return []
    ids = {record.id for record in recent}
    by_action = defaultdict(list)
    for record in history.objects.filter(id__in=ids).order_by("history_date", "history_id"):
        by_action[record.id].append(record)
    sections = dict(Section.objects.values_list("pk", "title"))
    changes = []
    for records in by_action.values():
        for previous, record in zip([None, *records], records, strict=False):
            if record.history_date < since:
                continue
            what = _change_text(record, previous, sections)
            if what:
                section = sections.get(record.section_id, "")
                changes.append(Change(record.history_date, record.title, section, what))
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:RECENT_LIMIT]
