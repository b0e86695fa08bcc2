"""Open311 GeoReport v2 driven by a client nobody here wrote: the `georeport` package from PyPI
reads services, definitions and requests (JSON and XML) from the running portal. It cannot post
(its authors left creation out), so requests are posted as any client posts them: a form-encoded
POST over HTTP with `requests`, read back with `xmltodict` for the XML form."""

import datetime

import pytest
import requests
import xmltodict
from georeport import GeoReport

from notifications.models import OutboxEmail
from queries import clock
from queries.models import Query, Topic
from tests.api.open311_data import OUTSIDE, open311_area, request_fields

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def area():
    return open311_area()


@pytest.fixture
def base(live_server) -> str:
    return f"{live_server.url}/open311/v2"


def post(base: str, fmt: str = "json", **fields) -> requests.Response:
    return requests.post(f"{base}/requests.{fmt}", data=fields, timeout=30)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_lists_the_query_topics_as_services(area, base, fmt):
    services = GeoReport(base, output_format=fmt).get_service_list()

    assert [s["service_code"] for s in services] == list(Topic.values)
    road = next(s for s in services if s["service_code"] == "road_safety")
    assert road["service_name"] == "Road safety"
    assert road["metadata"] in (False, "false")
    assert road["type"] == "realtime"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_reads_a_service_definition(area, base, fmt):
    definition = GeoReport(base, output_format=fmt).get_service_definition("drugs")

    assert definition["service_code"] == "drugs"
    assert not definition["attributes"]


def test_a_request_posted_with_a_key_is_a_query_the_client_reads_back(area, base):
    answer = post(base, **request_fields(area.key))

    assert answer.status_code == 201, answer.text
    reference = answer.json()[0]["service_request_id"]
    query = Query.objects.get(reference=reference)
    assert query.neighbourhood == area.neighbourhood
    assert query.source == "Open311: Derby Council app"
    assert query.name == "Sam Resident"
    # Routed, on the clock, and the resident confirmed by email, as from the web form.
    assert query.assigned_officer.email == "named@example.police.uk"
    assert query.due_at == query.submitted_at + clock.target()
    assert OutboxEmail.objects.filter(to=["sam@example.com"]).exists()

    client = GeoReport(base)
    read = client.get_service_request(reference)
    assert read["service_request_id"] == reference
    assert read["status"] == "open"
    assert read["service_code"] == "road_safety"
    # ISO 8601 with the offset, to the second.
    assert datetime.datetime.fromisoformat(read["expected_datetime"]) == query.due_at.replace(
        microsecond=0
    )
    assert read["requested_datetime"][-6:] in ("+00:00", "+01:00")
    assert "Normanton" in read["agency_responsible"]
    everything = str(read)
    for private in ("Vans park", "Sam", "sam@example.com", "Resident"):
        assert private not in everything

    as_xml = GeoReport(base, output_format="xml").get_service_request(reference)
    assert as_xml["service_request_id"] == reference
    assert as_xml["status"] == "open"


def test_the_client_lists_requests_with_each_filter(area, base):
    first = post(base, **request_fields(area.key)).json()[0]["service_request_id"]
    second = post(base, **request_fields(area.key, service_code="drugs")).json()[0][
        "service_request_id"
    ]
    Query.objects.filter(reference=second).update(status=Query.Status.CLOSED)
    client = GeoReport(base)

    assert {r["service_request_id"] for r in client.get_service_requests()} == {first, second}
    assert [r["service_request_id"] for r in client.get_service_requests(service_code="drugs")] == [
        second
    ]
    assert [r["service_request_id"] for r in client.get_service_requests(status="open")] == [first]
    assert [r["service_request_id"] for r in client.get_service_requests(status="closed")] == [
        second
    ]
    assert [
        r["service_request_id"] for r in client.get_service_requests(service_request_id=first)
    ] == [first]
    assert (
        client.get_service_requests(
            start_date="2020-01-01T00:00:00Z", end_date="2020-02-01T00:00:00Z"
        )
        == []
    )

    listed = GeoReport(base, output_format="xml").get_service_requests(status="closed")
    assert listed["service_request_id"] == second
    assert listed["status"] == "closed"
    assert listed["expected_datetime"] is None


def test_a_post_in_xml_answers_xml(area, base):
    answer = post(base, "xml", **request_fields(area.key))

    assert answer.status_code == 201
    assert answer.headers["Content-Type"].startswith("text/xml")
    created = xmltodict.parse(answer.content)["service_requests"]["request"]
    assert Query.objects.filter(reference=created["service_request_id"]).exists()


@pytest.mark.parametrize(
    ("changes", "status", "words"),
    [
        ({"api_key": "not-a-key"}, 403, "api_key"),
        ({"api_key": ""}, 403, "api_key"),
        (OUTSIDE, 400, "outside"),
        ({"service_code": "potholes"}, 404, "service_code"),
        ({"description": ""}, 400, "description"),
        ({"first_name": "", "last_name": ""}, 400, "first_name"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_each_bad_post_gets_the_specifications_error_and_no_query(
    area, base, fmt, changes, status, words
):
    answer = post(base, fmt, **request_fields(area.key, **changes))

    assert answer.status_code == status
    if fmt == "json":
        errors = answer.json()
    else:
        errors = [xmltodict.parse(answer.content)["errors"]["error"]]
    assert int(errors[0]["code"]) == status
    assert words in errors[0]["description"]
    assert not Query.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_is_told_404_for_an_unknown_request_or_service(area, base, fmt):
    client = GeoReport(base, output_format=fmt)

    with pytest.raises(requests.HTTPError) as unknown_request:
        client.get_service_request("DY-ZZZZ-ZZZ")
    with pytest.raises(requests.HTTPError) as unknown_service:
        client.get_service_definition("potholes")

    assert unknown_request.value.response.status_code == 404
    assert unknown_service.value.response.status_code == 404
    assert "service_request_id" in unknown_request.value.response.text
