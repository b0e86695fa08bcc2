"""What Open311 shows: the services (the query topics) and the requests clients sent.

A request shows where it stands and when an answer is due, never the resident's words, their
contact details or anything staff wrote. Only queries that came through Open311 are listed:
residents who used the portal's own form were promised a private link."""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from api.open311.render import iso
from api.open311.services import Open311Error
from queries.models import Query, Topic

SOURCE_PREFIX = "Open311: "
# GeoReport v2: without dates, the most recent 90 days; a range may not span more.
DEFAULT_DAYS = 90
MAX_LISTED = 1000
STATUS_NOTES = {
    Query.Status.OPEN: "Waiting for a response from the neighbourhood team.",
    Query.Status.ANSWERED: "The neighbourhood team has replied to the resident.",
    Query.Status.CLOSED: "Closed by the neighbourhood team.",
}
SERVICE_DESCRIPTIONS = {
    Topic.ANTI_SOCIAL_BEHAVIOUR: "Nuisance, noise, intimidation or damage in the neighbourhood.",
    Topic.DRUGS: "Drug dealing or drug use seen in the neighbourhood.",
    Topic.ROAD_SAFETY: "Speeding, dangerous or obstructive parking, road safety worries.",
    Topic.NEIGHBOUR_DISPUTE: "A dispute with a neighbour the team can help with.",
    Topic.CRIME_PREVENTION: "Advice on keeping your home, vehicle or business safe.",
    Topic.OTHER: "Any other non-urgent question for the neighbourhood team.",
}
FIELDS = [
    "reference",
    "topic",
    "status",
    "submitted_at",
    "updated_at",
    "due_at",
    "neighbourhood__name",
]


def service_list() -> list[dict[str, Any]]:
    return [
        {
            "service_code": topic.value,
            "service_name": str(topic.label),
            "description": SERVICE_DESCRIPTIONS[topic],
            "metadata": False,
            "type": "realtime",
            "keywords": "police, neighbourhood, non-urgent",
            "group": "Neighbourhood policing",
        }
        for topic in Topic
    ]


def service_definition(code: str) -> dict[str, Any]:
    """No topic asks for more than the standard fields: every definition has no attributes."""
    if code not in Topic.values:
        raise Open311Error(404, f"service_code {code[:30]!r} is not a service here")
    return {"service_code": code, "attributes": []}


def _request(row: dict[str, Any]) -> dict[str, Any]:
    status = row["status"]
    return {
        "service_request_id": row["reference"],
        "status": "closed" if status == Query.Status.CLOSED else "open",
        "status_notes": STATUS_NOTES[status],
        "service_name": str(Topic(row["topic"]).label),
        "service_code": row["topic"],
        "agency_responsible": (
            f"{row['neighbourhood__name']} neighbourhood policing team, {settings.FORCE_NAME}"
        ),
        "service_notice": "",
        "requested_datetime": iso(row["submitted_at"]),
        "updated_datetime": iso(row["updated_at"]),
        "expected_datetime": None if status == Query.Status.CLOSED else iso(row["due_at"]),
        "address": row["neighbourhood__name"],
    }


def _open311_queries():
    return Query.objects.filter(source__startswith=SOURCE_PREFIX)


def request_detail(reference: str) -> list[dict[str, Any]]:
    """GeoReport v2 answers one request as a list of one."""
    row = _open311_queries().filter(reference=reference.strip().upper()).values(*FIELDS).first()
    if row is None:
        raise Open311Error(404, f"service_request_id {reference[:30]!r} was not found")
    return [_request(row)]


def _moment(params, name: str) -> datetime.datetime | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise Open311Error(
            400,
            f"{name} must be an ISO 8601 date and time with its offset, like 2026-11-02T09:30:00Z",
        )
    return moment


def _values(params, name: str) -> list[str]:
    return [value.strip() for value in params.get(name, "").split(",") if value.strip()]


def request_list(params, now: datetime.datetime | None = None) -> list[dict[str, Any]]:
    """GET requests: by service_request_id (which overrides the rest), or by service_code,
    status and a start_date/end_date range of at most 90 days (the last 90 by default)."""
    now = now or timezone.now()
    queries = _open311_queries()
    references = _values(params, "service_request_id")
    if references:
        # No reference holds a NUL character (which PostgreSQL cannot compare): such a value
        # matches nothing.
        wanted = [r.upper() for r in references[:MAX_LISTED] if "\x00" not in r]
        queries = queries.filter(reference__in=wanted)
    else:
        start, end = _moment(params, "start_date"), _moment(params, "end_date")
        span = datetime.timedelta(days=DEFAULT_DAYS)
        if start and end and end - start > span:
            raise Open311Error(400, "start_date and end_date may not be more than 90 days apart")
        if start is None:
            start = (end or now) - span
        if end is None:
            end = start + span
        queries = queries.filter(submitted_at__gte=start, submitted_at__lte=end)
        codes = _values(params, "service_code")
        unknown = [code for code in codes if code not in Topic.values]
        if unknown:
            raise Open311Error(404, f"service_code {unknown[0][:30]!r} is not a service here")
        if codes:
            queries = queries.filter(topic__in=codes)
        statuses = _values(params, "status")
        if any(status not in ("open", "closed") for status in statuses):
            raise Open311Error(400, "status must be open or closed, or both, comma separated")
        if statuses and set(statuses) != {"open", "closed"}:
            closed = Q(status=Query.Status.CLOSED)
            queries = queries.filter(closed if set(statuses) == {"closed"} else ~closed)
    rows = queries.order_by("-submitted_at").values(*FIELDS)[:MAX_LISTED]
    return [_request(row) for row in rows]
