"""The Guarantee figures as open data: each month's published figures (the public scorecard's,
dashboards.selectors.scorecard) for the force, a division or a neighbourhood, as JSON or CSV,
under the Open Government Licence.

    /api/performance/force.{json,csv}
    /api/performance/divisions/<division slug>.{json,csv}
    /api/performance/neighbourhoods/<neighbourhood id>.{json,csv}   (data.police.uk's id)

`?from=YYYY-MM&to=YYYY-MM` choose the months (both included; by default the last 12 whole
months). The JSON carries the licence; the CSV a `Link: <licence>; rel="license"` header, so its
rows stay plain for any reader. Figures counted over too few queries are null in both.
"""

import datetime
import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from api.openapi import MONTH_PATTERN
from api.views import BadRequest, NotFound, api_view
from config.spreadsheets import csv_lines
from dashboards import public
from dashboards.selectors.scorecard import (
    MOST_MONTHS,
    Figures,
    default_months,
    division_scope,
    force_scope,
    months_between,
    neighbourhood_scope,
)
from neighbourhoods.models import Division, Neighbourhood
from officers.scopes import Scope

# What from and to accept, exactly as the OpenAPI document's pattern says.
_MONTH = re.compile(MONTH_PATTERN[1:-1])
# The CSV's columns and the JSON's keys of each month, in this order. Never renamed.
COLUMNS = (
    "month",
    "first_day",
    "last_day",
    "queries",
    "answered_within_target",
    "share_within_target_percent",
    "median_first_response_seconds",
    "suppressed",
)


def _month(value: str, name: str) -> datetime.date:
    if not _MONTH.fullmatch(value):
        raise BadRequest(
            f"{name} must be a month as YYYY-MM, from 2000-01 to 2099-12, e.g. 2026-04."
        )
    return datetime.date(int(value[:4]), int(value[5:]), 1)


def months_asked(request: HttpRequest, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last month asked for by ?from and ?to. Raises BadRequest with a message."""
    first, last = default_months(today)
    given_from, given_to = request.GET.get("from"), request.GET.get("to")
    if given_from is not None:
        first = _month(given_from, "from")
    if given_to is not None:
        last = _month(given_to, "to")
    if given_from is not None and given_to is None:
        last = max(first, last)
    if given_to is not None and given_from is None:
        first = min(first, last)
    this_month = today.replace(day=1)
    if first > this_month:
        raise BadRequest(f"from must be this month ({this_month:%Y-%m}) or earlier.")
    if last > this_month:
        raise BadRequest(f"to must be this month ({this_month:%Y-%m}) or earlier.")
    if first > last:
        raise BadRequest("from must be the same month as to or earlier.")
    if months_between(first, last) > MOST_MONTHS:
        raise BadRequest(f"Ask for at most {MOST_MONTHS} months at a time.")
    return first, last


def _row(figures: Figures) -> dict[str, Any]:
    return {
        "month": f"{figures.first_day:%Y-%m}",
        "first_day": figures.first_day.isoformat(),
        "last_day": figures.last_day.isoformat(),
        "queries": figures.queries,
        "answered_within_target": figures.met,
        "share_within_target_percent": figures.share_percent,
        "median_first_response_seconds": figures.median_seconds,
        "suppressed": figures.suppressed,
    }


def _answer(request: HttpRequest, scope: Scope, area: dict[str, Any], fmt: str) -> Any:
    first, last = months_asked(request, timezone.localdate())
    months, as_of = public.monthly_figures(scope, first, last)
    rows = [_row(month) for month in months]
    if fmt == "csv":
        lines = csv_lines([list(COLUMNS), *([row[c] for c in COLUMNS] for row in rows)])
        response = HttpResponse("".join(lines), content_type="text/csv; charset=utf-8")
        response["Link"] = (
            f'<{settings.OPEN_DATA_LICENCE_URL}>; rel="license"; '
            f'title="{settings.OPEN_DATA_LICENCE_NAME}"'
        )
        return response
    return {
        "area": area,
        "figures_as_of": as_of.isoformat(timespec="seconds"),
        "response_target_hours": settings.RESPONSE_TARGET_HOURS,
        "suppression_threshold": settings.PUBLIC_SUPPRESSION_THRESHOLD,
        "licence": {
            "name": settings.OPEN_DATA_LICENCE_NAME,
            "url": settings.OPEN_DATA_LICENCE_URL,
        },
        "months": rows,
    }


@api_view
def force_figures(request: HttpRequest, fmt: str) -> Any:
    return _answer(
        request,
        force_scope(),
        {"type": "force", "id": settings.FORCE_SLUG, "name": settings.FORCE_NAME},
        fmt,
    )


@api_view
def division_figures(request: HttpRequest, division: str, fmt: str) -> Any:
    found = Division.objects.filter(force__slug=settings.FORCE_SLUG, slug=division).first()
    if found is None:
        raise NotFound(f"There is no division with the id '{division}'.")
    return _answer(
        request,
        division_scope(found),
        {"type": "division", "id": found.slug, "name": found.name},
        fmt,
    )


@api_view
def neighbourhood_figures(request: HttpRequest, neighbourhood: str, fmt: str) -> Any:
    found = (
        Neighbourhood.objects.filter(force__slug=settings.FORCE_SLUG, code=neighbourhood)
        .only("pk", "slug", "code", "name")
        .first()
    )
    if found is None:
        raise NotFound(f"There is no neighbourhood with the id '{neighbourhood}'.")
    return _answer(
        request,
        neighbourhood_scope(found),
        {"type": "neighbourhood", "id": found.code, "name": found.name},
        fmt,
    )
