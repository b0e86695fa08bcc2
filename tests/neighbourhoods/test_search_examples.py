"""The postcodes the pages give as examples are found in the demo, so a resident trying the
portal's own example lands on a neighbourhood, not on "not found"."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from neighbourhoods.models import Neighbourhood
from tests.html import element

pytestmark = pytest.mark.django_db

POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}\b")


@pytest.fixture
def demo():
    call_command("seed_demo")


def search(client, postcode: str):
    return client.get("/", {"q": postcode})


def test_the_hint_gives_an_example_postcode(client):
    page = client.get("/").content.decode()

    hint = element(page, "div", class_="govuk-hint", id="id_q_helptext")

    assert POSTCODE.findall(hint.text)


def test_every_example_postcode_on_the_search_page_is_found_in_the_demo(client, demo):
    pages = [
        client.get("/").content.decode(),
        # The message for a postcode that is not whole gives one too.
        search(client, "DE23 6").content.decode(),
        # The contact form's search has the same hint.
        client.get(reverse("queries:contact_start")).content.decode(),
    ]
    examples = {postcode for page in pages for postcode in POSTCODE.findall(page)}

    assert "DE1 1AA" in examples
    for postcode in examples:
        response = search(client, postcode)
        assert response.status_code == 302, postcode
        assert response["Location"].startswith("/neighbourhoods/"), postcode
        contact = client.get(reverse("queries:contact_start"), {"q": postcode})
        assert contact["Location"].endswith("/contact/"), postcode


def test_every_postcode_a_demo_neighbourhood_page_shows_is_found_in_that_neighbourhood(
    client, demo
):
    for neighbourhood in Neighbourhood.objects.all():
        page = client.get(neighbourhood.get_absolute_url()).content.decode()
        shown = set(POSTCODE.findall(page))

        assert shown, neighbourhood.name
        for postcode in shown:
            assert search(client, postcode)["Location"] == neighbourhood.get_absolute_url()
