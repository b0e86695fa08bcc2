"""The median and 90th percentile time to first response, by the nearest-rank method (the
p-th of v1..vn sorted is v[ceil(p * n)]), exact to the second."""

from django.db import connection
from django.db.models import QuerySet

from queries.models import ResponseClock

# Nearest-rank percentiles as fractions, so the rank is exact integer arithmetic.
MEDIAN = (1, 2)
P90 = (9, 10)


def _nearest_rank(count: int, fraction: tuple[int, int]) -> int:
    """ceil(p * n) for p = numerator / denominator, at least 1."""
    numerator, denominator = fraction
    return max(-(-count * numerator // denominator), 1)


def _response_seconds_at(clocks: QuerySet[ResponseClock], rank: int) -> int | None:
    """The rank-th smallest response time (1-based): one statement, one row read. (The
    tie-break on pk only makes the order stable: equal times give the same value, so mutation
    testing keeps its removal alive.)"""
    values = list(
        clocks.order_by("response_seconds", "pk").values_list("response_seconds", flat=True)[
            rank - 1 : rank
        ]
    )
    return values[0] if values else None


def median_and_p90(
    first_answers: QuerySet[ResponseClock], answered: int, *, sorted_once: bool
) -> tuple[int | None, int | None]:
    """The median and 90th percentile of the `answered` first answers' response times.
    `sorted_once` (PostgreSQL): one statement sorting them once, with percentile_disc at
    fractions (rank - 1/2) / answered, whose nearest rank is exactly `rank` whatever the
    rounding of the fraction; else one statement for each, reading one row."""
    ranks = [_nearest_rank(answered, MEDIAN), _nearest_rank(answered, P90)]
    if not sorted_once:
        return tuple(_response_seconds_at(first_answers, rank) for rank in ranks)
    sql, params = first_answers.values("response_seconds").query.sql_with_params()
    # max(answered, 1) only guards against dividing by zero (no answers: no rows, no values);
    # with one answer any fraction reads it, so mutation testing keeps `max(answered, 2)`.
    fractions = [(rank - 0.5) / max(answered, 1) for rank in ranks]
    with connection.cursor() as cursor:
        # (SQL keywords in lower case read the same: mutation testing keeps that mutant.)
        cursor.execute(
            "SELECT percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY response_seconds) "
            f"FROM ({sql}) AS first_answers",
            [fractions, *params],
        )
        (values,) = cursor.fetchone()
    return tuple(values) if values else (None, None)
