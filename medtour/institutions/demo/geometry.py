"""Points inside a district: enough plane geometry for demo coordinates, no GIS library."""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

Ring = Sequence[Sequence[float]]


def outer_rings(geometry: dict[str, Any] | None) -> list[Ring]:
    """The exterior rings of a GeoJSON Polygon or MultiPolygon (lon, lat pairs)."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def ring_contains(ring: Ring, lon: float, lat: float) -> bool:
    """Even-odd ray casting; the ring's orientation does not matter."""
    inside = False
    count = len(ring)
    for index in range(count):
        x1, y1 = ring[index][0], ring[index][1]
        x2, y2 = ring[index - 1][0], ring[index - 1][1]
        if (y1 > lat) != (y2 > lat):
            crossing = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < crossing:
                inside = not inside
    return inside


def contains(geometry: dict[str, Any] | None, lon: float, lat: float) -> bool:
    return any(ring_contains(ring, lon, lat) for ring in outer_rings(geometry))


def random_point(
    geometry: dict[str, Any] | None, rng: random.Random, attempts: int = 1000
) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) drawn uniformly inside GEOMETRY, to six decimals; None without one."""
    rings = outer_rings(geometry)
    if not rings:
        return None
    lons = [point[0] for ring in rings for point in ring]
    lats = [point[1] for ring in rings for point in ring]
    for _attempt in range(attempts):
        lon = round(rng.uniform(min(lons), max(lons)), 6)
        lat = round(rng.uniform(min(lats), max(lats)), 6)
        if any(ring_contains(ring, lon, lat) for ring in rings):
            return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")
    return None
