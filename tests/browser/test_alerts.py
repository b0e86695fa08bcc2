"""Email alerts end to end, in Chromium with a real Celery worker and SMTP server: a resident
signs up from the neighbourhood page and confirms, an officer adds an event and the alert
arrives with one-click unsubscribe headers; the resident's mail client unsubscribes, the
officer adds another event, and nothing more arrives."""

import datetime
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from alerts.models import AlertChange, Subscriber
from config.limits import token_hash
from officers.models import Assignment, Rank
from tests.factories import PASSWORD, AssignmentFactory, NeighbourhoodFactory, OfficerFactory
from tests.fixtures.browser import assert_accessible, assert_accessible_as_received
from tests.fixtures.celery_worker import wait_until_worker_idle
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
    NeighbourhoodFactory(name="Alvaston", slug="alvaston", division=area.division)
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma", rank=Rank.PC)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return area


@pytest.fixture
def site_url(settings, live_server):
    """Links in emails point at the live server, as SITE_URL does in production."""
    settings.SITE_URL = live_server.url
    return live_server.url


def wait_until_sent(change: AlertChange, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while AlertChange.objects.get(pk=change.pk).sent_at is None:
        assert time.monotonic() < deadline, "the worker never sent the change"
        time.sleep(0.2)


def plain_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_in(message, pattern: str) -> str:
    found = re.search(rf"https?://\S+{pattern}\S*/", plain_body(message))
    assert found, plain_body(message)
    return found.group(0)


def officer_adds_event(page: Page, title: str) -> AlertChange:
    page.goto("/staff/events/new/")
    expect(page.get_by_role("heading", name="Add an event")).to_be_visible()
    page.get_by_label("Type of event").select_option(label="Beat meeting")
    page.get_by_label("Title").fill(title)
    day = timezone.localdate() + datetime.timedelta(days=30)
    fill_date(page, "Date", day)
    page.get_by_label("Start time").fill("7pm")
    page.get_by_label("End time").fill("8:30pm")
    page.get_by_label("Venue").fill("Normanton Community Centre")
    page.get_by_role("button", name="Add event").click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    assert_accessible(page)
    return AlertChange.objects.get(title__endswith=title)


def test_resident_gets_an_alert_then_unsubscribes_with_one_click(
    page, resident_page, normanton, site_url, celery_worker, smtp_server
):
    resident = resident_page

    # The resident signs up from the neighbourhood page.
    resident.goto("/neighbourhoods/normanton/")
    resident.get_by_role("link", name="Get email alerts for this neighbourhood").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Get email alerts for Normanton")
    expect(resident.get_by_label("Normanton")).to_be_checked()
    assert_accessible(resident)
    resident.get_by_role("button", name="Sign up for alerts").click()
    expect(resident.get_by_role("alert")).to_contain_text("Enter your email address")
    assert_accessible(resident)
    resident.get_by_label("Email address").fill(RESIDENT)
    resident.get_by_role("button", name="Sign up for alerts").click()
    expect(resident.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(resident)

    # The confirmation arrives; its link shows a button, which confirms.
    wait_for_mail(smtp_server, 1)
    confirmation = smtp_server.messages[0]
    assert RESIDENT in confirmation["X-Envelope-To"]
    assert confirmation["Subject"] == "Confirm your email alerts for Normanton"
    resident.goto(link_in(confirmation, "/alerts/confirm/"))
    assert_accessible(resident)
    assert Subscriber.objects.get().confirmed_at is None
    resident.get_by_role("button", name="Confirm my alerts").click()
    expect(resident.get_by_role("heading", name="Your alerts are confirmed")).to_be_visible()
    assert_accessible(resident)

    # An officer lists an event: the alert arrives, with one-click unsubscribe headers.
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    officer_adds_event(page, "Normanton beat meeting")

    wait_for_mail(smtp_server, 2)
    alert = smtp_server.messages[1]
    assert RESIDENT in alert["X-Envelope-To"]
    assert alert["Subject"] == "New event in Normanton: Normanton beat meeting"
    assert alert["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = re.fullmatch(r"<(\S+)>", alert["List-Unsubscribe"].strip())
    assert header and header.group(1).startswith(f"{site_url}/alerts/unsubscribe/")
    assert header.group(1) in plain_body(alert)

    # The alert's links work: the event, and the page to manage the alerts.
    resident.goto(link_in(alert, "/events/"))
    expect(resident.get_by_role("heading", level=1)).to_have_text("Normanton beat meeting")
    resident.goto(link_in(alert, "/alerts/manage/"))
    expect(resident.get_by_role("heading", name="Change your email alerts")).to_be_visible()
    expect(resident.get_by_label("Normanton")).to_be_checked()
    assert_accessible(resident)

    # The mail client unsubscribes as RFC 8058 says: a POST with no cookie and no token.
    response = resident.request.post(
        header.group(1),
        data="List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.ok
    assert Subscriber.objects.get().unsubscribed_at is not None

    # Another event: the worker deals with it, and nothing more arrives.
    change = officer_adds_event(page, "Normanton street briefing")
    wait_until_sent(change)
    wait_until_worker_idle()
    assert len(smtp_server.messages) == 2

    # The unsubscribe link's own page says so.
    resident.goto(header.group(1))
    expect(resident.get_by_text("This address is not subscribed")).to_be_visible()
    assert_accessible(resident)


def test_signing_up_works_without_javascript(
    browser, page_without_javascript, live_server, normanton
):
    page = page_without_javascript
    page.goto("/alerts/?neighbourhood=normanton")
    assert_accessible_as_received(browser, live_server, page)

    page.get_by_text("Add more neighbourhoods").click()
    page.get_by_label("Alvaston").check()
    page.get_by_label("Once a day, in a digest").check()
    page.get_by_label("Email address").fill(RESIDENT)
    page.get_by_role("button", name="Sign up for alerts").click()

    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible_as_received(browser, live_server, page)
    subscriber = Subscriber.objects.get()
    assert subscriber.pending_choices["frequency"] == "daily"
    assert len(subscriber.pending_choices["neighbourhoods"]) == 2


def test_signing_up_from_the_footer_lists_every_division(page, normanton):
    NeighbourhoodFactory(name="Matlock", slug="matlock")
    page.goto("/")
    page.get_by_role("link", name="Get alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get email alerts")
    page.get_by_role("button", name="Sign up for alerts").click()
    expect(page.get_by_role("alert")).to_contain_text("Select at least one neighbourhood")
    assert_accessible(page)
    # The error's link leads to the first checkbox, in a division opened for it.
    page.get_by_role("alert").get_by_role("link", name="Select at least one neighbourhood").click()
    expect(page.get_by_label("Alvaston")).to_be_focused()
    assert_accessible(page)


def test_links_that_do_not_work_say_so_accessibly(page, normanton):
    expired = "expired-confirmation-link"
    Subscriber.objects.create(
        email="late@example.com",
        confirm_token_hash=token_hash(expired),
        confirm_sent_at=timezone.now() - datetime.timedelta(days=30),
    )
    pages = {
        "/alerts/confirm/not-a-real-link/": ("This link does not work", 404),
        f"/alerts/confirm/{expired}/": ("This link has expired", 410),
        "/alerts/manage/1:forged/": ("This link does not work", 404),
        "/alerts/unsubscribe/1:forged/": ("This link does not work", 404),
    }
    for url, (heading, status) in pages.items():
        page.goto(url)
        assert_accessible(page, h1=heading, status=status)
