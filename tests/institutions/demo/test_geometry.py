from __future__ import annotations

import random

from medtour.institutions.demo.geometry import contains, random_point

SQUARE = {"type": "Polygon", "coordinates": [[[0, 0], [0, 2], [2, 2], [2, 0], [0, 0]]]}
L_SHAPE = {
    "type": "Polygon",
    "coordinates": [[[0, 0], [0, 2], [1, 2], [1, 1], [2, 1], [2, 0], [0, 0]]],
}


def test_points_inside_and_outside_a_polygon() -> None:
    assert contains(SQUARE, 1, 1)
    assert not contains(SQUARE, 3, 1)
    assert contains(L_SHAPE, 0.5, 1.5)
    assert not contains(L_SHAPE, 1.5, 1.5)


def test_random_points_fall_inside_even_a_concave_polygon() -> None:
    rng = random.Random(7)

    for _attempt in range(200):
        point = random_point(L_SHAPE, rng)
        assert point is not None
        latitude, longitude = point
        assert contains(L_SHAPE, float(longitude), float(latitude))


def test_no_geometry_gives_no_point() -> None:
    assert random_point(None, random.Random(1)) is None
