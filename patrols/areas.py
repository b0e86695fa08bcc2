"""A hotspot's area: typed as "latitude, longitude" pairs one a line (a polygon), or a point
and a radius in metres (a circle); checked with shapely against the neighbourhood boundaries,
as neighbourhoods.geo reads them. The messages say what to change."""

import math
import re

import shapely
from django.utils.translation import gettext
from shapely.geometry import Polygon, shape
from shapely.validation import explain_validity

from config.bilingual import in_language
from neighbourhoods.geo import InvalidBoundary, boundary_geometry
from neighbourhoods.models import Neighbourhood

MIN_CORNERS = 3
MAX_CORNERS = 200
MIN_RADIUS, MAX_RADIUS = 10, 2000  # metres
METRES_PER_DEGREE = 111_320
CIRCLE_CORNERS = 32
_PAIR = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[,\s]\s*(-?\d{1,3}(?:\.\d+)?)\s*$")
EXAMPLE = "52.9225, -1.4746"


class AreaError(ValueError):
    """An area that cannot be a hotspot's, with the message to show."""


def polygon_from_text(text: str) -> Polygon:
    """A polygon from "latitude, longitude" lines, in order round the edge (the first corner
    need not be repeated at the end)."""
    corners = []
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > MAX_CORNERS:
        raise AreaError(gettext("Give %(most)s corners or fewer") % {"most": MAX_CORNERS})
    for number, line in enumerate(lines, start=1):
        match = _PAIR.match(line)
        if not match:
            raise AreaError(
                gettext(
                    "Line %(number)s is not a latitude and longitude: "
                    "write each corner like %(example)s"
                )
                % {"number": number, "example": EXAMPLE}
            )
        latitude, longitude = float(match[1]), float(match[2])
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise AreaError(
                gettext("Line %(number)s is not a place on Earth: latitude first, like %(example)s")
                % {"number": number, "example": EXAMPLE}
            )
        corners.append((longitude, latitude))
    if len(corners) > 1 and corners[0] == corners[-1]:
        corners.pop()
    if len(set(corners)) < MIN_CORNERS:
        raise AreaError(
            gettext("Give at least %(least)s different corners, one a line")
            % {"least": MIN_CORNERS}
        )
    polygon = Polygon(corners)
    if not polygon.is_valid:
        reason = explain_validity(polygon)
        if "Self-intersection" in reason:
            raise AreaError(
                gettext(
                    "The edge of the area crosses itself: list the corners in order round the edge"
                )
            )
        raise AreaError(
            gettext("The corners do not make an area (%(reason)s)") % {"reason": reason}
        )
    if polygon.area == 0:
        raise AreaError(gettext("The corners do not make an area: they lie on one line"))
    return polygon


def point_from_text(text: str) -> tuple[float, float]:
    """(latitude, longitude) from "52.9225, -1.4746"."""
    match = _PAIR.match(text)
    if not match:
        raise AreaError(
            gettext("Enter the centre as a latitude and longitude, like %(example)s")
            % {"example": EXAMPLE}
        )
    return float(match[1]), float(match[2])


def circle(latitude: float, longitude: float, radius: int) -> Polygon:
    """A circle `radius` metres around the point, as a polygon in degrees."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise AreaError(
            gettext("The centre is not a place on Earth: latitude first, like %(example)s")
            % {"example": EXAMPLE}
        )
    if not MIN_RADIUS <= radius <= MAX_RADIUS:
        raise AreaError(
            gettext("The radius must be between %(least)s and %(most)s metres")
            % {"least": MIN_RADIUS, "most": f"{MAX_RADIUS:,}"}
        )
    north = radius / METRES_PER_DEGREE
    east = radius / (METRES_PER_DEGREE * math.cos(math.radians(latitude)))
    corners = [
        (
            round(longitude + east * math.cos(math.tau * i / CIRCLE_CORNERS), 6),
            round(latitude + north * math.sin(math.tau * i / CIRCLE_CORNERS), 6),
        )
        for i in range(CIRCLE_CORNERS)
    ]
    return Polygon(corners)


def geojson(polygon: Polygon) -> dict:
    """The polygon as a stored GeoJSON geometry, its corners rounded to about 10 cm."""
    exterior = [[round(x, 6), round(y, 6)] for x, y in polygon.exterior.coords]
    return {"type": "Polygon", "coordinates": [exterior]}


def as_text(area: dict) -> str:
    """A stored polygon as "latitude, longitude" lines, to show it back in the form."""
    ring = shape(area).exterior.coords[:-1]
    return "\n".join(f"{y}, {x}" for x, y in ring)


def _boundary(neighbourhood: Neighbourhood) -> shapely.Geometry | None:
    if not neighbourhood.boundary:
        return None
    try:
        return boundary_geometry(neighbourhood.boundary)
    except InvalidBoundary:
        return None


def check_within(polygon: Polygon, neighbourhood: Neighbourhood) -> None:
    """Refuse an area outside every boundary of the force, or outside its own neighbourhood.
    A place on a boundary (a road between two neighbourhoods) is allowed: it must touch its
    neighbourhood's area, not lie wholly inside it. A neighbourhood without a boundary cannot
    be checked, so it is not."""
    boundaries = [
        geometry
        for geometry in (
            _boundary(other)
            for other in Neighbourhood.objects.exclude(boundary__isnull=True).only("pk", "boundary")
        )
        if geometry is not None
    ]
    if boundaries and not any(polygon.intersects(geometry) for geometry in boundaries):
        raise AreaError(
            gettext(
                "This area is outside the force: check the latitude and longitude of each point"
            )
        )
    own = _boundary(neighbourhood)
    if own is not None and not polygon.intersects(own):
        raise AreaError(
            gettext("This area is outside %(name)s: choose the neighbourhood it is in")
            % {"name": in_language(neighbourhood, "name")}
        )
