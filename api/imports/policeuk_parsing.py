"""Reading data.police.uk records: each function returns a value the portal stores, or raises
BadRecord saying what is wrong with the record (and, for a list, at which position)."""

import datetime
import html
import json
import math
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import nh3
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from meetings.models import Event
from neighbourhoods.geo import InvalidBoundary, boundary_geometry
from neighbourhoods.sanitise import http_url
from officers.models import Assignment, Rank

UK_TIME = zoneinfo.ZoneInfo("Europe/London")

# Where one block of text ends: turned into a line break before the tags are stripped.
BLOCK_END_RE = re.compile(r"<\s*(?:br|/p|/li|/div|/h[1-6]|/ul|/ol|/tr)\b[^>]*>", re.IGNORECASE)

RANKS = {
    "pc": Rank.PC,
    "police constable": Rank.PC,
    "constable": Rank.PC,
    "pcso": Rank.PCSO,
    "police community support officer": Rank.PCSO,
    "sc": Rank.SC,
    "special constable": Rank.SC,
    "sgt": Rank.SGT,
    "sergeant": Rank.SGT,
    "police sergeant": Rank.SGT,
    "insp": Rank.INSP,
    "inspector": Rank.INSP,
    "police inspector": Rank.INSP,
    "ch insp": Rank.CH_INSP,
    "chief insp": Rank.CH_INSP,
    "chief inspector": Rank.CH_INSP,
}
ROLE_FOR_RANK = {
    Rank.SGT: Assignment.Role.SERGEANT,
    Rank.INSP: Assignment.Role.INSPECTOR,
    Rank.CH_INSP: Assignment.Role.INSPECTOR,
}
# data.police.uk calls all of these "meeting"; an import leaves the portal's finer choice alone.
MEETING_TYPES = {
    Event.Type.BEAT_MEETING,
    Event.Type.BEAT_SURGERY,
    Event.Type.PARTNERSHIP_MEETING,
}
LINK_KEYS = ("url", "title", "description")
# data.police.uk's contact_details keys whose values are web addresses; `email` and `telephone`
# have columns of their own, and `mobile`, `fax` or `address` have no place in the portal.
SOCIAL_LINK_KEYS = (
    "facebook",
    "twitter",
    "youtube",
    "myspace",
    "bebo",
    "flickr",
    "google-plus",
    "forum",
    "e-messaging",
    "blog",
    "rss",
    "web",
)
CONTACT_COLUMNS = ("email", "telephone")


class BadRecord(ValueError):
    """A record (or file) the import cannot use. `position` is an index inside the file."""

    def __init__(self, message: str, *, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


@dataclass
class LeftOut:
    """What reading one record left out while keeping the rest: values that are wrong (each
    said in a message naming the field) and fields the portal has no place for (by name)."""

    bad: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def shown(value: Any) -> str:
    """A value as it appears in the source, short enough for a one-line message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else f"{text[:57]}..."


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except OSError as exc:
        raise BadRecord(f"cannot be read: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRecord(f"is not valid JSON: {exc}") from exc


def as_dict(value: Any, what: str = "the record") -> dict:
    if not isinstance(value, dict):
        raise BadRecord(f"{what} is not a JSON object")
    return value


def as_list(value: Any, what: str = "the file") -> list:
    if not isinstance(value, list):
        raise BadRecord(f"{what} is not a JSON list")
    return value


def text(record: dict, key: str, *, required: bool = False) -> str:
    """A string field, stripped; "" when absent or null unless `required`."""
    value = record.get(key)
    if value is None:
        if required:
            raise BadRecord(f'missing "{key}"')
        return ""
    if not isinstance(value, str):
        raise BadRecord(f"{key} {shown(value)} is not text")
    value = value.strip()
    if required and not value:
        raise BadRecord(f"{key} is empty")
    return value


def number(value: Any, key: str) -> float:
    """A finite number given as a JSON number or a numeric string (data.police.uk uses both)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise BadRecord(f"{key} {shown(value)} is not a number")
    try:
        result = float(value)
    except ValueError:
        raise BadRecord(f"{key} {shown(value)} is not a number") from None
    if not math.isfinite(result):
        raise BadRecord(f"{key} {shown(value)} is not a number")
    return result


def latitude_longitude(record: dict) -> tuple[float, float]:
    latitude = number(record.get("latitude"), "latitude")
    longitude = number(record.get("longitude"), "longitude")
    if not -90 <= latitude <= 90:
        raise BadRecord(f"latitude {shown(record['latitude'])} is out of range")
    if not -180 <= longitude <= 180:
        raise BadRecord(f"longitude {shown(record['longitude'])} is out of range")
    return latitude, longitude


def population(value: Any) -> int | None:
    """data.police.uk gives the population as a string, "0" when it is not known."""
    if value in (None, "", "0", 0):
        return None
    result = number(value, "population")
    if result < 0 or not result.is_integer():
        raise BadRecord(f"population {shown(value)} is not a whole number")
    return int(result)


def local_datetime(value: Any, key: str) -> datetime.datetime:
    """`YYYY-MM-DDTHH:MM:SS` in UK local time (no offset) as an aware datetime."""
    if value is None:
        raise BadRecord(f'missing "{key}"')
    if not isinstance(value, str):
        raise BadRecord(f"{key} {shown(value)} is not a date")
    try:
        parsed = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadRecord(f"{key} {shown(value)} is not a date") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UK_TIME)
    return parsed


def optional_date(value: Any, key: str) -> datetime.date | None:
    if value is None or value == "":
        return None
    return local_datetime(value, key).date()


def text_from_html(value: str, *, between_blocks: str = " ") -> str:
    """The words of an HTML fragment: no tags, entities decoded, whitespace normalised, and
    paragraphs, list items and lines joined by `between_blocks`."""
    stripped = html.unescape(nh3.clean(BLOCK_END_RE.sub("\n", value), tags=set()))
    blocks = (" ".join(line.split()) for line in stripped.split("\n"))
    return between_blocks.join(block for block in blocks if block)


def rank(value: str) -> str:
    key = " ".join(value.replace(".", " ").lower().split())
    if key not in RANKS:
        raise BadRecord(f"rank {shown(value)} is not a rank the portal knows")
    return RANKS[key]


def name_without_rank(name: str, officer_rank: str) -> str:
    """'Sgt Mick Cartwright' -> 'Mick Cartwright': the rank is shown from its own field."""
    words = name.split()
    for size in (3, 2, 1):
        title = " ".join(words[:size]).replace(".", " ").lower()
        if len(words) > size and RANKS.get(" ".join(title.split())) == officer_rank:
            return " ".join(words[size:])
    return " ".join(words)


# --- Boundaries ---------------------------------------------------------------------------------


def _closed_ring(points: list[list[float]]) -> list[list[float]]:
    if points and points[0] != points[-1]:
        points = [*points, points[0]]
    if len({tuple(point) for point in points}) < 3:
        raise BadRecord("a boundary ring needs at least three different points")
    return points


def boundary_from_points(value: Any) -> dict:
    """data.police.uk's boundary, `[{"latitude", "longitude"}, ...]`, as a GeoJSON Polygon."""
    ring = []
    for position, point in enumerate(as_list(value)):
        try:
            latitude, longitude = latitude_longitude(as_dict(point, "the point"))
        except BadRecord as exc:
            raise BadRecord(str(exc), position=position) from None
        ring.append([longitude, latitude])
    return {"type": "Polygon", "coordinates": [_closed_ring(ring)]}


def _local_name(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _kml_ring(element: Element) -> list[list[float]]:
    coordinates = next((e for e in element.iter() if _local_name(e) == "coordinates"), None)
    if coordinates is None or not (coordinates.text or "").strip():
        raise BadRecord("a KML ring has no coordinates")
    ring = []
    for item in coordinates.text.split():
        parts = item.split(",")
        if len(parts) < 2:
            raise BadRecord(f"KML coordinate {shown(item)} is not longitude,latitude")
        longitude = number(parts[0], "longitude")
        latitude = number(parts[1], "latitude")
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise BadRecord(f"KML coordinate {shown(item)} is out of range")
        ring.append([longitude, latitude])
    return _closed_ring(ring)


def boundary_from_kml(data: bytes) -> dict:
    """Every KML Polygon in the file (alone or in a MultiGeometry) as GeoJSON."""
    try:
        root = SafeElementTree.fromstring(data)
    except (ParseError, DefusedXmlException) as exc:
        raise BadRecord(f"is not valid KML: {exc}") from exc
    polygons = []
    for polygon in (e for e in root.iter() if _local_name(e) == "Polygon"):
        outer = [e for e in polygon if _local_name(e) == "outerBoundaryIs"]
        if len(outer) != 1:
            raise BadRecord("a KML Polygon needs exactly one outerBoundaryIs")
        inner = [e for e in polygon if _local_name(e) == "innerBoundaryIs"]
        polygons.append([_kml_ring(outer[0]), *(_kml_ring(e) for e in inner)])
    if not polygons:
        raise BadRecord("the KML has no Polygon")
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def checked_boundary(boundary: dict) -> tuple[float, float]:
    """Refuse a boundary the locator cannot use; answer a point inside it (latitude, longitude)."""
    try:
        geometry = boundary_geometry(boundary)
    except InvalidBoundary as exc:
        raise BadRecord(str(exc)) from exc
    if geometry.area == 0:
        raise BadRecord("the boundary encloses no area")
    point = geometry.representative_point()
    return point.y, point.x


# --- Records ------------------------------------------------------------------------------------


def optional_scalar(record: dict, key: str) -> str | int | float | None:
    value = record.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, str | int | float)):
        raise BadRecord(f"{key} {shown(value)} is not text")
    return value.strip() if isinstance(value, str) else value


def object_list(value: Any, key: str, keys: tuple[str, ...]) -> list[dict]:
    """A list of small objects (links, locations) kept with the keys the API serves."""
    if value is None:
        return []
    result = []
    for position, item in enumerate(as_list(value, key)):
        item = as_dict(item, f"{key}[{position}]")
        result.append({k: optional_scalar(item, k) for k in keys})
    return result


def contact_details(record: dict) -> dict:
    return as_dict(record.get("contact_details") or {}, "contact_details")


def web_address(value: Any, key: str, *, max_length: int | None = None) -> str:
    """An http or https URL, or "" for none. Anything else (a `javascript:` link, a telephone
    number) would become a link on a public page: a BadRecord naming `key`."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRecord(f"{key} {shown(value)} is not text")
    value = value.strip()
    if not value:
        return ""
    if not http_url(value):
        raise BadRecord(f"{key} {shown(value)} is not a web address (http or https)")
    if max_length is not None and len(value) > max_length:
        raise BadRecord(f"{key} {shown(value)} is longer than {max_length} characters")
    return value


def link_list(value: Any, key: str, left_out: LeftOut) -> list[dict]:
    """`[{"url", "title", "description"}]`; a link without a web address is left out."""
    links = []
    for position, link in enumerate(object_list(value, key, LINK_KEYS)):
        try:
            link["url"] = web_address(link["url"], f"{key}[{position}].url")
        except BadRecord as exc:
            left_out.bad.append(str(exc))
            continue
        if not link["url"]:
            left_out.bad.append(f"{key}[{position}] has no url")
            continue
        links.append(link)
    return links


def social_links(contact: dict, left_out: LeftOut) -> dict[str, str]:
    """The contact details that are web addresses, by data.police.uk's keys."""
    links = {}
    for key, value in contact.items():
        if key in CONTACT_COLUMNS:
            continue
        if key not in SOCIAL_LINK_KEYS:
            if value not in (None, ""):
                left_out.ignored.append(f"contact_details.{key}")
            continue
        try:
            url = web_address(value, f"contact_details.{key}")
        except BadRecord as exc:
            left_out.bad.append(str(exc))
            continue
        if url:
            links[key] = url
    return links


def ignored_contact_details(contact: dict, left_out: LeftOut) -> None:
    """An officer's profile keeps only an email address and a telephone number."""
    for key, value in contact.items():
        if key not in CONTACT_COLUMNS and value not in (None, ""):
            left_out.ignored.append(f"contact_details.{key}")


def event_type(source: str, current: str | None) -> str:
    """data.police.uk's "meeting" is a beat meeting, anything else a community event; the
    portal's own type names (as its API serves them) are kept as they are."""
    if source == "meeting":
        return current if current in MEETING_TYPES else Event.Type.BEAT_MEETING
    if source in Event.Type.values:
        return source
    if current is not None and current not in MEETING_TYPES:
        return current
    return Event.Type.COMMUNITY_EVENT
