"""The median and 90th percentile time to first response, by the nearest-rank method (the
p-th of v1..vn sorted is v[ceil(p * n)]), exact to the second.

For the force, a division or a neighbourhood on PostgreSQL (`from_hours`), in two steps and one
statement, so the cost does not grow with the period's answers: the hours of response time are
counted by day, week and month as the clocks are written (queries.models.ResponseTimeDay,
ResponseTimeWeek and ResponseTimeMonth, whole months and weeks from their rows as for the SLA
counts), which finds the hour holding each rank and how many answers come before it; then
only that hour's first answers of the period are read, from an index on the hour and start,
to the rank within the hour.
Otherwise (an officer's figures, SQLite) the period's first answers are sorted."""

from django.db import connection
from django.db.models import Q, QuerySet

from dashboards.periods import Period
from dashboards.selectors import tallied
from officers.scopes import Scope
from queries.models import ResponseClock, ResponseTimeDay, ResponseTimeMonth, ResponseTimeWeek

# Nearest-rank percentiles as fractions, so the rank is exact integer arithmetic.
MEDIAN = (1, 2)
P90 = (9, 10)


def _nearest_rank(count: int, fraction: tuple[int, int]) -> int:
    """ceil(p * n) for p = numerator / denominator, at least 1."""
    numerator, denominator = fraction
    return max(-(-count * numerator // denominator), 1)


def _response_seconds_at(clocks: QuerySet[ResponseClock], rank: int) -> int | None:
    """The rank-th smallest response time (1-based): one statement, one row read. (Rows tied
    on the time give the same figure whichever is read: mutation testing keeps the order
    without "pk" alive.)"""
    values = list(
        clocks.order_by("response_seconds", "pk").values_list("response_seconds", flat=True)[
            rank - 1 : rank
        ]
    )
    return values[0] if values else None


def median_and_p90(
    first_answers: QuerySet[ResponseClock], answered: int
) -> tuple[int | None, int | None]:
    """The median and 90th percentile of the `answered` first answers' response times: one
    statement for each, reading one row."""
    ranks = [_nearest_rank(answered, MEDIAN), _nearest_rank(answered, P90)]
    return tuple(_response_seconds_at(first_answers, rank) for rank in ranks)


def _counted_hours(scope: Scope, period: Period) -> tuple[str, tuple]:
    """SQL for the period's (hour, first_answers) rows of the scope: whole months from the
    month rows, the whole weeks outside them from the week rows, the days left from the day
    rows (tallied.pieces); the force's from its own rows (no neighbourhood)."""
    cut = tallied.pieces(period)
    counted = [
        ResponseTimeDay.objects.filter(day__gte=first, day__lte=last) for first, last in cut.days
    ]
    counted += [
        ResponseTimeWeek.objects.filter(week__gte=first, week__lte=last)
        for first, last in cut.weeks
    ]
    if cut.months is not None:
        first, last = cut.months
        counted.append(ResponseTimeMonth.objects.filter(month__gte=first, month__lte=last))
    if scope.neighbourhood_ids is None:
        area = Q(neighbourhood=None)
    else:
        area = Q(neighbourhood_id__in=scope.neighbourhood_ids)
    one, *others = [
        rows.order_by().filter(area).values_list("hour", "first_answers") for rows in counted
    ]
    return one.union(*others, all=True).query.sql_with_params()


def from_hours(*, scope: Scope, period: Period) -> tuple[int | None, int | None]:
    """The median and 90th percentile of the scope's first answers of the period, from the
    hours counted. One statement: the hours summed in order find each rank's hour and its
    rank within the hour, and the clocks of that hour started in the period are read from
    the index clock_first_answer_hours to that rank."""
    counted, params = _counted_hours(scope, period)
    area, area_params = "", []
    if scope.neighbourhood_ids is not None:
        # SQL reads its keywords in any case: mutation testing keeps this alive in lower case.
        area, area_params = "AND c.neighbourhood_id = ANY(%s)", [list(scope.neighbourhood_ids)]
    (median_numerator, median_denominator), (p90_numerator, p90_denominator) = MEDIAN, P90
    sql = f"""
        WITH hours AS (
            SELECT hour, sum(first_answers)::bigint AS answers FROM ({counted}) AS counted
            GROUP BY hour HAVING sum(first_answers) > 0
        ), summed AS (
            SELECT hour, answers, (sum(answers) OVER (ORDER BY hour))::bigint AS up_to,
                (sum(answers) OVER ())::bigint AS total
            FROM hours
        ), ranks AS (
            SELECT DISTINCT p.position,
                greatest((s.total * p.numerator + p.denominator - 1) / p.denominator, 1) AS rank
            FROM summed AS s,
                (VALUES (1, %s, %s), (2, %s, %s)) AS p(position, numerator, denominator)
        ), found AS (
            SELECT r.position, s.hour, r.rank - (s.up_to - s.answers) AS within
            FROM ranks AS r JOIN summed AS s ON r.rank > s.up_to - s.answers AND r.rank <= s.up_to
        )
        SELECT f.position, v.response_seconds FROM found AS f CROSS JOIN LATERAL (
            SELECT c.response_seconds FROM queries_responseclock AS c
            WHERE c.number = 1 AND c.answered_at IS NOT NULL
                AND c.response_seconds / 3600 = f.hour
                AND c.started_at >= %s AND c.started_at < %s {area}
            ORDER BY c.response_seconds OFFSET f.within - 1 LIMIT 1
        ) AS v
        ORDER BY f.position"""
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                *params,
                median_numerator,
                median_denominator,
                p90_numerator,
                p90_denominator,
                period.start,
                period.end,
                *area_params,
            ],
        )
        found = dict(cursor.fetchall())
    return found.get(1), found.get(2)
