"""What the demo registry is calibrated on: published figures, and estimates where none exist.

Every published figure here is a row of the city's `published_statistics.csv` (Seoul), quoted by
its scope, region, year and category; tests/institutions/demo/test_calibration.py checks that the
file still says so. Everything marked ESTIMATE was chosen for this demo, is written down here and
in docs/institutions.md, and must never be shown as a statistic.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from medtour.institutions.models import InstitutionType, RegistrationStatus

CITY = "seoul"
# The demo describes the registry as it stood at the end of this day.
AS_OF = datetime.date(2024, 12, 31)
FIRST_REGISTRATION = datetime.date(2009, 5, 4)  # the scheme opened in May 2009 (published)
REGISTRATION_YEARS = 3  # a registration is valid for three years, then renewed


@dataclass(frozen=True)
class Published:
    """One figure as it appears in published_statistics.csv."""

    scope: str
    region: str
    year: int
    category: str
    value: float


# Published figures ------------------------------------------------------------------------------

SEOUL_REGISTERED_2024 = Published(
    "seoul",
    "Seoul",
    2024,
    "registered foreign-patient attraction medical institutions in Seoul",
    1994,
)
SEOUL_REGISTERED_2020 = Published(
    "seoul",
    "Seoul",
    2020,
    "registered foreign-patient attraction medical institutions in Seoul",
    920,
)
SEOUL_REGISTERED_SHARE_2024 = Published(
    "seoul", "Seoul", 2024, "share of Seoul medical institutions that are registered", 10.4
)
DISTRICT_REGISTERED_SHARE_2024 = {
    "11680": Published(
        "district",
        "Gangnam-gu",
        2024,
        "share of gu medical institutions registered for foreign patients",
        34.5,
    ),
    "11650": Published(
        "district",
        "Seocho-gu",
        2024,
        "share of gu medical institutions registered for foreign patients",
        25.2,
    ),
    "11140": Published(
        "district",
        "Jung-gu",
        2024,
        "share of gu medical institutions registered for foreign patients",
        15.4,
    ),
}
DISTRICT_PATIENTS_2024 = {
    "11680": Published("district", "Gangnam-gu", 2024, "foreign patients", 377073),
    "11650": Published("district", "Seocho-gu", 2024, "foreign patients", 288475),
    "11440": Published("district", "Mapo-gu", 2024, "foreign patients", 124447),
    "11140": Published("district", "Jung-gu", 2024, "foreign patients", 120222),
}
SEOUL_PLASTIC_SURGERY_CLINICS_2020 = Published(
    "seoul", "Seoul", 2020, "plastic surgery clinics in Seoul, Aug 2020", 538
)
PLASTIC_SURGERY_CLINICS_2020 = {
    "11680": Published(
        "district", "Gangnam-gu", 2020, "plastic surgery clinics, Aug 2020 (74.3% of Seoul)", 400
    ),
    "11650": Published(
        "district", "Seocho-gu", 2020, "plastic surgery clinics, Aug 2020 (14.1% of Seoul)", 76
    ),
    "11350": Published("district", "Nowon-gu", 2020, "plastic surgery clinics, Aug 2020", 9),
}
SEOUL_DERMATOLOGY_CLINICS_2020 = Published(
    "seoul", "Seoul", 2020, "dermatology clinics in Seoul, Jun 2020", 512
)
DERMATOLOGY_CLINICS_2020 = {
    "11680": Published(
        "district", "Gangnam-gu", 2020, "dermatology clinics, Aug 2020 (29.6% of Seoul)", 152
    ),
    "11650": Published("district", "Seocho-gu", 2020, "dermatology clinics, Aug 2020", 48),
    "11710": Published("district", "Songpa-gu", 2020, "dermatology clinics, Aug 2020", 40),
}

PUBLISHED: tuple[Published, ...] = (
    SEOUL_REGISTERED_2024,
    SEOUL_REGISTERED_2020,
    SEOUL_REGISTERED_SHARE_2024,
    *DISTRICT_REGISTERED_SHARE_2024.values(),
    *DISTRICT_PATIENTS_2024.values(),
    SEOUL_PLASTIC_SURGERY_CLINICS_2020,
    *PLASTIC_SURGERY_CLINICS_2020.values(),
    SEOUL_DERMATOLOGY_CLINICS_2020,
    *DERMATOLOGY_CLINICS_2020.values(),
)

# Estimates --------------------------------------------------------------------------------------

# ESTIMATE: all medical institutions in the three districts whose registered share is published.
# (Seoul as a whole: 1,994 / 10.4 % ≈ 19,170 institutions; these three are ~26 % of them.)
ESTIMATED_INSTITUTIONS = {"11680": 2800, "11650": 1400, "11140": 800}

# ESTIMATE for the 22 districts without a published share: registered institutions, ranked by
# their published or reported weight in medical tourism (Mapo's 124,447 patients, just above
# Jung-gu's, puts it beside Jung-gu) and by the large hospitals in them. They share what is left
# of the published Seoul total once the three districts above are counted.
ESTIMATED_REGISTERED = {
    "11440": 115,  # Mapo-gu
    "11110": 45,  # Jongno-gu
    "11170": 42,  # Yongsan-gu
    "11710": 40,  # Songpa-gu
    "11560": 36,  # Yeongdeungpo-gu
    "11410": 31,  # Seodaemun-gu
    "11500": 24,  # Gangseo-gu
    "11215": 22,  # Gwangjin-gu
    "11200": 22,  # Seongdong-gu
    "11740": 18,  # Gangdong-gu
    "11470": 18,  # Yangcheon-gu
    "11290": 17,  # Seongbuk-gu
    "11230": 16,  # Dongdaemun-gu
    "11350": 18,  # Nowon-gu
    "11530": 15,  # Guro-gu
    "11620": 15,  # Gwanak-gu
    "11590": 14,  # Dongjak-gu
    "11380": 12,  # Eunpyeong-gu
    "11260": 9,  # Jungnang-gu
    "11305": 8,  # Gangbuk-gu
    "11545": 8,  # Geumcheon-gu
    "11320": 7,  # Dobong-gu
}

# ESTIMATE: share of plastic-surgery and dermatology clinics that register for foreign patients.
PLASTIC_SURGERY_REGISTERED_SHARE = 0.70
DERMATOLOGY_REGISTERED_SHARE = 0.55
# ESTIMATE: how Seoul's other plastic-surgery (538 - 485 = 53) and dermatology (512 - 240 = 272)
# clinics of 2020 spread over the districts without a published count.
OTHER_PLASTIC_SURGERY_CLINICS = {
    "11140": 8,
    "11440": 8,
    "11710": 6,
    "11170": 5,
    "11215": 4,
    "11560": 4,
    "11110": 3,
    "11410": 3,
    "11740": 3,
    "11500": 3,
    "11470": 2,
    "11200": 2,
    "11590": 1,
    "11620": 1,
}
OTHER_DERMATOLOGY_CLINICS = {
    "11440": 34,
    "11140": 29,
    "11560": 18,
    "11170": 15,
    "11215": 15,
    "11740": 14,
    "11470": 14,
    "11500": 14,
    "11110": 12,
    "11200": 12,
    "11350": 12,
    "11530": 10,
    "11620": 10,
    "11410": 10,
    "11380": 10,
    "11590": 8,
    "11290": 8,
    "11230": 8,
    "11260": 5,
    "11305": 5,
    "11545": 5,
    "11320": 4,
}

# ESTIMATE: Seoul's 14 tertiary hospitals and about 50 registered general hospitals, by district.
TERTIARY_HOSPITALS = {
    "11680": 2,
    "11110": 1,
    "11410": 1,
    "11710": 1,
    "11650": 1,
    "11290": 1,
    "11230": 1,
    "11215": 1,
    "11530": 1,
    "11560": 1,
    "11590": 1,
    "11470": 1,
    "11500": 1,
}
GENERAL_HOSPITALS = {
    "11680": 3,
    "11650": 2,
    "11140": 3,
    "11440": 2,
    "11110": 2,
    "11170": 2,
    "11710": 2,
    "11560": 3,
    "11410": 1,
    "11500": 3,
    "11215": 2,
    "11200": 2,
    "11740": 3,
    "11470": 2,
    "11290": 2,
    "11230": 2,
    "11350": 3,
    "11530": 2,
    "11620": 1,
    "11590": 1,
    "11380": 2,
    "11260": 2,
    "11305": 1,
    "11545": 1,
    "11320": 1,
}

# ESTIMATE: how the rest of a district's registered institutions divide between kinds.
OTHER_KIND_WEIGHTS = {"clinic": 65, "dental": 12, "korean_medicine": 13, "hospital": 10}
# ESTIMATE: departments of the clinics that are neither plastic surgery nor dermatology.
CLINIC_DEPARTMENT_WEIGHTS = {
    "internal_medicine": 22,
    "orthopedics": 12,
    "ophthalmology": 12,
    "obstetrics_gynecology": 10,
    "health_checkup": 8,
    "family_medicine": 8,
    "otorhinolaryngology": 8,
    "neurosurgery": 8,
    "urology": 6,
    "rehabilitation_medicine": 6,
}

# ESTIMATE: records kept with a registration that is no longer in force, per registered one.
LAPSED_SHARES = {
    RegistrationStatus.EXPIRED: 0.045,
    RegistrationStatus.SUSPENDED: 0.010,
    RegistrationStatus.CANCELLED: 0.015,
}

# ESTIMATE: languages offered by staff (share of institutions), before the kind adjusts it.
LANGUAGE_SHARES = {
    "en": 0.85,
    "zh": 0.45,
    "ja": 0.35,
    "ru": 0.15,
    "mn": 0.08,
    "vi": 0.08,
    "kk": 0.05,
    "th": 0.05,
    "ar": 0.04,
    "uz": 0.03,
}

# ESTIMATE: accreditation badges by kind of institution.
ACCREDITATION_SHARES = {
    InstitutionType.TERTIARY_HOSPITAL: {"KOIHA": 1.0, "JCI": 0.5, "KAHF": 0.3},
    InstitutionType.GENERAL_HOSPITAL: {"KOIHA": 0.8, "JCI": 0.1, "KAHF": 0.2},
    InstitutionType.HOSPITAL: {"KOIHA": 0.4, "KAHF": 0.1},
    InstitutionType.CLINIC: {"KAHF": 0.03},
    InstitutionType.DENTAL: {"KAHF": 0.03},
    InstitutionType.KOREAN_MEDICINE: {"KAHF": 0.03},
}

# ESTIMATE: registered facilitators (attraction agencies) with an office in each district;
# the rest of FACILITATORS have their office outside the city.
FACILITATORS = 350
FACILITATORS_BY_DISTRICT = {
    "11680": 150,
    "11140": 40,
    "11650": 35,
    "11440": 25,
    "11110": 18,
    "11170": 15,
    "11560": 12,
    "11710": 12,
    "11215": 6,
    "11410": 6,
    "11200": 5,
    "11500": 5,
    "11530": 4,
    "11545": 4,
    "11740": 2,
    "11470": 2,
}
FACILITATOR_STATUS_SHARES = {
    RegistrationStatus.REGISTERED: 0.88,
    RegistrationStatus.EXPIRED: 0.08,
    RegistrationStatus.SUSPENDED: 0.02,
    RegistrationStatus.CANCELLED: 0.02,
}


def registered_by_district() -> dict[str, int]:
    """Registered institutions per district: published share times estimated count, then estimates.

    The sum is the published Seoul total, exactly.
    """
    counts = {
        code: round(ESTIMATED_INSTITUTIONS[code] * share.value / 100)
        for code, share in DISTRICT_REGISTERED_SHARE_2024.items()
    }
    remaining = int(SEOUL_REGISTERED_2024.value) - sum(counts.values())
    counts.update(largest_remainder(ESTIMATED_REGISTERED, remaining))
    return counts


def plastic_surgery_clinics() -> dict[str, int]:
    clinics = {code: int(figure.value) for code, figure in PLASTIC_SURGERY_CLINICS_2020.items()}
    clinics.update(OTHER_PLASTIC_SURGERY_CLINICS)
    return {
        code: round(count * PLASTIC_SURGERY_REGISTERED_SHARE) for code, count in clinics.items()
    }


def dermatology_clinics() -> dict[str, int]:
    clinics = {code: int(figure.value) for code, figure in DERMATOLOGY_CLINICS_2020.items()}
    clinics.update(OTHER_DERMATOLOGY_CLINICS)
    return {code: round(count * DERMATOLOGY_REGISTERED_SHARE) for code, count in clinics.items()}


def largest_remainder(weights: Mapping[str, float], total: int) -> dict[str, int]:
    """TOTAL split in proportion to WEIGHTS, in whole numbers that add up to TOTAL exactly."""
    weight_sum = sum(weights.values())
    if total <= 0 or weight_sum <= 0:
        return dict.fromkeys(weights, 0)
    shares = {key: total * weight / weight_sum for key, weight in weights.items()}
    counts = {key: int(share) for key, share in shares.items()}
    left = total - sum(counts.values())
    by_remainder = sorted(weights, key=lambda key: (-(shares[key] - counts[key]), key))
    for key in by_remainder[:left]:
        counts[key] += 1
    return counts
