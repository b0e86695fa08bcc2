"""The area on a neighbourhood page, in Chromium: the boundary over a street map where JavaScript
runs and a tile server is set; the boundary's outline otherwise. No tile comes from the internet:
the tile server's requests are answered by the test (see tests/fixtures/browser.py)."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import NeighbourhoodFactory
from tests.fixtures.browser import (
    MAP_TILE_HOST,
    MAP_TILE_URL,
    MapPage,
    new_map_page,
)
from tests.waiting import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAP_NAME = "Map of the Derby City Centre neighbourhood boundary"
OUTLINE_NAME = "Outline of the Derby City Centre neighbourhood boundary"


@pytest.fixture
def neighbourhood():
    return NeighbourhoodFactory(name="Derby City Centre")


def _only_the_portal_and_the_tile_server_were_asked(map_page: MapPage, live_server) -> None:
    portal = live_server.url.split("://", 1)[1]
    assert map_page.hosts() <= {portal, MAP_TILE_HOST}, map_page.requested


def test_boundary_is_drawn_over_street_tiles_with_attribution(map_page, live_server, neighbourhood):
    page = map_page.page
    page.goto(neighbourhood.get_absolute_url())

    area_map = page.get_by_role("region", name=MAP_NAME)
    expect(area_map).to_be_visible()
    expect(page.locator(".leaflet-container")).to_have_count(1)
    # The boundary, as a path Leaflet drew, fitted to the map.
    expect(page.locator(".leaflet-overlay-pane svg path")).to_have_count(1)
    # Tiles came from the configured server, and showed.
    expect(page.locator("img.leaflet-tile-loaded").first).to_be_visible()
    tile_requests = map_page.tile_requests()
    assert tile_requests
    tile = re.escape(MAP_TILE_URL).replace(r"\{z\}/\{x\}/\{y\}", r"\d+/\d+/\d+")
    assert all(re.fullmatch(tile, url) for url in tile_requests), tile_requests
    # Tile servers want a Referer: they get the site's address, never the page's.
    assert {map_page.referers[url] for url in tile_requests} == {live_server.url + "/"}
    attribution = page.locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("© OpenStreetMap contributors")
    expect(attribution.get_by_role("link", name="OpenStreetMap")).to_have_attribute(
        "href", "https://www.openstreetmap.org/copyright"
    )
    # The map replaces the outline.
    expect(page.get_by_role("img", name=OUTLINE_NAME)).to_be_hidden()
    _only_the_portal_and_the_tile_server_were_asked(map_page, live_server)
    errors = [message.text for message in map_page.console if message.type == "error"]
    assert errors == []


def test_map_page_has_no_content_security_policy_violations(map_page, neighbourhood):
    page = map_page.page
    page.add_init_script(
        "window.cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " (e) => window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));"
    )
    page.goto(neighbourhood.get_absolute_url())
    expect(page.locator("img.leaflet-tile-loaded").first).to_be_visible()
    expect(page.locator(".leaflet-overlay-pane svg path")).to_have_count(1)

    assert page.evaluate("window.cspViolations") == []
    assert not [m.text for m in map_page.console if "Content Security Policy" in m.text]


def test_map_takes_visible_keyboard_focus_and_lets_it_go(map_page, neighbourhood):
    page = map_page.page
    page.goto(neighbourhood.get_absolute_url())
    area_map = page.get_by_role("region", name=MAP_NAME)
    expect(area_map).to_be_visible()

    # Reach the map from the zoom controls inside it, by keyboard: the map comes first.
    page.get_by_role("button", name="Zoom in").focus()
    page.keyboard.press("Shift+Tab")

    expect(area_map).to_be_focused()
    outline = area_map.evaluate(
        "el => [el.matches(':focus-visible'), getComputedStyle(el).outlineStyle,"
        " getComputedStyle(el).outlineWidth]"
    )
    assert outline == [True, "solid", "3px"]
    # Tab goes on through the map's controls and out of it: focus is not trapped.
    for _ in range(10):
        page.keyboard.press("Tab")
        if not area_map.evaluate("el => el.contains(document.activeElement)"):
            break
    assert not area_map.evaluate("el => el.contains(document.activeElement)")


def test_boundary_stays_on_the_map_when_tiles_fail(browser, live_server, settings, neighbourhood):
    settings.MAP_TILE_URL = MAP_TILE_URL
    map_page = new_map_page(browser, live_server, tile_status=503)
    page = map_page.page
    page.goto(neighbourhood.get_absolute_url())

    expect(page.get_by_role("region", name=MAP_NAME)).to_be_visible()
    wait_until(lambda: map_page.tile_requests())
    expect(page.locator(".leaflet-overlay-pane svg path")).to_have_count(1)
    expect(page.locator("img.leaflet-tile-loaded")).to_have_count(0)
    page.context.close()


def test_without_javascript_the_outline_shows(browser, live_server, settings, neighbourhood):
    settings.MAP_TILE_URL = MAP_TILE_URL
    map_page = new_map_page(browser, live_server, java_script_enabled=False)
    page = map_page.page
    page.goto(neighbourhood.get_absolute_url())

    expect(page.get_by_role("img", name=OUTLINE_NAME)).to_be_visible()
    expect(page.locator(".leaflet-container")).to_have_count(0)
    assert map_page.tile_requests() == []
    _only_the_portal_and_the_tile_server_were_asked(map_page, live_server)
    page.context.close()


def test_with_no_tile_server_set_the_outline_shows(browser, live_server, settings, neighbourhood):
    settings.MAP_TILE_URL = ""
    map_page = new_map_page(browser, live_server)
    page = map_page.page
    page.goto(neighbourhood.get_absolute_url())

    expect(page.get_by_role("img", name=OUTLINE_NAME)).to_be_visible()
    expect(page.locator(".leaflet-container")).to_have_count(0)
    # Leaflet is not even loaded.
    assert not [url for url in map_page.requested if "leaflet" in url]
    assert map_page.tile_requests() == []
    page.context.close()
