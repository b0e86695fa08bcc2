"""Finding a resident's neighbourhood from what they type or where they are.

Every outcome is a `SearchResult`: a neighbourhood to go to, a list to choose from, or a
message that says what went wrong and what to do instead.
"""

import math
import re
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q

from neighbourhoods.geo import locate_neighbourhood
from neighbourhoods.models import Neighbourhood, Postcode
from neighbourhoods.postcodes import normalise_postcode

MAX_MATCHES = 20
# Letters then a digit: someone typing a postcode, full or not.
LOOKS_LIKE_POSTCODE = re.compile(r"^[A-Za-z]{1,2}[0-9]")
OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


class Problem(StrEnum):
    EMPTY = "empty"
    BAD_POSTCODE = "bad_postcode"
    UNKNOWN_POSTCODE = "unknown_postcode"
    POSTCODE_OUTSIDE = "postcode_outside"
    NO_MATCH = "no_match"
    BAD_LOCATION = "bad_location"
    LOCATION_OUTSIDE = "location_outside"


@dataclass
class SearchResult:
    neighbourhood: Neighbourhood | None = None
    matches: list[Neighbourhood] = field(default_factory=list)
    problem: Problem | None = None
    query: str = ""


def _name_matches(text: str) -> list[Neighbourhood]:
    words = text.split()
    condition = Q()
    for word in words:
        condition &= (
            Q(name__icontains=word) | Q(name_cy__icontains=word) | Q(division__name__icontains=word)
        )
    return list(
        Neighbourhood.objects.filter(condition)
        .select_related("division")
        .order_by("name")[:MAX_MATCHES]
    )


def _outward_matches(outward: str) -> list[Neighbourhood]:
    ids = Postcode.objects.filter(
        postcode__startswith=f"{outward} ", neighbourhood__isnull=False
    ).values("neighbourhood_id")
    return list(
        Neighbourhood.objects.filter(pk__in=ids)
        .select_related("division")
        .order_by("name")[:MAX_MATCHES]
    )


def search_text(text: str) -> SearchResult:
    """A postcode goes straight to its neighbourhood; a name lists the neighbourhoods it matches.
    Runs of spaces count as one, and a NUL character (which PostgreSQL cannot compare) as a
    space."""
    query = " ".join((text or "").replace("\x00", " ").split())[:100]
    if not query:
        return SearchResult(problem=Problem.EMPTY)
    postcode = normalise_postcode(query)
    if postcode:
        row = Postcode.objects.select_related("neighbourhood").filter(postcode=postcode).first()
        if row is None:
            return SearchResult(problem=Problem.UNKNOWN_POSTCODE, query=postcode)
        if row.neighbourhood is None:
            return SearchResult(problem=Problem.POSTCODE_OUTSIDE, query=postcode)
        return SearchResult(neighbourhood=row.neighbourhood, query=postcode)
    compact = query.replace(" ", "").upper()
    if OUTWARD_CODE.match(compact):
        matches = _outward_matches(compact)
        if matches:
            return SearchResult(matches=matches, query=compact)
    if LOOKS_LIKE_POSTCODE.match(query):
        matches = _name_matches(query)
        if matches:
            return SearchResult(matches=matches, query=query)
        return SearchResult(problem=Problem.BAD_POSTCODE, query=query)
    matches = _name_matches(query)
    if not matches:
        return SearchResult(problem=Problem.NO_MATCH, query=query)
    return SearchResult(matches=matches, query=query)


def _coordinate(value: str | None, limit: float) -> float | None:
    try:
        number = float(value or "")
    except ValueError:
        return None
    if not math.isfinite(number) or abs(number) > limit:
        return None
    return number


def search_location(latitude: str | None, longitude: str | None) -> SearchResult:
    """The neighbourhood whose boundary contains the point the browser reported."""
    lat, lng = _coordinate(latitude, 90), _coordinate(longitude, 180)
    if lat is None or lng is None:
        return SearchResult(problem=Problem.BAD_LOCATION)
    neighbourhood = locate_neighbourhood(latitude=lat, longitude=lng)
    if neighbourhood is None:
        return SearchResult(problem=Problem.LOCATION_OUTSIDE)
    return SearchResult(neighbourhood=neighbourhood)
