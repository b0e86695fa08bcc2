"""In Chromium: the ASB lead updates the action plan and a resident reads it; a resident finds
whom to report ASB to without JavaScript; the OPCC publishes a plan priority and reads its
coverage on the dashboard."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from asb.models import Action
from crimeplan.models import PlanPriority
from tests.factories import PriorityFactory
from tests.fixtures.browser import (
    assert_accessible,
    assert_accessible_as_received,
    sign_in,
)
from tests.form_data import fill_date

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("server_clock"),
]


def test_the_asb_lead_updates_the_plan_and_a_resident_reads_it(
    page: Page, resident_page: Page, force_lead, actions
):
    sign_in(page, "asblead")
    page.get_by_role("link", name="Update the ASB action plan").click()
    expect(page.get_by_role("heading", name="ASB action plan", exact=True)).to_be_visible()
    assert_accessible(page, h1="ASB action plan")

    page.get_by_role("link", name="Change Evening patrols in the city centre").click()
    assert_accessible(page, h1="Change an action")
    page.get_by_role("group", name="Status").get_by_label("Done").check()
    page.get_by_label("Progress notes").fill("Patrols every weekend since June.")
    page.get_by_role("button", name="Save action").click()
    expect(page.get_by_text("Residents see it now")).to_be_visible()

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Section of the plan").select_option(label="Residential areas")
    page.get_by_label("Action", exact=True).fill("Joint visits with housing providers")
    page.get_by_label("A partner organisation").check()
    page.get_by_label("Partner organisation (if a partner owns it)").fill("Derby Homes")
    fill_date(page, "Due date", timezone.localdate() + datetime.timedelta(days=60))
    page.get_by_role("button", name="Save action").click()
    expect(page.get_by_text("Residents see it now")).to_be_visible()
    assert Action.objects.filter(title="Joint visits with housing providers").exists()

    resident_page.goto("/asb/")
    assert_accessible(resident_page, h1="Anti-social behaviour")
    expect(resident_page.get_by_text("Force lead for anti-social behaviour")).to_be_visible()
    patrols = resident_page.get_by_role("row", name="Evening patrols in the city centre")
    expect(patrols).to_contain_text("Done")
    expect(patrols).to_contain_text("Patrols every weekend since June.")
    visits = resident_page.get_by_role("row", name="Joint visits with housing providers")
    expect(visits).to_contain_text("Derby Homes")
    changes = resident_page.locator("#recent-changes")
    expect(changes).to_contain_text(
        "Evening patrols in the city centre (town centres). Status now done"
    )
    expect(changes).to_contain_text(
        "Joint visits with housing providers (residential areas). Added"
    )


def test_a_resident_finds_whom_to_report_to_without_javascript(
    page_without_javascript: Page, guide, browser, live_server
):
    page = page_without_javascript
    page.goto("/asb/")
    page.get_by_role("link", name="Who do I report this to?").click()
    expect(
        page.get_by_role("heading", name="What kind of behaviour do you want to report?")
    ).to_be_visible()
    assert_accessible_as_received(browser, live_server, page)

    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the kind of behaviour you want to report"
    )
    assert_accessible_as_received(browser, live_server, page)

    page.get_by_label("Threatening behaviour").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Who to report it to")).to_be_visible()
    assert page.url.endswith("/asb/report/threatening-behaviour/")
    warning = page.locator("#danger-now")
    expect(warning).to_contain_text("If someone is in danger now, call 999")
    headings = page.locator("h2.govuk-summary-card__title")
    expect(headings).to_have_text(["The police, on 101", "Your local council"])
    assert_accessible_as_received(browser, live_server, page)

    page.get_by_role("link", name="Back").click()
    expect(page.get_by_label("Threatening behaviour")).to_be_checked()


def test_opcc_publishes_a_plan_priority_and_reads_its_coverage(page: Page, opcc_account, area):
    plan_priority_served = None
    sign_in(page, "opcc")
    page.get_by_role("link", name="Publish the Police and Crime Plan").click()
    assert_accessible(page, h1="Police and Crime Plan")
    page.get_by_role("link", name="Publish a new plan").click()
    page.get_by_label("Title").fill("Police and Crime Plan 2024 to 2028")
    fill_date(page, "Start date", datetime.date(2024, 5, 13))
    fill_date(page, "End date", datetime.date(2028, 5, 31))
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("is published")).to_be_visible()

    page.get_by_role("link", name="Add a priority to Police and Crime Plan 2024 to 2028").click()
    assert_accessible(page, h1="Add a plan priority")
    page.get_by_label("Priority").fill("Neighbourhood crime and policing")
    page.get_by_label("Short description").fill("Tackling ASB where people live.")
    page.get_by_role("button", name="Publish priority").click()
    expect(page.get_by_text("“Neighbourhood crime and policing” is published")).to_be_visible()

    plan_priority_served = PlanPriority.objects.get(title="Neighbourhood crime and policing")
    plan_priority_served.neighbourhood_priorities.add(PriorityFactory(neighbourhood=area))

    page.goto("/staff/dashboard/")
    page.get_by_role("link", name="Police and Crime Plan coverage").click()
    page.get_by_role("button", name="Show figures").click()
    row = page.get_by_role("row", name="Neighbourhood crime and policing")
    expect(row.locator('[data-label="Neighbourhoods working on it"]')).to_have_text("1")
    expect(row.locator('[data-label="Current priorities"]')).to_have_text("1")
    assert_accessible(page, h1="Police and Crime Plan coverage")
