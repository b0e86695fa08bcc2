"""A resident finds an event, registers and gives the place back, in Chromium, with and
without JavaScript; the confirmation reaches a real SMTP server through a real worker."""

import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from meetings.models import Event, Registration
from tests.factories import AssignmentFactory, EventFactory
from tests.fixtures.browser import assert_accessible, assert_accessible_as_received
from tests.fixtures.mail import wait_for_mail

# Expected dates are worked out from the clock the live server reads (tests/fixtures/clock.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("server_clock"),
]

RESIDENT = "sam@example.com"
CANCEL_PATH = re.compile(r"/events/registrations/[A-Za-z0-9_-]{40,}/cancel/")


@pytest.fixture
def event() -> Event:
    named = AssignmentFactory(
        officer__display_name="Priya Sharma",
        neighbourhood__name="Normanton",
        neighbourhood__slug="normanton",
    )
    return EventFactory(
        neighbourhood=named.neighbourhood,
        title="Normanton beat meeting",
        organiser=named.officer,
        venue_name="Normanton Community Centre",
        address="12 Browning Street, Derby",
        postcode="DE23 6AA",
        step_free_access=True,
        online_url="https://meet.example.com/normanton",
        capacity=20,
    )


def register_from_the_neighbourhood_page(
    page: Page, event: Event, check_accessible: Callable[[Page], None] = assert_accessible
) -> None:
    page.goto(event.neighbourhood.get_absolute_url())
    page.get_by_role("link", name="Normanton beat meeting").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Normanton beat meeting")
    expect(page.get_by_text("Normanton Community Centre")).to_be_visible()
    expect(page.get_by_role("link", name="Priya Sharma")).to_be_visible()
    expect(page.get_by_text("20 of 20 places left")).to_be_visible()
    check_accessible(page)

    page.get_by_role("button", name="Register for this event").click()
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Register", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter your name")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    check_accessible(page)

    page.get_by_label("Your name").fill("Sam Resident")
    page.get_by_label("Email address").fill(RESIDENT)
    page.get_by_label("Access needs (optional)").fill("I use a wheelchair.")
    page.get_by_role("button", name="Register", exact=True).click()

    expect(page.get_by_role("heading", name="You are registered")).to_be_visible()
    expect(page.get_by_text(RESIDENT)).to_be_visible()
    check_accessible(page)
    registration = Registration.objects.get()
    assert registration.accessibility_needs == "I use a wheelchair."


def test_resident_registers_gets_the_email_and_gives_the_place_back(
    page, event, celery_worker, smtp_server
):
    register_from_the_neighbourhood_page(page, event)

    wait_for_mail(smtp_server, 1)
    message = smtp_server.messages[0]
    assert RESIDENT in message["X-Envelope-To"]
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Normanton Community Centre" in body
    assert "Join online: https://meet.example.com/normanton" in body
    assert "I use a wheelchair." in body
    cancel_path = CANCEL_PATH.search(body).group(0)

    page.goto(cancel_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel your place")
    assert_accessible(page)
    page.get_by_role("button", name="Cancel my place").click()

    expect(page.get_by_role("heading", name="Your place has been cancelled")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.get().cancelled_at is not None
    wait_for_mail(smtp_server, 2)
    assert smtp_server.messages[1]["Subject"].startswith("Your place is cancelled")


def test_resident_registers_without_javascript(
    page_without_javascript, event, browser, live_server
):
    register_from_the_neighbourhood_page(
        page_without_javascript,
        event,
        lambda page: assert_accessible_as_received(browser, live_server, page),
    )


def test_events_list_filters_and_its_errors_are_accessible(page, event):
    page.goto("/")
    page.get_by_role("link", name="Events", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Events and beat meetings")
    expect(page.get_by_role("link", name="Normanton beat meeting")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Neighbourhood").select_option("normanton")
    page.get_by_label("From date").fill("2030-06-12")
    page.get_by_label("To date").fill("2030-06-10")
    page.get_by_role("button", name="Show events").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The to date must be the same as or after the from date")
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("To date")).to_be_focused()


def test_cancelled_event_page_says_so_and_is_accessible(page, event):
    Event.objects.filter(pk=event.pk).update(
        status=Event.Status.CANCELLED,
        cancelled_reason="The community centre is closed for repairs.",
        updated_at=timezone.now(),
    )

    page.goto(event.get_absolute_url())

    expect(page.get_by_text("This event has been cancelled")).to_be_visible()
    expect(page.get_by_text("The community centre is closed for repairs.")).to_be_visible()
    expect(page.get_by_role("button", name="Register for this event")).to_have_count(0)
    assert_accessible(page)


def test_calendar_subscribe_links_keep_their_webcal_address_in_chromium(
    page, event, live_server, settings
):
    settings.SITE_URL = live_server.url
    host = live_server.url.removeprefix("http://")

    page.goto("/neighbourhoods/normanton/")
    link = page.get_by_role("link", name="Subscribe in your calendar app to Normanton events")
    # The href as Chromium resolved it, under the page's content security policy.
    assert link.evaluate("a => a.href") == f"webcal://{host}/neighbourhoods/normanton/events.ics"
    assert_accessible(page)

    page.goto("/events/?neighbourhood=normanton")
    every = page.get_by_role("link", name="Subscribe in your calendar app to every event")
    assert every.evaluate("a => a.href") == f"webcal://{host}/events/calendar.ics"
    assert_accessible(page)
