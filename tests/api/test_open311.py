"""Open311 through the test client: keys (hashed, revocable, issued in the admin), each client's
rate limit, placing a request by postcode, the urgent-words flag and source staff see, what a
request never shows, and the specification's errors for everything else, never a 5xx."""

import datetime
import hashlib
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from api.demo import DEMO_API_KEY
from api.models import Open311Client
from api.open311.openapi import DOCUMENT as OPEN311_DOCUMENT
from notifications.models import OutboxEmail
from officers.models import Abstraction
from queries.models import Query, QueryEvent
from queries.services.resident import NAMED_OFFICER_AWAY
from tests.api.open311_data import open311_area, request_fields
from tests.queries.factories import QueryFactory
from tests.test_generated_input import any_text, rolled_back

pytestmark = pytest.mark.django_db

REQUESTS = "/open311/v2/requests.json"
URGENT = "Someone is trying to break in to my neighbour's house right now, please come"


@pytest.fixture
def area():
    return open311_area(requests_per_hour=3)


def post(client, key: str, fmt: str = "json", **changes):
    return client.post(f"/open311/v2/requests.{fmt}", request_fields(key, **changes))


def created(response) -> Query:
    assert response.status_code == 201, response.content
    return Query.objects.get(reference=response.json()[0]["service_request_id"])


def error(response) -> str:
    errors = response.json()
    assert [e["code"] for e in errors] == [response.status_code]
    return errors[0]["description"]


# --- Keys -----------------------------------------------------------------------------------------


def test_a_key_is_stored_only_as_its_hash(area):
    stored = Open311Client.objects.get()

    assert stored.key_hash == hashlib.sha256(area.key.encode()).hexdigest()
    assert area.key not in str(Open311Client.objects.values().get())


def test_a_post_needs_no_csrf_token_but_always_a_key(area):
    strict = Client(enforce_csrf_checks=True)

    assert created(post(strict, area.key)).source == "Open311: Derby Council app"
    assert "api_key" in error(strict.post(REQUESTS, request_fields("")))
    assert Query.objects.count() == 1


def test_a_revoked_key_is_refused(client, area, administrator_account):
    client.force_login(administrator_account)
    stored = Open311Client.objects.get()

    client.post(
        "/admin/api/open311client/",
        {"action": "revoke", "_selected_action": [stored.pk]},
    )

    stored.refresh_from_db()
    assert stored.revoked_at is not None
    answer = post(Client(), area.key)
    assert answer.status_code == 403
    assert "not valid" in error(answer)
    assert not Query.objects.exists()


def test_an_administrator_issues_a_key_shown_once_that_works(client, administrator_account, area):
    client.force_login(administrator_account)

    page = client.post(
        "/admin/api/open311client/add/",
        {"name": "Civic app", "requests_per_hour": "10"},
        follow=True,
    ).content.decode()

    issued = Open311Client.objects.get(name="Civic app")
    shown = page.split("The api_key for Civic app is ")[1].split(" ")[0]
    assert hashlib.sha256(shown.encode()).hexdigest() == issued.key_hash
    assert issued.requests_per_hour == 10
    again = client.get(f"/admin/api/open311client/{issued.pk}/change/").content.decode()
    assert shown not in again
    assert created(post(Client(), shown)).source == "Open311: Civic app"


def test_an_officer_may_not_issue_keys(client, officer_account):
    client.force_login(officer_account)

    answer = client.post("/admin/api/open311client/add/", {"name": "Mine", "requests_per_hour": 9})

    assert answer.status_code == 302
    assert "/admin/login/" in answer["Location"]
    assert not Open311Client.objects.exists()


# --- Each client's rate limit ---------------------------------------------------------------------


def test_a_client_over_its_limit_is_told_429_and_other_clients_are_not(client, area):
    for _ in range(3):
        created(post(client, area.key))

    over = post(client, area.key, "xml")

    assert over.status_code == 429
    assert over["Retry-After"] == "3600"
    assert b"<errors><error><code>429</code>" in over.content
    assert Query.objects.count() == 3
    other = Open311Client.objects.create(
        name="Other", key_hash=hashlib.sha256(b"k" * 40).hexdigest()
    )
    assert created(post(client, "k" * 40)).source == f"Open311: {other.name}"


# --- Where the request is -------------------------------------------------------------------------


def test_an_address_with_a_postcode_places_the_request_in_its_neighbourhood(client, area):
    query = created(
        post(client, area.key, lat="", long="", address_string="12 Elm Road, Derby de12ab")
    )

    assert query.neighbourhood == area.neighbourhood


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"lat": "", "long": "", "address_string": "Elm Road, Derby"}, "postcode"),
        ({"lat": "", "long": "", "address_string": "1 High St, AB10 1XG"}, "outside"),
        ({"lat": "", "long": "", "address_string": "1 High St, ZZ9 9ZZ"}, "not known"),
        ({"lat": "", "long": ""}, "required"),
        ({"lat": "north", "long": "-1.47"}, "latitude"),
        ({"lat": "95", "long": "-1.47"}, "latitude"),
        ({"service_code": ""}, "service_code is required"),
        ({"email": "not an address"}, "email"),
        ({"email": "", "phone": ""}, "email"),
        ({"description": "x" * 5001}, "description"),
        ({"description": "nul\x00here"}, "description"),
    ],
)
def test_a_bad_field_is_a_400_in_the_specifications_format(client, area, changes, words):
    answer = post(client, area.key, **changes)

    assert answer.status_code == 400
    assert words in error(answer)
    assert not Query.objects.exists()


def test_a_request_with_a_phone_and_no_email_asks_for_a_call_back(client, area):
    query = created(post(client, area.key, email="", phone="01332 123456"))

    assert query.contact_preference == "phone"
    assert query.phone == "01332 123456"


# --- The same service as the web form -------------------------------------------------------------


def test_urgent_words_flag_the_query_and_the_team_is_told_at_once(client, area):
    query = created(post(client, area.key, description=URGENT))

    assert query.urgent_reasons
    assert query.events.filter(kind=QueryEvent.Kind.URGENT).exists()
    notice = OutboxEmail.objects.get(subject__startswith="Urgent words")
    assert "sergeant@example.police.uk" in notice.to


def test_a_named_officer_abstracted_now_leaves_the_query_to_the_team_and_sergeant(client, area):
    named = area.neighbourhood.assignments.get(role="named").officer
    Abstraction.objects.create(
        officer=named,
        reason=Abstraction.Reason.values[0],
        starts_at=timezone.now() - datetime.timedelta(hours=1),
    )

    query = created(post(client, area.key))

    assert query.assigned_officer is None
    assert query.routing_reason == NAMED_OFFICER_AWAY
    notice = OutboxEmail.objects.get(subject__contains="New query")
    assert "sergeant@example.police.uk" in notice.to


def test_the_list_runs_a_fixed_number_of_sql_queries(client, area, django_assert_max_num_queries):
    for _ in range(30):
        QueryFactory(neighbourhood=area.neighbourhood, source="Open311: Derby Council app")

    with django_assert_max_num_queries(3):
        listed = client.get("/open311/v2/requests.xml")

    assert listed.content.count(b"<request>") == 30


def test_staff_see_the_source_and_the_flag_of_an_open311_query(client, area, opcc_account):
    query = created(post(Client(), area.key, description=URGENT))
    client.force_login(opcc_account)

    inbox = client.get(reverse("queries_staff:inbox")).content.decode()
    page = client.get(query.get_absolute_url()).content.decode()

    assert "Open311: Derby Council app" in inbox
    assert "Urgent words" in inbox
    assert "Sent through" in page
    assert "Open311: Derby Council app" in page
    assert "which could not warn the resident to call 999" in page


def test_a_web_form_query_shows_it_came_through_the_portal(client, area, opcc_account):
    query = QueryFactory(neighbourhood=area.neighbourhood)
    client.force_login(opcc_account)

    page = client.get(query.get_absolute_url()).content.decode()

    assert "The portal\u2019s contact form" in page


# --- What a request shows -------------------------------------------------------------------------


def test_a_request_never_shows_the_residents_words_contact_or_staff_notes(client, area):
    query = created(post(client, area.key, phone="01332 123456"))
    now = timezone.now()
    query.events.create(kind=QueryEvent.Kind.NOTE, body="Known to us: CCTV log", created_at=now)
    query.events.create(kind=QueryEvent.Kind.REPLY, body="We will patrol Elm Road", created_at=now)
    Query.objects.filter(pk=query.pk).update(status=Query.Status.CLOSED, outcome="Warned the van")

    for path in (f"/open311/v2/requests/{query.reference}", "/open311/v2/requests"):
        for fmt in ("json", "xml"):
            body = client.get(f"{path}.{fmt}").content.decode()
            assert query.reference in body
            for private in ("Vans park", "Sam", "sam@example.com", "01332", "CCTV", "patrol"):
                assert private not in body
            assert "Warned" not in body
    detail = client.get(f"/open311/v2/requests/{query.reference}.json").json()[0]
    assert detail["status"] == "closed"
    assert detail["status_notes"] == "Closed by the neighbourhood team."


def test_a_web_form_query_is_not_listed_through_open311(client, area):
    query = QueryFactory(neighbourhood=area.neighbourhood)

    answer = client.get(f"/open311/v2/requests/{query.reference}.json")

    assert answer.status_code == 404
    assert client.get("/open311/v2/requests.json").json() == []


# --- Everything else is the specification's error, never a 5xx -----------------------------------


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/open311/v2/requests.json?start_date=yesterday", 400, "start_date"),
        ("/open311/v2/requests.json?end_date=2026-01-01T00:00:00", 400, "end_date"),
        (
            "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z"
            "&end_date=2026-06-01T00:00:00Z",
            400,
            "90 days",
        ),
        ("/open311/v2/requests.json?status=pending", 400, "status"),
        ("/open311/v2/requests.json?service_code=potholes", 404, "service_code"),
        ("/open311/v2/services/potholes.json", 404, "service_code"),
        ("/open311/v2/requests/DY-NOPE-NOP.json", 404, "service_request_id"),
        ("/open311/v2/services.json?jurisdiction_id=elsewhere", 404, "jurisdiction_id"),
        ("/open311/v2/services.html", 404, "formats"),
        ("/open311/v2/tokens/abc.json", 404, "no such"),
        ("/open311/v2/requests/%00.json", 404, "Not found"),
    ],
)
def test_bad_reads_get_the_specifications_errors(client, area, path, status, words):
    answer = client.get(path)

    assert answer.status_code == status
    assert words in error(answer)


def test_a_nul_character_in_a_filter_matches_nothing_rather_than_failing(client, area):
    reference = created(post(client, area.key)).reference

    answer = client.get("/open311/v2/requests.json", {"service_request_id": f"{reference}\x00"})

    assert answer.status_code == 200
    assert answer.json() == []
    both = client.get("/open311/v2/requests.json", {"service_request_id": f"\x00,{reference}"})
    assert [r["service_request_id"] for r in both.json()] == [reference]


def test_other_methods_are_405_in_the_format_asked(client):
    answer = client.put("/open311/v2/services.xml")

    assert answer.status_code == 405
    assert b"<code>405</code>" in answer.content
    assert answer["Allow"] == "GET, HEAD"


def test_the_discovery_document_names_the_endpoint_and_formats(client):
    found = client.get("/open311/v2/discovery.json").json()

    endpoint = found["endpoints"][0]
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["application/json", "text/xml"]
    xml = client.get("/open311/v2/discovery.xml").content
    assert b"<discovery>" in xml
    assert b"<formats><format>application/json</format><format>text/xml</format>" in xml


# --- The demo -------------------------------------------------------------------------------------


def test_the_demo_client_posts_with_the_key_the_readme_gives(client):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert f"api_key={DEMO_API_KEY}" in readme
    answer = client.post(
        REQUESTS,
        {
            "api_key": DEMO_API_KEY,
            "service_code": "asb",
            "lat": "52.9225",
            "long": "-1.4746",
            "description": "Motorbikes on the park paths every evening.",
            "first_name": "Jo",
            "email": "jo@example.com",
        },
    )
    query = created(answer)
    assert query.source == "Open311: FixMyStreet (demo)"
    assert Open311Client.objects.count() == 1


# --- Generated input ------------------------------------------------------------------------------


FIELDS = [
    "service_code",
    "lat",
    "long",
    "address_string",
    "description",
    "first_name",
    "last_name",
    "email",
    "phone",
    "jurisdiction_id",
]


@pytest.fixture
def roomy_area():
    return open311_area(requests_per_hour=100_000)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from(FIELDS), any_text(), max_size=4))
def test_any_fields_get_an_answer_in_the_specifications_format(client, roomy_area, fields):
    with rolled_back():
        answer = client.post(REQUESTS, {**request_fields(roomy_area.key), **fields})

    assert answer.status_code in (201, 400, 404), answer.content
    body = answer.json()
    assert body[0].get("service_request_id") or body[0]["description"]


# --- The OpenAPI document -------------------------------------------------------------------------


def _validator(path: str, method: str, status: str) -> OAS31Validator:
    schema = OPEN311_DOCUMENT["paths"][path][method]["responses"][status]["content"][
        "application/json"
    ]["schema"]
    return OAS31Validator({**schema, "components": OPEN311_DOCUMENT["components"]})


def test_the_open311_document_is_valid_openapi_and_linked_from_the_apis(client):
    validate(OPEN311_DOCUMENT)

    served = client.get("/open311/v2/openapi.json").json()
    assert served["paths"].keys() == OPEN311_DOCUMENT["paths"].keys()
    assert (
        "/open311/v2/openapi.json" in client.get("/api/openapi.json").json()["info"]["description"]
    )


def test_every_answer_has_the_shape_the_document_gives(client, area):
    reference = post(client, area.key).json()[0]["service_request_id"]
    checks = [
        ("/discovery.{format}", "get", "200", "/open311/v2/discovery.json"),
        ("/services.{format}", "get", "200", "/open311/v2/services.json"),
        ("/services/{service_code}.{format}", "get", "200", "/open311/v2/services/asb.json"),
        ("/services/{service_code}.{format}", "get", "404", "/open311/v2/services/x.json"),
        ("/requests.{format}", "get", "200", "/open311/v2/requests.json"),
        ("/requests.{format}", "get", "400", "/open311/v2/requests.json?status=x"),
        (
            "/requests/{service_request_id}.{format}",
            "get",
            "200",
            f"/open311/v2/requests/{reference}.json",
        ),
    ]
    for template, method, status, path in checks:
        answer = client.get(path)
        assert str(answer.status_code) == status, path
        _validator(template, method, status).validate(answer.json())
    _validator("/requests.{format}", "post", "201").validate(post(client, area.key).json())
    _validator("/requests.{format}", "post", "403").validate(post(client, "nope").json())
