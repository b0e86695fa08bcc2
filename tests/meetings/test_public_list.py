"""The force-wide events list: filters with clear errors, pages, and a fixed cost."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from meetings.models import Event, Registration
from tests.factories import EventFactory, NeighbourhoodFactory
from tests.fixtures.clock import london
from tests.html import element, elements, hrefs, links, page_text, texts

pytestmark = pytest.mark.django_db

URL = reverse("meetings:list")


@pytest.fixture
def normanton():
    return NeighbourhoodFactory(name="Normanton", slug="normanton")


@pytest.fixture
def alvaston():
    return NeighbourhoodFactory(name="Alvaston", slug="alvaston")


def get(client, **params):
    return client.get(URL, params)


def test_lists_upcoming_events_by_start_with_their_details(client, normanton):
    later = EventFactory(
        neighbourhood=normanton,
        title="Fox Lane walkabout",
        event_type=Event.Type.STREET_BRIEFING,
        starts_at=timezone.now() + datetime.timedelta(days=9),
    )
    sooner = EventFactory(
        neighbourhood=normanton,
        title="Coffee with a cop",
        venue_name="Village Hall",
        address="1 High Street",
        postcode="DE23 6AA",
        starts_at=timezone.now() + datetime.timedelta(days=2),
    )

    page = get(client).content.decode()

    assert page.index("Coffee with a cop") < page.index("Fox Lane walkabout")
    assert sooner.get_absolute_url() in hrefs(page)
    assert later.get_absolute_url() in hrefs(page)
    assert "Beat meeting in Normanton" in page
    assert "Street briefing in Normanton" in page
    assert "Village Hall, 1 High Street, DE23 6AA" in page
    assert "2 upcoming events" in page


def test_event_time_reads_the_gov_uk_way_in_london_time(client, normanton):
    EventFactory(
        neighbourhood=normanton,
        starts_at=london(2027, 1, 12, 19),
        ends_at=london(2027, 1, 12, 20, 30),
    )

    page = get(client).content.decode()

    assert "Tuesday 12 January 2027 at 7pm" in texts(page, "time")
    assert "Tuesday 12 January 2027 at 7pm to 8:30pm" in page_text(page)


def test_past_and_cancelled_events_are_not_listed(client, normanton):
    EventFactory(neighbourhood=normanton, title="Still on")
    EventFactory(neighbourhood=normanton, title="Called off", status=Event.Status.CANCELLED)
    EventFactory(
        neighbourhood=normanton,
        title="Last month",
        starts_at=timezone.now() - datetime.timedelta(days=30),
    )

    page = get(client).content.decode()

    assert "Still on" in page
    assert "Called off" not in page
    assert "Last month" not in page


def test_full_event_is_tagged_full(client, normanton):
    event = EventFactory(neighbourhood=normanton, title="Small room", capacity=1)
    Registration.objects.create(event=event, name="A", email="a@example.com", cancel_token_hash="1")

    page = get(client).content.decode()

    assertInHTML('<strong class="govuk-tag govuk-tag--orange">Full</strong>', page)


def test_event_with_a_place_given_back_is_not_full(client, normanton):
    event = EventFactory(neighbourhood=normanton, title="Small room", capacity=1)
    Registration.objects.create(
        event=event,
        name="A",
        email="a@example.com",
        cancel_token_hash="1",
        cancelled_at=timezone.now(),
    )

    page = get(client).content.decode()

    assert "Full" not in texts(page, "strong")


def test_filters_by_neighbourhood(client, normanton, alvaston):
    EventFactory(neighbourhood=normanton, title="Normanton meeting")
    EventFactory(neighbourhood=alvaston, title="Alvaston meeting")

    page = get(client, neighbourhood="alvaston").content.decode()

    assert "Alvaston meeting" in page
    assert "Normanton meeting" not in page
    assert "1 upcoming event in Alvaston" in page


def test_filters_by_type(client, normanton):
    EventFactory(neighbourhood=normanton, title="The meeting")
    EventFactory(neighbourhood=normanton, title="The surgery", event_type=Event.Type.BEAT_SURGERY)

    page = get(client, type="beat_surgery").content.decode()

    assert "The surgery" in page
    assert "The meeting" not in page


def test_filters_by_london_days_including_both_ends(client, normanton):
    # 11:30pm on 9 June in London is 22:30 UTC: it belongs to 9 June, not 10 June.
    EventFactory(
        neighbourhood=normanton, title="Late on the 9th", starts_at=london(2030, 6, 9, 23, 30)
    )
    EventFactory(
        neighbourhood=normanton, title="Early on the 10th", starts_at=london(2030, 6, 10, 0, 30)
    )
    EventFactory(neighbourhood=normanton, title="On the 12th", starts_at=london(2030, 6, 12, 19))
    EventFactory(neighbourhood=normanton, title="On the 13th", starts_at=london(2030, 6, 13, 0, 0))

    page = get(client, **{"from": "2030-06-10", "to": "2030-06-12"}).content.decode()

    assert "Early on the 10th" in page
    assert "On the 12th" in page
    assert "Late on the 9th" not in page
    assert "On the 13th" not in page


def test_dates_typed_the_uk_way_are_understood(client, normanton):
    EventFactory(neighbourhood=normanton, title="In range", starts_at=london(2030, 6, 10, 19))
    EventFactory(neighbourhood=normanton, title="Out of range", starts_at=london(2030, 7, 10, 19))

    page = get(client, **{"from": "10/6/2030", "to": "11/6/2030"}).content.decode()

    assert "In range" in page
    assert "Out of range" not in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2030-06-12", "to": "2030-06-10"}, "The to date must be the same as or after"),
        ({"from": "not a date"}, "The from date must be a real date, like 6/10/2026"),
        ({"to": "2030-02-30"}, "The to date must be a real date, like 6/10/2026"),
        ({"neighbourhood": "atlantis"}, "Select a neighbourhood from the list"),
        ({"type": "rave"}, "Select a type of event from the list"),
        ({"from": "\x00"}, "The from date must be a real date"),
    ],
)
def test_bad_filters_get_a_clear_message_not_an_error(client, normanton, params, message):
    EventFactory(neighbourhood=normanton, title="Some meeting")

    response = get(client, **params)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "Some meeting" not in page


@pytest.mark.parametrize("number", ["99", "abc", "0"])
def test_a_page_that_is_not_there_says_so(client, normanton, number):
    EventFactory(neighbourhood=normanton)

    response = get(client, page=number)

    assert response.status_code == 404
    assert f"There is no page {number} in this list" in response.content.decode()


def test_long_lists_are_paginated_keeping_the_filters(client, normanton):
    start = timezone.now() + datetime.timedelta(days=1)
    for n in range(45):
        EventFactory(
            neighbourhood=normanton,
            title=f"Meeting {n:02d}",
            starts_at=start + datetime.timedelta(hours=n),
        )

    first = get(client, neighbourhood="normanton").content.decode()
    third = get(client, neighbourhood="normanton", page="3").content.decode()

    assert "Meeting 19" in first
    assert "Meeting 20" not in first
    assert "?neighbourhood=normanton&page=2" in hrefs(first)
    assert "Meeting 40" in third
    assert "Showing 41 to 45." in third


def test_no_events_says_so(client):
    page = get(client).content.decode()

    assert "No events found" in page
    assert "No events are planned at the moment." in page


def test_page_advertises_the_force_calendar_feed(client, settings):
    page = get(client).content.decode()
    feed = reverse("meetings:force_feed")

    assert element(
        element(page, "head"),
        "link",
        rel="alternate",
        type="text/calendar",
        title=f"Neighbourhood events, {settings.FORCE_NAME}",
        href=feed,
    )
    assertInHTML(
        f'<a class="govuk-link" href="{feed}">Subscribe to these events in your calendar</a>', page
    )


def test_page_filtered_to_a_neighbourhood_offers_its_own_feed(client, normanton):
    page = get(client, neighbourhood="normanton").content.decode()

    feed = reverse("meetings:neighbourhood_feed", kwargs={"slug": "normanton"})
    assert ("Subscribe to events in Normanton only", f"{feed}") in links(page)


def test_header_links_to_the_events_list(client):
    page = client.get("/").content.decode()

    assert ("Events", f"{URL}") in links(page)


def test_list_runs_a_fixed_number_of_queries_with_thousands_of_events(
    client, normanton, alvaston, django_assert_max_num_queries
):
    start = timezone.now() + datetime.timedelta(days=1)
    events = Event.objects.bulk_create(
        Event(
            neighbourhood=normanton if n % 2 else alvaston,
            event_type=Event.Type.BEAT_MEETING,
            title=f"Meeting {n}",
            starts_at=start + datetime.timedelta(hours=n),
            ends_at=start + datetime.timedelta(hours=n, minutes=45),
            capacity=2,
        )
        for n in range(3000)
    )
    Registration.objects.bulk_create(
        Registration(event=event, name="R", email=f"r{n}@example.com", cancel_token_hash=f"h{n}")
        for n, event in enumerate(events[:40])
    )

    with django_assert_max_num_queries(3):
        response = get(client, page="2")

    assert response.status_code == 200
    assert "3000 upcoming events" in response.content.decode()
    assert len(elements(response, "*", class_="govuk-heading-s")) == 20
