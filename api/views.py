"""The public data API: data.police.uk's neighbourhood methods, with the same paths and shapes.

Every view answers JSON through `api_view`, which adds the open CORS header and the cache
headers, answers other methods with 405 and turns `ApiError` into a JSON error body. Each view
runs a fixed number of SQL queries, whatever the size of the neighbourhood.
"""

import datetime
import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.db import DatabaseError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.html import linebreaks
from django.views.decorators.csrf import csrf_exempt

from api import openapi
from config.http import API_UNAVAILABLE, api_error
from engagement.models import Priority
from engagement.priorities import RESOLVED_SHOWN_DAYS
from meetings.models import Event
from neighbourhoods.geo import get_locator
from neighbourhoods.models import LOCATION_KEYS, Force, Neighbourhood
from neighbourhoods.sanitise import http_url, sanitised_html
from officers.models import Assignment
from officers.selectors import ROLE_ORDER

logger = logging.getLogger(__name__)

UK = ZoneInfo("Europe/London")
ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")
SUCCESS_CACHE = "public, max-age=300"
ERROR_CACHE = "public, max-age=60"
# data.police.uk calls all of these a "meeting"; other events keep their own type.
MEETING_TYPES = {
    Event.Type.BEAT_MEETING,
    Event.Type.BEAT_SURGERY,
    Event.Type.PARTNERSHIP_MEETING,
}

JSON = dict[str, Any] | list[Any]


class ApiError(Exception):
    """Raised by a view to answer `{"error": message}` with the given status."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(ApiError):
    status = 400


class NotFound(ApiError):
    status = 404


# --- The decorator every API view wears -------------------------------------------------------


def _json(data: JSON, *, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(status: int, message: str) -> JsonResponse:
    return _json({"error": message}, status=status)


def api_view(view: Callable[..., JSON]) -> Callable[..., HttpResponse]:
    """Serve `view`'s data as JSON to anyone: GET and HEAD only, CORS open, cacheable.

    Views return plain data (or a whole response, such as a CSV download) and raise ApiError
    for a clear JSON error. The API never changes
    anything, so it needs no CSRF check: a POST gets the JSON 405, not Django's CSRF page.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, **kwargs: str) -> HttpResponse:
        if request.method == "OPTIONS":
            # A CORS preflight: any origin may GET with any request headers.
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ", ".join(ALLOWED_METHODS)
            response["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", "*"
            )
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in ("GET", "HEAD"):
            response = _error(
                405, f"The method {request.method} is not allowed: the API is read-only."
            )
            response["Allow"] = ", ".join(ALLOWED_METHODS)
        elif any("\x00" in value for value in kwargs.values()):
            # No id holds a NUL character, and PostgreSQL refuses one in a query.
            response = _error(404, "Not found.")
        else:
            try:
                answer = view(request, **kwargs)
                response = answer if isinstance(answer, HttpResponse) else _json(answer)
            except ApiError as exc:
                response = _error(exc.status, exc.message)
            except DatabaseError:
                logger.exception("API %s: the database cannot be reached", request.path)
                return api_error(503, API_UNAVAILABLE)
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = SUCCESS_CACHE if response.status_code == 200 else ERROR_CACHE
        return response

    return csrf_exempt(wrapper)


# --- Shared formatting ------------------------------------------------------------------------


def _coordinate(value: Any) -> str | None:
    """data.police.uk gives every coordinate as a string."""
    return None if value is None or value == "" else str(value)


def _uk_datetime(value: datetime.datetime) -> str:
    """UK local time without an offset, as data.police.uk: `2026-07-01T19:00:00`."""
    return timezone.localtime(value, UK).strftime("%Y-%m-%dT%H:%M:%S")


def _uk_date(value: datetime.date | None) -> str | None:
    return None if value is None else f"{value.isoformat()}T00:00:00"


def _html(text: str) -> str | None:
    """Plain text as the HTML string data.police.uk serves: escaped, in paragraphs."""
    return linebreaks(text, autoescape=True) if text.strip() else None


def _pick(item: Any, keys: tuple[str, ...], *, coordinates: tuple[str, ...] = ()) -> dict:
    """`keys` of a stored JSON object, each present (null when missing), coordinates as strings."""
    source = item if isinstance(item, dict) else {}
    picked = {}
    for key in keys:
        value = source.get(key)
        if key in coordinates:
            value = _coordinate(value)
        elif value is not None and not isinstance(value, str):
            value = str(value)
        picked[key] = value
    return picked


def _contact_details(*pairs: tuple[str, Any]) -> dict[str, str]:
    """Only the routes that have a value, as data.police.uk does."""
    return {key: str(value) for key, value in pairs if value}


# --- Lookups ----------------------------------------------------------------------------------


def _force_or_404(slug: str, *fields: str) -> dict[str, Any]:
    force = Force.objects.filter(slug=slug).values("pk", *fields).first()
    if force is None:
        raise NotFound(f"There is no force with the id '{slug}'.")
    return force


def _neighbourhood_or_404(force: str, code: str, *fields: str) -> Neighbourhood:
    """The neighbourhood in one query; a second query only to say which id was wrong."""
    neighbourhood = (
        Neighbourhood.objects.filter(force__slug=force, code=code).only("pk", *fields).first()
    )
    if neighbourhood is None:
        _force_or_404(force)
        raise NotFound(f"The force '{force}' has no neighbourhood with the id '{code}'.")
    return neighbourhood


def _outer_rings(boundary: Any) -> list[list[Any]]:
    """The outer ring of a GeoJSON Polygon, or of each polygon of a MultiPolygon in turn."""
    if not isinstance(boundary, dict):
        return []
    coordinates = boundary.get("coordinates") or []
    if boundary.get("type") == "Polygon":
        polygons = [coordinates]
    elif boundary.get("type") == "MultiPolygon":
        polygons = coordinates
    else:
        return []
    return [polygon[0] for polygon in polygons if isinstance(polygon, list) and polygon]


_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?")


def _point_error(q: str) -> str:
    """Why a q that the document's pattern refuses is wrong, in plain English."""
    parts = q.split(",")
    if len(parts) != 2:
        return "q must be a latitude and a longitude separated by a comma, e.g. q=52.9225,-1.4746."
    if not all(_NUMBER.fullmatch(part.strip(" ")) for part in parts):
        return "The latitude and longitude in q must both be decimal numbers, e.g. 52.9225."
    latitude, longitude = (float(part) for part in parts)
    if not -90 <= latitude <= 90:
        return "The latitude in q must be between -90 and 90."
    if not -180 <= longitude <= 180:
        return "The longitude in q must be between -180 and 180."
    return "q must be a latitude and a longitude, e.g. q=52.9225,-1.4746."


def _parse_point(q: str | None) -> tuple[float, float]:
    """The point in q, accepted exactly when the OpenAPI document's pattern for q matches."""
    if not q or not q.strip():
        raise BadRequest("Give the point as q=<latitude>,<longitude>, e.g. q=52.9225,-1.4746.")
    if len(q) > openapi.Q_MAX_LENGTH:
        raise BadRequest(f"q must be at most {openapi.Q_MAX_LENGTH} characters.")
    if not openapi.Q_RE.fullmatch(q):
        raise BadRequest(_point_error(q))
    latitude, longitude = (float(part) for part in q.split(","))
    return latitude, longitude


# --- The endpoints ----------------------------------------------------------------------------


@api_view
def force_list(request: HttpRequest) -> JSON:
    forces = Force.objects.order_by("name").values_list("slug", "name")
    return [{"id": slug, "name": name} for slug, name in forces]


@api_view
def force_detail(request: HttpRequest, force: str) -> JSON:
    row = _force_or_404(
        force, "slug", "name", "description", "url", "telephone", "engagement_methods"
    )
    methods = row["engagement_methods"] if isinstance(row["engagement_methods"], list) else []
    return {
        "id": row["slug"],
        "name": row["name"],
        "description": row["description"],
        "url": row["url"],
        "telephone": row["telephone"],
        "engagement_methods": [_pick(m, ("url", "description", "title")) for m in methods],
    }


@api_view
def neighbourhood_list(request: HttpRequest, force: str) -> JSON:
    row = _force_or_404(force)
    neighbourhoods = (
        Neighbourhood.objects.filter(force_id=row["pk"])
        .order_by("name")
        .values_list("code", "name")
    )
    return [{"id": code, "name": name} for code, name in neighbourhoods]


@api_view
def neighbourhood_detail(request: HttpRequest, force: str, neighbourhood: str) -> JSON:
    n = _neighbourhood_or_404(
        force,
        neighbourhood,
        "code",
        "name",
        "url_force",
        "description",
        "population",
        "centre_latitude",
        "centre_longitude",
        "email",
        "telephone",
        "social_links",
        "links",
        "locations",
    )
    social = n.social_links if isinstance(n.social_links, dict) else {}
    social = {key: url for key, value in social.items() if (url := http_url(value))}
    links = n.links if isinstance(n.links, list) else []
    links = [link for link in links if isinstance(link, dict) and http_url(link.get("url"))]
    locations = n.locations if isinstance(n.locations, list) else []
    return {
        "id": n.code,
        "name": n.name,
        "url_force": http_url(n.url_force),
        "description": sanitised_html(n.description),
        "population": None if n.population is None else str(n.population),
        "centre": {
            "latitude": _coordinate(n.centre_latitude),
            "longitude": _coordinate(n.centre_longitude),
        },
        "contact_details": _contact_details(
            *social.items(), ("email", n.email), ("telephone", n.telephone)
        ),
        "links": [_pick(link, ("url", "title", "description")) for link in links],
        "locations": [
            _pick(
                location,
                LOCATION_KEYS,
                coordinates=("latitude", "longitude"),
            )
            for location in locations
        ],
    }


@api_view
def neighbourhood_boundary(request: HttpRequest, force: str, neighbourhood: str) -> JSON:
    n = _neighbourhood_or_404(force, neighbourhood, "boundary")
    points = []
    for ring in _outer_rings(n.boundary):
        for point in ring:
            if isinstance(point, list | tuple) and len(point) >= 2:
                points.append(
                    {"latitude": _coordinate(point[1]), "longitude": _coordinate(point[0])}
                )
    return points


@api_view
def neighbourhood_people(request: HttpRequest, force: str, neighbourhood: str) -> JSON:
    """The current team's public profiles: never anything from their staff accounts."""
    n = _neighbourhood_or_404(force, neighbourhood)
    assignments = (
        Assignment.objects.current()
        .filter(neighbourhood=n)
        .select_related("officer")
        .only(
            "role",
            "officer__display_name",
            "officer__rank",
            "officer__bio",
            "officer__email",
            "officer__phone",
        )
        .order_by(ROLE_ORDER, "officer__display_name", "pk")
    )
    people, seen = [], set()
    for assignment in assignments:
        officer = assignment.officer
        if officer.pk in seen:
            continue
        seen.add(officer.pk)
        people.append(
            {
                "name": officer.display_name,
                "rank": officer.get_rank_display(),
                "bio": officer.bio,
                "contact_details": _contact_details(
                    ("email", officer.email), ("telephone", officer.phone)
                ),
            }
        )
    return people


def _include_cancelled(request: HttpRequest) -> bool:
    """`?include_cancelled=true`: the portal's own opt-in, which data.police.uk clients never
    send, so the answer they get stays exactly data.police.uk's."""
    values = request.GET.getlist(openapi.INCLUDE_CANCELLED)
    if not values:
        return False
    if values not in (["true"], ["false"]):
        raise BadRequest(f"{openapi.INCLUDE_CANCELLED} must be true or false.")
    return values == ["true"]


@api_view
def neighbourhood_events(request: HttpRequest, force: str, neighbourhood: str) -> JSON:
    """Upcoming events, in one query. Cancelled ones are left out, as data.police.uk's shape
    has no status to say so; with `?include_cancelled=true` they are in, and every event has
    a `cancelled` flag. The contact details are the organising officer's public email and
    telephone."""
    include_cancelled = _include_cancelled(request)
    n = _neighbourhood_or_404(force, neighbourhood)
    events = Event.objects.upcoming().filter(neighbourhood=n)
    if not include_cancelled:
        events = events.listed()
    rows = events.values(
        "title",
        "event_type",
        "description",
        "venue_name",
        "address",
        "postcode",
        "starts_at",
        "ends_at",
        "organiser__email",
        "organiser__phone",
        "status",
    )
    answer = []
    for event in rows:
        item = {
            "title": event["title"],
            "type": "meeting" if event["event_type"] in MEETING_TYPES else event["event_type"],
            "description": event["description"],
            "address": ", ".join(
                part for part in (event["venue_name"], event["address"], event["postcode"]) if part
            ),
            "contact_details": _contact_details(
                ("email", event["organiser__email"]), ("telephone", event["organiser__phone"])
            ),
            "start_date": _uk_datetime(event["starts_at"]),
            "end_date": _uk_datetime(event["ends_at"]),
        }
        if include_cancelled:
            item["cancelled"] = event["status"] == Event.Status.CANCELLED
        answer.append(item)
    return answer


@api_view
def neighbourhood_priorities(request: HttpRequest, force: str, neighbourhood: str) -> JSON:
    """Current priorities and those resolved in the past year (the action date of a resolved
    one is the day it was resolved), as data.police.uk lists both; newest first."""
    n = _neighbourhood_or_404(force, neighbourhood)
    since = timezone.localdate() - datetime.timedelta(days=RESOLVED_SHOWN_DAYS)
    priorities = (
        Priority.objects.filter(neighbourhood=n)
        .filter(~Q(status=Priority.Status.RESOLVED) | Q(action_date__gte=since))
        .order_by("-issue_date", "pk")
        .values("issue", "issue_date", "action", "action_date")
    )
    return [
        {
            "issue": _html(priority["issue"]),
            "issue-date": _uk_date(priority["issue_date"]),
            "action": _html(priority["action"]),
            "action-date": _uk_date(priority["action_date"]),
        }
        for priority in priorities
    ]


@api_view
def locate_neighbourhood(request: HttpRequest) -> JSON:
    latitude, longitude = _parse_point(request.GET.get("q"))
    pk = get_locator().locate(latitude, longitude)
    found = (
        None
        if pk is None
        else Neighbourhood.objects.filter(pk=pk).values("code", "force__slug").first()
    )
    if found is None:
        raise NotFound(f"No neighbourhood contains the point {latitude},{longitude}.")
    return {"force": found["force__slug"], "neighbourhood": found["code"]}


@api_view
def openapi_document(request: HttpRequest) -> JSON:
    return openapi.DOCUMENT


@api_view
def not_found(request: HttpRequest, path: str = "") -> JSON:
    raise NotFound("There is no such API method. The methods are listed in /api/openapi.json.")
