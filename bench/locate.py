"""Speed of finding the neighbourhood that contains a point, with the portal's STRtree locator.

    .venv/bin/python bench/locate.py

Needs no database rows: it builds a grid of irregular polygons covering a region about the size
of England in memory (neighbouring polygons share their jittered edges, so they tile it with no
gaps or overlaps), builds a `neighbourhoods.geo.Locator` over them, then times random point
lookups with `Locator.locate` (goal: at least 10,000 a second) and `Locator.locate_many`, and
compares them with a naive scan that asks every polygon whether it contains the point.
"""

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

import shapely  # noqa: E402

from neighbourhoods.geo import Locator  # noqa: E402

# England's extent, roughly: 50.0 to 55.8 N, 5.7 W to 1.8 E.
SOUTH, NORTH, WEST, EAST = 50.0, 55.8, -5.7, 1.8
ROWS, COLUMNS = 60, 80  # 4,800 neighbourhoods
LOOKUPS = 100_000
NAIVE_LOOKUPS = 500
GOAL = 10_000
SEED = 2026


def _grid_polygons(rng: random.Random) -> list[shapely.Polygon]:
    """A jittered lattice: each cell has 4 jittered corners and 4 jittered edge midpoints."""
    cell_height = (NORTH - SOUTH) / ROWS
    cell_width = (EAST - WEST) / COLUMNS

    def jitter(amount: float) -> tuple[float, float]:
        return (
            rng.uniform(-amount, amount) * cell_width,
            rng.uniform(-amount, amount) * cell_height,
        )

    def point(column: float, row: float, offset: tuple[float, float]) -> tuple[float, float]:
        return (WEST + column * cell_width + offset[0], SOUTH + row * cell_height + offset[1])

    def on_border(column: float, row: float) -> bool:
        return column in (0, COLUMNS) or row in (0, ROWS)

    corners = {
        (c, r): point(c, r, (0.0, 0.0) if on_border(c, r) else jitter(0.2))
        for c in range(COLUMNS + 1)
        for r in range(ROWS + 1)
    }
    # Midpoints of the horizontal edges (c + 0.5, r) and of the vertical edges (c, r + 0.5);
    # on the region's border they move only along the border, so the outline stays straight.
    midpoints = {}
    for c in range(COLUMNS):
        for r in range(ROWS + 1):
            dx, dy = jitter(0.12)
            midpoints[(c + 0.5, r)] = point(c + 0.5, r, (dx, 0.0 if r in (0, ROWS) else dy))
    for c in range(COLUMNS + 1):
        for r in range(ROWS):
            dx, dy = jitter(0.12)
            midpoints[(c, r + 0.5)] = point(c, r + 0.5, (0.0 if c in (0, COLUMNS) else dx, dy))

    polygons = []
    for r in range(ROWS):
        for c in range(COLUMNS):
            ring = [
                corners[(c, r)],
                midpoints[(c + 0.5, r)],
                corners[(c + 1, r)],
                midpoints[(c + 1, r + 0.5)],
                corners[(c + 1, r + 1)],
                midpoints[(c + 0.5, r + 1)],
                corners[(c, r + 1)],
                midpoints[(c, r + 0.5)],
            ]
            polygons.append(shapely.Polygon(ring))
    return polygons


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f} lookups/s"


def main() -> None:
    rng = random.Random(SEED)
    polygons = _grid_polygons(rng)
    invalid = sum(not polygon.is_valid for polygon in polygons)
    if invalid:
        sys.exit(f"{invalid} of the synthetic polygons are not valid")
    # The locator prepares the geometries it is given; the naive scan gets its own copies.
    naive_polygons = [shapely.Polygon(polygon.exterior.coords) for polygon in polygons]

    started = time.perf_counter()
    locator = Locator.build(enumerate(polygons, start=1))
    build_seconds = time.perf_counter() - started

    latitudes = [rng.uniform(SOUTH, NORTH) for _ in range(LOOKUPS)]
    longitudes = [rng.uniform(WEST, EAST) for _ in range(LOOKUPS)]

    started = time.perf_counter()
    located = [locator.locate(lat, lng) for lat, lng in zip(latitudes, longitudes, strict=True)]
    locate_seconds = time.perf_counter() - started

    started = time.perf_counter()
    located_many = locator.locate_many(latitudes, longitudes)
    many_seconds = time.perf_counter() - started

    started = time.perf_counter()
    naive = []
    for lat, lng in zip(latitudes[:NAIVE_LOOKUPS], longitudes[:NAIVE_LOOKUPS], strict=True):
        point = shapely.Point(lng, lat)
        naive.append(
            next(
                (pk for pk, polygon in enumerate(naive_polygons, 1) if polygon.contains(point)),
                None,
            )
        )
    naive_seconds = time.perf_counter() - started

    found = sum(pk is not None for pk in located)
    agree = sum(a == b for a, b in zip(naive, located[:NAIVE_LOOKUPS], strict=True))
    locate_rate = LOOKUPS / locate_seconds
    naive_rate = NAIVE_LOOKUPS / naive_seconds

    print(f"polygons: {len(polygons):,} ({ROWS} x {COLUMNS} grid over England's extent)")
    print(f"build: {build_seconds * 1000:,.0f} ms")
    print(f"locate: {_rate(LOOKUPS, locate_seconds)} ({LOOKUPS:,} random points)")
    print(f"locate goal: {GOAL:,} lookups/s: {'met' if locate_rate >= GOAL else 'NOT MET'}")
    print(f"locate_many: {_rate(LOOKUPS, many_seconds)} ({LOOKUPS:,} points in one call)")
    print(f"naive scan: {_rate(NAIVE_LOOKUPS, naive_seconds)} ({NAIVE_LOOKUPS:,} points)")
    print(f"locate / naive scan: {locate_rate / naive_rate:,.0f}x")
    print(f"points inside a polygon: {found:,} of {LOOKUPS:,}")
    print(f"locate_many agrees with locate: {located_many == located}")
    print(f"naive scan agrees with locate: {agree} of {NAIVE_LOOKUPS}")


if __name__ == "__main__":
    main()
