"""The API's <force>/<id>/events: data.police.uk's shape, with the organiser's contact details."""

import datetime
import json

import pytest
from django.utils import timezone
from openapi_schema_validator import OAS31Validator

from api.openapi import DOCUMENT
from meetings.models import Event
from officers.models import Officer, Rank
from tests.factories import EventFactory, NeighbourhoodFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENT_KEYS = {
    "title",
    "type",
    "description",
    "address",
    "contact_details",
    "start_date",
    "end_date",
}


@pytest.fixture
def neighbourhood():
    return NeighbourhoodFactory(code="DC01", name="Derby City Centre")


def events(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/derbyshire/DC01/events{query}")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def one_called_off(neighbourhood):
    now = timezone.now()
    EventFactory(
        neighbourhood=neighbourhood,
        title="Going ahead",
        starts_at=now + datetime.timedelta(days=1),
    )
    EventFactory(
        neighbourhood=neighbourhood,
        title="Called off",
        status=Event.Status.CANCELLED,
        cancelled_reason="The hall is flooded.",
        starts_at=now + datetime.timedelta(days=2),
    )


def validator() -> OAS31Validator:
    operation = DOCUMENT["paths"]["/{force}/{neighbourhood}/events"]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return OAS31Validator({**schema, "components": DOCUMENT["components"]})


def test_contact_details_are_the_organisers_public_email_and_telephone(client, neighbourhood):
    organiser = OfficerFactory(email="priya.sharma@example.police.uk", phone="01332 123456")
    EventFactory(neighbourhood=neighbourhood, organiser=organiser)

    [event] = events(client)

    assert set(event) == EVENT_KEYS
    assert event["contact_details"] == {
        "email": "priya.sharma@example.police.uk",
        "telephone": "01332 123456",
    }


def test_contact_details_never_give_the_organisers_account_email(client, neighbourhood):
    account = UserFactory(email="private.login@example.police.uk")
    EventFactory(
        neighbourhood=neighbourhood,
        organiser=OfficerFactory(email="", phone="101", user=account),
    )

    [event] = events(client)

    assert event["contact_details"] == {"telephone": "101"}


def test_contact_details_are_empty_without_an_organiser(client, neighbourhood):
    EventFactory(neighbourhood=neighbourhood, organiser=None)

    [event] = events(client)

    assert event["contact_details"] == {}


def test_cancelled_events_are_left_out(client, neighbourhood):
    EventFactory(neighbourhood=neighbourhood, title="Going ahead")
    EventFactory(
        neighbourhood=neighbourhood,
        title="Called off",
        status=Event.Status.CANCELLED,
        cancelled_reason="The hall is flooded.",
    )

    assert [e["title"] for e in events(client)] == ["Going ahead"]


def test_events_match_the_openapi_document(client, neighbourhood):
    EventFactory(neighbourhood=neighbourhood, organiser=OfficerFactory(phone="101"))
    EventFactory(neighbourhood=neighbourhood, organiser=None)

    body = events(client)

    validator().validate(body)
    assert len(body) == 2


def test_five_hundred_events_with_organisers_take_two_queries(
    client, neighbourhood, django_assert_max_num_queries
):
    officers = Officer.objects.bulk_create(
        Officer(
            display_name=f"Officer {i}",
            rank=Rank.PC,
            email=f"officer{i}@example.police.uk",
            phone=f"0133 {i:06d}",
        )
        for i in range(50)
    )
    now = timezone.now()
    Event.objects.bulk_create(
        Event(
            neighbourhood=neighbourhood,
            event_type=Event.Type.BEAT_MEETING,
            title=f"Meeting {i}",
            organiser=officers[i % len(officers)],
            status=Event.Status.CANCELLED if i % 10 == 0 else Event.Status.SCHEDULED,
            starts_at=now + datetime.timedelta(days=1, hours=i),
            ends_at=now + datetime.timedelta(days=1, hours=i + 1),
        )
        for i in range(500)
    )

    with django_assert_max_num_queries(2):
        body = events(client)
    with django_assert_max_num_queries(2):
        everything = events(client, "?include_cancelled=true")

    assert len(everything) == 500
    assert sum(e["cancelled"] for e in everything) == 50
    validator().validate(everything)
    assert len(body) == 450
    assert body[0]["contact_details"] == {  # meeting 1: meeting 0 is cancelled
        "email": "officer1@example.police.uk",
        "telephone": "0133 000001",
    }
    validator().validate(body)


# --- Cancelled events, on request -------------------------------------------------------------


def test_include_cancelled_lists_cancelled_events_flagged(client, one_called_off):
    body = events(client, "?include_cancelled=true")

    assert [(e["title"], e["cancelled"]) for e in body] == [
        ("Going ahead", False),
        ("Called off", True),
    ]
    assert all(set(e) == {*EVENT_KEYS, "cancelled"} for e in body)
    validator().validate(body)


def test_without_the_parameter_the_answer_is_data_police_uks(client, one_called_off):
    plain = client.get("/api/derbyshire/DC01/events")
    declined = client.get("/api/derbyshire/DC01/events?include_cancelled=false")

    assert declined.content == plain.content
    assert [e["title"] for e in json.loads(plain.content)] == ["Going ahead"]
    assert all(set(e) == EVENT_KEYS for e in json.loads(plain.content))


@pytest.mark.parametrize(
    "query",
    [
        "?include_cancelled=yes",
        "?include_cancelled=",
        "?include_cancelled=true&include_cancelled=true",
    ],
)
def test_include_cancelled_other_than_true_or_false_is_a_400(client, one_called_off, query):
    response = client.get(f"/api/derbyshire/DC01/events{query}")

    assert response.status_code == 400
    assert json.loads(response.content) == {"error": "include_cancelled must be true or false."}


def test_openapi_document_describes_include_cancelled():
    operation = DOCUMENT["paths"]["/{force}/{neighbourhood}/events"]["get"]
    parameter = DOCUMENT["components"]["parameters"]["include_cancelled"]

    assert {"$ref": "#/components/parameters/include_cancelled"} in operation["parameters"]
    assert parameter["in"] == "query"
    assert parameter["schema"]["enum"] == ["true", "false"]
    assert "400" in operation["responses"]
    assert "cancelled" not in DOCUMENT["components"]["schemas"]["Event"]["required"]
