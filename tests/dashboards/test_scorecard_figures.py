"""The public scorecard's figures on fixtures small enough to count by hand: the small-numbers
rule at the threshold, months cut at London midnight in GMT and in BST, and the same figures as
the staff dashboard's for the same scope and days."""

import datetime

import pytest

from dashboards.periods import days_period
from dashboards.selectors import scorecard
from dashboards.selectors.sla import sla_figures
from officers.scopes import Scope
from queries import clock
from queries.models import Query
from tests.factories import DivisionFactory, NeighbourhoodFactory
from tests.fixtures.clock import london
from tests.queries.factories import QueryFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
FORCE = scorecard.force_scope()
FEBRUARY = (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
AFTER_FEBRUARY = london(2026, 3, 10, 12)


def submit(area, when) -> Query:
    """A query sent at `when`: its clock is due 72 elapsed hours later."""
    return QueryFactory(neighbourhood=area, submitted_at=when)


def answer(query: Query, when) -> None:
    clock.stop(query, when, None)
    query.save()
    clock.record_answer(query, when)


def answered_after(area, sent, hours: float) -> Query:
    query = submit(area, sent)
    answer(query, sent + datetime.timedelta(hours=hours))
    return query


def test_four_queries_are_too_few_to_publish(area):
    for day in range(2, 6):
        answered_after(area, london(2026, 2, day, 10), 5)

    figures = scorecard.scorecard_figures(
        scope=FORCE, start=FEBRUARY[0], end=FEBRUARY[1], now=AFTER_FEBRUARY
    )

    assert figures.suppressed
    assert (figures.queries, figures.met, figures.share_percent, figures.median_seconds) == (
        None,
        None,
        None,
        None,
    )


def test_five_queries_are_published(area):
    # Answered after 5, 5, 5, 5 hours and one after 80 (late): 4 of 5 within 72 hours, 80%;
    # median (nearest rank, the 3rd of 5) 5 hours.
    for day in range(2, 6):
        answered_after(area, london(2026, 2, day, 10), 5)
    answered_after(area, london(2026, 2, 9, 10), 80)

    figures = scorecard.scorecard_figures(
        scope=FORCE, start=FEBRUARY[0], end=FEBRUARY[1], now=AFTER_FEBRUARY
    )

    assert not figures.suppressed
    assert (figures.queries, figures.met, figures.share_percent) == (5, 4, 80)
    assert figures.median_seconds == 5 * 3600
    assert figures.median_hours == 5


def test_the_threshold_is_a_setting(area, settings):
    settings.PUBLIC_SUPPRESSION_THRESHOLD = 2
    answered_after(area, london(2026, 2, 2, 10), 5)
    answered_after(area, london(2026, 2, 3, 10), 7)

    figures = scorecard.scorecard_figures(
        scope=FORCE, start=FEBRUARY[0], end=FEBRUARY[1], now=AFTER_FEBRUARY
    )

    assert (figures.queries, figures.met, figures.share_percent) == (2, 2, 100)


def test_months_end_at_london_midnight_in_winter(area, settings):
    # GMT: 31 January 23:30 London is 23:30 UTC, in January; 1 February 00:30 in February.
    settings.PUBLIC_SUPPRESSION_THRESHOLD = 1
    answered_after(area, london(2026, 1, 31, 23, 30), 1)
    answered_after(area, london(2026, 2, 1, 0, 30), 1)
    answered_after(area, london(2026, 2, 1, 0, 45), 1)

    january, february = scorecard.monthly_figures(
        scope=FORCE,
        first_month=datetime.date(2026, 1, 1),
        last_month=datetime.date(2026, 2, 1),
        now=AFTER_FEBRUARY,
    )

    assert (january.first_day, january.last_day) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 1, 31),
    )
    assert (january.queries, february.queries) == (1, 2)


def test_months_end_at_london_midnight_in_summer(area, settings):
    # BST: 1 July 00:30 London is 30 June 23:30 UTC, yet it is July's; 30 June 23:30 London
    # (22:30 UTC) is June's.
    settings.PUBLIC_SUPPRESSION_THRESHOLD = 1
    answered_after(area, london(2026, 6, 30, 23, 30), 1)
    answered_after(area, london(2026, 7, 1, 0, 30), 1)
    answered_after(area, london(2026, 7, 1, 0, 45), 1)

    june, july = scorecard.monthly_figures(
        scope=FORCE,
        first_month=datetime.date(2026, 6, 1),
        last_month=datetime.date(2026, 7, 1),
        now=london(2026, 8, 10, 12),
    )

    assert (june.queries, july.queries) == (1, 2)


def test_the_month_the_clocks_go_forward_counts_its_last_day_whole(area, settings):
    # March 2026: the clocks go forward on Sunday 29th; 31 March 23:59 BST is March's.
    settings.PUBLIC_SUPPRESSION_THRESHOLD = 1
    answered_after(area, london(2026, 3, 31, 23, 59), 1)
    answered_after(area, london(2026, 3, 1, 0, 0), 1)

    (march,) = scorecard.monthly_figures(
        scope=FORCE,
        first_month=datetime.date(2026, 3, 1),
        last_month=datetime.date(2026, 3, 1),
        now=london(2026, 4, 10, 12),
    )

    assert march.queries == 2


def test_the_month_still_running_is_counted_to_today(area, settings):
    settings.PUBLIC_SUPPRESSION_THRESHOLD = 1
    answered_after(area, london(2026, 3, 2, 9), 1)

    (march,) = scorecard.monthly_figures(
        scope=FORCE,
        first_month=datetime.date(2026, 3, 1),
        last_month=datetime.date(2026, 3, 1),
        now=AFTER_FEBRUARY,
    )

    assert (march.last_day, march.queries) == (datetime.date(2026, 3, 10), 1)


@pytest.mark.parametrize("which", ["force", "division", "neighbourhood"])
def test_public_figures_are_the_staff_dashboards(which):
    division = DivisionFactory()
    here = NeighbourhoodFactory(division=division)
    elsewhere = NeighbourhoodFactory()
    for area, hours in [(here, 2), (here, 30), (here, 71), (here, 90), (here, 100), (here, 3)]:
        answered_after(area, london(2026, 2, 3, 9) + hours * HOUR, hours)
    for hours in (1, 2, 80, 4, 5, 6, 7):
        answered_after(elsewhere, london(2026, 2, 10, 9), hours)
    # Unanswered and past its deadline: missed; unanswered and not yet due: neither.
    submit(here, london(2026, 2, 20, 9))
    submit(here, AFTER_FEBRUARY - 2 * HOUR)
    scope = {
        "force": FORCE,
        "division": scorecard.division_scope(division),
        "neighbourhood": scorecard.neighbourhood_scope(here),
    }[which]
    start, end = datetime.date(2026, 2, 1), datetime.date(2026, 3, 10)

    public = scorecard.scorecard_figures(scope=scope, start=start, end=end, now=AFTER_FEBRUARY)
    staff = sla_figures(scope=scope, period=days_period(start, end), now=AFTER_FEBRUARY)

    assert public.queries == staff.met + staff.missed
    assert public.met == staff.met
    assert public.share_percent == round(100 * staff.met / (staff.met + staff.missed))
    assert public.median_seconds == staff.median_seconds
    # Here: within 72 hours after 2, 30, 71 and 3 hours; late after 90 and 100, and the one
    # past its deadline unanswered: 7 decided, 4 met. Elsewhere: 6 of 7 met (80 is late).
    expected = {"force": (14, 10), "division": (7, 4), "neighbourhood": (7, 4)}[which]
    assert (public.queries, public.met) == expected


def test_an_officers_own_figures_are_never_published(area):
    scope = Scope(key="officer:1", label="Officer", neighbourhood_ids=frozenset(), officer_id=1)

    with pytest.raises(ValueError, match="not published"):
        scorecard.scorecard_figures(
            scope=scope, start=FEBRUARY[0], end=FEBRUARY[1], now=AFTER_FEBRUARY
        )
