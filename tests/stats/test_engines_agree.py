"""On random data the cube store holds exactly what the records say, for every cuboid and for
every two-dimensional table, and the incremental refresh matches the full build."""

from __future__ import annotations

import itertools
import random
from typing import Any

import polars as pl
import pytest

from medtour.stats import frames
from medtour.stats.cube.build import rebuild
from medtour.stats.cube.cuboids import dims_of, materialised
from medtour.stats.cube.engine import CubeEngine
from medtour.stats.cube.refresh import refresh
from medtour.stats.engine import RecordsEngine
from medtour.stats.models import StatisticsCell
from medtour.stats.query import DIMENSIONS, MEASURES, PivotQuery
from tests.factories import FacilitatorFactory
from tests.stats.builders import GANGNAM, MAPO, SEOCHO, clinic, episode, submission

pytestmark = pytest.mark.django_db

NATIONALITIES = ("CN", "US", "SA", "KZ", "JP")
DEPARTMENTS = ("internal_medicine", "dermatology", "plastic_surgery", "dentistry")


def random_episodes(rng: random.Random, count: int, clinics: list[Any], via: Any = None) -> None:
    agency = FacilitatorFactory()
    seen: set[tuple[Any, ...]] = set()
    for _ in range(count):
        person = f"p{rng.randrange(40)}"
        place = rng.choice(clinics)
        year, month, day = rng.choice((2015, 2016)), rng.randrange(1, 13), rng.randrange(1, 28)
        department = rng.choice(DEPARTMENTS)
        natural_key = (person, place.pk, department, year, month, day)
        if natural_key in seen:
            continue
        seen.add(natural_key)
        inpatient = rng.random() < 0.2
        episode(
            person,
            place,
            year=year,
            month=month,
            day=day,
            nationality=NATIONALITIES[int(person[1:]) % len(NATIONALITIES)],
            department=department,
            sex="MF"[int(person[1:]) % 2],
            birth_year=1940 + int(person[1:]),
            care_type="inpatient" if inpatient else rng.choice(("outpatient", "checkup")),
            inpatient_days=rng.randrange(1, 9) if inpatient else None,
            fees=rng.randrange(1, 10_000),
            facilitator=agency if rng.random() < 0.3 else None,
            via=via,
        )


@pytest.fixture
def clinics() -> list[Any]:
    return [
        clinic(GANGNAM),
        clinic(GANGNAM, type="hospital"),
        clinic(SEOCHO, type="dental"),
        clinic(MAPO),
    ]


def test_every_cuboid_holds_exact_counts(clinics: list[Any]) -> None:
    random_episodes(random.Random(4), 300, clinics)
    rebuild()
    frame = frames.episodes()
    for cuboid in sorted(materialised()):
        dims = list(dims_of(cuboid))
        expected = frames.measures_by(frame, dims).sort(dims) if dims else None
        stored = StatisticsCell.objects.filter(cuboid=cuboid)
        got = pl.DataFrame(
            list(stored.values(*dims, "patients", "department_patients", "episodes", "fees")),
            orient="row",
        )
        if expected is None:
            assert got["patients"][0] == frame["patient"].n_unique()
            continue
        for name in ("patients", "department_patients", "episodes", "fees"):
            assert sorted(zip(*[got[d] for d in dims], got[name], strict=True)) == sorted(
                zip(*[expected[d] for d in dims], expected[name], strict=True)
            ), (dims, name)


def _comparable(result: Any) -> dict[str, Any]:
    answer = result.as_json()
    answer.pop("as_of")
    return answer


def test_every_two_dimensional_table_matches_the_records(clinics: list[Any]) -> None:
    random_episodes(random.Random(7), 200, clinics)
    rebuild()
    cube, records = CubeEngine(fallback=False), RecordsEngine()
    measures = itertools.cycle(MEASURES)
    for rows, cols in itertools.combinations(DIMENSIONS, 2):
        query = PivotQuery(rows=(rows,), cols=(cols,), measure=next(measures))
        assert _comparable(cube.pivot(query)) == _comparable(records.pivot(query)), query
    filtered = PivotQuery(rows=("district",), cols=("nationality",), filters=(("year", "2016"),))
    assert _comparable(cube.pivot(filtered)) == _comparable(records.pivot(filtered))


def test_random_later_submissions_refresh_to_the_full_build(clinics: list[Any]) -> None:
    rng = random.Random(11)
    random_episodes(rng, 150, clinics)
    rebuild()
    for place in clinics[:2]:
        random_episodes(rng, 60, [place], via=submission(place, 2016))
    refresh()
    refreshed = set(StatisticsCell.objects.values_list("cuboid", "key", "patients", "fees"))
    rebuild()
    assert refreshed == set(StatisticsCell.objects.values_list("cuboid", "key", "patients", "fees"))
