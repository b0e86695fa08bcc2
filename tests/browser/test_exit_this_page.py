"""'Exit this page' in Chromium: the button and the Escape key replace the page at once."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import AssignmentFactory

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


def test_exit_this_page_is_gov_uk_frontend_s_own_module_made_without_errors(page):
    logged = []
    page.on("console", lambda message: logged.append(message.text))
    page.goto("/privacy/")

    root = page.locator('[data-module="govuk-exit-this-page"]')
    # Made once, by GOV.UK Frontend's own code: its mark, and the indicator it builds.
    expect(root).to_have_attribute("data-govuk-exit-this-page-init", "")
    expect(root.locator(".govuk-exit-this-page__indicator")).to_have_count(1)
    expect(page.get_by_text(HINT)).to_be_visible()
    assert logged == []


HINT = "Or press the Escape key, or Shift three times, to leave this site quickly."


def test_keyboard_hint_shows_only_where_the_keys_work(page, page_without_javascript):
    page_without_javascript.goto("/privacy/")
    expect(
        page_without_javascript.get_by_role("button", name="Emergency Exit this page")
    ).to_be_visible()
    # Without JavaScript the keys do nothing, so the page does not offer them.
    expect(page_without_javascript.get_by_text("press the Escape key")).to_be_hidden()

    page.goto("/privacy/")
    expect(page.get_by_text(HINT)).to_be_visible()


def test_shift_pressed_three_times_replaces_the_page_with_a_neutral_site(page):
    _arrive_from_elsewhere(page, "/privacy/")
    length_before = page.evaluate("history.length")
    page.get_by_role("heading", level=1).click()

    for _ in range(3):
        page.keyboard.press("Shift")

    page.wait_for_url(settings.EXIT_PAGE_URL)
    expect(page.get_by_role("heading", name="Neutral site")).to_be_visible()
    assert page.evaluate("history.length") == length_before
    page.go_back()
    assert page.url == ELSEWHERE


def test_shift_pressed_twice_announces_one_more_press_and_stays(page):
    page.goto("/privacy/")

    page.keyboard.press("Shift")
    page.keyboard.press("Shift")

    expect(
        page.get_by_role("status").filter(has_text="Shift, press 1 more time to exit.")
    ).to_be_attached()
    assert page.url.endswith("/privacy/")


@pytest.fixture
def contact_form_path():
    neighbourhood = AssignmentFactory().neighbourhood
    return reverse("queries:contact", kwargs={"slug": neighbourhood.slug})


def test_capital_letters_typed_with_shift_do_not_exit(page, contact_form_path):
    page.goto(contact_form_path)
    message = page.get_by_label("Your message")

    # Shift held for each capital, as a person types: Shift down, letter, Shift up.
    message.press_sequentially("ABC")
    for letter in "DEF":
        message.press(f"Shift+{letter}")

    expect(message).to_have_value("ABCDEF")
    assert page.url.endswith(contact_form_path)


def test_escape_exits_even_while_typing_in_a_text_area(page, contact_form_path):
    _arrive_from_elsewhere(page, contact_form_path)
    message = page.get_by_label("Your message")
    assert message.evaluate("element => element.tagName") == "TEXTAREA"
    message.press_sequentially("Someone is")

    message.press("Escape")

    page.wait_for_url(settings.EXIT_PAGE_URL)
    page.go_back()
    assert page.url == ELSEWHERE
