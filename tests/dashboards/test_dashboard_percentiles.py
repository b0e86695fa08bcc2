"""The median and 90th percentile from the hour counts PostgreSQL keeps
(queries.models.ResponseTimeDay and ResponseTimeWeek) are exactly those sorted from the clock
rows themselves, to the second, for several periods and scopes, however the clocks were
inserted, changed or deleted in bulk."""

import datetime

import pytest
from django.db.models import F, Sum

from config.dates import LONDON
from dashboards.selectors import percentiles, sla
from officers.scopes import Scope
from queries.models import Query, ResponseClock, ResponseTimeDay, ResponseTimeWeek
from tests.dashboards.test_dashboard_figures import (
    FEBRUARY,
    FORCE,
    answer,
    area_scope,
    at,
    days,
    submit,
)
from tests.factories import NeighbourhoodFactory
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
PERIODS = [
    FEBRUARY,
    days(datetime.date(2026, 2, 9), datetime.date(2026, 2, 15)),
    days(datetime.date(2026, 2, 25), datetime.date(2026, 2, 25)),
    # Wednesday to Tuesday: part weeks at both ends, whole weeks between.
    days(datetime.date(2026, 2, 4), datetime.date(2026, 2, 24)),
    days(datetime.date(2025, 3, 2), datetime.date(2026, 3, 1)),
]
# Response times on and either side of hour boundaries, and a long tail.
SECONDS = [1, 59, 3599, 3600, 3601, 7199, 36_000, 36_001, 259_200, 259_201, 900_000]


@pytest.fixture
def areas():
    return [NeighbourhoodFactory(name=name) for name in ("Alvaston", "Belper", "Chaddesden")]


def _scopes(areas) -> dict[str, Scope]:
    return {
        "force": FORCE,
        "neighbourhood": area_scope(areas[0]),
        "two neighbourhoods": Scope(
            key="division:south",
            label="Division: South",
            neighbourhood_ids=frozenset({areas[1].pk, areas[2].pk}),
        ),
    }


def _bulk_insert(areas, count: int, *, offset: int = 0) -> None:
    """`count` queries over February, first clocks answered after times drawn from SECONDS
    and spread over hours, some followed up, some unanswered, in one statement each."""
    queries = Query.objects.bulk_create(
        QueryFactory.build(
            neighbourhood=areas[i % len(areas)],
            submitted_at=at(2026, 2, 1, 23) + (i * 53 % (28 * 24)) * HOUR,
        )
        for i in range(offset, offset + count)
    )
    clocks = []
    for i, query in enumerate(queries, start=offset):
        started = query.submitted_at
        answered = i % 9 != 0
        seconds = SECONDS[i % len(SECONDS)] + (i * 7919 % 50_000) * (i % 3 == 0)
        clocks.append(
            ResponseClock(
                query=query,
                number=1,
                neighbourhood_id=query.neighbourhood_id,
                topic=query.topic,
                started_at=started,
                due_at=started + 72 * HOUR,
                answered_at=started + datetime.timedelta(seconds=seconds) if answered else None,
                response_seconds=seconds if answered else None,
                met_target=seconds <= 72 * 3600 if answered else None,
            )
        )
        if answered and i % 5 == 0:
            # A follow-up: not a first answer, never in the percentiles.
            clocks.append(
                ResponseClock(
                    query=query,
                    number=2,
                    neighbourhood_id=query.neighbourhood_id,
                    topic=query.topic,
                    started_at=started + 100 * HOUR,
                    due_at=started + 172 * HOUR,
                    answered_at=started + 101 * HOUR,
                    response_seconds=3600,
                    met_target=True,
                )
            )
    ResponseClock.objects.bulk_create(clocks)


def _sorted_directly(scope: Scope, period) -> tuple[int | None, int | None]:
    """Nearest rank over the first answers' response times, sorted here."""
    clocks = ResponseClock.objects.filter(
        number=1,
        answered_at__isnull=False,
        started_at__gte=period.start,
        started_at__lt=period.end,
    )
    if scope.neighbourhood_ids is not None:
        clocks = clocks.filter(neighbourhood_id__in=scope.neighbourhood_ids)
    values = sorted(clocks.values_list("response_seconds", flat=True))
    if not values:
        return None, None
    count = len(values)
    return values[-(-count // 2) - 1], values[-(-count * 9 // 10) - 1]


def _from_hours(scope: Scope, period) -> tuple[int | None, int | None]:
    return percentiles.from_hours(scope=scope, period=period)


def _assert_exact(areas) -> None:
    checked = 0
    for scope in _scopes(areas).values():
        for period in PERIODS:
            expected = _sorted_directly(scope, period)
            assert _from_hours(scope, period) == expected, (scope.key, period)
            checked += expected[0] is not None
    assert checked >= 12  # periods and scopes with answers, not only empty ones


def _hours_recounted() -> dict[tuple, int]:
    """The day rows' counts, worked out again from the clock rows."""
    counted: dict[tuple, int] = {}
    first_answers = ResponseClock.objects.filter(number=1, answered_at__isnull=False)
    for area, started, seconds in first_answers.values_list(
        "neighbourhood_id", "started_at", "response_seconds"
    ):
        day = started.astimezone(LONDON).date()
        for key in [(area, day, seconds // 3600), (None, day, seconds // 3600)]:
            counted[key] = counted.get(key, 0) + 1
    return counted


def _day_rows() -> dict[tuple, int]:
    return {
        (row.neighbourhood_id, row.day, row.hour): row.first_answers
        for row in ResponseTimeDay.objects.exclude(first_answers=0)
    }


def _weeks_from_days() -> dict[tuple, int]:
    summed = (
        ResponseTimeDay.objects.values("neighbourhood_id", "hour", "day")
        .annotate(total=Sum("first_answers"))
        .values_list("neighbourhood_id", "day", "hour", "total")
    )
    weeks: dict[tuple, int] = {}
    for area, day, hour, total in summed:
        key = (area, day - datetime.timedelta(days=day.weekday()), hour)
        weeks[key] = weeks.get(key, 0) + total
    return {key: total for key, total in weeks.items() if total}


def _week_rows() -> dict[tuple, int]:
    return {
        (row.neighbourhood_id, row.week, row.hour): row.first_answers
        for row in ResponseTimeWeek.objects.exclude(first_answers=0)
    }


def _assert_counts_kept() -> None:
    assert _day_rows() == _hours_recounted()
    assert _week_rows() == _weeks_from_days()


def test_percentiles_from_the_hour_counts_equal_those_sorted_after_bulk_inserts(areas):
    _bulk_insert(areas, 400)
    _bulk_insert(areas, 150, offset=400)

    _assert_counts_kept()
    _assert_exact(areas)


def test_percentiles_from_the_hour_counts_follow_bulk_updates_and_deletes(areas):
    _bulk_insert(areas, 500)
    # Answers moved later by an hour and a half: every one changes hour.
    first_queries = Query.objects.order_by("pk").values("pk")[:200]
    ResponseClock.objects.filter(
        number=1, answered_at__isnull=False, query__in=first_queries
    ).update(
        answered_at=F("answered_at") + 90 * datetime.timedelta(minutes=1),
        response_seconds=F("response_seconds") + 5400,
    )
    _assert_counts_kept()
    _assert_exact(areas)
    # Answers taken back, clocks moved to another day and neighbourhood, clocks deleted.
    ResponseClock.objects.filter(number=1, response_seconds__lt=3600).update(
        answered_at=None, response_seconds=None, met_target=None
    )
    ResponseClock.objects.filter(
        number=1, neighbourhood=areas[0], response_seconds__gte=36_000
    ).update(started_at=F("started_at") + 30 * HOUR, neighbourhood=areas[2])
    ResponseClock.objects.filter(number=1, response_seconds__gte=259_200).delete()
    Query.objects.filter(neighbourhood=areas[1], submitted_at__lt=at(2026, 2, 10)).delete()

    _assert_counts_kept()
    _assert_exact(areas)


def test_the_headline_figures_take_the_percentiles_from_the_hour_counts(areas):
    _bulk_insert(areas, 300)
    for scope in _scopes(areas).values():
        figures = sla.sla_figures(scope=scope, period=FEBRUARY, now=at(2026, 3, 2, 12))
        assert (figures.median_seconds, figures.p90_seconds) == _sorted_directly(scope, FEBRUARY)
    # The hour counts are what the figures read: emptied, the percentiles go with them.
    ResponseTimeDay.objects.all().delete()
    ResponseTimeWeek.objects.all().delete()
    figures = sla.sla_figures(scope=FORCE, period=FEBRUARY, now=at(2026, 3, 2, 12))
    assert (figures.median_seconds, figures.p90_seconds) == (None, None)


def test_the_same_hour_in_each_piece_of_a_period_counts_once_for_each_answer(areas):
    # Wednesday 4 to Tuesday 24 February: 4-8 Feb read from the day rows, the weeks of 9 and
    # 16 Feb from the week rows, 23-24 Feb from the day rows again. One answer in each piece,
    # all in hour 0 of response time: 30, 40 and 50 minutes. Each piece holds the same row
    # (hour 0, one answer), and all three count: n = 3, median v[ceil(1.5)] = v2 = 2,400 s,
    # 90th percentile v[ceil(2.7)] = v3 = 3,000 s. The force's figures and the
    # neighbourhood's are the same, and another neighbourhood has none.
    period = days(datetime.date(2026, 2, 4), datetime.date(2026, 2, 24))
    for day, minutes in [(5, 30), (10, 40), (24, 50)]:
        sent = at(2026, 2, day, 9)
        answer(submit(areas[0], sent), sent + datetime.timedelta(minutes=minutes))
    scopes = _scopes(areas)

    assert _from_hours(scopes["force"], period) == (2_400, 3_000)
    assert _from_hours(scopes["neighbourhood"], period) == (2_400, 3_000)
    assert _from_hours(scopes["two neighbourhoods"], period) == (None, None)


def test_a_period_of_whole_months_leaves_out_an_answer_sent_before_its_first_midnight(areas):
    # 1 February to 31 March 2026: the month rows of February and March. Sent 31 January
    # 23:30 (London, GMT) and answered an hour later: before the period, left out. In it:
    # answers after 2, 3 and 4 hours. n = 3: median v[ceil(1.5)] = v2 = 3 h = 10,800 s,
    # 90th percentile v[ceil(2.7)] = v3 = 4 h = 14,400 s.
    period = days(datetime.date(2026, 2, 1), datetime.date(2026, 3, 31))
    for sent, hours in [
        (at(2026, 1, 31, 23, 30), 1),
        (at(2026, 2, 1), 2),
        (at(2026, 2, 10, 9), 3),
        (at(2026, 3, 31, 9), 4),
    ]:
        answer(submit(areas[0], sent), sent + hours * HOUR)
    scopes = _scopes(areas)

    assert _from_hours(scopes["force"], period) == (10_800, 14_400)
    assert _from_hours(scopes["neighbourhood"], period) == (10_800, 14_400)
