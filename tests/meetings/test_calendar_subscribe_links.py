"""Wherever a calendar feed is offered, a webcal:// link opens the calendar app to subscribe in
one step: the feed's own address (SITE_URL's host and the feed's path), with webcal:// for
https://, beside the link to copy."""

import pytest
from pytest_django.asserts import assertInHTML

from tests.factories import AssignmentFactory, NeighbourhoodFactory
from tests.html import hrefs, links

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://portal.example.police.uk"


@pytest.fixture
def normanton():
    area = NeighbourhoodFactory(name="Normanton", slug="normanton")
    AssignmentFactory(neighbourhood=area)
    return area


def test_neighbourhood_page_offers_to_subscribe_to_its_feed_in_the_calendar_app(client, normanton):
    page = client.get("/neighbourhoods/normanton/").content.decode()

    assertInHTML(
        '<a class="govuk-link" href="webcal://portal.example.police.uk/neighbourhoods/normanton/'
        'events.ics">Subscribe in your calendar app<span class="govuk-visually-hidden"> to '
        "Normanton events</span></a>",
        page,
    )
    # Beside the link to copy, which stays the feed's own address.
    assert any(
        href == "/neighbourhoods/normanton/events.ics"
        and text.startswith("Subscribe to Normanton events")
        for text, href in links(page)
    )
    assert page.index("Copy the link into your calendar app") < page.index("webcal://")


def test_events_list_offers_to_subscribe_to_the_force_feed_in_the_calendar_app(client):
    page = client.get("/events/").content.decode()

    assertInHTML(
        '<a class="govuk-link" href="webcal://portal.example.police.uk/events/calendar.ics">'
        'Subscribe in your calendar app<span class="govuk-visually-hidden"> to every event'
        "</span></a>",
        page,
    )
    assert "neighbourhoods/normanton/events.ics" not in page


def test_events_list_for_a_neighbourhood_offers_its_feed_too(client, normanton):
    page = client.get("/events/", {"neighbourhood": "normanton"}).content.decode()

    assert "webcal://portal.example.police.uk/events/calendar.ics" in hrefs(page)
    assertInHTML(
        '<a class="govuk-link" href="webcal://portal.example.police.uk/neighbourhoods/normanton/'
        'events.ics">subscribe in your calendar app<span class="govuk-visually-hidden"> to '
        "Normanton events only</span></a>",
        page,
    )


def test_a_site_on_plain_http_with_a_port_keeps_its_host_and_port(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"

    page = client.get("/events/").content.decode()

    assert "webcal://127.0.0.1:8000/events/calendar.ics" in hrefs(page)
