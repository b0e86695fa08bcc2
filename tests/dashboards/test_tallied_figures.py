"""Figures summed from the day, week and month counts (dashboards.selectors.tallied), on
fixtures small enough to count by hand. February 2026 is GMT, so London and UTC agree."""

import datetime

import pytest

from dashboards.selectors.sla import (
    SlaFigures,
    neighbourhood_table,
    sla_figures,
    topic_table,
    weekly_trend,
)
from queries.models import Topic
from tests.dashboards.test_dashboard_figures import FORCE, answer, area_scope, at, days, submit

pytestmark = pytest.mark.django_db

# Wednesday 4 to Tuesday 24 February: read as the days of 4 to 8 February, the whole weeks of
# Monday 9 and Monday 16, and the days of 23 and 24 February.
PART_WEEKS_AT_BOTH_ENDS = days(datetime.date(2026, 2, 4), datetime.date(2026, 2, 24))
NOW = at(2026, 3, 2, 12)


@pytest.fixture
def one_answered_in_each_end(area):
    """One query answered in time in the days before the whole weeks, one in the days after:
    the two runs of days give the same counts (1 received, 1 due, 1 answered, 1 met)."""
    answer(submit(area, at(2026, 2, 5, 10)), at(2026, 2, 5, 12))
    answer(submit(area, at(2026, 2, 23, 10)), at(2026, 2, 23, 12))
    return area


@pytest.mark.parametrize("scope_name", ["force", "neighbourhood"])
def test_equal_counts_from_two_runs_of_days_are_both_counted(one_answered_in_each_end, scope_name):
    area = one_answered_in_each_end
    scope = FORCE if scope_name == "force" else area_scope(area)

    figures = sla_figures(scope=scope, period=PART_WEEKS_AT_BOTH_ENDS, now=NOW)
    (row,) = neighbourhood_table(scope=scope, period=PART_WEEKS_AT_BOTH_ENDS, now=NOW)
    topics = {t.topic: t for t in topic_table(scope=scope, period=PART_WEEKS_AT_BOTH_ENDS, now=NOW)}

    assert (figures.received, figures.responses_due, figures.answered) == (2, 2, 2)
    assert (figures.met, figures.missed, figures.share_met, figures.open_now) == (2, 0, 1.0, 0)
    assert (row.neighbourhood_id, row.received, row.responses_due, row.answered) == (
        area.pk,
        2,
        2,
        2,
    )
    assert (row.met, row.missed, row.open_now, row.breached_open) == (2, 0, 0, 0)
    asb = topics[Topic.ANTI_SOCIAL_BEHAVIOUR]
    assert (asb.received, asb.responses_due, asb.met, asb.missed) == (2, 2, 2, 0)
    assert sum(t.responses_due for t in topics.values()) == 2


def test_each_week_of_the_trend_counts_its_own_days(one_answered_in_each_end):
    trend = weekly_trend(scope=FORCE, period=PART_WEEKS_AT_BOTH_ENDS, now=NOW)

    assert [(w.week_start, w.responses_due, w.answered, w.met, w.missed) for w in trend] == [
        (datetime.date(2026, 2, 2), 1, 1, 1, 0),
        (datetime.date(2026, 2, 9), 0, 0, 0, 0),
        (datetime.date(2026, 2, 16), 0, 0, 0, 0),
        (datetime.date(2026, 2, 23), 1, 1, 1, 0),
    ]


@pytest.mark.parametrize("clocks_elsewhere", [False, True], ids=["no-clocks", "clocks-before-it"])
def test_a_period_without_clocks_has_figures_of_zero(area, clocks_elsewhere):
    # The week of Monday 16 February has no clock; with `clocks_elsewhere`, one query was sent
    # and answered on 5 February, before it. Nothing is running either way.
    if clocks_elsewhere:
        answer(submit(area, at(2026, 2, 5, 10)), at(2026, 2, 5, 12))
    week = days(datetime.date(2026, 2, 16), datetime.date(2026, 2, 22))

    figures = sla_figures(scope=FORCE, period=week, now=NOW)

    assert figures == SlaFigures(
        received=0,
        responses_due=0,
        answered=0,
        met=0,
        missed=0,
        share_met=None,
        median_seconds=None,
        p90_seconds=None,
        open_now=0,
        at_risk=0,
        breached_open=0,
        resident_escalations=0,
        urgent_flagged=0,
    )
