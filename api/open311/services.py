"""Open311 clients and the queries they send.

A client's key is issued once and kept only as its SHA-256; a revoked key is refused. A request
a client posts becomes a query through the web form's own checks (`ContactForm`) and service
(`query_submit`): the same routing, urgent-words flag, clock, emails and retention."""

import datetime
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from api.models import Open311Client
from config.limits import rate_limit_hit, token_hash
from neighbourhoods.models import Neighbourhood
from neighbourhoods.search import Problem, search_location, search_text
from queries.forms import ContactForm
from queries.models import ContactPreference, Query, Topic
from queries.services.resident import query_submit

KEY_PREFIX_LENGTH = 6
# A UK postcode anywhere in a free-text address: "12 Elm Road, Derby DE1 1AA".
POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)
# The web form's fields, by the names GeoReport v2 gives them.
FIELD_NAMES = {
    "topic": "service_code",
    "message": "description",
    "name": "first_name",
    "email": "email",
    "phone": "phone",
    "contact_preference": "email",
}


@dataclass
class Open311Error(Exception):
    """An answer in the specification's error format, with its HTTP status."""

    status: int
    description: str


# --- Clients and their keys ----------------------------------------------------------------------


def open311_client_issue(*, name: str, requests_per_hour: int) -> tuple[Open311Client, str]:
    """A new client and its key. The key is returned to be shown once: only its hash is kept."""
    key = secrets.token_urlsafe(32)
    client = Open311Client(
        name=name.strip(),
        key_hash=token_hash(key),
        key_prefix=key[:KEY_PREFIX_LENGTH],
        requests_per_hour=requests_per_hour,
    )
    client.full_clean()
    client.save(force_insert=True)
    return client, key


def open311_clients_revoke(*, clients, now: datetime.datetime | None = None) -> int:
    """Refuse these clients' keys from now on. Returns how many were still in use."""
    return clients.filter(revoked_at__isnull=True).update(revoked_at=now or timezone.now())


def open311_client_for_key(*, key: str) -> Open311Client:
    """The client whose key this is; Open311Error 403 when there is none or it was revoked."""
    if not key or "\x00" in key:
        raise Open311Error(403, "api_key is missing: ask the force for a key")
    client = Open311Client.objects.filter(key_hash=token_hash(key), revoked_at__isnull=True).first()
    if client is None:
        raise Open311Error(403, "api_key is not valid")
    return client


def open311_rate_limit_check(*, client: Open311Client, now: datetime.datetime | None = None):
    """Count one request against the client's hourly limit; Open311Error 429 when over it.
    The same counters (and fall-back when the cache is down) as the portal's own forms."""
    retry_at = rate_limit_hit(
        scope="open311",
        ip=f"client-{client.pk}",
        email="",
        per_ip=client.requests_per_hour,
        per_email=client.requests_per_hour,
        window=settings.OPEN311_RATE_LIMIT_WINDOW_SECONDS,
        now=now or timezone.now(),
    )
    if retry_at is not None:
        raise Open311Error(
            429, f"Too many requests from {client.name}: try again after {retry_at.isoformat()}"
        )


# --- Creating a request --------------------------------------------------------------------------


def _neighbourhood_at(data: QueryDict) -> Neighbourhood:
    """Where the request is: the boundary holding lat/long, or the postcode in address_string,
    found as the portal's own "find your neighbourhood" finds them."""
    latitude, longitude = data.get("lat", "").strip(), data.get("long", "").strip()
    if latitude or longitude:
        result = search_location(latitude, longitude)
        if result.problem == Problem.BAD_LOCATION:
            raise Open311Error(400, "lat and long must be a latitude and a longitude in degrees")
        if result.neighbourhood is None:
            raise Open311Error(
                400,
                f"The point {latitude},{longitude} is outside {settings.FORCE_NAME}'s area: "
                "send it to the police force for that area",
            )
        return result.neighbourhood
    address = data.get("address_string", "").replace("\x00", " ").strip()
    if not address:
        raise Open311Error(400, "lat and long, or an address_string with a postcode, are required")
    found = POSTCODE_IN_TEXT.search(address)
    if found is None:
        raise Open311Error(400, "address_string must include a full postcode, like DE1 1AA")
    postcode = f"{found.group(1)} {found.group(2)}".upper()
    result = search_text(postcode)
    if result.problem in (Problem.UNKNOWN_POSTCODE, Problem.BAD_POSTCODE):
        raise Open311Error(400, f"The postcode {postcode} in address_string is not known")
    if result.neighbourhood is None:
        raise Open311Error(
            400,
            f"The postcode {postcode} is outside {settings.FORCE_NAME}'s area: "
            "send it to the police force for that area",
        )
    return result.neighbourhood


def _form_data(data: QueryDict) -> dict[str, str]:
    """The web form's fields from a GeoReport request. The client gathered the resident's
    agreement to share their details under its own terms; the urgent-words check still runs
    and flags the query for staff, but cannot warn the resident, who is not on this page."""
    email = data.get("email", "").strip()
    phone = data.get("phone", "").strip()
    name = " ".join(
        part for part in (data.get("first_name", "").strip(), data.get("last_name", "").strip())
    ).strip()
    return {
        "topic": data.get("service_code", ""),
        "message": data.get("description", ""),
        "name": name,
        "email": email,
        "phone": phone,
        "contact_preference": ContactPreference.EMAIL if email or not phone else "phone",
        "consent": "on",
        "not_an_emergency": "on",
        "website": "",
    }


def _first_error(errors: dict[str, list[str]]) -> str:
    return "; ".join(
        f"{FIELD_NAMES.get(field, field)}: {' '.join(messages)}"
        for field, messages in errors.items()
    )


def open311_request_create(*, client: Open311Client, data: QueryDict) -> Query:
    """A resident's query posted by `client`: checked, placed and sent as the web form sends
    one. Open311Error 400 for a missing or bad field or a place outside the force, 404 for an
    unknown service_code."""
    code = data.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, "service_code is required")
    if code not in Topic.values:
        raise Open311Error(404, f"service_code {code[:30]!r} is not a service here")
    neighbourhood = _neighbourhood_at(data)
    form = ContactForm(_form_data(data))
    if not form.is_valid():
        raise Open311Error(400, _first_error(form.errors))
    cleaned = form.cleaned_data
    try:
        with transaction.atomic():
            query, _token = query_submit(
                neighbourhood=neighbourhood,
                topic=cleaned["topic"],
                message=cleaned["message"],
                name=cleaned["name"],
                email=cleaned["email"],
                phone=cleaned["phone"],
                contact_preference=cleaned["contact_preference"],
                source=client.source,
            )
    except ValidationError as exc:
        raise Open311Error(400, " ".join(exc.messages)) from exc
    return query
