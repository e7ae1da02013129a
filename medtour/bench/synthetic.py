"""A synthetic records file with realistic values, valid throughout, deterministic for a seed."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

HEADER = (
    "patient_id,birth_year,sex,nationality,department,first_visit,last_visit,care_type,"
    "inpatient_days,fees_krw,facilitator,diagnosis,province\n"
)
# Nationalities roughly as Seoul's foreign patients come, written as clinics write them.
NATIONALITIES = (
    (30, ("CN", "중국", "China", "CHN")),
    (12, ("US", "미국", "United States")),
    (10, ("JP", "일본", "Japan")),
    (8, ("RU", "러시아", "Russia")),
    (6, ("MN", "몽골", "Mongolia")),
    (5, ("VN", "베트남", "Vietnam")),
    (4, ("KZ", "카자흐스탄", "Kazakhstan")),
    (3, ("TH", "태국")),
    (3, ("CA", "캐나다")),
    (2, ("PH", "필리핀")),
    (2, ("UZ", "우즈베키스탄")),
    (2, ("AE", "아랍에미리트")),
)
DEPARTMENTS = (
    (20, "internal_medicine"),
    (14, "plastic_surgery"),
    (12, "dermatology"),
    (9, "health_checkup"),
    (6, "내과"),
    (5, "성형외과"),
    (5, "피부과"),
    (4, "검진"),
)
PROVINCES = ("Beijing", "Shanghai", "Shandong", "Liaoning", "Jilin", "Guangdong", "")
DIAGNOSES = ("J45.9", "L70.0", "Z00.0", "K21.0", "M54.5", "", "", "")
DATE_STYLES = ("%Y-%m-%d", "%Y.%m.%d", "%Y%m%d")


def _expand(weighted: tuple[tuple[int, tuple[str, ...] | str], ...]) -> list[str]:
    values: list[str] = []
    for weight, spellings in weighted:
        for spelling in (spellings,) if isinstance(spellings, str) else spellings:
            values.extend([spelling] * weight)
    return values


def write_records_csv(path: Path, rows: int, year: int = 2016, seed: int = 1) -> Path:
    """ROWS valid records for YEAR, one patient each, dates written in three styles."""
    rng = random.Random(seed)
    nationalities = _expand(NATIONALITIES)
    departments = _expand(DEPARTMENTS)
    start = datetime.date(year, 1, 1).toordinal()
    days = (datetime.date(year, 12, 31).toordinal() - start) - 30
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        lines: list[str] = []
        for index in range(rows):
            nationality = rng.choice(nationalities)
            first = start + rng.randrange(days)
            care = rng.random()
            if care < 0.08:
                care_type, stay = "inpatient", rng.randint(1, 14)
                days_cell = str(stay)
            elif care < 0.2:
                care_type, stay, days_cell = "checkup", 1, ""
            else:
                care_type, stay, days_cell = "outpatient", rng.randint(1, 20), ""
            style = DATE_STYLES[index % 3]
            first_day = datetime.date.fromordinal(first)
            last_day = datetime.date.fromordinal(first + stay - 1)
            province = (
                rng.choice(PROVINCES) if nationality in ("CN", "중국", "China", "CHN") else ""
            )
            fees = int(rng.lognormvariate(13.0, 1.2))
            lines.append(
                f"M{index:09d},{rng.randint(1940, 2010)},{'MF'[rng.random() < 0.62]},"
                f"{nationality},{rng.choice(departments)},{first_day.strftime(style)},"
                f"{last_day.strftime(style)},{care_type},{days_cell},{fees},,"
                f"{rng.choice(DIAGNOSES)},{province}\n"
            )
            if len(lines) == 10_000:
                out.writelines(lines)
                lines = []
        out.writelines(lines)
    return path
