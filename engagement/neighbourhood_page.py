"""The neighbourhood page's local priorities, "You said, we did" and Have your say
(neighbourhoods.page sections)."""

import datetime
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from engagement.models import Priority, PrioritySupport, Survey
from engagement.priorities import RESOLVED_ON_PAGE, RESOLVED_SHOWN_DAYS
from engagement.surveys import CLOSED_ON_PAGE, CLOSED_SHOWN_DAYS
from neighbourhoods.models import Neighbourhood
from neighbourhoods.page import PageSection

PRIORITIES_ON_PAGE = 10
# Open surveys and recently closed ones, read together (open ones close latest).
SURVEYS_READ_FOR_PAGE = 6


def _priorities_on_page(today: datetime.date) -> QuerySet[Priority]:
    """In one query: the PRIORITIES_ON_PAGE most recent current priorities of each
    neighbourhood, and its RESOLVED_ON_PAGE most recently resolved within RESOLVED_SHOWN_DAYS
    (a resolved priority's action date is the day it was resolved), each with `supporters`:
    how many residents confirmed their support."""
    resolved = Q(status=Priority.Status.RESOLVED)
    since = today - datetime.timedelta(days=RESOLVED_SHOWN_DAYS)
    supporters = (
        PrioritySupport.objects.filter(priority=OuterRef("pk"), confirmed_at__isnull=False)
        .order_by()
        .values("priority")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Priority.objects.filter(~resolved | Q(resolved, action_date__gte=since))
        .annotate(supporters=Coalesce(Subquery(supporters), 0))
        .annotate(
            is_resolved=Case(
                When(resolved, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            shown_date=Case(
                When(resolved, then=F("action_date")),
                default=F("issue_date"),
                output_field=DateField(),
            ),
        )
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("neighbourhood_id"), F("is_resolved")],
                order_by=[F("shown_date").desc(), F("pk").asc()],
            )
        )
        .filter(
            Q(is_resolved=False, place__lte=PRIORITIES_ON_PAGE)
            | Q(is_resolved=True, place__lte=RESOLVED_ON_PAGE)
        )
        .order_by("-shown_date", "pk")
    )


class PrioritiesSection(PageSection):
    """The ten most recent current priorities (and how many there are), each with its
    supporters, and the last five resolved in the past year ("You said, we did")."""

    order = 20
    template = "engagement/_neighbourhood_priorities.html"

    def annotations(self, today: datetime.date) -> dict[str, Any]:
        current = ~Q(priorities__status=Priority.Status.RESOLVED)
        return {"priorities_total": Count("priorities", filter=current)}

    def prefetches(self, today: datetime.date) -> list[Prefetch]:
        return [
            Prefetch(
                "priorities", queryset=_priorities_on_page(today), to_attr="priorities_on_page"
            )
        ]

    def context(self, neighbourhood: Neighbourhood, today: datetime.date) -> dict[str, Any]:
        shown = neighbourhood.priorities_on_page
        return {
            "priorities": [p for p in shown if not p.is_resolved],
            "priorities_total": neighbourhood.priorities_total,
            "resolved_priorities": [p for p in shown if p.is_resolved],
        }

    def updated(self, neighbourhood: Neighbourhood) -> list[datetime.datetime]:
        return [priority.updated_at for priority in neighbourhood.priorities_on_page]


class HaveYourSaySection(PageSection):
    """Surveys open today, and the latest closed ones whose results are public."""

    order = 30
    template = "engagement/_neighbourhood_have_your_say.html"

    def prefetches(self, today: datetime.date) -> list[Prefetch]:
        surveys = Survey.objects.filter(
            opens_on__lte=today, closes_on__gte=today - datetime.timedelta(days=CLOSED_SHOWN_DAYS)
        ).order_by("-closes_on", "-pk")[:SURVEYS_READ_FOR_PAGE]
        return [Prefetch("surveys", queryset=surveys, to_attr="surveys_on_page")]

    def context(self, neighbourhood: Neighbourhood, today: datetime.date) -> dict[str, Any]:
        surveys = neighbourhood.surveys_on_page
        return {
            "open_surveys": [s for s in surveys if s.closes_on >= today],
            "closed_surveys": [s for s in surveys if s.closes_on < today][:CLOSED_ON_PAGE],
        }
