"""The neighbourhood engagement panel: per neighbourhood of a scope, for a period, how much
residents engage with their neighbourhood team, so the OPCC can see where it is weakest.

One statement for the whole table, whatever the number of neighbourhoods: each measure is a
correlated subquery the database aggregates, and the database sorts. The definitions, which
the page's help text repeats:

- population: the neighbourhood's, from the data.police.uk import; None when not known.
- queries: queries sent to the neighbourhood in the period.
- queries per 1,000 residents: queries * 1000 / population; None when the population is not
  known (sorted last whichever way).
- answers rated, satisfied: answers sent in the period that the resident rated, and the share
  of them rated yes (dashboards.selectors.satisfaction).
- meetings, attendance: meetings of the neighbourhood (any kind, not cancelled) that ended in
  the period with an outcome recorded, and the attendance recorded in those outcomes.
- alert subscribers: email addresses signed up to its alerts now (confirmed, not
  unsubscribed), whatever the period.
- survey answers: confirmed answers to its surveys, confirmed in the period.
"""

from dataclasses import dataclass

from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from alerts.models import Subscriber
from dashboards.periods import Period
from engagement.models import SurveyResponse
from meetings.models import Event, Outcome
from neighbourhoods.models import Neighbourhood
from officers.scopes import Scope
from queries.models import Query, ResponseClock, Satisfaction

# The columns the table sorts by (the `sort` parameter, "-" in front for descending), each with
# the annotation it sorts on. By default, the fewest queries per 1,000 residents first.
SORTS = {
    "name": "name",
    "population": "population",
    "queries": "queries_sent",
    "per_thousand": "per_thousand",
    "rated": "rated",
    "satisfied": "satisfied",
    "attendance": "attendance",
    "subscribers": "alert_subscribers",
    "survey_answers": "survey_answers",
}
DEFAULT_SORT = "per_thousand"


def _count_of(queryset: QuerySet, field: str = "pk") -> Coalesce:
    """A correlated COUNT over `queryset` (already filtered to the outer neighbourhood)."""
    counted = queryset.order_by().values("neighbourhood_id").annotate(n=Count(field)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _sum_of(queryset: QuerySet, field: str) -> Coalesce:
    summed = queryset.order_by().values("neighbourhood_id").annotate(n=Sum(field)).values("n")
    return Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class EngagementRow:
    neighbourhood_id: int
    name: str
    slug: str
    division_name: str
    population: int | None
    queries_sent: int
    per_thousand: float | None
    rated: int
    yes: int
    satisfied: float | None
    meetings: int
    attendance: int
    alert_subscribers: int
    survey_answers: int


def parse_sort(value: str) -> tuple[str, bool]:
    """The column and whether descending, from `?sort=`; the default for anything else."""
    descending = value.startswith("-")
    key = value.removeprefix("-")
    if key not in SORTS:
        return DEFAULT_SORT, False
    return key, descending


def engagement_table(*, scope: Scope, period: Period, sort: str = "") -> list[EngagementRow]:
    """Each neighbourhood of the scope with its engagement in the period, sorted by `sort`
    (see SORTS; unknown values sort by the default), ties by name. One statement."""
    here = OuterRef("pk")
    in_period = {"gte": period.start, "lt": period.end}
    queries = Query.objects.filter(
        neighbourhood_id=here,
        submitted_at__gte=in_period["gte"],
        submitted_at__lt=in_period["lt"],
    )
    answers = ResponseClock.objects.filter(
        neighbourhood_id=here,
        answered_at__gte=in_period["gte"],
        answered_at__lt=in_period["lt"],
        feedback__isnull=False,
    )
    yes = answers.filter(feedback__rating=Satisfaction.YES)
    outcomes = Outcome.objects.filter(
        event__neighbourhood_id=here,
        event__ends_at__gte=in_period["gte"],
        event__ends_at__lt=in_period["lt"],
    ).exclude(event__status=Event.Status.CANCELLED)
    subscribers = Subscriber.neighbourhoods.through.objects.filter(
        neighbourhood_id=here,
        subscriber__confirmed_at__isnull=False,
        subscriber__unsubscribed_at__isnull=True,
    )
    survey_answers = SurveyResponse.objects.filter(
        survey__neighbourhood_id=here,
        confirmed_at__gte=in_period["gte"],
        confirmed_at__lt=in_period["lt"],
    )
    areas = Neighbourhood.objects.order_by()
    if scope.neighbourhood_ids is not None:
        areas = areas.filter(pk__in=scope.neighbourhood_ids)
    areas = areas.annotate(
        queries_sent=_count_of(queries),
        rated=_count_of(answers),
        yes=_count_of(yes),
        meetings=_count_of(outcomes.annotate(neighbourhood_id=F("event__neighbourhood_id"))),
        attendance=_sum_of(
            outcomes.annotate(neighbourhood_id=F("event__neighbourhood_id")), "attendance"
        ),
        alert_subscribers=_count_of(subscribers),
        survey_answers=_count_of(
            survey_answers.annotate(neighbourhood_id=F("survey__neighbourhood_id"))
        ),
    ).annotate(
        per_thousand=ExpressionWrapper(
            Cast("queries_sent", FloatField()) * 1000 / NullIf(Cast("population", FloatField()), 0),
            output_field=FloatField(),
        ),
        satisfied=ExpressionWrapper(
            Cast("yes", FloatField()) / NullIf(Cast("rated", FloatField()), 0),
            output_field=FloatField(),
        ),
    )
    key, descending = parse_sort(sort)
    column = F(SORTS[key])
    order = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    rows = areas.order_by(order, "name", "pk").values(
        "pk",
        "name",
        "slug",
        "division__name",
        "population",
        "queries_sent",
        "per_thousand",
        "rated",
        "yes",
        "satisfied",
        "meetings",
        "attendance",
        "alert_subscribers",
        "survey_answers",
    )
    return [
        EngagementRow(
            neighbourhood_id=row.pop("pk"),
            division_name=row.pop("division__name") or "",
            **row,
        )
        for row in rows
    ]
