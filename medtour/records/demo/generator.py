"""One year of synthetic episodes, drawn with numpy: columns, not objects.

Layout: the year's district memberships are laid out district after district (in an order
shuffled per year), SEOUL + EXTRA positions long. Patient p holds position p, and the first
EXTRA patients also hold position p + SEOUL. A district holds at most SEOUL positions, so the
two positions of one patient always fall in two different districts, and every district counts
exactly its target of distinct patients.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from medtour.records.demo.mixes import Mix
from medtour.records.demo.targets import YearTargets

# Estimated: one membership in seven also sees a second department in the district (the 2016
# national department-based count is 1.17 times the unique count; second districts give the rest).
SECOND_DEPARTMENT_SHARE = 0.14
# Derived from 2016 national revenue by care type divided by the average spend per patient of
# that care type: about 7% of patients were inpatients. By department it is an estimate.
INPATIENT_SHARE = {
    "internal_medicine": 0.12, "orthopedics": 0.18, "neurosurgery": 0.2,
    "general_surgery": 0.2, "thoracic_surgery": 0.3, "obstetrics_gynecology": 0.15,
    "radiation_oncology": 0.2, "rehabilitation_medicine": 0.25, "korean_medicine": 0.06,
    "plastic_surgery": 0.05, "dermatology": 0.005, "dentistry": 0.0, "health_checkup": 0.0,
}  # fmt: skip
DEFAULT_INPATIENT_SHARE = 0.05
CHECKUP_DEPARTMENT = "health_checkup"
# Published national averages per patient in 2016 (KRW); fees are log-normal around them.
MEAN_FEES = {"outpatient": 1_570_000, "inpatient": 13_120_000, "checkup": 1_220_000}
FEE_SPREAD = {"outpatient": 1.0, "inpatient": 0.9, "checkup": 0.4}
FACILITATED_SHARE = 0.2  # estimated
CHINA = "CN"
CHINA_PROVINCE_SHARE = 0.6  # estimated: how often a clinic records the province
CHINESE_PROVINCES = {
    "Liaoning": 14, "Jilin": 10, "Heilongjiang": 9, "Shandong": 10, "Beijing": 12,
    "Shanghai": 12, "Guangdong": 10, "Jiangsu": 8, "Zhejiang": 7, "Sichuan": 4, "Hubei": 4,
}  # fmt: skip
CARE_TYPES = np.array(["outpatient", "inpatient", "checkup"])


@dataclass(frozen=True)
class Vocabulary:
    """Database ids the generator writes, by code."""

    country_ids: Mapping[str, int]
    department_ids: Mapping[str, int]
    district_codes: Sequence[str]  # index -> district code
    district_ids: Mapping[str, int]
    # district code -> department code -> institution ids offering it; "" -> all in the district
    institutions: Mapping[str, Mapping[str, np.ndarray]]
    facilitator_ids: np.ndarray


@dataclass(frozen=True)
class YearMixes:
    nationality: Mapping[str, Mix]  # district code -> mix ("" for the default)
    department: Mapping[str, Mix]
    sex: Mix
    age: Mix

    def for_district(self, mixes: Mapping[str, Mix], code: str) -> Mix:
        return mixes.get(code) or mixes[""]


@dataclass
class YearEpisodes:
    """Column arrays of one year's episodes, plus each episode's patient number."""

    patient: np.ndarray
    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.patient)


def _draw(rng: np.random.Generator, mix: Mix, ids: Mapping[str, int], size: int) -> np.ndarray:
    known = [
        (ids[code], p) for code, p in zip(mix.codes, mix.probabilities, strict=True) if code in ids
    ]
    values = np.array([value for value, _p in known], dtype=np.int64)
    weights = np.array([p for _value, p in known])
    return values[rng.choice(len(values), size=size, p=weights / weights.sum())]


def _memberships(targets: YearTargets, vocabulary: Vocabulary, rng: np.random.Generator) -> tuple:
    order = rng.permutation(len(vocabulary.district_codes))
    counts = np.array([targets.districts.get(vocabulary.district_codes[i], 0) for i in order])
    district_index = np.repeat(order, counts)
    seoul, extra = targets.seoul, targets.extra_memberships
    patient = np.concatenate([np.arange(seoul), np.arange(extra)])
    return patient, district_index


def _by_district(
    district_index: np.ndarray,
    vocabulary: Vocabulary,
    mixes: Mapping[str, Mix],
    year_mixes: YearMixes,
    ids: Mapping[str, int],
    rng: np.random.Generator,
) -> np.ndarray:
    result = np.empty(len(district_index), dtype=np.int64)
    for index, code in enumerate(vocabulary.district_codes):
        where = np.flatnonzero(district_index == index)
        if len(where):
            mix = year_mixes.for_district(mixes, code)
            result[where] = _draw(rng, mix, ids, len(where))
    return result


def _institutions(
    district_index: np.ndarray,
    department: np.ndarray,
    vocabulary: Vocabulary,
    rng: np.random.Generator,
) -> np.ndarray:
    code_by_department = {value: code for code, value in vocabulary.department_ids.items()}
    result = np.empty(len(department), dtype=np.int64)
    keys = district_index.astype(np.int64) * 1_000_000 + department
    order = np.argsort(keys, kind="stable")
    unique, starts = np.unique(keys[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    for key, start, end in zip(unique.tolist(), starts.tolist(), ends.tolist(), strict=True):
        district = vocabulary.district_codes[key // 1_000_000]
        offered = vocabulary.institutions.get(district, {})
        candidates = offered.get(code_by_department[key % 1_000_000])
        if candidates is None or not len(candidates):
            candidates = offered.get("")
        if candidates is None or not len(candidates):
            raise LookupError(district)
        result[order[start:end]] = candidates[rng.integers(0, len(candidates), end - start)]
    return result


def _care(
    department: np.ndarray, year: int, vocabulary: Vocabulary, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    size = len(department)
    inpatient_p = np.full(size, DEFAULT_INPATIENT_SHARE)
    for code, share in INPATIENT_SHARE.items():
        if code in vocabulary.department_ids:
            inpatient_p[department == vocabulary.department_ids[code]] = share
    care = np.where(rng.random(size) < inpatient_p, 1, 0)
    checkup_id = vocabulary.department_ids.get(CHECKUP_DEPARTMENT)
    if checkup_id is not None:
        care[department == checkup_id] = 2
    year_start = np.datetime64(f"{year}-01-01")
    days_in_year = (np.datetime64(f"{year + 1}-01-01") - year_start).astype(int)
    first_offset = rng.integers(0, days_in_year, size)
    stay = np.where(
        care == 1,
        np.minimum(rng.geometric(0.15, size), 90) - 1,
        np.where(care == 0, np.minimum(rng.geometric(0.4, size) - 1, 60), 0),
    )
    last_offset = np.minimum(first_offset + stay, days_in_year - 1)
    fees = np.empty(size, dtype=np.int64)
    for index, name in enumerate(CARE_TYPES.tolist()):
        where = care == index
        sigma = FEE_SPREAD[name]
        mu = np.log(MEAN_FEES[name]) - sigma**2 / 2
        fees[where] = np.round(rng.lognormal(mu, sigma, int(where.sum())), -3).astype(np.int64)
    return {
        "first_visit": year_start + first_offset,
        "last_visit": year_start + last_offset,
        "care_type": CARE_TYPES[care],
        "inpatient_days": np.where(care == 1, last_offset - first_offset + 1, 0),
        "fees_krw": np.maximum(fees, 10_000),
    }


def _patients(
    primary_district: np.ndarray,
    year: int,
    vocabulary: Vocabulary,
    year_mixes: YearMixes,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    size = len(primary_district)
    nationality = _by_district(
        primary_district, vocabulary, year_mixes.nationality, year_mixes,
        vocabulary.country_ids, rng,
    )  # fmt: skip
    female = rng.random(size) < year_mixes.sex.share("F")
    bands = np.array([int(code) for code in year_mixes.age.codes])
    age = bands[rng.choice(len(bands), size=size, p=year_mixes.age.probabilities)]
    age = age + rng.integers(0, 10, size)
    provinces = np.array(["", *CHINESE_PROVINCES])
    weights = np.array(list(CHINESE_PROVINCES.values()), dtype=float)
    province_pick = 1 + rng.choice(len(weights), size=size, p=weights / weights.sum())
    china = vocabulary.country_ids.get(CHINA, -1)
    recorded = (nationality == china) & (rng.random(size) < CHINA_PROVINCE_SHARE)
    return {
        "nationality_id": nationality,
        "sex": np.where(female, "F", "M"),
        "birth_year": year - age,
        "province": provinces[np.where(recorded, province_pick, 0)],
    }


def generate_year(
    targets: YearTargets,
    year_mixes: YearMixes,
    vocabulary: Vocabulary,
    rng: np.random.Generator,
) -> YearEpisodes:
    patient, district_index = _memberships(targets, vocabulary, rng)
    department = _by_district(
        district_index, vocabulary, year_mixes.department, year_mixes,
        vocabulary.department_ids, rng,
    )  # fmt: skip
    # A second department in the same district for some memberships: any other department.
    second = np.flatnonzero(rng.random(len(patient)) < SECOND_DEPARTMENT_SHARE)
    all_departments = np.array(sorted(vocabulary.department_ids.values()), dtype=np.int64)
    second_department = all_departments[rng.integers(0, len(all_departments), len(second))]
    clash = second_department == department[second]
    second_department[clash] = all_departments[
        (np.searchsorted(all_departments, second_department[clash]) + 1) % len(all_departments)
    ]
    episode_patient = np.concatenate([patient, patient[second]])
    episode_district = np.concatenate([district_index, district_index[second]])
    episode_department = np.concatenate([department, second_department])

    people = _patients(district_index[: targets.seoul], targets.year, vocabulary, year_mixes, rng)
    columns = {name: values[episode_patient] for name, values in people.items()}
    columns["department_id"] = episode_department
    district_ids = np.array([vocabulary.district_ids[c] for c in vocabulary.district_codes])
    columns["district_id"] = district_ids[episode_district]
    columns["institution_id"] = _institutions(episode_district, episode_department, vocabulary, rng)
    columns.update(_care(episode_department, targets.year, vocabulary, rng))
    facilitated = rng.random(len(episode_patient)) < FACILITATED_SHARE
    facilitators = vocabulary.facilitator_ids
    pick = rng.integers(0, max(len(facilitators), 1), len(episode_patient))
    columns["facilitator_id"] = (
        np.where(facilitated, facilitators[pick], 0) if len(facilitators) else
        np.zeros(len(episode_patient), dtype=np.int64)
    )  # fmt: skip
    # Submissions are per institution: keep each institution's rows together.
    order = np.lexsort((episode_patient, columns["institution_id"]))
    return YearEpisodes(
        patient=episode_patient[order],
        columns={name: values[order] for name, values in columns.items()},
    )


def demo_patient_id(seed: int, year: int, patient: int) -> str:
    """The synthetic passport number behind a pseudonym; never stored, like real ones."""
    return f"ZZ{seed}{year}{patient:08d}"
