"""Neighbourhoods in Welsh: their Welsh names and descriptions on the Welsh pages and in the
finder, the English marked lang="en" where none is written, and the admin's Welsh fields beside
the English ones only where the force has Welsh switched on."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from pytest_django.asserts import assertInHTML

from config.roles import Role
from engagement.models import Survey
from neighbourhoods.models import Neighbourhood
from officers.models import Officer
from tests.factories import NeighbourhoodFactory
from tests.html import element, hrefs, link_texts, title

pytestmark = pytest.mark.django_db

ENGLISH_ONLY = override_settings(LANGUAGES=[("en-gb", "English")])


@pytest.fixture
def centre():
    return NeighbourhoodFactory(
        name="Derby City Centre",
        name_cy="Canol Dinas Derby",
        slug="derby-city-centre",
        description="<p>The team for the city centre.</p>",
        description_cy="",
    )


@pytest.fixture
def administrator(make_account, client):
    account = make_account(Role.ADMINISTRATOR, username="root")
    client.force_login(account)
    return account


def text(response) -> str:
    return response.content.decode()


def test_the_welsh_page_has_the_welsh_name_and_the_english_description_marked(client, centre):
    page = text(client.get("/cy/neighbourhoods/derby-city-centre/"))

    assertInHTML('<h1 class="govuk-heading-xl">Canol Dinas Derby</h1>', page)
    assert "Canol Dinas Derby" in title(page)
    assertInHTML(
        '<div class="govuk-body" lang="en"><p>The team for the city centre.</p></div>', page
    )


def test_the_english_page_is_unchanged(client, centre):
    page = text(client.get("/neighbourhoods/derby-city-centre/"))

    assertInHTML('<h1 class="govuk-heading-xl">Derby City Centre</h1>', page)
    assertInHTML('<div class="govuk-body"><p>The team for the city centre.</p></div>', page)
    assert "Canol" not in page


def test_a_neighbourhood_without_welsh_is_named_in_english_marked_as_such(client):
    NeighbourhoodFactory(name="Normanton", slug="normanton")

    page = text(client.get("/cy/neighbourhoods/normanton/"))

    assertInHTML('<h1 class="govuk-heading-xl"><span lang="en">Normanton</span></h1>', page)


def test_the_finder_finds_a_welsh_name_and_lists_it_in_welsh(client, centre):
    NeighbourhoodFactory(name="Normanton", slug="normanton", division=centre.division)
    other = NeighbourhoodFactory(name="Canolbury", slug="canolbury", division=centre.division)

    page = text(client.get("/cy/", {"q": "Canol"}))

    assert "Canol Dinas Derby" in link_texts(page)
    assert other.get_absolute_url() in hrefs(page) or "Canolbury" in page
    assertInHTML('<span lang="en">Normanton</span>', page)


def test_the_admin_shows_the_welsh_beside_the_english(client, administrator, centre):
    page = text(client.get(f"/admin/neighbourhoods/neighbourhood/{centre.pk}/change/"))

    assert element(page, "input", name="name_cy").attrs["lang"] == "cy"
    row = next(
        box for box in element(page, "input", name="name").ancestors if "form-row" in box.classes
    )
    assert element(row, "input", name="name_cy")


def test_an_administrator_writes_the_welsh_name_and_it_shows(client, administrator, centre):
    page = text(client.get(f"/admin/neighbourhoods/neighbourhood/{centre.pk}/change/"))
    assert element(page, "input", name="name_cy")
    data = {
        "force": centre.force_id,
        "division": centre.division_id or "",
        "code": centre.code,
        "name": centre.name,
        "name_cy": "Canol y Ddinas",
        "slug": centre.slug,
        "description": centre.description,
        "description_cy": "<p>Y tîm.</p><script>alert(1)</script>",
        "social_links": "{}",
        "links": "[]",
        "locations": "[]",
        "boundary": "null",
    }

    response = client.post(f"/admin/neighbourhoods/neighbourhood/{centre.pk}/change/", data)

    assert response.status_code == 302, text(response)[:3000]
    centre.refresh_from_db()
    assert centre.name_cy == "Canol y Ddinas"
    assert "<script>" not in centre.description_cy
    welsh = text(client.get("/cy/neighbourhoods/derby-city-centre/"))
    assertInHTML('<h1 class="govuk-heading-xl">Canol y Ddinas</h1>', welsh)


@ENGLISH_ONLY
def test_an_english_only_force_s_admin_has_no_welsh_fields(client, administrator, centre):
    page = text(client.get(f"/admin/neighbourhoods/neighbourhood/{centre.pk}/change/"))

    assert "_cy" not in page
    assert Neighbourhood.objects.get().name_cy == "Canol Dinas Derby"


def test_the_demo_shows_welsh_content_beside_english_fallbacks_and_seeds_it_once(client):
    call_command("seed_demo")
    call_command("seed_demo")

    centre = text(client.get("/cy/neighbourhoods/derby-city-centre/"))
    normanton = text(client.get("/cy/neighbourhoods/normanton/"))
    survey = Survey.objects.get(question_cy="Ar beth ddylen ni ganolbwyntio nesaf?")

    assertInHTML('<h1 class="govuk-heading-xl">Canol Dinas Derby</h1>', centre)
    assert "Swyddog a enwir: eich pwynt cyswllt cyntaf" in centre
    assert "Ymddygiad gwrthgymdeithasol gan grwpiau o bobl ifanc gyda’r nos" in centre
    assert "Cyfarfod bro Canol Dinas Derby" in centre
    assertInHTML('<span lang="en">Shoplifting from local convenience stores</span>', centre)
    assertInHTML('<h1 class="govuk-heading-xl"><span lang="en">Normanton</span></h1>', normanton)
    assert "Mae tîm plismona’r gymdogaeth ar gyfer Normanton" in normanton
    assert Officer.objects.exclude(responsibilities_cy="").count() == 1
    assert list(survey.options.values_list("label_cy", flat=True))[:2] == [
        "Ymddygiad gwrthgymdeithasol",
        "Goryrru a pharcio",
    ]
