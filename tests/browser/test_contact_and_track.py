"""A resident contacts their neighbourhood team and follows the query, in Chromium, with and
without JavaScript."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from queries.models import Query, QueryEvent
from tests.factories import AssignmentFactory
from tests.fixtures.browser import assert_accessible, assert_accessible_as_received

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def neighbourhood():
    return AssignmentFactory(
        officer__display_name="Priya Sharma", neighbourhood__name="Derby City Centre"
    ).neighbourhood


def contact_and_follow_up(
    page: Page, neighbourhood, check_accessible: Callable[[Page], None] = assert_accessible
) -> None:
    page.goto(neighbourhood.get_absolute_url())
    page.get_by_role("button", name="Contact your neighbourhood team").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Contact your neighbourhood team")
    expect(
        page.get_by_text("In an emergency, or if someone is in danger, call 999")
    ).to_be_visible()
    check_accessible(page)
    page.get_by_label("Road safety").check()
    page.get_by_label("Your message").fill("Cars race along Fox Lane after midnight.")
    page.get_by_label("Your name").fill("Sam Resident")
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("I agree that my details are used to answer my query").check()
    page.get_by_role("button", name="Send your query").click()

    expect(page.get_by_role("heading", name="Query sent")).to_be_visible()
    query = Query.objects.get()
    expect(page.get_by_text(query.reference)).to_be_visible()
    expect(page.get_by_text(re.compile(r"We will reply by \w+day \d+ \w+ at "))).to_be_visible()
    expect(
        page.get_by_text("Keep this link: it is the only way to see replies without the email")
    ).to_be_visible()
    check_accessible(page)

    page.locator("a[href*='/queries/track/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your query {query.reference}")
    expect(page.get_by_text("Cars race along Fox Lane after midnight.")).to_be_visible()
    check_accessible(page)

    page.get_by_label("Your message").fill("It happened again last night.")
    page.get_by_role("button", name="Send message").click()

    expect(page.get_by_text("Your message has been sent to the neighbourhood team")).to_be_visible()
    expect(page.get_by_text("It happened again last night.")).to_be_visible()
    check_accessible(page)
    assert query.events.filter(kind=QueryEvent.Kind.RESIDENT_MESSAGE).count() == 1

    # The link was shown once; the confirmation seen again gives the reference only.
    page.goto("/contact/sent/")
    expect(page.get_by_text(query.reference)).to_be_visible()
    expect(page.get_by_text("We have emailed you the private link")).to_be_visible()
    expect(page.locator("a[href*='/queries/track/']")).to_have_count(0)
    check_accessible(page)


def test_resident_sends_a_query_and_follows_it_up(page, neighbourhood):
    contact_and_follow_up(page, neighbourhood)


def test_resident_sends_a_query_and_follows_it_up_without_javascript(
    page_without_javascript, neighbourhood, browser, live_server
):
    contact_and_follow_up(
        page_without_javascript,
        neighbourhood,
        lambda page: assert_accessible_as_received(browser, live_server, page),
    )


def test_mistakes_are_listed_in_the_summary_and_its_links_take_focus(page, neighbourhood):
    page.goto(f"/neighbourhoods/{neighbourhood.slug}/contact/")
    page.get_by_label("Your name").fill("Sam Resident")
    page.get_by_role("button", name="Send your query").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Select what your query is about")
    expect(summary).to_contain_text("Enter your message")
    expect(summary).to_contain_text("Agree to the privacy notice to send your query")
    assert_accessible(page)

    summary.get_by_role("link", name="Enter your message").click()
    expect(page.get_by_label("Your message")).to_be_focused()
    summary.get_by_role("link", name="Select what your query is about").click()
    expect(page.get_by_label("Anti-social behaviour")).to_be_focused()
    assert Query.objects.count() == 0


def test_email_is_checked_as_the_resident_leaves_the_field(page, neighbourhood):
    page.goto(f"/neighbourhoods/{neighbourhood.slug}/contact/")

    page.get_by_label("Email address").fill("not-an-address")
    page.get_by_label("Telephone number").focus()

    expect(page.get_by_text("Enter an email address in the correct format")).to_be_visible()
    assert_accessible(page)
    assert Query.objects.count() == 0


def test_an_emergency_typed_into_the_form_brings_the_999_warning_before_sending(
    page, neighbourhood
):
    page.goto(f"/neighbourhoods/{neighbourhood.slug}/contact/")
    page.get_by_label("Anti-social behaviour").check()
    page.get_by_label("Your message").press_sequentially(
        "Someone is trying to break in next door right now", delay=10
    )

    warning = page.locator("#urgency")
    expect(warning).to_contain_text("Your message may describe an emergency")
    expect(warning).to_contain_text("call 999 now")
    assert not Query.objects.exists()
    assert_accessible(page)

    page.get_by_label("Your name").fill("Sam Resident")
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("I agree that my details are used to answer my query").check()
    page.get_by_label("It is not an emergency: send my query").check()
    page.get_by_role("button", name="Send your query").click()

    expect(page.get_by_role("heading", name="Query sent")).to_be_visible()
    assert Query.objects.get().urgent_reasons == ["Crime in progress"]
