"""The OpenAPI 3.1 description of the public data API, served at /api/openapi.json.

Paths are relative to the server `/api`. The shapes are data.police.uk's; where the portal
differs (null for an unknown population or centre), the schema says so.
"""

import re
from typing import Any

# `q` of /locate-neighbourhood: what the view accepts is exactly what this pattern matches
# (decimal degrees, latitude -90 to 90, longitude -180 to 180, spaces around either), so the
# document and the view cannot disagree. Written for both JSON Schema's (ECMA 262) regular
# expressions and Python's: [0-9] rather than \d, which in Python matches other scripts' digits.
Q_MAX_LENGTH = 100
LATITUDE = r"[+-]?0*(?:90(?:\.0*)?|[1-8]?[0-9](?:\.[0-9]*)?)"
LONGITUDE = r"[+-]?0*(?:180(?:\.0*)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]*)?)"
Q_PATTERN = rf"^ *{LATITUDE} *, *{LONGITUDE} *$"
Q_RE = re.compile(Q_PATTERN[1:-1])  # used with fullmatch
# The events method's own opt-in (not data.police.uk's) to list cancelled events too.
INCLUDE_CANCELLED = "include_cancelled"
# `from` and `to` of the open data (api.performance): a month, YYYY-MM.
MONTH_PATTERN = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"


def _string(description: str = "", *, nullable: bool = False, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": ["string", "null"] if nullable else "string", **extra}
    if description:
        schema["description"] = description
    return schema


def _object(properties: dict[str, Any], description: str = "", **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
        **extra,
    }
    if description:
        schema["description"] = description
    return schema


def _with_optional(properties: dict[str, Any], **optional: Any) -> dict[str, Any]:
    """An object with `properties`, all required, and `optional` ones that may be missing."""
    schema = _object(properties)
    schema["properties"] = {**properties, **optional}
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


def _param(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _error(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


COORDINATE = _string("A decimal number of degrees, as a string.", examples=["52.9225"])
LOCAL_DATETIME = _string(
    "UK local time (Europe/London) without an offset.",
    pattern=r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$",
    examples=["2026-07-01T19:00:00"],
)
SUCCESS_HEADERS = {
    "Access-Control-Allow-Origin": {"$ref": "#/components/headers/AccessControlAllowOrigin"},
    "Cache-Control": {
        "description": "Successful answers may be cached for five minutes.",
        "schema": {"type": "string", "const": "public, max-age=300"},
    },
}
ERROR_HEADERS = {
    "Access-Control-Allow-Origin": {"$ref": "#/components/headers/AccessControlAllowOrigin"},
    "Cache-Control": {
        "description": "Errors may be cached for one minute.",
        "schema": {"type": "string", "const": "public, max-age=60"},
    },
}
SERVER_ERROR_HEADERS = {
    "Access-Control-Allow-Origin": {"$ref": "#/components/headers/AccessControlAllowOrigin"},
    "Cache-Control": {"schema": {"type": "string", "const": "no-store"}},
}

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {"error": _string("What was wrong, in plain English.")},
        "The body of every error answer.",
    ),
    "ForceSummary": _object(
        {"id": _string("The force's id, e.g. `derbyshire`."), "name": _string()},
    ),
    "EngagementMethod": _object(
        {
            "url": _string(nullable=True),
            "description": _string(nullable=True),
            "title": _string(nullable=True),
        },
        "A way to engage with the force, e.g. its social media.",
    ),
    "Force": _object(
        {
            "id": _string("The force's id."),
            "name": _string(),
            "description": _string("HTML."),
            "url": _string("The force's website."),
            "telephone": _string(),
            "engagement_methods": _list_of("EngagementMethod"),
        },
    ),
    "NeighbourhoodSummary": _object(
        {"id": _string("The neighbourhood's id, unique within its force."), "name": _string()},
    ),
    "Centre": _object(
        {
            "latitude": {**COORDINATE, "type": ["string", "null"]},
            "longitude": {**COORDINATE, "type": ["string", "null"]},
        },
        "The neighbourhood's centre; both null when it is not known.",
    ),
    "ContactDetails": {
        "type": "object",
        "description": (
            "Only the routes that have a value are present: email, telephone and the "
            "neighbourhood's other routes by data.police.uk's keys (facebook, twitter, "
            "youtube, web, ...)."
        ),
        "properties": {
            "email": _string(),
            "telephone": _string(),
            "facebook": _string(),
            "twitter": _string(),
            "youtube": _string(),
            "web": _string(),
        },
        "additionalProperties": {"type": "string"},
    },
    "Link": _object(
        {
            "url": _string(nullable=True),
            "title": _string(nullable=True),
            "description": _string(nullable=True),
        },
    ),
    "Location": _object(
        {
            "name": _string(nullable=True),
            "type": _string("e.g. `station`.", nullable=True),
            "address": _string(nullable=True),
            "postcode": _string(nullable=True),
            "latitude": {**COORDINATE, "type": ["string", "null"]},
            "longitude": {**COORDINATE, "type": ["string", "null"]},
            "description": _string(nullable=True),
            "telephone": _string(nullable=True),
        },
        "A police station or other place to meet the team.",
    ),
    "Neighbourhood": _object(
        {
            "id": _string("The neighbourhood's id, unique within its force."),
            "name": _string(),
            "url_force": _string("The force's own page for the neighbourhood."),
            "description": _string("HTML."),
            "population": _string(
                "The number of residents, as a string; null when it is not known "
                '(data.police.uk would give "0").',
                nullable=True,
                examples=["14200"],
            ),
            "centre": _ref("Centre"),
            "contact_details": _ref("ContactDetails"),
            "links": _list_of("Link"),
            "locations": _list_of("Location"),
        },
    ),
    "Point": _object({"latitude": COORDINATE, "longitude": COORDINATE}),
    "PersonContactDetails": {
        "type": "object",
        "description": "The officer's public email and telephone; only those that are set.",
        "properties": {"email": _string(), "telephone": _string()},
        "additionalProperties": False,
    },
    "Person": _object(
        {
            "name": _string(),
            "rank": _string("e.g. `Police Constable`."),
            "bio": _string(),
            "contact_details": _ref("PersonContactDetails"),
        },
        "A member of the neighbourhood's current team: public profile fields only.",
    ),
    "EventContactDetails": {
        "type": "object",
        "description": (
            "The organising officer's public email and telephone; only those that are set, "
            "so empty for an event with no organiser."
        ),
        "properties": {"email": _string(), "telephone": _string()},
        "additionalProperties": False,
    },
    "Event": _with_optional(
        {
            "title": _string(),
            "type": _string(
                "`meeting` for beat meetings, beat surgeries and partnership meetings; "
                "otherwise street_briefing, community_event or online_meeting."
            ),
            "description": _string(),
            "address": _string("Venue, address and postcode, joined with commas."),
            "contact_details": _ref("EventContactDetails"),
            "start_date": LOCAL_DATETIME,
            "end_date": LOCAL_DATETIME,
        },
        cancelled={
            "type": "boolean",
            "description": f"Only with `?{INCLUDE_CANCELLED}=true`, on every event: whether "
            "it is cancelled.",
        },
    ),
    "Priority": _object(
        {
            "issue": _string("HTML: the issue, escaped, in paragraphs.", nullable=True),
            "issue-date": {**LOCAL_DATETIME, "type": ["string", "null"]},
            "action": _string(
                "HTML: what the team is doing; null when nothing is recorded yet.",
                nullable=True,
            ),
            "action-date": {**LOCAL_DATETIME, "type": ["string", "null"]},
        },
        "A local priority: a current one, or one resolved in the past year, whose "
        "action-date is the day it was resolved and whose action says what was done. Every "
        "key is always present.",
    ),
    "PerformanceArea": _object(
        {
            "type": {"type": "string", "enum": ["force", "division", "neighbourhood"]},
            "id": _string("The force's id, the division's slug or the neighbourhood's id."),
            "name": _string(),
        },
    ),
    "PerformanceMonth": _object(
        {
            "month": _string("The month, YYYY-MM.", pattern=r"^[0-9]{4}-[0-9]{2}$"),
            "first_day": _string("Its first day, YYYY-MM-DD.", format="date"),
            "last_day": _string("Its last day counted: today, for this month.", format="date"),
            "queries": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "Queries decided: answered, or past their deadline. Null "
                "when suppressed.",
            },
            "answered_within_target": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "Of them, answered within the response target.",
            },
            "share_within_target_percent": {
                "type": ["integer", "null"],
                "minimum": 0,
                "maximum": 100,
                "description": "answered_within_target / queries, a whole percentage that "
                "never rounds a miss away (99.6% is 99).",
            },
            "median_first_response_seconds": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "The median time to the first answer of the queries sent in "
                "the month (nearest rank); null when suppressed or none was answered.",
            },
            "suppressed": {
                "type": "boolean",
                "description": "Fewer queries than suppression_threshold: every figure null.",
            },
        },
        "One month's published figures. The CSV has the same columns in this order.",
    ),
    "Performance": _object(
        {
            "area": _ref("PerformanceArea"),
            "figures_as_of": _string("When the figures were worked out (ISO 8601)."),
            "response_target_hours": {"type": "integer"},
            "suppression_threshold": {"type": "integer"},
            "licence": _object({"name": _string(), "url": _string()}),
            "months": _list_of("PerformanceMonth"),
        },
        "How an area kept the Neighbourhood Policing Guarantee, month by month.",
    ),
    "LocatedNeighbourhood": _object(
        {
            "force": _string("The force's id."),
            "neighbourhood": _string("The neighbourhood's id within that force."),
        },
    ),
}


_STATUS = {
    "BadRequest": "400",
    "NotFound": "404",
    "MethodNotAllowed": "405",
    "ServerError": "500",
    "ServiceUnavailable": "503",
}
# Any operation may meet these.
_SERVER_ERRORS = ("ServerError", "ServiceUnavailable")


def _get(
    operation_id: str,
    summary: str,
    description: str,
    schema: dict[str, Any],
    *,
    errors: tuple[str, ...] = ("NotFound", "MethodNotAllowed"),
    parameters: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": operation_id,
        "summary": summary,
        "description": description,
        "responses": {
            "200": {
                "description": "OK",
                "headers": SUCCESS_HEADERS,
                "content": {"application/json": {"schema": schema}},
            },
            **{_STATUS[name]: _error(name) for name in (*errors, *_SERVER_ERRORS)},
        },
    }
    if parameters:
        operation["parameters"] = parameters
    return {"get": operation}


_IN_NEIGHBOURHOOD = [_param("force"), _param("neighbourhood")]
_MONTHS = [_param("from"), _param("to")]
_PERFORMANCE_ERRORS = ("BadRequest", "NotFound", "MethodNotAllowed")
LICENCE_LINK = {
    "description": 'The licence of the figures, as `<url>; rel="license"; title="..."`.',
    "schema": {"type": "string"},
}


def _performance(
    operation_id: str, what: str, *, parameters: list[dict[str, str]], csv: bool
) -> dict[str, Any]:
    """The JSON or the CSV of an area's monthly figures."""
    described = (
        f"{what}: each month's published figures, the last 12 whole months unless `from` "
        "and `to` say otherwise (at most 36 months, none after this one). Figures counted "
        "over fewer queries than the suppression threshold are null. Open Government Licence."
    )
    if csv:
        described += (
            " As CSV: a header row, then a row per month, with the columns of "
            "PerformanceMonth; the licence in the Link header."
        )
    operation = _get(
        operation_id,
        f"{what}, by month" + (" (CSV)" if csv else ""),
        described,
        _ref("Performance"),
        errors=_PERFORMANCE_ERRORS,
        parameters=[*parameters, *_MONTHS],
    )
    if csv:
        ok = operation["get"]["responses"]["200"]
        ok["content"] = {"text/csv": {"schema": {"type": "string"}}}
        ok["headers"] = {**SUCCESS_HEADERS, "Link": LICENCE_LINK}
    return operation


PERFORMANCE_PATHS: dict[str, Any] = {}
for _fmt in ("json", "csv"):
    _csv = _fmt == "csv"
    _suffix = "Csv" if _csv else ""
    PERFORMANCE_PATHS |= {
        f"/performance/force.{_fmt}": _performance(
            f"getForcePerformance{_suffix}",
            "The force's Guarantee figures",
            parameters=[],
            csv=_csv,
        ),
        f"/performance/divisions/{{division}}.{_fmt}": _performance(
            f"getDivisionPerformance{_suffix}",
            "A division's Guarantee figures",
            parameters=[_param("division")],
            csv=_csv,
        ),
        f"/performance/neighbourhoods/{{neighbourhood}}.{_fmt}": _performance(
            f"getNeighbourhoodPerformance{_suffix}",
            "A neighbourhood's Guarantee figures",
            parameters=[_param("neighbourhood")],
            csv=_csv,
        ),
    }

PATHS: dict[str, Any] = {
    "/forces": _get(
        "listForces",
        "List forces",
        "Every force the portal serves.",
        _list_of("ForceSummary"),
        errors=("MethodNotAllowed",),
    ),
    "/forces/{force}": _get(
        "getForce",
        "A force",
        "The force's details and the ways to engage with it.",
        _ref("Force"),
        parameters=[_param("force")],
    ),
    "/{force}/neighbourhoods": _get(
        "listNeighbourhoods",
        "List a force's neighbourhoods",
        "Every neighbourhood of the force, by name.",
        _list_of("NeighbourhoodSummary"),
        parameters=[_param("force")],
    ),
    "/{force}/{neighbourhood}": _get(
        "getNeighbourhood",
        "A neighbourhood",
        "The neighbourhood's details, contact routes, links and locations.",
        _ref("Neighbourhood"),
        parameters=_IN_NEIGHBOURHOOD,
    ),
    "/{force}/{neighbourhood}/boundary": _get(
        "getNeighbourhoodBoundary",
        "A neighbourhood's boundary",
        "The points of the boundary's outer ring, in order; for a boundary of several areas, "
        "the outer ring of each area one after the other. Empty when no boundary is held.",
        _list_of("Point"),
        parameters=_IN_NEIGHBOURHOOD,
    ),
    "/{force}/{neighbourhood}/people": _get(
        "listNeighbourhoodPeople",
        "A neighbourhood's team",
        "The officers currently serving the neighbourhood: the named officer first, then the "
        "team, sergeant and inspector.",
        _list_of("Person"),
        parameters=_IN_NEIGHBOURHOOD,
    ),
    "/{force}/{neighbourhood}/events": _get(
        "listNeighbourhoodEvents",
        "A neighbourhood's upcoming events",
        "Beat meetings and other events that have not yet ended, soonest first. Cancelled "
        "events are left out, as data.police.uk's shape cannot say so; with "
        f"`?{INCLUDE_CANCELLED}=true` they are listed too, and every event has "
        "`cancelled`: `true` or `false`. Clients that do not send the parameter get "
        "data.police.uk's answer, without the key.",
        _list_of("Event"),
        errors=("BadRequest", "NotFound", "MethodNotAllowed"),
        parameters=[*_IN_NEIGHBOURHOOD, _param(INCLUDE_CANCELLED)],
    ),
    "/{force}/{neighbourhood}/priorities": _get(
        "listNeighbourhoodPriorities",
        "A neighbourhood's priorities",
        "The local priorities that are not resolved, and those resolved in the past 12 "
        "months, newest first (by the date the issue was raised).",
        _list_of("Priority"),
        parameters=_IN_NEIGHBOURHOOD,
    ),
    **PERFORMANCE_PATHS,
    "/locate-neighbourhood": _get(
        "locateNeighbourhood",
        "Find the neighbourhood of a point",
        "The force and neighbourhood whose boundary contains the point. 404 when no "
        "neighbourhood does.",
        _ref("LocatedNeighbourhood"),
        errors=("BadRequest", "NotFound", "MethodNotAllowed"),
        parameters=[_param("q")],
    ),
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "Neighbourhood Portal data API",
        "version": "1.0.0",
        "description": (
            "Read-only JSON about the force's neighbourhoods, compatible with the "
            "neighbourhood methods of the Police API at data.police.uk: the same paths, field "
            "names and shapes, so existing clients work against it.\n\n"
            "Conventions, as data.police.uk: coordinates are strings; dates and times are UK "
            "local time (Europe/London) as `YYYY-MM-DDTHH:MM:SS` without an offset. Where a "
            "value is unknown the portal gives `null` (a neighbourhood's population, for "
            'instance, is `null` rather than data.police.uk\'s `"0"`).\n\n'
            "Every answer carries `Access-Control-Allow-Origin: *`. Successful answers may be "
            "cached for five minutes, errors for one (server errors not at all). Errors are JSON: "
            '`{"error": "..."}`, whatever went wrong. '
            "Only GET and HEAD are allowed (and OPTIONS, for CORS preflight requests).\n\n"
            "The Guarantee figures (queries answered within the response target, the "
            "typical time to answer) are open data under `/performance/`, month by month, "
            "as JSON or CSV, under the Open Government Licence.\n\n"
            "Residents' queries can also be sent through Open311 GeoReport v2, under "
            "`/open311/v2/`, described in its own document at `/open311/v2/openapi.json`."
        ),
    },
    "servers": [{"url": "/api"}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "parameters": {
            "force": {
                "name": "force",
                "in": "path",
                "required": True,
                "description": "The force's id, e.g. `derbyshire`.",
                "schema": {"type": "string"},
            },
            "neighbourhood": {
                "name": "neighbourhood",
                "in": "path",
                "required": True,
                "description": "The neighbourhood's id within the force, e.g. `DC01`.",
                "schema": {"type": "string"},
            },
            "division": {
                "name": "division",
                "in": "path",
                "required": True,
                "description": "The division's slug, as in /performance/<slug>/.",
                "schema": {"type": "string"},
            },
            **{
                name: {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "description": f"The {which} month, YYYY-MM (2000-01 to 2099-12), "
                    "included. Anything else is a 400, as is from after to, a month after "
                    "this one, or more than 36 months.",
                    "schema": {
                        "type": "string",
                        "pattern": MONTH_PATTERN,
                        "examples": [example],
                    },
                }
                for name, which, example in (
                    ("from", "first", "2025-12"),
                    ("to", "last", "2026-11"),
                )
            },
            INCLUDE_CANCELLED: {
                "name": INCLUDE_CANCELLED,
                "in": "query",
                "required": False,
                "description": (
                    "`true` to list cancelled events too, each event then saying whether it "
                    "is cancelled; `false` (the default) for data.police.uk's answer. "
                    "Anything else is a 400."
                ),
                "schema": {
                    "type": "string",
                    "enum": ["true", "false"],
                    "default": "false",
                    "examples": ["true"],
                },
            },
            "q": {
                "name": "q",
                "in": "query",
                "required": True,
                "description": (
                    "The point as `<latitude>,<longitude>` in decimal degrees (no exponent): "
                    "latitude from -90 to 90, longitude from -180 to 180. Anything else is a "
                    "400."
                ),
                "schema": {
                    "type": "string",
                    "minLength": 3,
                    "maxLength": Q_MAX_LENGTH,
                    "pattern": Q_PATTERN,
                    "examples": ["52.9225,-1.4746"],
                },
            },
        },
        "headers": {
            "AccessControlAllowOrigin": {
                "description": "Any site may read the answer.",
                "schema": {"type": "string", "const": "*"},
            },
        },
        "responses": {
            "BadRequest": {
                "description": "The request was malformed, e.g. q is not a latitude and "
                "longitude in range.",
                "headers": ERROR_HEADERS,
                "content": {"application/json": {"schema": _ref("Error")}},
            },
            "NotFound": {
                "description": "No such force or neighbourhood, or no neighbourhood contains "
                "the point.",
                "headers": ERROR_HEADERS,
                "content": {"application/json": {"schema": _ref("Error")}},
            },
            "MethodNotAllowed": {
                "description": "A method other than GET, HEAD or OPTIONS.",
                "headers": {
                    **ERROR_HEADERS,
                    "Allow": {"schema": {"type": "string", "const": "GET, HEAD, OPTIONS"}},
                },
                "content": {"application/json": {"schema": _ref("Error")}},
            },
            "ServerError": {
                "description": "A fault in the portal. Never cached.",
                "headers": SERVER_ERROR_HEADERS,
                "content": {"application/json": {"schema": _ref("Error")}},
            },
            "ServiceUnavailable": {
                "description": "The portal's database cannot be reached. Never cached; try "
                "again after Retry-After seconds.",
                "headers": {
                    **SERVER_ERROR_HEADERS,
                    "Retry-After": {"schema": {"type": "string", "pattern": "^[0-9]+$"}},
                },
                "content": {"application/json": {"schema": _ref("Error")}},
            },
        },
    },
}
