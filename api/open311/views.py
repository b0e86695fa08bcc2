"""GeoReport v2 under /open311/v2/: discovery, services, a service's definition, requests (GET to
list, POST with a client's api_key to send a query) and one request, each as .json or .xml.

Every error is the specification's list of errors in the format asked for, with its HTTP
status: 400 a missing or bad field, 403 a bad key, 404 an unknown id or service, 429 a client
over its limit."""

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from api.open311 import openapi, selectors
from api.open311.render import FORMATS, answer, error_answer, iso
from api.open311.services import (
    Open311Error,
    open311_client_for_key,
    open311_rate_limit_check,
    open311_request_create,
)
from config.http import absolute_url

logger = logging.getLogger(__name__)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When the list of services last changed: the discovery document's changeset.
CHANGESET = "2026-12-04T00:00:00+00:00"


def open311_view(*methods: str) -> Callable:
    """Answer `methods` (HEAD with GET) in the format the path ends with; any other method 405.
    Views return an HttpResponse and raise Open311Error for the specification's error list.
    Open311 clients are servers, not browsers: no CSRF check, and POST always needs a key."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, fmt: str, **kwargs: str) -> HttpResponse:
            if fmt not in FORMATS:
                return error_answer("json", 404, "The formats are .json and .xml")
            if request.method not in allowed:
                response = error_answer(fmt, 405, f"The method {request.method} is not allowed")
                response["Allow"] = ", ".join(sorted(allowed))
                return response
            if "\x00" in "".join(kwargs.values()):
                return error_answer(fmt, 404, "Not found")
            jurisdiction = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
            if jurisdiction and jurisdiction != settings.FORCE_SLUG:
                return error_answer(
                    fmt, 404, f"jurisdiction_id {jurisdiction[:40]!r} is not served here"
                )
            try:
                response = view(request, fmt, **kwargs)
            except Open311Error as exc:
                response = error_answer(fmt, exc.status, exc.description)
            except DatabaseError:
                logger.exception("Open311 %s: the database cannot be reached", request.path)
                response = error_answer(fmt, 503, "The service is unavailable: try again later")
                response["Retry-After"] = "60"
            if request.method != "POST":
                response["Access-Control-Allow-Origin"] = "*"
            return response

        return csrf_exempt(wrapper)

    return decorate


@open311_view("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = absolute_url(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    data = {
        "changeset": CHANGESET,
        "contact": (
            f"{settings.FORCE_NAME}. For anything urgent call 999; "
            f"otherwise {settings.FORCE_NON_EMERGENCY_NUMBER}."
        ),
        "key_service": "The force's administrators issue keys to client organisations.",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return answer(fmt, data, root="discovery")


@open311_view("GET")
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return answer(fmt, selectors.service_list(), root="services", item="service")


@open311_view("GET")
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    return answer(fmt, selectors.service_definition(code), root="service_definition")


@open311_view("GET", "POST")
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    return answer(fmt, selectors.request_list(request.GET), root="service_requests", item="request")


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    client = open311_client_for_key(key=request.POST.get("api_key", ""))
    try:
        open311_rate_limit_check(client=client)
    except Open311Error as exc:
        response = error_answer(fmt, exc.status, exc.description)
        response["Retry-After"] = str(settings.OPEN311_RATE_LIMIT_WINDOW_SECONDS)
        return response
    query = open311_request_create(client=client, data=request.POST)
    logger.info("Open311 query %s from %s", query.reference, client.name)
    created = [
        {
            "service_request_id": query.reference,
            "service_notice": (
                "The resident's reply will come from the neighbourhood team by "
                f"{iso(query.due_at)}."
            ),
            "account_id": None,
        }
    ]
    return answer(fmt, created, root="service_requests", item="request", status=201)


@open311_view("GET")
def request_detail(request: HttpRequest, fmt: str, reference: str) -> HttpResponse:
    data = selectors.request_detail(reference)
    return answer(fmt, data, root="service_requests", item="request")


@require_safe
def openapi_document(request: HttpRequest) -> HttpResponse:
    response = JsonResponse(openapi.DOCUMENT)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    fmt = "xml" if path.endswith(".xml") else "json"
    return error_answer(fmt, 404, "There is no such Open311 method: see discovery.json")
