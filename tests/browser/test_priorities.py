"""An officer adds a local priority, resolves it with what was done, and residents see it under
"You said, we did", in Chromium."""

import datetime

import pytest
from playwright.sync_api import expect

from engagement.models import Priority
from officers.models import Assignment, Rank
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory
from tests.fixtures.browser import assert_accessible, sign_in
from tests.form_data import fill_date

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def area(officer_account):
    area = NeighbourhoodFactory(name="Normanton", slug="normanton")
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma", rank=Rank.PC)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return area


def test_officer_adds_then_resolves_a_priority_and_residents_see_it(page, area):
    sign_in(page, "officer")
    assert_accessible(page)

    page.get_by_role("link", name="Local priorities", exact=True).click()
    expect(page.get_by_role("heading", name="Local priorities", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Add a priority").click()
    expect(page.get_by_role("heading", name="Add a priority")).to_be_visible()
    assert_accessible(page)

    # Sent empty: the error summary links to each field.
    page.get_by_role("button", name="Add priority").click()
    expect(page.get_by_role("link", name="Enter the issue")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Issue").fill("Cars parked on the pavement on Village Street")
    page.get_by_label("What we are doing").fill("Warning notices, then tickets.")
    page.get_by_label("In progress").check()
    fill_date(page, "Date raised", datetime.date(2026, 1, 5))
    page.get_by_role("button", name="Add priority").click()
    expect(page.get_by_text("The priority is added to Normanton.")).to_be_visible()
    expect(
        page.get_by_role("rowheader", name="Cars parked on the pavement on Village Street")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Update").first.click()
    expect(page.get_by_role("heading", name="Update a priority")).to_be_visible()
    page.get_by_label("Resolved").check()
    page.get_by_label("What we are doing").fill("")
    page.get_by_role("button", name="Save changes").click()
    expect(
        page.get_by_role("link", name="Enter what was done, to mark the priority resolved")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("What we are doing").fill("Double yellow lines painted; 14 tickets issued.")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("The priority is resolved.")).to_be_visible()
    assert Priority.objects.get().status == Priority.Status.RESOLVED

    page.goto(area.get_absolute_url())
    section = page.locator("h2#you-said-we-did")
    expect(section).to_have_text("You said, we did")
    expect(
        page.get_by_role("heading", name="You said: Cars parked on the pavement on Village Street")
    ).to_be_visible()
    expect(page.get_by_text("Double yellow lines painted; 14 tickets issued.")).to_be_visible()
    assert_accessible(page)
