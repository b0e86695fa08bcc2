"""An officer logs an abstraction on their phone in Chromium; a resident's query that arrives
meanwhile goes to the team and sergeant; the officer taps "I'm back now". And a sergeant
corrects an entry in a browser without JavaScript."""

import datetime
import re
from collections.abc import Callable
from contextlib import contextmanager

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from officers.models import Abstraction, Assignment
from queries.models import Query
from queries.services.resident import NAMED_OFFICER_AWAY
from tests.factories import PASSWORD, AssignmentFactory, NeighbourhoodFactory, OfficerFactory
from tests.fixtures.browser import assert_accessible, assert_accessible_as_received, new_page
from tests.form_data import fill_date

open_page = contextmanager(new_page)

# Expected dates are worked out from the clock the live server reads (tests/fixtures/clock.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("server_clock"),
]


@pytest.fixture
def team(officer_account, supervisor_account):
    area = NeighbourhoodFactory(name="Normanton", slug="normanton")
    priya = OfficerFactory(user=officer_account, display_name="Priya Sharma")
    AssignmentFactory(officer=priya, neighbourhood=area)
    sergeant = OfficerFactory(user=supervisor_account, display_name="Mark Riley")
    AssignmentFactory(officer=sergeant, neighbourhood=area, role=Assignment.Role.SERGEANT)
    return area, priya


def sign_in(page: Page, username: str, check: Callable[[Page], None]) -> None:
    page.goto("/staff/sign-in/")
    check(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Staff area")).to_be_visible()
    check(page)


def test_an_officer_logs_an_abstraction_and_a_new_query_goes_to_the_sergeant(
    page, team, browser, live_server
):
    area, priya = team
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "officer", assert_accessible)

    page.get_by_role("link", name="Abstractions", exact=True).click()
    expect(page.get_by_role("heading", name="Abstractions")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Log an abstraction").click()
    expect(page.get_by_role("heading", name="Log an abstraction")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Response cover").check()
    expect(page.get_by_label("Still away")).not_to_be_checked()
    page.get_by_label("Still away").check()
    page.get_by_role("button", name="Log the abstraction").click()

    expect(page.get_by_text("You are logged as away: response cover")).to_be_visible()
    assert_accessible(page)

    # A resident sends a query meanwhile, through the contact form.
    with open_page(browser, live_server) as resident:
        resident.goto(f"/neighbourhoods/{area.slug}/contact/")
        resident.get_by_label("Anti-social behaviour").check()
        resident.get_by_label("Your message").fill("Motorbikes on the playing field every night.")
        resident.get_by_label("Your name").fill("Sam Resident")
        resident.get_by_label("Email address").fill("sam@example.com")
        resident.get_by_label("Email", exact=True).check()
        resident.get_by_label("I agree that my details are used to answer my query").check()
        resident.get_by_role("button", name="Send your query").click()
        expect(resident.get_by_role("heading", name="Query sent")).to_be_visible()
    query = Query.objects.get()
    assert query.assigned_officer is None
    assert query.routing_reason == NAMED_OFFICER_AWAY

    # The sergeant finds it in their inbox, for the team rather than the officer away.
    with open_page(browser, live_server) as sergeant:
        sign_in(sergeant, "sergeant", assert_accessible)
        sergeant.goto("/staff/queries/")
        sergeant.get_by_role("link", name=query.reference).click()
        expect(sergeant.get_by_text("The neighbourhood team")).to_be_visible()
        expect(sergeant.get_by_text(f"Why: {NAMED_OFFICER_AWAY}")).to_be_visible()
        assert_accessible(sergeant)

    page.get_by_role("button", name="I\u2019m back now").click()
    expect(page.get_by_text("You are marked back in the neighbourhood")).to_be_visible()
    assert_accessible(page)
    assert not priya.is_abstracted()


def test_a_sergeant_corrects_an_entry_without_javascript(
    page_without_javascript, team, browser, live_server
):
    _area, priya = team
    page = page_without_javascript

    def check(page: Page) -> None:
        assert_accessible_as_received(browser, live_server, page)

    Abstraction.objects.create(
        officer=priya,
        reason=Abstraction.Reason.COURT,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    sign_in(page, "sergeant", check)
    page.goto("/staff/abstractions/")
    check(page)
    page.get_by_role("link", name="Correct").first.click()
    expect(page.get_by_role("heading", name="Correct an abstraction")).to_be_visible()
    check(page)

    page.get_by_label("Training").check()
    page.get_by_label("End time").fill("25:00")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a time")
    check(page)

    end = (timezone.now() - datetime.timedelta(minutes=30)).astimezone(datetime.UTC)
    expect(page.get_by_label("Back on a date")).to_be_checked()
    fill_date(page, "End date", timezone.localtime(end).date())
    page.get_by_label("End time").fill(timezone.localtime(end).strftime("%H:%M"))
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text("The abstraction is corrected")).to_be_visible()
    check(page)

    page.goto("/staff/abstractions/report/")
    expect(page.get_by_role("heading", name="Abstractions report")).to_be_visible()
    check(page)
    assert priya.abstractions.get().reason == Abstraction.Reason.TRAINING


def test_an_officer_back_on_a_date_is_away_those_hours_only(page, team):
    """An end given is the end kept: with "Still away" chosen as well the form says which to
    choose; then the report counts the 7 hours, not every hour since the start."""
    _area, priya = team
    day = timezone.localdate() - datetime.timedelta(days=2)
    sign_in(page, "officer", lambda page: None)
    page.goto("/staff/abstractions/new/")

    page.get_by_label("Court").check()
    fill_date(page, "Start date", day)
    page.get_by_label("Start time").fill("9am")
    page.get_by_label("Still away").check()
    fill_date(page, "End date", day)
    page.get_by_label("End time").fill("4pm")
    page.get_by_role("button", name="Log the abstraction").click()

    message = "Either choose “Back on a date” or remove the end date and time"
    expect(page.get_by_role("alert")).to_contain_text(message)
    assert_accessible(page)
    assert not priya.abstractions.exists()
    page.get_by_role("link", name=message).click()
    expect(page.get_by_label("Still away")).to_be_focused()

    page.get_by_label("Back on a date").check()
    page.get_by_role("button", name="Log the abstraction").click()
    expect(page.get_by_text("Your court abstraction is logged")).to_be_visible()
    expect(page.get_by_text("You are logged as away")).to_have_count(0)

    page.goto("/staff/abstractions/report/")
    expect(page.get_by_role("heading", name=re.compile(": 7 hours in the last"))).to_be_visible()
    assert_accessible(page)
    entry = priya.abstractions.get()
    assert entry.ends_at - entry.starts_at == datetime.timedelta(hours=7)
