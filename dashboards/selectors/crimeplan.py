"""Police and Crime Plan coverage: for each priority of the plan, in a scope and a period, how
many neighbourhoods work on it and how their priorities tagged with it stand.

One statement for the whole table, whatever the number of priorities and neighbourhoods: each
figure is a correlated subquery. The definitions, which the page's help text repeats:

- neighbourhoods: those with a tagged priority that is current now or was resolved in the
  period;
- current: tagged priorities not resolved; overdue for review: current ones past their review
  (engagement.priorities' rule);
- resolved in the period: tagged priorities whose resolution date is in the period.
"""

import datetime
from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from crimeplan.models import Plan
from dashboards.periods import Period
from engagement.models import Priority
from engagement.priorities import overdue_filter
from officers.scopes import Scope


@dataclass(frozen=True)
class CoverageRow:
    plan_priority_id: int
    title: str
    neighbourhoods: int
    current: int
    overdue: int
    resolved: int


def _count(queryset: QuerySet, field: str = "pk", *, distinct: bool = False) -> Coalesce:
    template = "COUNT(DISTINCT %(expressions)s)" if distinct else "COUNT(%(expressions)s)"
    counted = queryset.order_by().annotate(
        n=Func(F(field), template=template, output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("n")[:1], output_field=IntegerField()), Value(0))


def plan_coverage(
    *, plan: Plan, scope: Scope, period: Period, now: datetime.datetime
) -> list[CoverageRow]:
    tagged = Priority.objects.filter(plan_priorities=OuterRef("pk"))
    if scope.neighbourhood_ids is not None:
        tagged = tagged.filter(neighbourhood_id__in=scope.neighbourhood_ids)
    is_resolved = Q(status=Priority.Status.RESOLVED)
    in_period = Q(action_date__gte=period.first_day, action_date__lte=period.last_day)
    rows = (
        plan.priorities.order_by("position", "pk")
        .annotate(
            neighbourhoods=_count(
                tagged.filter(~is_resolved | (is_resolved & in_period)),
                "neighbourhood_id",
                distinct=True,
            ),
            current=_count(tagged.filter(~is_resolved)),
            overdue=_count(tagged.filter(overdue_filter(now=now))),
            resolved=_count(tagged.filter(is_resolved & in_period)),
        )
        .values("pk", "title", "neighbourhoods", "current", "overdue", "resolved")
    )
    return [CoverageRow(plan_priority_id=row.pop("pk"), **row) for row in rows]
