"""An officer lists, changes and follows up a beat meeting in Chromium, with and without
JavaScript."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from engagement.models import Priority
from meetings.models import Event, Outcome
from officers.models import Assignment, Rank
from tests.factories import (
    AssignmentFactory,
    EventFactory,
    NeighbourhoodFactory,
    OfficerFactory,
)
from tests.fixtures.browser import assert_accessible, assert_accessible_as_received, sign_in
from tests.form_data import fill_date

# Expected dates are worked out from the clock the live server reads (tests/fixtures/clock.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("server_clock"),
]


@pytest.fixture
def area(officer_account):
    area = NeighbourhoodFactory(name="Normanton", slug="normanton")
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma", rank=Rank.PC)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return area


@pytest.fixture
def last_meeting(area):
    start = timezone.now() - datetime.timedelta(days=2)
    return EventFactory(
        neighbourhood=area,
        title="Normanton beat meeting (last month)",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )


def fill_event_form(page: Page, day: datetime.date) -> None:
    page.get_by_label("Type of event").select_option(label="Beat meeting")
    page.get_by_label("Title").fill("Normanton beat meeting")
    fill_date(page, "Date", day)
    page.get_by_label("Start time").fill("7pm")
    page.get_by_label("End time").fill("20:30")
    page.get_by_label("Venue").fill("Normanton Community Centre")
    page.get_by_label("Postcode").fill("de23 6aa")
    page.get_by_label("Step-free access").check()


def test_officer_adds_edits_and_records_an_outcome_that_becomes_priorities(
    page, area, last_meeting
):
    sign_in(page, "officer")
    assert_accessible(page)

    page.get_by_role("link", name="Events and beat meetings").click()
    expect(page.get_by_role("heading", name="Events and beat meetings", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Past events awaiting an outcome: 1")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add an event").click()
    expect(page.get_by_role("heading", name="Add an event")).to_be_visible()
    expect(page.get_by_label("Neighbourhood")).to_have_value(str(area.pk))
    assert_accessible(page)

    page.get_by_role("button", name="Add event").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter a title")
    expect(summary).to_contain_text("Enter the date of the event")
    assert_accessible(page)

    day = timezone.localdate() + datetime.timedelta(days=30)
    fill_event_form(page, day)
    page.get_by_role("button", name="Add event").click()

    expect(page.get_by_role("heading", name="Normanton beat meeting", level=1)).to_be_visible()
    expect(page.get_by_text("is listed for")).to_be_visible()
    expect(page.get_by_text("DE23 6AA")).to_be_visible()
    assert_accessible(page)
    event = Event.objects.get(title="Normanton beat meeting")
    assert event.step_free_access

    page.get_by_role("link", name="Edit this event").click()
    expect(page.get_by_label("Title")).to_have_value("Normanton beat meeting")
    assert_accessible(page)
    page.get_by_label("Title").fill("Normanton residents meeting")
    page.get_by_label("Capacity (optional)").fill("0")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a capacity of 1 or more")
    assert_accessible(page)
    page.get_by_label("Capacity (optional)").fill("40")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_text("The event is saved.")).to_be_visible()
    expect(page.get_by_role("heading", name="Normanton residents meeting")).to_be_visible()
    assert_accessible(page)
    event.refresh_from_db()
    assert (event.capacity, event.sequence) == (40, 1)

    page.get_by_role("link", name="Back to events").click()
    page.get_by_role("link", name=f"Record outcome of {last_meeting.title}").click()
    expect(page.get_by_role("heading", name="Record the outcome")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("How many people came").fill("14")
    page.get_by_label("Summary").fill("Residents raised speeding and parking.")
    page.get_by_label("Issues raised").fill("Speeding on Fox Lane\nParking on the zigzags")
    page.get_by_label("Add each issue as a new priority for Normanton").check()
    page.get_by_role("button", name="Save the outcome").click()

    expect(page.get_by_text("The outcome is recorded.")).to_be_visible()
    expect(page.get_by_text("Speeding on Fox Lane (open)")).to_be_visible()
    assert_accessible(page)
    assert sorted(Priority.objects.values_list("issue", flat=True)) == [
        "Parking on the zigzags",
        "Speeding on Fox Lane",
    ]
    assert Outcome.objects.get().event == last_meeting


def test_officer_records_a_past_meeting_that_shows_with_its_outcome_on_the_public_page(page, area):
    sign_in(page, "officer")
    page.get_by_role("link", name="Events and beat meetings").click()
    page.get_by_role("button", name="Record a past meeting").click()
    expect(page.get_by_role("heading", name="Record a past meeting", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Record the meeting").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter a title")
    expect(summary).to_contain_text("Enter how many people came")
    assert_accessible(page)

    day = timezone.localdate() - datetime.timedelta(days=3)
    page.get_by_label("Type of event").select_option(label="Street briefing")
    page.get_by_label("Title").fill("Street briefing on Fox Lane")
    fill_date(page, "Date", day)
    page.get_by_label("Start time").fill("7pm")
    page.get_by_label("End time").fill("8pm")
    page.get_by_label("Venue").fill("Corner of Fox Lane")
    page.get_by_label("How many people came").fill("9")
    page.get_by_label("Summary").fill("Neighbours told us about speeding after school.")
    page.get_by_label("Issues raised").fill("Speeding on Fox Lane after school")
    page.get_by_label("Add each issue as a new priority for the neighbourhood").check()
    page.get_by_role("button", name="Record the meeting").click()

    expect(
        page.get_by_text("Street briefing on Fox Lane is recorded with its outcome.")
    ).to_be_visible()
    expect(page.get_by_text("Held", exact=True)).to_be_visible()
    assert_accessible(page)
    event = Event.objects.get(title="Street briefing on Fox Lane")
    assert event.status == Event.Status.HELD

    page.goto(area.get_absolute_url())
    past = page.locator(".govuk-summary-card", has_text="Street briefing on Fox Lane")
    expect(page.get_by_role("heading", name="Past meetings: you said, we did")).to_be_visible()
    expect(past).to_contain_text("Neighbours told us about speeding after school.")
    expect(past).to_contain_text("Made a priority: Speeding on Fox Lane after school (open)")
    expect(page.get_by_text("No events are planned at the moment.")).to_be_visible()
    assert Priority.objects.get().issue_date == day


# --- Without JavaScript -------------------------------------------------------------------------


def test_event_form_works_without_javascript(page_without_javascript, browser, live_server, area):
    page = page_without_javascript
    sign_in(page, "officer")
    page.goto("/staff/events/new/")
    assert_accessible_as_received(browser, live_server, page)

    day = timezone.localdate() + datetime.timedelta(days=30)
    fill_event_form(page, day)
    page.get_by_label("End time").fill("6pm")
    page.get_by_role("button", name="Add event").click()

    expect(page.get_by_role("alert")).to_contain_text("The end time must be after the start time")
    expect(page.get_by_label("Title")).to_have_value("Normanton beat meeting")
    assert_accessible_as_received(browser, live_server, page)

    page.get_by_label("End time").fill("8:30pm")
    page.get_by_role("button", name="Add event").click()

    expect(page).to_have_url(re.compile(r"/staff/events/\d+/$"))
    expect(page.get_by_role("heading", name="Normanton beat meeting", level=1)).to_be_visible()
    assert_accessible_as_received(browser, live_server, page)
    event = Event.objects.get()
    assert event.ends_at - event.starts_at == datetime.timedelta(hours=1, minutes=30)
