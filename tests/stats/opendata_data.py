"""A small 2016 for the open-data tests: enough patients to publish, few enough to hide some.

Gangnam: 30 Chinese (dermatology), 12 Americans (plastic surgery), 3 Russians (dermatology).
Mapo: 20 Chinese (internal medicine), 6 Japanese (internal medicine), 2 Kazakhs (check-up);
patient "cn-0" is treated in both districts, so Seoul has one patient fewer than the districts.
"""

from __future__ import annotations

from tests.stats.builders import GANGNAM, MAPO, clinic, episode, submission

GROUPS = [
    (GANGNAM, "CN", "dermatology", 30, "cn"),
    (GANGNAM, "US", "plastic_surgery", 12, "us"),
    (GANGNAM, "RU", "dermatology", 3, "ru"),
    (MAPO, "CN", "internal_medicine", 20, "cn-mapo"),
    (MAPO, "JP", "internal_medicine", 6, "jp"),
    (MAPO, "KZ", "health_checkup", 2, "kz"),
]


def build_2016() -> None:
    clinics = {GANGNAM: clinic(GANGNAM), MAPO: clinic(MAPO)}
    reports = {code: submission(place, 2016) for code, place in clinics.items()}
    for district, nationality, department, count, prefix in GROUPS:
        for n in range(count):
            episode(
                f"{prefix}-{n}",
                clinics[district],
                nationality=nationality,
                department=department,
                via=reports[district],
            )
    episode("cn-0", clinics[MAPO], nationality="CN", via=reports[MAPO])
