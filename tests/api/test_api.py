import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern
from django.utils import timezone
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from api import urls as api_urls
from api.openapi import DOCUMENT
from config import caching
from engagement.models import Priority
from meetings.models import Event
from neighbourhoods.models import Neighbourhood
from officers.models import Assignment, Officer, Rank
from tests.factories import (
    AssignmentFactory,
    EventFactory,
    ForceFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    PriorityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LOCAL_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
NEIGHBOURHOOD_KEYS = {
    "id",
    "name",
    "url_force",
    "description",
    "population",
    "centre",
    "contact_details",
    "links",
    "locations",
}
LOCATION_KEYS = {
    "name",
    "type",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "description",
    "telephone",
}
EVENT_KEYS = {
    "title",
    "type",
    "description",
    "address",
    "contact_details",
    "start_date",
    "end_date",
}
PRIORITY_KEYS = {"issue", "issue-date", "action", "action-date"}
SCOPED_ENDPOINTS = ["", "/boundary", "/people", "/events", "/priorities"]
BAD_POINTS = ["abc", "91,0", "52.9", "nan,1", "0,181", "-90.5,0", "inf,0", "1,2,3", ""]


@pytest.fixture
def neighbourhood():
    return NeighbourhoodFactory(
        code="DC01",
        name="Derby City Centre",
        population=14200,
        centre_latitude=52.9225,
        centre_longitude=-1.4746,
        email="city.snt@example.police.uk",
        telephone="101",
        url_force="https://www.derbyshire.police.uk/derby-city-centre",
        social_links={"facebook": "https://facebook.example/dc", "twitter": "", "web": None},
        links=[{"url": "https://example.org/", "title": "Council", "description": "Local"}],
        locations=[
            {
                "name": "St Mary's Wharf",
                "type": "station",
                "address": "Prime Parkway, Derby",
                "postcode": "DE1 3AB",
                "latitude": 52.93,
                "longitude": -1.47,
            }
        ],
        description="<p>The team for the city centre.</p>",
    )


def _get(client, path: str, **params):
    return client.get(f"/api/{path}", params)


def _body(response):
    return json.loads(response.content)


def _response_validator(template: str) -> OAS31Validator:
    operation = DOCUMENT["paths"][template]["get"]
    schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
    return OAS31Validator({**schema, "components": DOCUMENT["components"]})


# --- Forces -----------------------------------------------------------------------------------


def test_forces_lists_each_force_by_id_and_name(client):
    ForceFactory(slug="derbyshire", name="Derbyshire Constabulary")
    ForceFactory(slug="leicestershire", name="Leicestershire Police")

    response = _get(client, "forces")

    assert response.status_code == 200
    assert _body(response) == [
        {"id": "derbyshire", "name": "Derbyshire Constabulary"},
        {"id": "leicestershire", "name": "Leicestershire Police"},
    ]


def test_force_detail_has_data_police_uk_keys_and_engagement_methods(client):
    ForceFactory(
        slug="derbyshire",
        description="<p>Keeping Derbyshire safe.</p>",
        url="https://www.derbyshire.police.uk/",
        engagement_methods=[
            {"url": "https://facebook.example/dp", "title": "Facebook", "description": "News"}
        ],
    )

    body = _body(_get(client, "forces/derbyshire"))

    assert set(body) == {
        "id",
        "name",
        "description",
        "url",
        "telephone",
        "engagement_methods",
    }
    assert body["id"] == "derbyshire"
    assert body["telephone"] == "101"
    assert body["engagement_methods"] == [
        {"url": "https://facebook.example/dp", "description": "News", "title": "Facebook"}
    ]


# --- Neighbourhoods ---------------------------------------------------------------------------


def test_neighbourhood_list_gives_code_and_name(client, neighbourhood):
    NeighbourhoodFactory(code="DC02", name="Normanton")

    body = _body(_get(client, "derbyshire/neighbourhoods"))

    assert body == [
        {"id": "DC01", "name": "Derby City Centre"},
        {"id": "DC02", "name": "Normanton"},
    ]


def test_neighbourhood_detail_has_exact_keys_and_string_numbers(client, neighbourhood):
    body = _body(_get(client, "derbyshire/DC01"))

    assert set(body) == NEIGHBOURHOOD_KEYS
    assert body["id"] == "DC01"
    assert body["population"] == "14200"
    assert body["centre"] == {"latitude": "52.9225", "longitude": "-1.4746"}
    assert body["links"] == [
        {"url": "https://example.org/", "title": "Council", "description": "Local"}
    ]
    assert body["description"] == "<p>The team for the city centre.</p>"


def test_neighbourhood_locations_have_every_key_and_string_coordinates(client, neighbourhood):
    [location] = _body(_get(client, "derbyshire/DC01"))["locations"]

    assert set(location) == LOCATION_KEYS
    assert location["latitude"] == "52.93"
    assert location["longitude"] == "-1.47"
    assert location["telephone"] is None


def test_neighbourhood_contact_details_hold_only_routes_with_a_value(client, neighbourhood):
    body = _body(_get(client, "derbyshire/DC01"))

    assert body["contact_details"] == {
        "email": "city.snt@example.police.uk",
        "telephone": "101",
        "facebook": "https://facebook.example/dc",
    }


def test_unknown_population_and_centre_are_null(client):
    NeighbourhoodFactory(
        code="NX1", population=None, centre_latitude=None, centre_longitude=None, boundary=None
    )

    body = _body(_get(client, "derbyshire/NX1"))

    assert body["population"] is None
    assert body["centre"] == {"latitude": None, "longitude": None}


# --- Boundary ---------------------------------------------------------------------------------


def test_boundary_is_the_outer_ring_as_string_coordinates(client):
    ring = [[-1.5, 52.9], [-1.4, 52.9], [-1.4, 53.0], [-1.5, 52.9]]
    hole = [[-1.46, 52.93], [-1.45, 52.93], [-1.45, 52.94], [-1.46, 52.93]]
    NeighbourhoodFactory(code="B1", boundary={"type": "Polygon", "coordinates": [ring, hole]})

    body = _body(_get(client, "derbyshire/B1/boundary"))

    assert body == [{"latitude": str(lat), "longitude": str(lng)} for lng, lat in ring]


def test_boundary_of_several_areas_gives_each_outer_ring_in_turn(client):
    first = [[0, 50], [1, 50], [1, 51], [0, 50]]
    second = [[2, 50], [3, 50], [3, 51], [2, 50]]
    NeighbourhoodFactory(
        code="B2", boundary={"type": "MultiPolygon", "coordinates": [[first], [second]]}
    )

    body = _body(_get(client, "derbyshire/B2/boundary"))

    assert [(p["longitude"], p["latitude"]) for p in body] == [
        (str(lng), str(lat)) for lng, lat in first + second
    ]


def test_boundary_is_empty_when_none_is_held(client):
    NeighbourhoodFactory(code="B3", boundary=None)

    assert _body(_get(client, "derbyshire/B3/boundary")) == []


# --- People -----------------------------------------------------------------------------------


def test_people_gives_name_rank_bio_and_contact_details(client, neighbourhood):
    AssignmentFactory(
        neighbourhood=neighbourhood,
        officer=OfficerFactory(
            display_name="Priya Sharma",
            rank=Rank.PC,
            bio="Born and bred in Derby.",
            email="priya.sharma@example.police.uk",
            phone="01332 123456",
        ),
    )

    assert _body(_get(client, "derbyshire/DC01/people")) == [
        {
            "name": "Priya Sharma",
            "rank": "Police Constable",
            "bio": "Born and bred in Derby.",
            "contact_details": {
                "email": "priya.sharma@example.police.uk",
                "telephone": "01332 123456",
            },
        }
    ]


def test_people_contact_details_leave_out_empty_routes(client, neighbourhood):
    AssignmentFactory(neighbourhood=neighbourhood, officer=OfficerFactory(email="", phone=""))

    [person] = _body(_get(client, "derbyshire/DC01/people"))

    assert person["contact_details"] == {}


def test_people_lists_only_current_assignments_named_officer_first(client, neighbourhood):
    today = timezone.localdate()
    AssignmentFactory(
        neighbourhood=neighbourhood,
        officer=OfficerFactory(display_name="Aaron Sergeant", rank=Rank.SGT),
        role=Assignment.Role.SERGEANT,
    )
    AssignmentFactory(neighbourhood=neighbourhood, officer=OfficerFactory(display_name="Zoe Named"))
    AssignmentFactory(
        neighbourhood=neighbourhood,
        officer=OfficerFactory(display_name="Gone Away"),
        role=Assignment.Role.TEAM_MEMBER,
        start_date=today - datetime.timedelta(days=90),
        end_date=today - datetime.timedelta(days=1),
    )

    body = _body(_get(client, "derbyshire/DC01/people"))

    assert [(p["name"], p["rank"]) for p in body] == [
        ("Zoe Named", "Police Constable"),
        ("Aaron Sergeant", "Sergeant"),
    ]


def test_people_never_expose_the_officers_account(client, neighbourhood):
    user = UserFactory(username="secret-login-name", email="private.account@example.com")
    AssignmentFactory(
        neighbourhood=neighbourhood,
        officer=OfficerFactory(user=user, email="public.desk@example.police.uk"),
    )

    text = _get(client, "derbyshire/DC01/people").content.decode()

    assert "public.desk@example.police.uk" in text
    assert "secret-login-name" not in text
    assert "private.account@example.com" not in text


# --- Events -----------------------------------------------------------------------------------


def test_events_have_data_police_uk_keys_and_joined_address(client, neighbourhood):
    EventFactory(
        neighbourhood=neighbourhood,
        title="Beat meeting",
        description="Tell us what matters.",
        venue_name="Community Centre",
        address="1 High Street, Derby",
        postcode="DE1 1AA",
    )

    [event] = _body(_get(client, "derbyshire/DC01/events"))

    assert set(event) == EVENT_KEYS
    assert event["type"] == "meeting"
    assert event["address"] == "Community Centre, 1 High Street, Derby, DE1 1AA"
    assert event["contact_details"] == {}
    assert LOCAL_DATETIME.match(event["start_date"])
    assert LOCAL_DATETIME.match(event["end_date"])


@pytest.mark.parametrize(
    ("event_type", "expected"),
    [
        (Event.Type.BEAT_MEETING, "meeting"),
        (Event.Type.BEAT_SURGERY, "meeting"),
        (Event.Type.PARTNERSHIP_MEETING, "meeting"),
        (Event.Type.STREET_BRIEFING, "street_briefing"),
        (Event.Type.COMMUNITY_EVENT, "community_event"),
    ],
)
def test_event_type_is_meeting_for_meetings_else_its_own_value(
    client, neighbourhood, event_type, expected
):
    EventFactory(neighbourhood=neighbourhood, event_type=event_type)

    [event] = _body(_get(client, "derbyshire/DC01/events"))

    assert event["type"] == expected


def test_event_times_are_uk_local_time_across_the_clock_change(client, neighbourhood, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC), tick=False)
    summer = datetime.datetime(2026, 7, 1, 18, tzinfo=datetime.UTC)
    winter = datetime.datetime(2026, 12, 1, 18, tzinfo=datetime.UTC)
    for starts_at in (summer, winter):
        EventFactory(
            neighbourhood=neighbourhood,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=1, minutes=30),
        )

    body = _body(_get(client, "derbyshire/DC01/events"))

    assert [(e["start_date"], e["end_date"]) for e in body] == [
        ("2026-07-01T19:00:00", "2026-07-01T20:30:00"),
        ("2026-12-01T18:00:00", "2026-12-01T19:30:00"),
    ]


def test_events_leave_out_past_and_cancelled_events(client, neighbourhood):
    now = timezone.now()
    EventFactory(neighbourhood=neighbourhood, title="Coming up")
    EventFactory(
        neighbourhood=neighbourhood,
        title="Last week",
        starts_at=now - datetime.timedelta(days=7),
        ends_at=now - datetime.timedelta(days=7) + datetime.timedelta(hours=1),
    )
    EventFactory(neighbourhood=neighbourhood, title="Called off", status=Event.Status.CANCELLED)

    body = _body(_get(client, "derbyshire/DC01/events"))

    assert [e["title"] for e in body] == ["Coming up"]


# --- Priorities -------------------------------------------------------------------------------


def test_priorities_are_escaped_html_with_hyphenated_dates(client, neighbourhood):
    PriorityFactory(
        neighbourhood=neighbourhood,
        issue="Cars <racing> & speeding",
        action="Speed watch",
        issue_date=datetime.date(2026, 3, 29),
        action_date=datetime.date(2026, 4, 2),
    )

    assert _body(_get(client, "derbyshire/DC01/priorities")) == [
        {
            "issue": "<p>Cars &lt;racing&gt; &amp; speeding</p>",
            "issue-date": "2026-03-29T00:00:00",
            "action": "<p>Speed watch</p>",
            "action-date": "2026-04-02T00:00:00",
        }
    ]


def test_priority_keys_are_present_and_null_when_unknown(client, neighbourhood):
    PriorityFactory(neighbourhood=neighbourhood, action="", action_date=None)

    [priority] = _body(_get(client, "derbyshire/DC01/priorities"))

    assert set(priority) == PRIORITY_KEYS
    assert priority["action"] is None
    assert priority["action-date"] is None
    assert LOCAL_DATETIME.match(priority["issue-date"])


def test_priorities_include_those_resolved_in_the_past_year(client, neighbourhood):
    today = timezone.localdate()
    PriorityFactory(neighbourhood=neighbourhood, issue="Still open", issue_date=today)
    PriorityFactory(
        neighbourhood=neighbourhood,
        issue="Done",
        action="Lighting fixed.",
        status=Priority.Status.RESOLVED,
        issue_date=today - datetime.timedelta(days=60),
        action_date=today - datetime.timedelta(days=10),
    )

    body = _body(_get(client, "derbyshire/DC01/priorities"))

    assert [p["issue"] for p in body] == ["<p>Still open</p>", "<p>Done</p>"]
    assert body[1]["action"] == "<p>Lighting fixed.</p>"
    assert body[1]["action-date"] == f"{today - datetime.timedelta(days=10)}T00:00:00"


def test_priorities_leave_out_those_resolved_over_a_year_ago(client, neighbourhood):
    today = timezone.localdate()
    PriorityFactory(neighbourhood=neighbourhood, issue="Still open")
    PriorityFactory(
        neighbourhood=neighbourhood,
        issue="Long done",
        status=Priority.Status.RESOLVED,
        issue_date=today - datetime.timedelta(days=500),
        action_date=today - datetime.timedelta(days=366),
    )

    body = _body(_get(client, "derbyshire/DC01/priorities"))

    assert [p["issue"] for p in body] == ["<p>Still open</p>"]


# --- Locate -----------------------------------------------------------------------------------


def test_locate_neighbourhood_gives_force_and_code_of_the_point(client, neighbourhood):
    NeighbourhoodFactory(code="FAR", centre_latitude=53.4, centre_longitude=-1.9)

    response = _get(client, "locate-neighbourhood", q="52.9225,-1.4746")

    assert response.status_code == 200
    assert _body(response) == {"force": "derbyshire", "neighbourhood": "DC01"}


def test_locate_neighbourhood_accepts_spaces_around_the_numbers(client, neighbourhood):
    response = _get(client, "locate-neighbourhood", q=" 52.9225 , -1.4746 ")

    assert _body(response) == {"force": "derbyshire", "neighbourhood": "DC01"}


def test_locate_outside_every_neighbourhood_is_a_json_404(client, neighbourhood):
    response = _get(client, "locate-neighbourhood", q="51.5,-0.12")

    assert response.status_code == 404
    assert "51.5,-0.12" in _body(response)["error"]


@pytest.mark.parametrize("q", BAD_POINTS)
def test_malformed_or_out_of_range_point_is_a_json_400(client, q):
    response = _get(client, "locate-neighbourhood", q=q)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert _body(response)["error"]


def test_locate_without_q_is_a_json_400(client):
    response = _get(client, "locate-neighbourhood")

    assert response.status_code == 400
    assert "q=" in _body(response)["error"]


# --- Errors and headers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "forces/nowhere",
        "nowhere/neighbourhoods",
        "nowhere/DC01",
        "nowhere/DC01/people",
        "derbyshire/XX99",
        "derbyshire/XX99/boundary",
        "derbyshire/XX99/events",
        "derbyshire/DC01/nonsense",
        "forces/",
        "derbyshire/DC%00",
    ],
)
def test_unknown_force_id_or_method_is_a_json_404(client, neighbourhood, path):
    response = _get(client, path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(_body(response)) == {"error"}


def test_unknown_force_and_unknown_id_say_which_was_wrong(client, neighbourhood):
    assert "force" in _body(_get(client, "nowhere/DC01"))["error"]
    assert "XX99" in _body(_get(client, "derbyshire/XX99"))["error"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_a_json_405(method, neighbourhood):
    response = getattr(Client(enforce_csrf_checks=True), method)("/api/derbyshire/DC01")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert _body(response)["error"]


def test_success_is_cors_open_and_cacheable_for_five_minutes(client, neighbourhood):
    response = _get(client, "derbyshire/DC01")

    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=300"


def test_errors_are_cors_open_and_cacheable_for_one_minute(client):
    for response in (_get(client, "forces/nowhere"), _get(client, "locate-neighbourhood")):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Cache-Control"] == "public, max-age=60"


def test_cors_preflight_allows_get_from_any_origin(client, neighbourhood):
    response = client.options(
        "/api/derbyshire/DC01",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"},
    )

    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]


def test_api_sets_no_cookie(client, neighbourhood):
    response = _get(client, "derbyshire/DC01")

    assert not response.cookies


# --- The demo data, end to end ----------------------------------------------------------------


def test_every_seeded_neighbourhood_answers_every_endpoint(client):
    call_command("seed_demo")
    neighbourhoods = list(Neighbourhood.objects.select_related("force"))
    assert len(neighbourhoods) >= 12

    for n in neighbourhoods:
        base = f"{n.force.slug}/{n.code}"
        responses = {suffix: _get(client, base + suffix) for suffix in SCOPED_ENDPOINTS}
        assert {s: r.status_code for s, r in responses.items()} == dict.fromkeys(
            SCOPED_ENDPOINTS, 200
        ), base
        detail = _body(responses[""])
        assert set(detail) == NEIGHBOURHOOD_KEYS
        assert isinstance(detail["population"], str)
        assert all(isinstance(v, str) for v in detail["centre"].values())
        boundary = _body(responses["/boundary"])
        assert len(boundary) >= 4
        assert all(isinstance(v, str) for point in boundary for v in point.values())
        for person in _body(responses["/people"]):
            assert set(person) == {"name", "rank", "bio", "contact_details"}
        events = _body(responses["/events"])
        assert events
        assert all(set(e) == EVENT_KEYS for e in events)
        assert all(LOCAL_DATETIME.match(e["start_date"]) for e in events)
        priorities = _body(responses["/priorities"])
        assert priorities
        assert all(set(p) == PRIORITY_KEYS for p in priorities)
        located = _get(
            client, "locate-neighbourhood", q=f"{n.centre_latitude},{n.centre_longitude}"
        )
        assert _body(located) == {"force": n.force.slug, "neighbourhood": n.code}


# --- SQL per request --------------------------------------------------------------------------


@pytest.fixture
def busy_neighbourhood(neighbourhood):
    """A neighbourhood with 300 upcoming events, 300 priorities and a team of 300."""
    now = timezone.now()
    today = timezone.localdate()
    Event.objects.bulk_create(
        Event(
            neighbourhood=neighbourhood,
            event_type=Event.Type.BEAT_MEETING,
            title=f"Meeting {i}",
            starts_at=now + datetime.timedelta(days=1, hours=i),
            ends_at=now + datetime.timedelta(days=1, hours=i + 1),
        )
        for i in range(300)
    )
    Priority.objects.bulk_create(
        Priority(neighbourhood=neighbourhood, issue=f"Issue {i}", issue_date=today)
        for i in range(300)
    )
    officers = Officer.objects.bulk_create(
        Officer(display_name=f"Officer {i}", rank=Rank.PCSO, email=f"o{i}@example.police.uk")
        for i in range(300)
    )
    Assignment.objects.bulk_create(
        Assignment(
            officer=officer,
            neighbourhood=neighbourhood,
            role=Assignment.Role.TEAM_MEMBER,
            start_date=today,
        )
        for officer in officers
    )
    caching.bump_public_content_version()
    return neighbourhood


@pytest.mark.parametrize(
    ("path", "queries", "items"),
    [
        ("derbyshire/DC01", 1, None),
        ("derbyshire/DC01/boundary", 1, None),
        ("derbyshire/DC01/people", 2, 300),
        ("derbyshire/DC01/events", 2, 300),
        ("derbyshire/DC01/priorities", 2, 300),
    ],
)
def test_neighbourhood_endpoints_run_fixed_queries_on_a_busy_neighbourhood(
    client, busy_neighbourhood, django_assert_max_num_queries, path, queries, items
):
    with django_assert_max_num_queries(queries):
        response = _get(client, path)

    assert response.status_code == 200
    if items is not None:
        assert len(_body(response)) == items


def test_lists_run_fixed_queries_with_hundreds_of_neighbourhoods(
    client, neighbourhood, django_assert_max_num_queries
):
    Neighbourhood.objects.bulk_create(
        Neighbourhood(force=neighbourhood.force, code=f"N{i}", name=f"Area {i}", slug=f"area-{i}")
        for i in range(300)
    )
    caching.bump_boundaries_version()

    with django_assert_max_num_queries(1):
        forces = _get(client, "forces")
    with django_assert_max_num_queries(2):
        neighbourhoods = _get(client, "derbyshire/neighbourhoods")

    assert (forces.status_code, neighbourhoods.status_code) == (200, 200)
    assert len(_body(forces)) == 1
    assert len(_body(neighbourhoods)) == 301


# --- The OpenAPI document ---------------------------------------------------------------------


def _api_path_templates() -> set[str]:
    templates = set()
    for pattern in api_urls.urlpatterns:
        if isinstance(pattern, URLPattern) and pattern.name not in {"openapi", "not_found"}:
            route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))
            templates.add(f"/{route}")
    return templates


def _fill(template: str) -> tuple[str, dict]:
    path = (
        template.replace("{force}", "derbyshire")
        .replace("{neighbourhood}", "DC01")
        .replace("{division}", "derby-city")
    )
    params = {}
    for parameter in DOCUMENT["paths"][template]["get"].get("parameters", []):
        name = parameter["$ref"].rsplit("/", 1)[-1]
        spec = DOCUMENT["components"]["parameters"][name]
        # The open data's months default to the last 12; examples would age out of range.
        if spec["in"] == "query" and name not in {"from", "to"}:
            params[spec["name"]] = spec["schema"]["examples"][0]
    return path.lstrip("/"), params


def test_openapi_document_is_valid_openapi_3_1():
    validate(DOCUMENT)
    assert DOCUMENT["openapi"].startswith("3.1")


def test_openapi_document_is_served_as_json(client):
    response = _get(client, "openapi.json")

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert _body(response) == json.loads(json.dumps(DOCUMENT))


def test_every_api_url_is_in_the_openapi_document():
    assert _api_path_templates() == set(DOCUMENT["paths"])


def test_every_documented_path_answers_200_in_the_documented_shape(client):
    call_command("seed_demo")

    for template in DOCUMENT["paths"]:
        path, params = _fill(template)
        response = _get(client, path, **params)
        assert response.status_code == 200, template
        if template.endswith(".csv"):
            assert response["Content-Type"].startswith("text/csv"), template
            assert response.content.startswith(b"month,first_day,"), template
            continue
        _response_validator(template).validate(_body(response))


def test_errors_match_the_documented_error_body(client):
    error = OAS31Validator(
        {"$ref": "#/components/schemas/Error", "components": DOCUMENT["components"]}
    )

    for response in (
        _get(client, "forces/nowhere"),
        _get(client, "locate-neighbourhood", q="abc"),
        client.post("/api/forces"),
    ):
        error.validate(_body(response))
