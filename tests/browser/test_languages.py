"""The language switcher in Chromium, with and without JavaScript: choosing Welsh shows the
same page in Welsh and is remembered; choosing English goes back."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AssignmentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def neighbourhood():
    return AssignmentFactory(officer__display_name="Priya Sharma").neighbourhood


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_choosing_welsh_is_remembered_and_english_undoes_it(
    page, page_without_javascript, live_server, neighbourhood, javascript
):
    page = page if javascript else page_without_javascript
    page.goto(neighbourhood.get_absolute_url())
    switcher = page.get_by_role("navigation", name="Choose a language")
    expect(switcher.locator('[aria-current="true"]')).to_have_text("English")

    switcher.get_by_role("link", name="Cymraeg").click()

    assert page.url == f"{live_server.url}/cy{neighbourhood.get_absolute_url()}"
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", name="Eich swyddog a enwir")).to_be_visible()
    welsh_switcher = page.get_by_role("navigation", name="Dewis iaith")
    expect(welsh_switcher.locator('[aria-current="true"]')).to_have_text("Cymraeg")

    # Another English address, typed or followed from elsewhere, now opens in Welsh.
    page.goto("/events/")
    assert page.url == f"{live_server.url}/cy/events/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Digwyddiadau a chyfarfodydd bro")

    welsh_switcher = page.get_by_role("navigation", name="Dewis iaith")
    welsh_switcher.get_by_role("link", name="English").click()

    assert page.url == f"{live_server.url}/events/"
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    page.goto(neighbourhood.get_absolute_url())
    assert page.url == f"{live_server.url}{neighbourhood.get_absolute_url()}"
    expect(page.get_by_role("heading", name="Your named officer")).to_be_visible()


def test_the_character_count_speaks_welsh_on_a_welsh_page(page, neighbourhood):
    page.goto(f"/cy/neighbourhoods/{neighbourhood.slug}/contact/")

    page.get_by_label("Eich neges").fill("Helo")

    # The browser writes the number as Welsh does (Intl.NumberFormat("cy")).
    expect(page.locator(".govuk-character-count__status")).to_have_text(
        re.compile(r"^Mae gennych 1,?996 nod yn weddill$")
    )
    exit_button = page.locator("[data-module=govuk-exit-this-page]")
    expect(exit_button).to_have_attribute("data-i18n.activated", "Yn llwytho.")


@pytest.mark.parametrize(
    ("path", "current"), [("/cookies/", "English"), ("/cy/cookies/", "Cymraeg")]
)
def test_the_switcher_writes_both_languages_in_the_portal_font(page, path, current):
    """The language the page is in is plain text beside a link to the other: both in the font
    of the rest of the header, not the browser's default serif."""
    page.goto(path)
    switcher = page.locator(".portal-language-select")
    font = "(element) => getComputedStyle(element).fontFamily"

    here = switcher.locator('[aria-current="true"]')
    expect(here).to_have_text(current)
    other = switcher.get_by_role("link")

    assert here.evaluate(font) == other.evaluate(font)
    assert "serif" not in here.evaluate(font).replace("sans-serif", "")
