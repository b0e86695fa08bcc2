"""'Exit this page' in Chromium: the button and the Escape key replace the page at once."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ELSEWHERE = "https://www.example.com/news"


def _arrive_from_elsewhere(page, path: str) -> None:
    page.goto(ELSEWHERE)
    page.goto(path)
    expect(page.get_by_role("button", name="Emergency Exit this page")).to_be_visible()


def test_escape_key_replaces_the_page_with_a_neutral_site(page):
    _arrive_from_elsewhere(page, "/privacy/")
    length_before = page.evaluate("history.length")

    page.keyboard.press("Escape")

    page.wait_for_url(settings.EXIT_PAGE_URL)
    expect(page.get_by_role("heading", name="Neutral site")).to_be_visible()
    # The portal page was replaced, not stacked: Back goes to where the resident came from.
    assert page.evaluate("history.length") == length_before
    page.go_back()
    assert page.url == ELSEWHERE


def test_exit_button_replaces_the_page_with_a_neutral_site(page):
    _arrive_from_elsewhere(page, "/")

    page.get_by_role("button", name="Emergency Exit this page").click()

    page.wait_for_url(settings.EXIT_PAGE_URL)
    page.go_back()
    assert page.url == ELSEWHERE


def test_exit_button_works_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False)
    context.route(
        settings.EXIT_PAGE_URL,
        lambda route: route.fulfill(content_type="text/html", body="<h1>Neutral site</h1>"),
    )
    page = context.new_page()
    page.goto(live_server.url + "/")

    page.get_by_role("button", name="Emergency Exit this page").click()

    page.wait_for_url(settings.EXIT_PAGE_URL)
    context.close()
