"""The demo's events: monthly beat meetings with their history, and one stale neighbourhood."""

import pytest
from django.core.management import call_command

from engagement.models import Priority
from meetings.demo import STALE_CODE
from meetings.models import Event, Outcome, Registration, Series
from meetings.staleness import stale_listings
from neighbourhoods.models import Neighbourhood

pytestmark = pytest.mark.django_db

MODELS = [Series, Event, Outcome, Registration, Priority]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture
def seeded():
    call_command("seed_demo")


def test_seeding_twice_creates_nothing_more(seeded):
    before = counts()

    call_command("seed_demo")

    assert counts() == before
    assert all(before.values())


def test_exactly_one_neighbourhood_is_stale_with_both_reasons(seeded):
    [listing] = stale_listings(neighbourhoods=Neighbourhood.objects.all())

    assert listing.neighbourhood.code == STALE_CODE
    assert listing.no_upcoming_meeting
    [meeting] = listing.outcomes_missing
    assert meeting.event_type == Event.Type.BEAT_MEETING


def test_still_exactly_one_stale_neighbourhood_after_seeding_again(seeded):
    call_command("seed_demo")

    listings = stale_listings(neighbourhoods=Neighbourhood.objects.all())

    assert [listing.neighbourhood.code for listing in listings] == [STALE_CODE]


def test_every_other_neighbourhood_has_a_monthly_series_of_beat_meetings(seeded):
    with_series = set(Series.objects.values_list("neighbourhood__code", flat=True))
    all_codes = set(Neighbourhood.objects.values_list("code", flat=True))

    assert with_series == all_codes - {STALE_CODE}
    assert all(
        rule.startswith("FREQ=MONTHLY") for rule in Series.objects.values_list("rrule", flat=True)
    )
    # The weekday varies from one neighbourhood to the next.
    assert len(set(Series.objects.values_list("rrule", flat=True))) > 1


def test_each_series_has_upcoming_occurrences_and_three_held_meetings_with_outcomes(seeded):
    for series in Series.objects.all():
        assert series.events.upcoming().exists(), series
        held = series.events.past().filter(status=Event.Status.HELD)
        assert held.count() == 3, series
        assert Outcome.objects.filter(event__in=held).count() == 3, series


def test_each_series_neighbourhood_has_a_priority_made_from_a_meeting_issue(seeded):
    for series in Series.objects.all():
        outcomes = Outcome.objects.filter(event__series=series)
        [priority] = Priority.objects.filter(outcomes__in=outcomes)
        assert priority.neighbourhood == series.neighbourhood
        assert priority.issue in outcomes.get(priorities=priority).issues


def test_outcomes_record_attendance_summary_and_issues(seeded):
    for outcome in Outcome.objects.all():
        assert outcome.attendance > 0
        assert outcome.summary
        assert outcome.issues


def test_residents_are_registered_for_upcoming_meetings_with_example_addresses(seeded):
    registrations = Registration.objects.select_related("event")

    assert registrations.count() >= 6
    assert all(r.email.endswith("@example.com") for r in registrations)
    assert all(not r.event.is_past for r in registrations)


def test_street_briefings_and_a_community_event_are_listed(seeded):
    upcoming = Event.objects.upcoming()

    assert upcoming.filter(event_type=Event.Type.STREET_BRIEFING).count() >= 3
    assert upcoming.filter(event_type=Event.Type.COMMUNITY_EVENT).count() == 1


def test_stale_neighbourhood_still_lists_something_ahead(seeded):
    stale = Neighbourhood.objects.get(code=STALE_CODE)

    assert Event.objects.upcoming().listed().filter(neighbourhood=stale).exists()
    assert not stale.series.exists()
