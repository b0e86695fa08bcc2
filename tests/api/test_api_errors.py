"""The API answers every error in JSON, `{"error": "..."}`, as its document says: during a real
database outage, for a request Django itself refuses, and from the portal's error handlers;
the residents' pages keep their HTML error pages."""

import json

import pytest
from django.db import connections
from django.test import Client, RequestFactory
from openapi_schema_validator import OAS31Validator

from api.openapi import DOCUMENT
from config import views
from tests.ports import unused_port

ERROR_SCHEMA = DOCUMENT["components"]["schemas"]["Error"]


@pytest.fixture
def database_down():
    """The database connection pointed at a port where nothing listens, as in an outage."""
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(unused_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


def _json_error(response) -> str:
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert OAS31Validator(ERROR_SCHEMA).is_valid(body), body
    return body["error"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path", ["/api/forces", "/api/derbyshire/DC01/people", "/api/locate-neighbourhood?q=52.9,-1.4"]
)
def test_during_a_database_outage_the_api_answers_json_503(database_down, path):
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == 503
    assert _json_error(response) == "The service is unavailable. Try again in a minute."
    assert response["Retry-After"] == "60"
    assert response["Cache-Control"] == "no-store"
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.django_db(transaction=True)
def test_during_a_database_outage_a_residents_page_is_html_503_to_retry(database_down):
    """An outage to wait out, not a fault: monitors and crawlers see 503 with Retry-After."""
    response = Client(raise_request_exception=False).get("/events/")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response["Content-Type"].startswith("text/html")
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_host_django_refuses_is_a_json_400_on_the_api(client):
    response = client.get("/api/forces", HTTP_HOST="not a host")

    assert response.status_code == 400
    assert _json_error(response) == "Bad request."


@pytest.mark.parametrize(
    ("handler", "status", "message"),
    [
        (views.bad_request, 400, "Bad request."),
        (views.permission_denied, 403, "Forbidden."),
        (views.page_not_found, 404, "Not found."),
    ],
)
def test_the_portals_error_handlers_answer_json_under_the_api(handler, status, message):
    response = handler(RequestFactory().get("/api/forces"), Exception("whatever"))

    assert response.status_code == status
    assert _json_error(response) == message


def test_the_server_error_handler_answers_json_500_under_the_api():
    try:
        raise RuntimeError("a fault in the code")
    except RuntimeError:
        response = views.server_error(RequestFactory().get("/api/forces"))

    assert response.status_code == 500
    assert _json_error(response) == "Sorry, there is a problem with the service. Try again later."


@pytest.mark.django_db
def test_the_error_handlers_keep_html_for_the_residents_pages():
    response = views.page_not_found(RequestFactory().get("/apiary/"), Exception("whatever"))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_openapi_document_lists_the_server_errors_of_every_operation():
    for path, item in DOCUMENT["paths"].items():
        responses = item["get"]["responses"]
        assert {"500", "503"} <= responses.keys(), path
    unavailable = DOCUMENT["components"]["responses"]["ServiceUnavailable"]
    assert "Retry-After" in unavailable["headers"]
    assert unavailable["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
