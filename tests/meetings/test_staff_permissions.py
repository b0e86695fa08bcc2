"""Who may use each page of the staff events area: officers of the neighbourhood, its sergeant
and administrators; never an officer of another neighbourhood, OPCC, an account without a role;
and a visitor is sent to sign in."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from config.roles import Role
from meetings.models import Event
from meetings.services.series import series_materialise
from officers.models import Assignment, Rank
from tests.factories import (
    AssignmentFactory,
    EventFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    SeriesFactory,
)
from tests.form_data import date_boxes

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(area):
    return EventFactory(neighbourhood=area, title="Normanton beat meeting")


@pytest.fixture
def past_event(area):
    start = timezone.now() - datetime.timedelta(days=2)
    return EventFactory(
        neighbourhood=area, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )


@pytest.fixture
def series(area):
    series = SeriesFactory(neighbourhood=area, title="Monthly beat meeting")
    series_materialise(series=series)
    return series


@pytest.fixture
def accounts(make_account):
    """Users who must be refused, by name."""
    elsewhere = make_account(Role.OFFICER, username="elsewhere")
    AssignmentFactory(officer=OfficerFactory(user=elsewhere), neighbourhood__name="Allenton")
    return {
        "officer of another neighbourhood": elsewhere,
        "OPCC": make_account(Role.OPCC, username="opcc"),
        "no role": make_account(username="norole"),
    }


REFUSED = ["officer of another neighbourhood", "OPCC", "no role"]


def event_pages(event: Event) -> list[tuple[str, str]]:
    base = f"/staff/events/{event.pk}"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/edit/"),
        ("post", f"{base}/edit/"),
        ("get", f"{base}/cancel/"),
        ("post", f"{base}/cancel/"),
        ("get", f"{base}/outcome/"),
        ("post", f"{base}/outcome/"),
        ("post", f"{base}/attendance/"),
        ("get", f"/staff/events/new/?from={event.pk}"),
    ]


@pytest.mark.parametrize("who", REFUSED)
def test_event_pages_refuse_anyone_who_does_not_manage_the_neighbourhood(
    client, accounts, past_event, who
):
    client.force_login(accounts[who])
    for method, url in event_pages(past_event):
        data = {"reason": "x", "title": "Mine now"} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (method, url)
        assert "You cannot use this page" in response.content.decode()
    past_event.refresh_from_db()
    assert past_event.status == Event.Status.SCHEDULED
    assert past_event.sequence == 0


@pytest.mark.parametrize("who", REFUSED)
def test_series_pages_refuse_anyone_who_does_not_manage_the_neighbourhood(
    client, accounts, series, who
):
    client.force_login(accounts[who])
    base = f"/staff/events/series/{series.pk}"
    for method, url in [
        ("get", f"{base}/"),
        ("get", f"{base}/edit/"),
        ("post", f"{base}/edit/"),
        ("get", f"{base}/end/"),
        ("post", f"{base}/end/"),
    ]:
        response = getattr(client, method)(
            url, {"reason": "Not mine"} if method == "post" else None
        )
        assert response.status_code == 403, (method, url)
    series.refresh_from_db()
    assert series.ended_at is None


@pytest.mark.parametrize("who", ["OPCC", "no role"])
def test_list_and_new_pages_refuse_accounts_that_are_not_officers(client, accounts, who):
    client.force_login(accounts[who])
    for method, url in [
        ("get", "/staff/events/"),
        ("get", "/staff/events/new/"),
        ("post", "/staff/events/new/"),
        ("get", "/staff/events/series/new/"),
        ("post", "/staff/events/series/new/"),
    ]:
        assert getattr(client, method)(url).status_code == 403, (method, url)


def test_visitor_is_sent_to_sign_in_from_every_page(client, past_event, series):
    pages = [
        *event_pages(past_event),
        ("get", "/staff/events/"),
        ("get", "/staff/events/new/"),
        ("post", "/staff/events/new/"),
        ("get", "/staff/events/series/new/"),
        ("get", f"/staff/events/series/{series.pk}/"),
        ("get", f"/staff/events/series/{series.pk}/edit/"),
        ("post", f"/staff/events/series/{series.pk}/end/"),
    ]
    for method, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith("/staff/sign-in/?next="), url


def test_officer_of_another_neighbourhood_cannot_create_an_event_there(client, accounts, area):
    client.force_login(accounts["officer of another neighbourhood"])

    response = client.post(
        "/staff/events/new/",
        {
            "neighbourhood": area.pk,
            "event_type": Event.Type.BEAT_MEETING,
            "title": "Not mine",
            **date_boxes("date", "2030-10-01"),
            "start_time": "19:00",
            "end_time": "20:00",
            "venue_name": "Hall",
        },
    )

    assert response.status_code == 200
    assert "Choose one of the neighbourhoods you look after" in response.content.decode()
    assert not Event.objects.exists()


def test_officer_of_another_neighbourhood_cannot_start_a_series_there(client, accounts, area):
    client.force_login(accounts["officer of another neighbourhood"])

    response = client.post(
        "/staff/events/series/new/",
        {
            "neighbourhood": area.pk,
            "event_type": Event.Type.BEAT_MEETING,
            "title": "Not mine",
            "repeat": "weekly",
            "weekday": "1",
            **date_boxes("first_date", "2030-10-01"),
            "start_time": "19:00",
            "end_time": "20:00",
            "venue_name": "Hall",
        },
    )

    assert "Choose one of the neighbourhoods you look after" in response.content.decode()
    assert not Event.objects.exists()


def test_list_shows_only_the_officer_s_own_neighbourhoods(client, accounts, event):
    theirs = EventFactory(neighbourhood=Assignment.objects.get().neighbourhood, title="Allenton")
    client.force_login(accounts["officer of another neighbourhood"])

    page = client.get("/staff/events/").content.decode()

    assert theirs.title in page
    assert event.title not in page


def test_list_refuses_to_filter_to_a_neighbourhood_the_officer_does_not_manage(
    client, accounts, event
):
    client.force_login(accounts["officer of another neighbourhood"])

    page = client.get("/staff/events/?neighbourhood=normanton").content.decode()

    assert "Choose one of the neighbourhoods you look after" in page
    assert event.title not in page


@pytest.fixture
def sergeant(area, supervisor_account):
    officer = OfficerFactory(user=supervisor_account, rank=Rank.SGT)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.SERGEANT)
    return supervisor_account


@pytest.mark.parametrize("who", ["sergeant", "administrator_account"])
def test_sergeant_of_the_neighbourhood_and_administrator_use_every_page(
    client, request, past_event, series, who
):
    client.force_login(request.getfixturevalue(who))
    base = f"/staff/events/{past_event.pk}"
    headings = {
        f"{base}/": past_event.title,
        f"{base}/edit/": "Edit the event",
        f"{base}/cancel/": "Cancel the event",
        f"{base}/outcome/": "Record the outcome",
        f"/staff/events/new/?from={past_event.pk}": "Duplicate an event",
        "/staff/events/": "Events and beat meetings",
        "/staff/events/new/": "Add an event",
        "/staff/events/series/new/": "Add a repeating meeting",
        f"/staff/events/series/{series.pk}/": series.title,
        f"/staff/events/series/{series.pk}/edit/": "Edit the repeating meeting",
        f"/staff/events/series/{series.pk}/end/": "End the repeating meeting",
    }
    assert {url for method, url in event_pages(past_event) if method == "get"} <= set(headings)
    for url, heading in headings.items():
        assertContains(
            client.get(url),
            f'<h1 class="govuk-heading-xl">{heading}</h1>',
            html=True,
            msg_prefix=url,
        )


def test_a_sergeant_does_not_manage_a_neighbourhood_he_does_not_lead(client, sergeant):
    other = EventFactory(neighbourhood=NeighbourhoodFactory())
    client.force_login(sergeant)

    assert client.get(f"/staff/events/{other.pk}/").status_code == 403


def test_an_event_that_does_not_exist_is_not_found(client, sergeant):
    client.force_login(sergeant)

    assert client.get("/staff/events/999999/").status_code == 404
    assert client.get("/staff/events/new/?from=abc").status_code == 404
