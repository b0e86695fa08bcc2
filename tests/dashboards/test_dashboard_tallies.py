"""The day counts the dashboards sum (queries.models.ClockDay) give exactly the figures counted
from the clock rows themselves, however the rows were written, changed or deleted.

The same hand-worked fixtures as tests/dashboards/test_dashboard_figures.py, with clocks in
every state (answered in time and late, running, at risk, breached, closed before and after
the deadline, followed up), read at moments before and after their deadlines, are counted
twice: by the selectors from the day counts, and by the same selectors counting clock rows."""

import datetime

import pytest
from django.db.models import Sum

from dashboards.periods import period_for
from dashboards.selectors import sla, tallied
from queries.models import (
    CLOCK_COUNTS,
    ClockDay,
    ClockWeek,
    Query,
    ResponseClock,
    RunningClocks,
    Topic,
)
from tests.dashboards.test_dashboard_figures import (
    FEBRUARY,
    FORCE,
    _seed,
    answer,
    area_scope,
    at,
    close,
    days,
    follow_up,
    submit,
)
from tests.factories import NeighbourhoodFactory
from tests.html import checked
from tests.queries.factories import neighbourhood_with_team

pytestmark = pytest.mark.django_db

# Before, during and after the fixtures' deadlines: the not-yet-due clocks differ at each.
MOMENTS = [at(2026, 2, 10, 9), at(2026, 2, 20, 12), at(2026, 2, 27, 23, 30), at(2026, 3, 2, 12)]
PERIODS = [
    FEBRUARY,
    days(datetime.date(2026, 2, 9), datetime.date(2026, 2, 15)),
    days(datetime.date(2026, 2, 25), datetime.date(2026, 2, 25)),
    # Wednesday to Tuesday: part weeks at both ends, whole weeks between.
    days(datetime.date(2026, 2, 4), datetime.date(2026, 2, 24)),
    period_for(preset="1095", first_day=None, last_day=None, today=datetime.date(2026, 3, 1)),
]


def _direct(monkeypatch, call):
    """The same selector counting clock rows, as it does where no day counts are kept."""
    with monkeypatch.context() as patched:
        patched.setattr(tallied, "applies", lambda scope: False)
        return call()


def _selectors(scope, period, now):
    return {
        "sla_figures": lambda: sla.sla_figures(scope=scope, period=period, now=now),
        "weekly_trend": lambda: sla.weekly_trend(scope=scope, period=period, now=now),
        "neighbourhood_table": lambda: sla.neighbourhood_table(scope=scope, period=period, now=now),
        "topic_table": lambda: sla.topic_table(scope=scope, period=period, now=now),
    }


@pytest.fixture
def fixtures():
    """Clocks in every state, through the recorders the services use and through bulk
    inserts, in two neighbourhoods."""
    team_area, team = neighbourhood_with_team(name="Alvaston")
    other = NeighbourhoodFactory(name="Belper")
    _seed(120, [team_area, other], team["named"])
    # Answered exactly at the deadline (met) and one second after it (late).
    answer(submit(team_area, at(2026, 2, 2, 10)), at(2026, 2, 5, 10))
    answer(submit(other, at(2026, 2, 2, 11), topic=Topic.DRUGS), at(2026, 2, 5, 11, 0, 1))
    # Closed unanswered after its deadline, and closed exactly at it (both missed once due).
    close(submit(team_area, at(2026, 2, 9, 8)), at(2026, 2, 13, 8))
    close(submit(other, at(2026, 2, 24, 8)), at(2026, 2, 27, 8))
    # Closed unanswered before its deadline: never missed.
    close(submit(other, at(2026, 2, 25, 8)), at(2026, 2, 25, 9))
    # Followed up: clock 2 answered late, and a clock 2 still running.
    first = submit(team_area, at(2026, 2, 3, 9), topic=Topic.ROAD_SAFETY)
    answer(first, at(2026, 2, 3, 12))
    follow_up(first, at(2026, 2, 4, 9))
    answer(first, at(2026, 2, 8, 9))
    second = submit(other, at(2026, 2, 16, 9))
    answer(second, at(2026, 2, 16, 10))
    follow_up(second, at(2026, 2, 26, 9))
    # Running: breached, at risk near the end of the month, and just started.
    submit(team_area, at(2026, 2, 11, 9))
    submit(other, at(2026, 2, 26, 7))
    submit(team_area, at(2026, 3, 1, 20))
    # Across midnight, London time: the last second of one day and the first of the next.
    answer(submit(other, at(2026, 2, 14, 23, 59, 59)), at(2026, 2, 15, 1))
    answer(submit(other, at(2026, 2, 15, 0, 0, 0)), at(2026, 2, 15, 1))
    return {"force": FORCE, "neighbourhood": area_scope(team_area)}


def _day_totals() -> dict[str, int]:
    totals = ClockDay.objects.aggregate(
        **{name: Sum(name) for name in ("received", "responses_due", "answered", "running")}
    )
    # The neighbourhoods' running counts hold the same clocks as the days'.
    assert RunningClocks.objects.aggregate(running=Sum("running")) == {"running": totals["running"]}
    return totals


def _weeks_from_days() -> dict[tuple, dict[str, int]]:
    """The day counts summed by London week (from Monday), neighbourhood and topic."""
    summed: dict[tuple, dict[str, int]] = {}
    for row in ClockDay.objects.values("day", "neighbourhood_id", "topic", *CLOCK_COUNTS):
        monday = row["day"] - datetime.timedelta(days=row["day"].weekday())
        into = summed.setdefault(
            (monday, row["neighbourhood_id"], row["topic"]), dict.fromkeys(CLOCK_COUNTS, 0)
        )
        for name in CLOCK_COUNTS:
            into[name] += row[name]
    return summed


def _week_counts() -> dict[tuple, dict[str, int]]:
    return {
        (row.pop("week"), row.pop("neighbourhood_id"), row.pop("topic")): row
        for row in ClockWeek.objects.values("week", "neighbourhood_id", "topic", *CLOCK_COUNTS)
    }


def test_week_counts_are_the_day_counts_summed_by_week_after_every_write(fixtures):
    weeks = _week_counts()
    assert weeks == _weeks_from_days()
    assert all(week.weekday() == 0 for week, _, _ in weeks)
    assert sum(row["responses_due"] for row in weeks.values()) == 134
    answer(Query.objects.get(clock_started_at=at(2026, 2, 26, 7)), at(2026, 2, 27, 7))
    assert _week_counts() == _weeks_from_days()
    Query.objects.filter(clock_started_at__lt=at(2026, 2, 9)).delete()
    assert _week_counts() == _weeks_from_days()
    assert sum(row["responses_due"] for row in _week_counts().values()) == (
        ResponseClock.objects.count()
    )


def test_day_counts_follow_every_write_to_the_clocks(fixtures):
    # 120 bulk-inserted clocks, 12 submitted and 2 follow-ups: 132 received, 134 clocks.
    clocks = ResponseClock.objects.all()
    expected = {
        "received": clocks.filter(number=1).count(),
        "responses_due": clocks.count(),
        "answered": clocks.filter(answered_at__isnull=False).count(),
        "running": clocks.filter(answered_at__isnull=True, ended_at__isnull=True).count(),
    }
    assert expected["received"] == 132 and expected["responses_due"] == 134
    assert _day_totals() == expected
    # Answering a running clock moves it from running to answered.
    running = Query.objects.get(clock_started_at=at(2026, 2, 26, 7))
    answer(running, at(2026, 2, 27, 7))
    assert _day_totals() == {
        **expected,
        "answered": expected["answered"] + 1,
        "running": expected["running"] - 1,
    }
    # Deleting queries (as retention does) takes their clocks away from the counts.
    Query.objects.filter(clock_started_at__lt=at(2026, 2, 9)).delete()
    left = ResponseClock.objects.all()
    assert _day_totals()["responses_due"] == left.count() < expected["responses_due"]
    assert _day_totals()["received"] == left.filter(number=1).count()


@pytest.mark.parametrize("scope_name", ["force", "neighbourhood"])
@pytest.mark.parametrize("now", MOMENTS, ids=lambda moment: moment.strftime("%d-%H%M"))
def test_figures_from_the_day_counts_equal_those_counted_from_the_clocks(
    fixtures, scope_name, now, monkeypatch
):
    scope = fixtures[scope_name]
    assert tallied.applies(scope)
    compared = 0
    for period in PERIODS:
        for name, call in _selectors(scope, period, now).items():
            assert call() == _direct(monkeypatch, call), (name, period.first_day, now)
            compared += 1
    assert compared == 20
    # The month's figures are not trivially equal: each rule has clocks behind it.
    figures = sla.sla_figures(scope=FORCE, period=FEBRUARY, now=now)
    assert figures.received > 100 and figures.open_now > 0


def test_a_clock_closed_after_its_deadline_is_missed_only_once_the_deadline_passes(fixtures):
    # The query sent 24 Feb 08:00 is due 27 Feb 08:00 and closed then, unanswered: at 07:59
    # it is not missed yet; at 08:00:01 it is. Its day has no other missed clock.
    period = days(datetime.date(2026, 2, 24), datetime.date(2026, 2, 24))
    before = sla.sla_figures(scope=FORCE, period=period, now=at(2026, 2, 27, 7, 59))
    after = sla.sla_figures(scope=FORCE, period=period, now=at(2026, 2, 27, 8, 0, 1))
    assert after.missed == before.missed + 1
    assert (before.received, after.received) == (after.received, before.received)


# --- Three years --------------------------------------------------------------------------------


def test_three_years_is_a_preset_period_ending_today():
    # 15 July 2026 and the 1,094 days before it: from 17 July 2023 (29 February 2024 between).
    today = datetime.date(2026, 7, 15)
    period = period_for(preset="1095", first_day=None, last_day=None, today=today)
    assert (period.first_day, period.last_day, period.days) == (
        datetime.date(2023, 7, 17),
        today,
        1095,
    )


def test_the_dashboard_offers_the_last_3_years(client, opcc_account):
    # A query sent two years before now counts in the last three years, not the last twelve
    # months.
    area = NeighbourhoodFactory(name="Normanton")
    now = datetime.datetime.now(tz=datetime.UTC)
    answer(submit(area, now - datetime.timedelta(days=730)), now - datetime.timedelta(days=729))
    client.force_login(opcc_account)
    page = client.get("/staff/dashboard/?period=1095").content.decode()
    assert checked(page, "period") == ["1095"], "Last 3 years is not the chosen period"
    assert "Last 3 years" in page
    three_years = sla.sla_figures(
        scope=FORCE,
        period=period_for(preset="1095", first_day=None, last_day=None, today=now.date()),
        now=now,
    )
    twelve_months = sla.sla_figures(
        scope=FORCE,
        period=period_for(preset="365", first_day=None, last_day=None, today=now.date()),
        now=now,
    )
    assert (three_years.received, twelve_months.received) == (1, 0)
