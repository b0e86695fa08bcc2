"""Every events page not walked through elsewhere, in each state worth seeing, checked with
axe-core: the staff list with stale listings and series, the duplicate and series forms with
their errors, ending a series, an event with registrations, and a held meeting's public page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engagement.models import Priority
from meetings.models import Event, Outcome, Registration
from meetings.services.series import series_materialise
from officers.models import Assignment
from tests.factories import (
    AssignmentFactory,
    EventFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    SeriesFactory,
)
from tests.fixtures.browser import assert_accessible, sign_in

# Expected dates are worked out from the clock the live server reads (tests/fixtures/clock.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("server_clock"),
]


@pytest.fixture
def listings(officer_account):
    area = NeighbourhoodFactory(name="Normanton", slug="normanton")
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma")
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    series = SeriesFactory(neighbourhood=area, title="Normanton beat meeting", organiser=officer)
    series_materialise(series=series)
    upcoming = Event.objects.filter(series=series).first()
    upcoming.capacity = 2
    upcoming.save()
    for n in range(2):
        Registration.objects.create(
            event=upcoming,
            name=f"Resident {n}",
            email=f"resident{n}@example.com",
            accessibility_needs="Hearing loop, please" if n else "",
            cancel_token_hash=f"{n:064x}",
        )
    held_start = timezone.now() - datetime.timedelta(days=12)
    held = EventFactory(
        neighbourhood=area,
        title="Normanton beat meeting (October)",
        starts_at=held_start,
        ends_at=held_start + datetime.timedelta(hours=1),
        status=Event.Status.HELD,
    )
    outcome = Outcome.objects.create(
        event=held, attendance=14, summary="Speeding came up.", issues_raised="Speeding"
    )
    outcome.priorities.add(
        Priority.objects.create(neighbourhood=area, issue="Speeding", issue_date=held_start.date())
    )
    awaiting_start = timezone.now() - datetime.timedelta(days=9)
    EventFactory(
        neighbourhood=area,
        title="Normanton street briefing",
        event_type=Event.Type.BEAT_MEETING,
        starts_at=awaiting_start,
        ends_at=awaiting_start + datetime.timedelta(hours=1),
    )
    NeighbourhoodFactory(name="Alvaston")  # stale, but not theirs
    return {"series": series, "upcoming": upcoming, "held": held}


def test_staff_events_pages_are_accessible(page, listings):
    sign_in(page)

    page.goto("/staff/events/")
    expect(page.locator("main")).to_contain_text("Normanton street briefing")
    assert_accessible(page)

    upcoming = listings["upcoming"]
    page.goto(f"/staff/events/{upcoming.pk}/")
    expect(page.get_by_text("Hearing loop, please")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/staff/events/new/?from={upcoming.pk}")
    page.get_by_role("button", name="Add event").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the date of the event")
    assert_accessible(page)

    page.goto(f"/staff/events/{upcoming.pk}/edit/")
    page.get_by_label("Capacity (optional)").fill("1")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/staff/events/{upcoming.pk}/cancel/")
    page.get_by_role("button", name="Cancel the event").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason")
    assert_accessible(page)

    series = listings["series"]
    page.goto(f"/staff/events/series/{series.pk}/edit/")
    assert_accessible(page)
    page.goto("/staff/events/series/new/")
    page.get_by_role("button", name="Add the meetings").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose how often it repeats")
    assert_accessible(page)

    page.goto(f"/staff/events/series/{series.pk}/end/")
    assert_accessible(page)
    page.get_by_label("Reason").fill("Meetings move online from the new year.")
    page.get_by_role("button", name="End the series").click()
    expect(page.locator("main")).to_contain_text("This series ended")
    assert_accessible(page)


def test_public_pages_of_full_and_held_meetings_are_accessible(page, listings):
    page.goto(listings["upcoming"].get_absolute_url())
    expect(page.get_by_text("No places left")).to_be_visible()
    assert_accessible(page)

    page.goto(listings["held"].get_absolute_url())
    expect(page.locator("main")).to_contain_text("Speeding came up.")
    assert_accessible(page)

    page.goto("/neighbourhoods/normanton/")
    expect(page.locator("main")).to_contain_text("Speeding came up.")
    assert_accessible(page)

    page.goto("/events/?neighbourhood=normanton")
    expect(page.locator("main")).to_contain_text("Full")
    assert_accessible(page)
