"""The whole life of a monthly beat meeting, in Chromium, with a real worker and SMTP server:
an officer sets up the series, a resident finds a meeting from the neighbourhood page,
registers and adds it to their calendar; the officer cancels that meeting, and the resident
is told and their subscribed calendar sees it cancelled."""

import datetime
import re

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from config.dates import LONDON
from meetings.models import Event, Registration, Series
from officers.models import Assignment, Rank
from tests.factories import PASSWORD, AssignmentFactory, NeighbourhoodFactory, OfficerFactory
from tests.fixtures.browser import assert_accessible
from tests.fixtures.mail import wait_for_mail
from tests.form_data import fill_date

# Expected dates are worked out from the clock the live server reads (tests/fixtures/clock.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("server_clock"),
]

RESIDENT = "sam@example.com"


@pytest.fixture
def normanton(officer_account):
    area = NeighbourhoodFactory(name="Normanton", slug="normanton")
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma", rank=Rank.PC)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return area


def first_tuesday_after(day: datetime.date) -> datetime.date:
    """The first Tuesday of a month that falls after `day`."""
    month = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    while True:
        first = month + datetime.timedelta(days=(1 - month.weekday()) % 7)
        if first > day:
            return first
        month = (month + datetime.timedelta(days=32)).replace(day=1)


def calendar_events(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


def officer_sets_up_the_monthly_meeting(page: Page) -> Series:
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Events and beat meetings").first.click()
    page.get_by_role("button", name="Add a repeating meeting").or_(
        page.get_by_role("link", name="Add a repeating meeting")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("repeating meeting")
    assert_accessible(page)

    page.get_by_label("Type of event").select_option(label="Beat meeting")
    page.get_by_label("Title").fill("Normanton beat meeting")
    page.get_by_label("Day of the week").select_option(label="Tuesday")
    page.get_by_label("Every month, on the first one in the month").check()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    fill_date(page, "First meeting on or after", tomorrow)
    page.get_by_label("Start time").fill("7pm")
    page.get_by_label("End time").fill("8:30pm")
    page.get_by_label("Venue").fill("Normanton Community Centre")
    page.get_by_label("Postcode").fill("de23 6aa")
    page.get_by_label("Step-free access").check()
    page.get_by_role("button", name="Add the meetings").click()

    expect(page.get_by_role("heading", name="Normanton beat meeting", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("The first Tuesday of every month, 7pm")
    assert_accessible(page)
    return Series.objects.get()


def test_monthly_meeting_from_listing_to_registration_to_cancellation(
    page, resident_page, normanton, celery_worker, smtp_server
):
    series = officer_sets_up_the_monthly_meeting(page)
    meetings = list(Event.objects.filter(series=series).order_by("starts_at"))
    assert len(meetings) >= 3  # a few months ahead
    assert all(m.starts_at.astimezone(LONDON).hour == 19 for m in meetings)
    first = meetings[0]
    assert first.starts_at.astimezone(LONDON).date() == first_tuesday_after(timezone.localdate())

    # The resident finds the first meeting from the neighbourhood page and registers.
    resident = resident_page
    resident.goto("/neighbourhoods/normanton/")
    feed_link = resident.locator('link[rel="alternate"][type="text/calendar"]')
    assert feed_link.get_attribute("href") == "/neighbourhoods/normanton/events.ics"
    resident.get_by_role("link", name="Normanton beat meeting").first.click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Normanton beat meeting")
    expect(resident.get_by_text("Priya Sharma")).to_be_visible()
    assert_accessible(resident)
    assert resident.url.endswith(first.get_absolute_url())

    resident.get_by_role("button", name="Register for this event").click()
    resident.get_by_label("Your name").fill("Sam Resident")
    resident.get_by_label("Email address").fill(RESIDENT)
    resident.get_by_role("button", name="Register", exact=True).click()
    expect(resident.get_by_role("heading", name="You are registered")).to_be_visible()
    assert_accessible(resident)

    wait_for_mail(smtp_server, 1)
    confirmation = smtp_server.messages[0]
    assert RESIDENT in confirmation["X-Envelope-To"]
    assert "Normanton beat meeting" in confirmation["Subject"]
    assert re.search(
        r"/events/registrations/[A-Za-z0-9_-]{40,}/cancel/",
        confirmation.get_body(preferencelist=("plain",)).get_content(),
    )

    # ... and adds it to their calendar.
    resident.goto(first.get_absolute_url())
    with resident.expect_download() as download:
        resident.get_by_role("link", name="Add to calendar (.ics)").click()
    with open(download.value.path(), "rb") as ics:
        [(uid, added)] = calendar_events(ics.read()).items()
    assert str(added["STATUS"]) == "CONFIRMED"
    assert added["DTSTART"].params["TZID"] == "Europe/London"
    assert added["DTSTART"].dt.hour == 19

    # The officer cancels that one meeting.
    page.goto(f"/staff/events/{first.pk}/")
    expect(page.get_by_text("Sam Resident")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Cancel this event").click()
    expect(page.get_by_text("1 person", exact=False)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Reason").fill("The community centre is closed for repairs.")
    page.get_by_role("button", name="Cancel the event").click()
    expect(page.get_by_text("Cancelled", exact=False).first).to_be_visible()
    assert_accessible(page)

    # The resident is told, and the calendar they subscribed to sees the cancellation.
    wait_for_mail(smtp_server, 2)
    cancellation = smtp_server.messages[1]
    assert RESIDENT in cancellation["X-Envelope-To"]
    assert "cancelled" in cancellation["Subject"].lower()
    assert "closed for repairs" in cancellation.get_body(preferencelist=("plain",)).get_content()

    feed = resident.request.get("/neighbourhoods/normanton/events.ics")
    assert feed.ok
    events = calendar_events(feed.body())
    assert str(events[uid]["STATUS"]) == "CANCELLED"
    assert int(events[uid]["SEQUENCE"]) > int(added.get("SEQUENCE", 0))
    others = [e for key, e in events.items() if key != uid]
    assert others and all(str(e["STATUS"]) == "CONFIRMED" for e in others)
    assert Registration.objects.get().cancelled_at is None  # their place stands, the event went

    resident.goto(first.get_absolute_url())
    expect(resident.get_by_text("This event has been cancelled")).to_be_visible()
    assert_accessible(resident)
