import datetime

import pytest
import time_machine

from config.dates import LONDON
from meetings import recurrence as rules
from meetings.models import Event
from meetings.services.series import series_materialise, series_materialise_all
from tests.factories import SeriesFactory
from tests.fixtures.clock import london

pytestmark = pytest.mark.django_db

# Monday 14 September 2026, 9am in London.
NOW = datetime.datetime(2026, 9, 14, 9, tzinfo=LONDON)


def test_monthly_rule_keeps_seven_pm_across_the_october_clock_change():
    starts = rules.occurrences(
        "FREQ=MONTHLY;BYDAY=1TU",
        london(2026, 10, 6, 19),
        NOW,
        london(2027, 1, 31),
    )
    assert [s.astimezone(LONDON).strftime("%Y-%m-%d %H:%M") for s in starts] == [
        "2026-10-06 19:00",
        "2026-11-03 19:00",
        "2026-12-01 19:00",
        "2027-01-05 19:00",
    ]
    # 7pm BST is 18:00 UTC; 7pm GMT is 19:00 UTC.
    assert starts[0].astimezone(datetime.UTC).hour == 18
    assert starts[1].astimezone(datetime.UTC).hour == 19


def test_unreadable_rule_is_refused():
    with pytest.raises(rules.RuleError):
        rules.validate_rule("FREQ=SOMETIMES")


@time_machine.travel(NOW, tick=False)
def test_materialise_creates_occurrences_up_to_the_horizon_with_the_series_details(settings):
    settings.SERIES_HORIZON_DAYS = 100
    series = SeriesFactory(first_starts_at=london(2026, 10, 6, 19), capacity=30)
    created = series_materialise(series=series)
    assert [e.starts_at.astimezone(LONDON).date().isoformat() for e in created] == [
        "2026-10-06",
        "2026-11-03",
        "2026-12-01",
    ]
    event = Event.objects.get(series=series, starts_at=london(2026, 11, 3, 19))
    assert event.ends_at - event.starts_at == series.duration
    assert (event.title, event.capacity, event.neighbourhood) == (
        series.title,
        30,
        series.neighbourhood,
    )


@time_machine.travel(NOW, tick=False)
def test_materialise_twice_creates_nothing_more():
    series = SeriesFactory(first_starts_at=london(2026, 10, 6, 19))
    first = series_materialise(series=series)
    series.materialised_until = None  # as if the last run's bookmark were lost
    assert series_materialise(series=series) == []
    assert Event.objects.filter(series=series).count() == len(first)


@time_machine.travel(NOW, tick=False)
def test_moved_occurrence_is_not_created_again():
    series = SeriesFactory(first_starts_at=london(2026, 10, 6, 19))
    series_materialise(series=series)
    moved = Event.objects.filter(series=series).first()
    moved.starts_at += datetime.timedelta(days=1)
    moved.ends_at += datetime.timedelta(days=1)
    moved.save()
    series.materialised_until = None
    assert series_materialise(series=series) == []


def test_nightly_run_carries_a_series_forward_as_time_passes(settings):
    settings.SERIES_HORIZON_DAYS = 60
    with time_machine.travel(NOW, tick=False):
        series = SeriesFactory(first_starts_at=london(2026, 10, 6, 19))
        assert series_materialise_all() == 2  # October and November
    with time_machine.travel(NOW + datetime.timedelta(days=31), tick=False):
        assert series_materialise_all() == 1  # December comes into view
    assert Event.objects.filter(series=series).count() == 3


@time_machine.travel(NOW, tick=False)
def test_ended_series_creates_nothing_after_its_end():
    series = SeriesFactory(first_starts_at=london(2026, 10, 6, 19), ended_at=london(2026, 11, 10))
    created = series_materialise(series=series)
    assert len(created) == 2
