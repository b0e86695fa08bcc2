"""The staff home as an officer with a public profile sees it, in Chromium."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from officers.models import Assignment, Rank
from tests.factories import PASSWORD, AssignmentFactory, OfficerFactory
from tests.fixtures.browser import assert_accessible
from tests.form_data import fill_date
from tests.queries.factories import QueryFactory

# Expected dates are worked out from the clock the live server reads (tests/fixtures/clock.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("server_clock"),
]


def test_officer_marks_themselves_away_and_the_page_stays_accessible(page, officer_account):
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma")
    AssignmentFactory(officer=officer)
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert_accessible(page)

    until = timezone.localdate() + datetime.timedelta(days=3)
    fill_date(page, "Away until (the last day you are away)", until)
    page.get_by_role("button", name="Save availability").click()

    expect(page.get_by_text(f"You are marked away until {until:%-d %B %Y}").first).to_be_visible()
    assert_accessible(page)


def test_sergeant_follows_an_overdue_count_to_the_inbox(page, supervisor_account):
    sergeant = OfficerFactory(user=supervisor_account, display_name="Mark Riley", rank=Rank.SGT)
    area = AssignmentFactory(officer=sergeant, role=Assignment.Role.SERGEANT).neighbourhood
    late = QueryFactory(
        neighbourhood=area,
        assigned_officer=OfficerFactory(),
        submitted_at=timezone.now() - datetime.timedelta(hours=80),
    )
    QueryFactory(neighbourhood=area, assigned_officer=OfficerFactory())
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill("sergeant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    supervised = page.locator("h3", has_text="In the neighbourhoods you supervise")
    expect(supervised).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="1 overdue").last.click()

    expect(
        page.get_by_role("heading", name="Overdue, in the neighbourhoods you supervise: 1 query")
    ).to_be_visible()
    expect(page.get_by_role("link", name=late.reference)).to_be_visible()
    expect(page.get_by_label("In the neighbourhoods you supervise")).to_be_checked()
    assert_accessible(page)
