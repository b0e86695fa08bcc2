"""Finding a neighbourhood from the home page's one search box, without JavaScript."""

import pytest
from pytest_django.asserts import assertContains, assertInHTML, assertRedirects

from tests.factories import DivisionFactory, NeighbourhoodFactory, PostcodeFactory
from tests.html import element, hrefs, links

pytestmark = pytest.mark.django_db


@pytest.fixture
def normanton():
    neighbourhood = NeighbourhoodFactory(
        name="Normanton", slug="normanton", centre_latitude=52.9048, centre_longitude=-1.4816
    )
    PostcodeFactory(postcode="DE23 6AB", neighbourhood=neighbourhood)
    return neighbourhood


@pytest.mark.parametrize("typed", ["DE23 6AB", "de236ab", "  de23   6ab ", "De23 6Ab"])
def test_postcode_in_any_case_or_spacing_goes_straight_to_its_neighbourhood(
    client, normanton, typed
):
    response = client.get("/", {"q": typed}, follow=True)

    assertRedirects(response, "/neighbourhoods/normanton/")
    assertContains(response, '<h1 class="govuk-heading-xl">Normanton</h1>', html=True)


def test_place_name_lists_matching_neighbourhoods(client, normanton):
    NeighbourhoodFactory(name="Normanton-on-Soar")
    NeighbourhoodFactory(name="Alvaston")

    page = client.get("/", {"q": "normanton"}).content.decode()

    assert "2 neighbourhoods match “normanton”" in page
    assert "/neighbourhoods/normanton/" in hrefs(page)
    assert "Normanton-on-Soar" in page


def test_division_name_lists_its_neighbourhoods(client):
    division = DivisionFactory(name="Derby City")
    NeighbourhoodFactory(name="Allestree", division=division, force=division.force)

    page = client.get("/", {"q": "derby city"}).content.decode()

    assert "1 neighbourhood matches “derby city”" in page
    assert "Allestree" in page


def test_outward_code_lists_the_neighbourhoods_it_covers(client, normanton):
    page = client.get("/", {"q": "de23"}).content.decode()

    assert "1 neighbourhood matches “DE23”" in page
    assert "/neighbourhoods/normanton/" in hrefs(page)


def test_empty_search_asks_for_a_postcode_or_place(client):
    page = client.get("/", {"q": "  "}).content.decode()

    assert "There is a problem" in page
    assert ("Enter a postcode, or the name of your town or neighbourhood", "#id_q") in links(page)


def test_badly_formed_postcode_gets_its_own_message(client):
    page = client.get("/", {"q": "DE23 6"}).content.decode()

    assert "Enter a full postcode, like DE1 1AA" in page
    assert element(page, "input", name="q").attrs["aria-describedby"] == (
        "id_q_helptext id_q_error"
    )


def test_unknown_postcode_gets_its_own_message_and_a_way_forward(client, normanton):
    page = client.get("/", {"q": "DE99 9ZZ"}).content.decode()

    assert "We could not find DE99 9ZZ in the area" in page
    assert "Check the postcode" in page
    assert "call 101" in page
    assert "/neighbourhoods/normanton/" in hrefs(page)  # the list to choose from instead


def test_postcode_outside_every_neighbourhood_says_so(client):
    PostcodeFactory(postcode="NG1 1AA", neighbourhood=None)

    page = client.get("/", {"q": "ng1 1aa"}).content.decode()

    assert "NG1 1AA is not in an area" in page
    assert "Contact the police force for that area" in page
    assert "https://www.police.uk/pu/your-area/" in hrefs(page)


def test_unknown_place_gets_its_own_message(client, normanton):
    page = client.get("/", {"q": "Atlantis"}).content.decode()

    assert "No neighbourhood matches “Atlantis”" in page


def test_location_inside_a_neighbourhood_goes_to_it(client, normanton):
    response = client.get("/", {"lat": "52.9048", "lng": "-1.4816"}, follow=True)

    assertRedirects(response, "/neighbourhoods/normanton/")
    assertContains(response, '<h1 class="govuk-heading-xl">Normanton</h1>', html=True)


def test_location_outside_every_neighbourhood_says_so(client, normanton):
    page = client.get("/", {"lat": "51.5", "lng": "-0.12"}).content.decode()

    assert "Your location is not in an area" in page


@pytest.mark.parametrize(
    "params", [{"lat": "abc", "lng": "1"}, {"lat": "91", "lng": "0"}, {"lat": "nan", "lng": "1"}]
)
def test_unreadable_location_gets_a_message_not_an_error(client, params):
    response = client.get("/", params)

    assert response.status_code == 200
    assert "Your location could not be read" in response.content.decode()


def test_search_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for number in range(60):
        NeighbourhoodFactory(name=f"Derby {number}")

    with django_assert_max_num_queries(4):
        response = client.get("/", {"q": "derby"})

    assert response.status_code == 200
    assert "Derby 59" in response.content.decode()


def test_postcode_the_force_does_not_hold_points_to_police_uk(client, normanton, settings):
    settings.FORCE_NAME = "Derbyshire Constabulary"

    page = client.get("/", {"q": "sw1a 1aa"}).content.decode()

    assert any(
        href == "#id_q"
        and text.startswith(
            "We could not find SW1A 1AA in the area Derbyshire Constabulary polices"
        )
        for text, href in links(page)
    )
    assertInHTML(
        '<a class="govuk-link" href="https://www.police.uk/pu/your-area/">find your '
        "neighbourhood team on police.uk</a>",
        page,
    )
    assert "/neighbourhoods/normanton/" in hrefs(page)  # or choose from the list


def test_police_uk_address_is_a_setting(client, normanton, settings):
    settings.POLICE_UK_AREA_URL = "https://police.example/area/"

    page = client.get("/", {"q": "SW1A 1AA"}).content.decode()

    assert any(
        href == "https://police.example/area/" and text.startswith("find your neighbourhood team")
        for text, href in links(page)
    )
