"""The public pages and the styled error pages, through the test client."""

import pytest
from pytest_django.asserts import assertContains, assertInHTML

from tests.html import elements, texts

pytestmark = pytest.mark.django_db


def test_unknown_neighbourhood_is_a_styled_404(client):
    response = client.get("/neighbourhoods/nowhere/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Find your neighbourhood team" in response.content.decode()


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/fail/400/", 400, "Sorry, there is a problem with that request"),
        ("/fail/403/", 403, "You cannot use this page"),
        ("/fail/500/", 500, "Sorry, there is a problem with the service"),
    ],
)
def test_error_pages_are_styled_and_show_no_trace(client, url, status, heading):
    client.raise_request_exception = False

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == status
    assert heading in page
    assert "Traceback" not in page
    assert "deliberate failure" not in page


def test_expired_form_gets_a_styled_403(client):
    client.handler.enforce_csrf_checks = True

    response = client.post("/staff/sign-in/", {"username": "x", "password": "y"})

    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/accessibility/", "Accessibility statement"),
        ("/privacy/", "Privacy notice"),
        ("/cookies/", "Cookies"),
    ],
)
def test_footer_pages_are_public(client, url, heading):
    response = client.get(url)

    assert response.status_code == 200
    assertContains(response, f'<h1 class="govuk-heading-l">{heading}</h1>', html=True)


def test_cookie_notice_hides_and_returns_to_the_page(client):
    assert "Cookies on this site" in client.get("/privacy/").content.decode()

    response = client.post("/cookies/hide/", {"next": "/privacy/"})

    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    assert response.cookies["cookie_notice_seen"].value == "1"
    assert "Cookies on this site" not in client.get("/privacy/").content.decode()


def test_cookie_notice_never_redirects_to_another_site(client):
    response = client.post("/cookies/hide/", {"next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_pages_send_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    # Every script is a file (or data a script reads), none written into the page to run.
    assert not [
        script
        for script in elements(response, "script")
        if "src" not in script.attrs and script.attrs.get("type") != "application/json"
    ]


def test_privacy_page_says_how_long_unconfirmed_sign_ups_are_kept(client, settings):
    text = client.get("/privacy/").content.decode()
    assert f"not confirmed within {settings.CONFIRMATION_LINK_DAYS} days are deleted" in text
    assert "we keep your email address and your choices until you unsubscribe" in text
    assert "Copies of the alerts we send you, with your address, are kept for 30 days" in text


def test_privacy_notice_names_the_map_tile_server_residents_browsers_ask(client, settings):
    settings.MAP_TILE_URL = "https://{s}.tiles.example.police.uk/{z}/{x}/{y}.png"

    page = client.get("/privacy/").content.decode()

    assertInHTML('<h2 class="govuk-heading-m">Maps</h2>', page)
    assert "your browser fetches from tiles.example.police.uk" in page
    assert "That service sees your internet (IP) address" in page


def test_privacy_notice_says_nothing_of_maps_when_the_map_is_off(client, settings):
    settings.MAP_TILE_URL = ""

    page = client.get("/privacy/").content.decode()

    assert "Maps" not in texts(page, "h2")
    assert "How long we keep it" in page
