"""The staff home as an officer with a public profile sees it, in Chromium."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, AssignmentFactory, OfficerFactory
from tests.fixtures.browser import assert_accessible
from tests.form_data import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
