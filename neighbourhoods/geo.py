"""Which neighbourhood contains a point: an STRtree over the boundaries, held per process.

The tree is rebuilt when the boundaries version (in the shared cache) moves on, so every web
process and worker sees a boundary change without a restart.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import shapely
from shapely.geometry import shape
from shapely.strtree import STRtree

from config import caching
from neighbourhoods.models import Neighbourhood


class InvalidBoundary(ValueError):
    """A boundary that is not a GeoJSON Polygon or MultiPolygon with valid rings."""


def boundary_geometry(boundary: dict) -> shapely.Geometry:
    """A valid shapely (Multi)Polygon from a stored GeoJSON geometry, or InvalidBoundary."""
    if not isinstance(boundary, dict) or boundary.get("type") not in {"Polygon", "MultiPolygon"}:
        raise InvalidBoundary("a boundary must be a GeoJSON Polygon or MultiPolygon")
    try:
        geometry = shape(boundary)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise InvalidBoundary(f"the boundary's coordinates are not usable: {exc}") from exc
    if geometry.is_empty:
        raise InvalidBoundary("the boundary is empty")
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    return geometry


@dataclass(frozen=True)
class Locator:
    """An STRtree of boundaries; `locate` answers the id whose boundary contains the point."""

    ids: tuple[int, ...]
    tree: STRtree | None

    @classmethod
    def build(cls, items: Iterable[tuple[int, shapely.Geometry]]) -> "Locator":
        ids, geometries = [], []
        for pk, geometry in items:
            shapely.prepare(geometry)
            ids.append(pk)
            geometries.append(geometry)
        return cls(ids=tuple(ids), tree=STRtree(geometries) if geometries else None)

    def locate(self, latitude: float, longitude: float) -> int | None:
        if self.tree is None:
            return None
        hits = self.tree.query(shapely.Point(longitude, latitude), predicate="intersects")
        return self.ids[min(hits)] if len(hits) else None

    def locate_many(self, latitudes, longitudes) -> list[int | None]:
        """Bulk lookup for imports: one vectorised query for many points."""
        if self.tree is None:
            return [None] * len(latitudes)
        points = shapely.points(longitudes, latitudes)
        found: list[int | None] = [None] * len(points)
        point_index, tree_index = self.tree.query(points, predicate="intersects")
        for p, t in zip(point_index.tolist(), tree_index.tolist(), strict=True):
            if found[p] is None:
                found[p] = self.ids[t]
        return found


def load_locator() -> Locator:
    """A locator built now from the database, for batch jobs that must see every change."""
    rows = Neighbourhood.objects.exclude(boundary__isnull=True).values_list("pk", "boundary")
    items = []
    for pk, boundary in rows.iterator(chunk_size=500):
        try:
            items.append((pk, boundary_geometry(boundary)))
        except InvalidBoundary:
            continue
    return Locator.build(items)


_lock = threading.Lock()
_cached: tuple[int | None, Locator] | None = None


def get_locator() -> Locator:
    """The process's locator, rebuilt when any boundary has changed since it was built.

    While the shared cache cannot be reached (version None) the process keeps the locator it
    has, and builds one only if it has none."""
    global _cached
    version = caching.boundaries_version()
    current = _cached
    if current is not None and (current[0] == version or version is None):
        return current[1]
    with _lock:
        if _cached is None or (version is not None and _cached[0] != version):
            _cached = (version, load_locator())
        return _cached[1]


def locate_neighbourhood(*, latitude: float, longitude: float) -> Neighbourhood | None:
    pk = get_locator().locate(latitude, longitude)
    if pk is None:
        return None
    return Neighbourhood.objects.select_related("force").filter(pk=pk).first()
