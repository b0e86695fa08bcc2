"""The OPCC's journey through the SLA dashboard in Chromium: open it, narrow it to one division
over 90 days (htmx swaps the panels; without JavaScript the form loads the page), read the trend
chart and its table, drill down to the breached queries and download them as CSV."""

import csv
import datetime
import io
import re
from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, DivisionFactory, NeighbourhoodFactory
from tests.fixtures.browser import assert_accessible, assert_accessible_as_received
from tests.form_data import fill_date
from tests.queries.factories import QueryFactory

# Expected dates are worked out from the clock the live server reads (tests/fixtures/clock.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("server_clock"),
]

HOUR = datetime.timedelta(hours=1)
BREACHED = "DY-BRCH-001"
ELSEWHERE = "DY-SOUTH-01"


@pytest.fixture
def force(opcc_account):
    north = DivisionFactory(name="Derby North", slug="derby-north")
    south = DivisionFactory(name="Derby South", slug="derby-south")
    normanton = NeighbourhoodFactory(name="Normanton", slug="normanton", division=north)
    alvaston = NeighbourhoodFactory(name="Alvaston", slug="alvaston", division=south)
    now = timezone.now()
    QueryFactory(neighbourhood=normanton, reference=BREACHED, submitted_at=now - 80 * HOUR)
    QueryFactory(neighbourhood=normanton, submitted_at=now - 5 * HOUR)
    QueryFactory(neighbourhood=alvaston, reference=ELSEWHERE, submitted_at=now - 90 * HOUR)
    QueryFactory(neighbourhood=alvaston, submitted_at=now - 40 * 24 * HOUR)
    return north


def weeks_in_the_last_90_days() -> int:
    """The London weeks, Monday to Sunday, that the last 90 days touch: 13 or 14."""
    today = timezone.localdate()
    first = today - datetime.timedelta(days=89)
    monday = first - datetime.timedelta(days=first.weekday())
    return (today - monday).days // 7 + 1


def sign_in_as_opcc(page: Page, check_accessible: Callable[[Page], None]) -> None:
    page.goto("/staff/sign-in/")
    check_accessible(page)
    page.get_by_label("Username").fill("opcc")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Staff area")).to_be_visible()
    check_accessible(page)


def choose_derby_north_over_90_days(page: Page) -> None:
    page.get_by_label("Last 90 days").check()
    page.get_by_label("Show figures for").select_option(label="Division: Derby North")
    page.get_by_role("button", name="Show figures").click()
    expect(page.locator("#dashboard-summary")).to_contain_text("Division: Derby North, ")
    expect(page).to_have_url(re.compile(r"[?&]scope=division%3Aderby-north(&|$)"))
    expect(page).to_have_url(re.compile(r"[?&]period=90(&|$)"))


def test_opcc_narrows_the_dashboard_drills_down_and_downloads(page, force):
    sign_in_as_opcc(page, assert_accessible)
    page.get_by_role("link", name="SLA and Guarantee dashboard").click()
    expect(page.get_by_role("heading", name="SLA and Guarantee dashboard")).to_be_visible()
    expect(page.locator("#dashboard-summary")).to_contain_text("Derbyshire Constabulary (demo)")
    assert_accessible(page)

    # A mistake in the dates is shown in the error summary, on the whole page.
    page.get_by_label("Choose dates").check()
    fill_date(page, "From date", datetime.date(2026, 1, 5))
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the to date")
    assert_accessible(page)

    # With JavaScript, htmx swaps the panels: the page itself is not loaded again.
    page.evaluate("window.stillTheSamePage = true")
    choose_derby_north_over_90_days(page)
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.get_by_role("status")).to_have_text(re.compile("Figures updated: Division"))
    assert_accessible(page)

    chart = page.get_by_role("img", name=re.compile("Responses due each week"))
    expect(chart).to_be_visible()
    weeks = page.get_by_role("table", name="Each week\u2019s figures")
    expect(weeks).to_be_visible()
    expect(weeks.get_by_role("row")).to_have_count(1 + weeks_in_the_last_90_days())

    page.get_by_role("link", name="1 breached and still open: list the queries").click()
    expect(page.get_by_role("heading", name="Queries breached and still open")).to_be_visible()
    expect(page.get_by_role("link", name=BREACHED)).to_be_visible()
    expect(page.get_by_text(ELSEWHERE)).to_have_count(0)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.startswith("dashboard-queries-breached-")
    with open(download.value.path(), encoding="utf-8") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert rows[0] == ["Reference", "Neighbourhood", "Topic", "Sent", "Due", "Status", "Officer"]
    assert [row[:3] for row in rows[1:]] == [[BREACHED, "Normanton", "Anti-social behaviour"]]


def test_the_same_change_works_without_javascript(
    page_without_javascript, force, browser, live_server
):
    page = page_without_javascript

    def check_accessible(page: Page) -> None:
        assert_accessible_as_received(browser, live_server, page)

    sign_in_as_opcc(page, check_accessible)
    page.get_by_role("link", name="SLA and Guarantee dashboard").click()
    check_accessible(page)

    choose_derby_north_over_90_days(page)
    expect(page.get_by_role("table", name="Each week\u2019s figures")).to_be_visible()
    check_accessible(page)

    page.get_by_role("link", name="1 breached and still open: list the queries").click()
    expect(page.get_by_role("link", name=BREACHED)).to_be_visible()
    check_accessible(page)
