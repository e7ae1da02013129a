"""The generator alone: deterministic for a seed, every target kept, without a database."""

from __future__ import annotations

import numpy as np

from medtour.institutions.demo.calibration import registered_by_district
from medtour.records.demo.generator import Vocabulary, YearEpisodes, YearMixes, generate_year
from medtour.records.demo.mixes import age_mix, build_mix
from medtour.records.demo.published import read_published
from medtour.records.demo.targets import year_targets

DISTRICTS = {
    **{f"district-{code}": code for code in registered_by_district()},
    "Gangnam-gu": "11680",
    "Seocho-gu": "11650",
    "Mapo-gu": "11440",
    "Jung-gu": "11140",
}


def vocabulary() -> Vocabulary:
    codes = sorted(set(DISTRICTS.values()))
    return Vocabulary(
        country_ids={"CN": 1, "US": 2, "JP": 3, "RU": 4, "KZ": 5, "MN": 6, "VN": 7},
        department_ids={"internal_medicine": 10, "plastic_surgery": 11, "dermatology": 12},
        district_codes=codes,
        district_ids={code: 100 + index for index, code in enumerate(codes)},
        institutions={
            code: {"": np.array([1000 + 10 * index, 1001 + 10 * index])}
            for index, code in enumerate(codes)
        },
        facilitator_ids=np.array([7, 8, 9]),
    )


def generate(seed: int, year: int = 2024, scale: float = 0.01) -> YearEpisodes:
    published = read_published()
    targets = year_targets(published, year, DISTRICTS, scale)
    mixes = YearMixes(
        nationality={"": build_mix(published, "nationality", year)},  # type: ignore[dict-item]
        department={"": build_mix(published, "department", year)},  # type: ignore[dict-item]
        sex=build_mix(published, "sex", year),  # type: ignore[arg-type]
        age=age_mix(),
    )
    return generate_year(targets, mixes, vocabulary(), np.random.default_rng([seed, year]))


def test_the_same_seed_gives_the_same_episodes() -> None:
    first, second = generate(1), generate(1)

    assert np.array_equal(first.patient, second.patient)
    for name, values in first.columns.items():
        assert np.array_equal(values, second.columns[name]), name


def test_another_seed_gives_other_episodes() -> None:
    assert not np.array_equal(generate(1).columns["birth_year"], generate(2).columns["birth_year"])


def test_each_district_counts_its_target_of_distinct_patients() -> None:
    published = read_published()
    targets = year_targets(published, 2024, DISTRICTS, 0.01)
    episodes = generate(1)
    district_ids = vocabulary().district_ids

    assert len(np.unique(episodes.patient)) == targets.seoul
    for code, target in targets.districts.items():
        in_district = episodes.columns["district_id"] == district_ids[code]
        assert len(np.unique(episodes.patient[in_district])) == target, code


def test_no_episode_repeats_a_natural_key() -> None:
    episodes = generate(3)
    keys = np.rec.fromarrays(
        [
            episodes.columns["institution_id"],
            episodes.patient,
            episodes.columns["department_id"],
            episodes.columns["first_visit"].astype(np.int64),
        ]
    )

    assert len(np.unique(keys)) == len(episodes)


def test_dates_stay_in_the_year_and_inpatient_days_fit_the_stay() -> None:
    columns = generate(4, year=2020).columns
    first = columns["first_visit"]
    last = columns["last_visit"]
    inpatient = columns["care_type"] == "inpatient"

    assert (first >= np.datetime64("2020-01-01")).all()
    assert (last <= np.datetime64("2020-12-31")).all()
    assert (last >= first).all()
    stay = (last - first).astype(int) + 1
    assert (columns["inpatient_days"][inpatient] == stay[inpatient]).all()
    assert (columns["inpatient_days"][~inpatient] == 0).all()
