"""The OpenAPI 3.1 description of the Open311 GeoReport v2 endpoints, served at
/open311/v2/openapi.json and linked from the data API's document.

Each method answers JSON or XML as its path ends `.json` or `.xml`; the XML carries the same
fields under the specification's root elements (`<services>`, `<service_definition>`,
`<service_requests>`, `<discovery>`, `<errors>`)."""

from typing import Any

from api.openapi import _object, _string
from queries.models import Topic

DATETIME = _string(
    "ISO 8601 with its offset, in UK local time.",
    format="date-time",
    examples=["2026-11-02T09:30:00+00:00"],
)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "type": [schema["type"], "null"]}


SCHEMAS: dict[str, Any] = {
    "Open311Error": _object(
        {
            "code": {"type": "integer", "description": "The HTTP status."},
            "description": _string("What was wrong, naming the field."),
        },
    ),
    "Service": _object(
        {
            "service_code": _string("A query topic.", enum=Topic.values),
            "service_name": _string(),
            "description": _string(),
            "metadata": {"type": "boolean", "description": "Always false: no extra fields."},
            "type": _string(enum=["realtime"]),
            "keywords": _string(),
            "group": _string(),
        },
    ),
    "ServiceDefinition": _object(
        {
            "service_code": _string(enum=Topic.values),
            "attributes": {"type": "array", "maxItems": 0},
        },
    ),
    "ServiceRequest": _object(
        {
            "service_request_id": _string("The query's reference.", examples=["DY-7K3P-Q9X"]),
            "status": _string(enum=["open", "closed"]),
            "status_notes": _string(
                "Where the query stands. Never the resident's words, their contact details "
                "or anything staff wrote."
            ),
            "service_name": _string(),
            "service_code": _string(enum=Topic.values),
            "agency_responsible": _string("The neighbourhood policing team."),
            "service_notice": _string(),
            "requested_datetime": DATETIME,
            "updated_datetime": DATETIME,
            "expected_datetime": _nullable(
                {**DATETIME, "description": "When a reply is due; null once closed."}
            ),
            "address": _string("The neighbourhood's name."),
        },
    ),
    "CreatedRequest": _object(
        {
            "service_request_id": _string("The query's reference."),
            "service_notice": _string(),
            "account_id": {"type": "null"},
        },
    ),
    "Endpoint": _object(
        {
            "specification": _string(),
            "url": _string(),
            "changeset": DATETIME,
            "type": _string(enum=["production"]),
            "formats": {"type": "array", "items": _string()},
        },
    ),
    "Discovery": _object(
        {
            "changeset": DATETIME,
            "contact": _string(),
            "key_service": _string(),
            "endpoints": {"type": "array", "items": {"$ref": "#/components/schemas/Endpoint"}},
        },
    ),
}


def _answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": schema},
            "text/xml": {"schema": {"type": "string"}},
        },
    }


def _errors(*codes: int) -> dict[str, Any]:
    """The errors of `codes` and those any operation may meet: 404 for a format other than
    json or xml, 405 for another method, 503 when the database cannot be reached."""
    codes = tuple(sorted({*codes, 404, 405, 503}))
    meaning = {
        400: "A field is missing or bad, or the place is outside the force's area.",
        403: "api_key is missing, unknown or revoked.",
        404: "No such service_code, service_request_id or jurisdiction_id, or a format "
        "other than json or xml.",
        405: "A method the path does not take.",
        429: "The client posted more than its hourly limit; try again after Retry-After.",
        503: "The database cannot be reached; try again after Retry-After.",
    }
    errors = {"type": "array", "items": {"$ref": "#/components/schemas/Open311Error"}}
    return {str(code): _answer(meaning[code], errors) for code in codes}


FORMAT = {
    "name": "format",
    "in": "path",
    "required": True,
    "description": "`json` or `xml`.",
    "schema": {"type": "string", "enum": ["json", "xml"]},
}


def _query(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "description": description, "schema": {"type": "string"}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


NEW_REQUEST = _object(
    {
        "api_key": _string("The key the force issued to your organisation."),
        "service_code": _string(enum=Topic.values),
        "lat": _string("Latitude in decimal degrees (with long)."),
        "long": _string("Longitude in decimal degrees (with lat)."),
        "address_string": _string("An address with a full postcode, if no lat/long."),
        "description": _string("The resident's message."),
        "first_name": _string(),
        "last_name": _string(),
        "email": _string("Where the confirmation and the reply go."),
        "phone": _string("For a call back when there is no email."),
    },
    required=["api_key", "service_code", "description", "first_name"],
)

PATHS: dict[str, Any] = {
    "/discovery.{format}": {
        "get": {
            "operationId": "open311Discovery",
            "summary": "Service discovery",
            "parameters": [FORMAT],
            "responses": {"200": _answer("OK", _ref("Discovery")), **_errors(405)},
        }
    },
    "/services.{format}": {
        "get": {
            "operationId": "open311Services",
            "summary": "The services: the topics a query may be about",
            "parameters": [FORMAT],
            "responses": {"200": _answer("OK", _list("Service")), **_errors(404, 405)},
        }
    },
    "/services/{service_code}.{format}": {
        "get": {
            "operationId": "open311ServiceDefinition",
            "summary": "A service's definition (no topic asks for extra attributes)",
            "parameters": [
                {
                    "name": "service_code",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
                FORMAT,
            ],
            "responses": {"200": _answer("OK", _ref("ServiceDefinition")), **_errors(404, 405)},
        }
    },
    "/requests.{format}": {
        "get": {
            "operationId": "open311ListRequests",
            "summary": "Requests sent through Open311, newest first",
            "description": "Without dates, the last 90 days; a range may span 90 days at most. "
            "Queries sent through the portal's own form are not listed.",
            "parameters": [
                FORMAT,
                _query("service_request_id", "References, comma separated; overrides the rest."),
                _query("service_code", "Service codes, comma separated."),
                _query("start_date", "ISO 8601 with an offset."),
                _query("end_date", "ISO 8601 with an offset."),
                _query("status", "`open`, `closed` or both, comma separated."),
            ],
            "responses": {"200": _answer("OK", _list("ServiceRequest")), **_errors(400, 404)},
        },
        "post": {
            "operationId": "open311CreateRequest",
            "summary": "Send a resident's non-urgent query",
            "description": "The query is checked, placed in its neighbourhood (by lat/long, or "
            "the postcode in address_string), routed and put on the response clock exactly as "
            "one sent through the portal's form; the resident is emailed a confirmation with "
            "their private tracking link.",
            "parameters": [FORMAT],
            "requestBody": {
                "required": True,
                "content": {"application/x-www-form-urlencoded": {"schema": NEW_REQUEST}},
            },
            "responses": {
                "201": _answer("The query was received.", _list("CreatedRequest")),
                **_errors(400, 403, 404, 429, 503),
            },
        },
    },
    "/requests/{service_request_id}.{format}": {
        "get": {
            "operationId": "open311GetRequest",
            "summary": "One request, as a list of one",
            "parameters": [
                {
                    "name": "service_request_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string"},
                },
                FORMAT,
            ],
            "responses": {"200": _answer("OK", _list("ServiceRequest")), **_errors(404, 405)},
        }
    },
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Neighbourhood Portal Open311 GeoReport v2",
        "version": "2.0.0",
        "description": (
            "Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) for councils, "
            "FixMyStreet and civic apps: they send residents' non-urgent queries into the same "
            "queue, 72-hour clock and tracking as the portal's own form. Posting needs an "
            "api_key that the force's administrators issue per organisation; reading does not. "
            'Errors are the specification\'s list: `[{"code": 400, "description": "..."}]`, '
            "or `<errors><error><code>…</code><description>…</description></error></errors>`."
        ),
    },
    "servers": [{"url": "/open311/v2"}],
    "paths": PATHS,
    "components": {"schemas": SCHEMAS},
}
