"""The neighbourhood boundary: an inline SVG outline, which needs nothing from elsewhere, and
the street map that replaces it where JavaScript runs and a tile server is set."""

import math

from django import template
from django.conf import settings
from django.utils.html import format_html

register = template.Library()

SIZE = 300  # the viewBox's longer side


def _polygons(boundary: dict) -> list[list[list[list[float]]]]:
    if boundary.get("type") == "Polygon":
        return [boundary["coordinates"]]
    if boundary.get("type") == "MultiPolygon":
        return list(boundary["coordinates"])
    return []


def boundary_path(boundary: dict | None) -> tuple[str, int, int] | None:
    """An SVG path (all rings, even-odd fill) and the viewBox's width and height."""
    try:
        polygons = _polygons(boundary or {})
        points = [pt for polygon in polygons for ring in polygon for pt in ring]
        lngs = [float(p[0]) for p in points]
        lats = [float(p[1]) for p in points]
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    if not points:
        return None
    # An equirectangular projection at the neighbourhood's latitude: right for a small area.
    squash = math.cos(math.radians((min(lats) + max(lats)) / 2))
    width_deg = (max(lngs) - min(lngs)) * squash or 1e-9
    height_deg = (max(lats) - min(lats)) or 1e-9
    scale = SIZE / max(width_deg, height_deg)
    width, height = round(width_deg * scale), round(height_deg * scale)

    def xy(point: list[float]) -> str:
        x = (float(point[0]) - min(lngs)) * squash * scale
        y = (max(lats) - float(point[1])) * scale
        return f"{x:.1f},{y:.1f}"

    rings = [
        "M" + " L".join(xy(p) for p in ring) + " Z" for polygon in polygons for ring in polygon
    ]
    return " ".join(rings), max(width, 1), max(height, 1)


@register.simple_tag
def boundary_svg(neighbourhood) -> str:
    drawn = boundary_path(neighbourhood.boundary)
    if drawn is None:
        return ""
    path, width, height = drawn
    pad = 6
    return format_html(
        '<svg class="portal-boundary" viewBox="{} {} {} {}" role="img" '
        'aria-labelledby="boundary-title" focusable="false">'
        '<title id="boundary-title">Outline of the {} neighbourhood boundary</title>'
        '<path d="{}" fill-rule="evenodd"/></svg>',
        -pad,
        -pad,
        width + 2 * pad,
        height + 2 * pad,
        neighbourhood.name,
        path,
    )


@register.inclusion_tag("neighbourhoods/_area_map.html")
def area_map(neighbourhood) -> dict:
    """The outline, inside what static/js/area-map.js turns into a map of the boundary (when
    MAP_TILE_URL is set; the page then loads Leaflet)."""
    outline = boundary_svg(neighbourhood)
    return {
        "neighbourhood": neighbourhood,
        "outline": outline,
        "map_tile_url": settings.MAP_TILE_URL if outline else "",
        "map_attribution": settings.MAP_ATTRIBUTION,
    }
