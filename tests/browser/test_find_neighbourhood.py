"""A resident finds their neighbourhood and who to contact, in Chromium."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from neighbourhoods.models import Postcode
from officers.models import Assignment
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    call_command("seed_demo")


def test_resident_types_a_postcode_and_reaches_the_named_officer(page, demo):
    postcode = Postcode.objects.filter(neighbourhood__code="DC01").first()
    named = Assignment.objects.get(neighbourhood__code="DC01", role="named").officer

    page.goto("/")
    assert_accessible(page)
    page.get_by_label("Postcode, town or neighbourhood").fill(
        postcode.postcode.lower().replace(" ", "")
    )
    page.get_by_role("button", name="Search").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Derby City Centre")
    expect(page.get_by_role("link", name=named.display_name)).to_be_visible()
    expect(page.get_by_role("link", name=named.email)).to_be_visible()
    assert_accessible(page)


def test_unknown_postcode_message_is_accessible_and_links_to_the_field(page, demo):
    page.goto("/")
    page.get_by_label("Postcode, town or neighbourhood").fill("SW1A 1AA")
    page.get_by_role("button", name="Search").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("We could not find SW1A 1AA in the area")
    expect(
        page.get_by_role("link", name="find your neighbourhood team on police.uk")
    ).to_have_attribute("href", "https://www.police.uk/pu/your-area/")
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("Postcode, town or neighbourhood")).to_be_focused()


def test_place_name_lists_matches_to_choose_from(page, demo):
    page.goto("/")
    page.get_by_label("Postcode, town or neighbourhood").fill("chesterfield")
    page.get_by_role("button", name="Search").click()

    page.get_by_role("link", name="Chesterfield Town Centre").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chesterfield Town Centre")


def test_use_my_location_finds_the_neighbourhood_containing_the_point(browser, live_server, demo):
    context = browser.new_context(
        geolocation={"latitude": 53.2570, "longitude": -1.9110}, permissions=["geolocation"]
    )
    page = context.new_page()
    page.goto(live_server.url + "/")

    page.get_by_role("button", name="Use my location").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Buxton")
    context.close()


def test_pages_may_ask_for_the_location_and_for_no_other_device(page):
    page.goto("/")

    allowed = page.evaluate("document.featurePolicy.allowedFeatures()")

    assert "geolocation" in allowed
    assert not {"camera", "microphone", "payment", "usb", "display-capture"} & set(allowed)


def test_neighbourhood_without_named_officer_is_accessible(page, demo):
    page.goto("/neighbourhoods/staveley/")

    expect(page.get_by_text("does not have a named officer at the moment")).to_be_visible()
    assert_accessible(page)
