"""How a period is cut for the counts the dashboards sum (dashboards.selectors.tallied.pieces):
its whole London calendar months from the month rows, the whole weeks (Monday to Sunday) of
the days outside them from the week rows, and only the days left over from the day rows.
Each expectation is worked out by hand from a calendar of 2026 (1 January a Thursday)."""

import datetime

import pytest

from dashboards.periods import days_period
from dashboards.selectors.tallied import Pieces, pieces, whole_months


def d(month: int, day: int, year: int = 2026) -> datetime.date:
    return datetime.date(year, month, day)


@pytest.mark.parametrize(
    ("first", "last", "cut"),
    [
        pytest.param(
            d(2, 2),
            d(2, 8),
            Pieces(months=None, weeks=[(d(2, 2), d(2, 2))], days=[]),
            id="one-whole-week-monday-to-sunday",
        ),
        pytest.param(
            d(2, 3),
            d(2, 9),
            Pieces(months=None, weeks=[], days=[(d(2, 3), d(2, 9))]),
            id="seven-days-tuesday-to-monday-no-whole-week",
        ),
        pytest.param(
            d(2, 4),
            d(2, 24),
            # Wednesday 4 to Tuesday 24 February: the weeks of Monday 9 and Monday 16 whole.
            Pieces(
                months=None,
                weeks=[(d(2, 9), d(2, 16))],
                days=[(d(2, 4), d(2, 8)), (d(2, 23), d(2, 24))],
            ),
            id="part-weeks-at-both-ends",
        ),
        pytest.param(
            d(3, 1),
            d(3, 31),
            # March from Sunday 1 to Tuesday 31: a whole month, read from its month rows.
            Pieces(months=(d(3, 1), d(3, 1)), weeks=[], days=[]),
            id="one-whole-month",
        ),
        pytest.param(
            d(1, 31),
            d(3, 1),
            Pieces(
                months=(d(2, 1), d(2, 1)), weeks=[], days=[(d(1, 31), d(1, 31)), (d(3, 1), d(3, 1))]
            ),
            id="a-month-and-a-day-either-side",
        ),
        pytest.param(
            d(1, 15),
            d(4, 20),
            # Thursday 15 January to Monday 20 April: February and March whole; before them the
            # week of Monday 19 January, after them the weeks of Monday 6 and 13 April.
            Pieces(
                months=(d(2, 1), d(3, 1)),
                weeks=[(d(1, 19), d(1, 19)), (d(4, 6), d(4, 13))],
                days=[
                    (d(1, 15), d(1, 18)),
                    (d(1, 26), d(1, 31)),
                    (d(4, 1), d(4, 5)),
                    (d(4, 20), d(4, 20)),
                ],
            ),
            id="months-weeks-and-days",
        ),
    ],
)
def test_a_period_is_read_from_its_whole_months_then_whole_weeks_then_days(first, last, cut):
    assert pieces(days_period(first, last)) == cut


def test_without_months_a_period_is_read_from_whole_weeks_and_days():
    period = days_period(d(1, 15), d(4, 20))

    assert pieces(period, months=False) == Pieces(
        months=None,
        weeks=[(d(1, 19), d(4, 13))],
        days=[(d(1, 15), d(1, 18)), (d(4, 20), d(4, 20))],
    )


@pytest.mark.parametrize(
    ("first", "last", "months"),
    [
        pytest.param(d(12, 1, 2025), d(2, 28), (d(12, 1, 2025), d(2, 1)), id="to-a-months-end"),
        pytest.param(
            d(11, 1, 2025), d(12, 31, 2025), (d(11, 1, 2025), d(12, 1, 2025)), id="to-a-years-end"
        ),
        pytest.param(d(12, 15, 2025), d(2, 10), (d(1, 1), d(1, 1)), id="across-a-new-year"),
        pytest.param(d(2, 2), d(2, 28), None, id="february-less-its-first-day"),
        pytest.param(d(2, 1), d(2, 27), None, id="february-less-its-last-day"),
    ],
)
def test_whole_months_are_those_from_their_first_day_to_their_last(first, last, months):
    assert whole_months(days_period(first, last)) == months
