"""The portal in English and Welsh: every public page under /cy/, the switcher, the alternate
links, the remembered choice, the staff area in the chosen language at its one address, and
the English-only APIs."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertInHTML

from tests.html import element, elements, language, texts
from tests.test_urls_kept import HTML, ROWS, body, demo  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

# Public pages not yet in Welsh, by their first path segment or their templates' folder: they
# answer in English at one address only (tests.test_translations skips their templates).
ENGLISH_ONLY_FOR_NOW: tuple[str, ...] = ()

PUBLIC_PAGES = [
    row
    for row in ROWS
    if row.user is None
    and row.status == 200
    and row.content_type == HTML
    and not row.path.startswith(("/staff/", "/api/", "/open311/", "/admin/"))
    and not set(row.path.split("/")) & set(ENGLISH_ONLY_FOR_NOW)
]


def alternate_links(page: str) -> dict[str, str]:
    """The page's `<link rel="alternate">` to itself in each language, by language."""
    return {
        link.attrs["hreflang"]: link.attrs["href"]
        for link in elements(element(page, "head"), "link", rel="alternate", hreflang=True)
    }


def welsh(path: str) -> str:
    return f"/cy{path}"


def test_the_public_pages_are_many():
    """The table of public pages the tests below walk is the portal's, not an empty list."""
    assert len(PUBLIC_PAGES) >= 15


@pytest.mark.parametrize("row", [pytest.param(row, id=row.id) for row in PUBLIC_PAGES])
def test_every_public_page_answers_in_welsh_under_cy(demo, client, row):  # noqa: F811
    path = row.path.format(**demo)
    query = {key: value.format(**demo) for key, value in row.query.items()}

    response = client.get(welsh(path), query)

    page = body(response)
    assert response.status_code == 200, f"GET /cy{path}"
    assert language(page) == "cy"
    assert response["Content-Language"] == "cy"
    # The switcher: Cymraeg is the current language, English a link to this page in English.
    switcher = element(page, "nav", class_="portal-language-select")
    assert texts(switcher, "span", aria_current="true", lang="cy") == ["Cymraeg"]
    assert texts(switcher, "a", hreflang="en-GB", lang="en-GB", rel="alternate") == ["English"]
    # The alternate-language links name both versions of the same page.
    alternates = alternate_links(page)
    assert alternates["cy"].startswith(f"http://testserver/cy{path}")
    assert alternates["en-GB"].startswith(f"http://testserver{path}")
    assert alternates["x-default"].startswith(f"http://testserver{path}")


def test_an_english_page_says_english_and_links_to_welsh(client):
    response = client.get("/cookies/")

    page = response.content.decode()
    assert language(page) == "en-GB"
    assert "English" in texts(page, "span", aria_current="true", lang="en-GB")
    assertInHTML(
        '<a class="govuk-link" href="/language/cy/?next=/cookies/" hreflang="cy" lang="cy" '
        'rel="alternate">Cymraeg</a>',
        page,
    )
    assert alternate_links(page)["cy"] == "http://testserver/cy/cookies/"


def test_the_staff_area_keeps_its_one_address(client):
    response = client.get("/cy/staff/queries/?status=open")

    assert response.status_code == 302
    assert response["Location"] == "/staff/queries/?status=open"


def test_the_sign_in_page_follows_the_switcher_at_its_one_address(client):
    english = client.get("/staff/sign-in/").content.decode()
    client.get("/language/cy/", {"next": "/staff/sign-in/"})
    welsh_page = client.get("/staff/sign-in/")

    assert language(english) == "en-GB"
    assertInHTML(
        '<a class="govuk-link" href="/language/cy/?next=/staff/sign-in/" hreflang="cy" '
        'lang="cy" rel="alternate">Cymraeg</a>',
        english,
    )
    assert welsh_page.status_code == 200
    assert language(welsh_page.content.decode()) == "cy"
    assert welsh_page["Content-Language"] == "cy"
    # One address in both languages: no alternate versions to name to a search engine.
    assert alternate_links(english) == {}


def test_the_api_has_no_welsh_address(client):
    assert client.get("/api/forces").status_code == 200
    assert client.get("/cy/api/forces").status_code == 404


def test_a_welsh_404_is_in_welsh_layout(client):
    response = client.get("/cy/no-such-page/")

    assert response.status_code == 404
    assert language(response.content.decode()) == "cy"


def test_choosing_welsh_is_remembered_until_english_is_chosen(client):
    chose_welsh = client.get("/language/cy/", {"next": "/events/?page=2"})

    assert chose_welsh.status_code == 302
    assert chose_welsh["Location"] == "/cy/events/?page=2"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"
    # An English address of a public page now leads to its Welsh version...
    later = client.get("/privacy/")
    assert later.status_code == 302
    assert later["Location"] == "/cy/privacy/"
    # ...but not the staff area (shown in Welsh at its one address), nor the API.
    assert client.get("/staff/sign-in/").status_code == 200
    assert client.get("/api/forces").status_code == 200

    chose_english = client.get("/language/en-gb/", {"next": "/cy/privacy/"})

    assert chose_english["Location"] == "/privacy/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"
    assert client.get("/privacy/").status_code == 200


@pytest.mark.parametrize("next_url", ["https://elsewhere.example/", "//elsewhere.example/x"])
def test_the_switcher_never_leads_off_the_site(client, next_url):
    response = client.get("/language/cy/", {"next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/cy/"


def test_an_unknown_language_is_english(client):
    response = client.get("/language/xx/", {"next": "/cy/privacy/"})

    assert response["Location"] == "/privacy/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en-gb"


ENGLISH_ONLY_CHECK = """
import django
django.setup()
from django.test import Client
client = Client()
english = client.get("/cookies/").content.decode()
print("welsh-status", client.get("/cy/cookies/").status_code)
print("switcher", "portal-language-select" in english)
print("alternate", 'hreflang="cy"' in english)
print("lang", '<html lang="en-GB"' in english)
"""


def test_an_english_only_force_has_no_switcher_and_no_welsh_addresses():
    env = {**os.environ, "PORTAL_LANGUAGES": "en", "DJANGO_SETTINGS_MODULE": "config.settings.test"}

    run = subprocess.run(
        [sys.executable, "-c", ENGLISH_ONLY_CHECK],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=settings.BASE_DIR,
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split("\n")[:4] == [
        "welsh-status 404",
        "switcher False",
        "alternate False",
        "lang True",
    ]


def test_the_cached_neighbourhood_page_is_kept_apart_for_each_language(demo, client):  # noqa: F811
    path = "/neighbourhoods/derby-city-centre/"

    english = client.get(path).content.decode()
    welsh_page = client.get(welsh(path)).content.decode()

    assert "Your named officer" in english
    assert "Eich swyddog a enwir" in welsh_page
    assert "Your named officer" not in welsh_page


def test_a_welsh_request_leaves_no_welsh_behind_it(client):
    assert client.get("/cy/cookies/").status_code == 200

    assert translation.get_language() == "en-gb"
    assert reverse("cookies") == "/cookies/"


@pytest.mark.parametrize(
    "path",
    ["/performance/", "/performance/reports/", "/patrols/", "/asb/", "/police-and-crime-plan/"],
)
def test_the_performance_patrols_asb_and_plan_pages_have_welsh_addresses(demo, client, path):  # noqa: F811
    english = client.get(path)
    welsh_page = client.get(welsh(path))

    assert english.status_code == 200
    assert language(body(english)) == "en-GB"
    assert welsh_page.status_code == 200
    assert language(body(welsh_page)) == "cy"
    assert alternate_links(body(welsh_page))["en-GB"].startswith(f"http://testserver{path}")
