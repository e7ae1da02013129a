"""Build the fictional demo registry: about 2,100 institutions and 350 facilitators in Seoul.

The plan is a pure function of the seed and the reference data, so a seed always gives the same
registry. Saving creates only the records whose code is missing, which makes a second run a no-op
and never overwrites a demo record someone has since edited.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from medtour.audit.models import AuditAction
from medtour.audit.services import record_event
from medtour.institutions.demo import calibration as cal
from medtour.institutions.demo.geometry import random_point
from medtour.institutions.demo.vocabulary import (
    AGENCY_KINDS,
    BRANDS,
    KINDS,
    PROFILE,
    STREETS,
    localized_name,
)
from medtour.institutions.models import (
    Facilitator,
    Institution,
    InstitutionType,
    RegistrationStatus,
)
from medtour.reference.models import Department, District, Language

DEFAULT_SEED = 2024
INSTITUTION_PREFIX = "demo-"
FACILITATOR_PREFIX = "demo-fac-"
ACTOR_LABEL = "manage.py seed_demo_registry"

HOSPITAL_DEPARTMENTS = (
    "orthopedics",
    "neurosurgery",
    "internal_medicine",
    "rehabilitation_medicine",
    "obstetrics_gynecology",
    "health_checkup",
    "general_surgery",
    "ophthalmology",
)
NOT_IN_WESTERN_HOSPITALS = ("other", "korean_medicine", "dentistry")


class DemoDataUnavailable(Exception):
    """The reference data the demo is calibrated on is not loaded (or is another city's)."""


@dataclass(frozen=True)
class Archetype:
    """What kind of place a demo institution is: its type, the word in its name, departments."""

    type: str
    kind: str


@dataclass
class PlannedInstitution:
    record: Institution
    departments: list[str]
    languages: list[str]


@dataclass
class Reference:
    districts: dict[str, District]
    departments: dict[str, Department]
    languages: dict[str, Language]

    @classmethod
    def load(cls) -> Reference:
        reference = cls(
            districts={d.code: d for d in District.objects.all()},
            departments={d.code: d for d in Department.objects.all()},
            languages={language.code: language for language in Language.objects.all()},
        )
        expected = set(cal.registered_by_district())
        if not expected <= set(reference.districts):
            raise DemoDataUnavailable(sorted(expected - set(reference.districts)))
        return reference


@dataclass
class SeedSummary:
    institutions_created: int = 0
    institutions_existing: int = 0
    facilitators_created: int = 0
    facilitators_existing: int = 0
    by_status: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.institutions_created or self.facilitators_created)


# Dates ------------------------------------------------------------------------------------------


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _random_day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _period(rng: random.Random, status: str) -> tuple[datetime.date, datetime.date]:
    """Registered since, and the end of the three-year period running (or last run) AS_OF."""
    if status == RegistrationStatus.EXPIRED:
        latest_start = _add_years(cal.AS_OF, -cal.REGISTRATION_YEARS)
        start = _random_day(rng, cal.FIRST_REGISTRATION, latest_start)
        return start, _add_years(start, cal.REGISTRATION_YEARS) - datetime.timedelta(days=1)
    # Published: 920 registered in 2020, 1,994 in 2024; the rest registered since 2021.
    before_2021 = cal.SEOUL_REGISTERED_2020.value / cal.SEOUL_REGISTERED_2024.value
    if rng.random() < before_2021:
        start = _random_day(rng, cal.FIRST_REGISTRATION, datetime.date(2020, 12, 31))
    else:
        start = _random_day(rng, datetime.date(2021, 1, 1), cal.AS_OF)
    years = cal.REGISTRATION_YEARS
    end = _add_years(start, years) - datetime.timedelta(days=1)
    while end < cal.AS_OF:
        years += cal.REGISTRATION_YEARS
        end = _add_years(start, years) - datetime.timedelta(days=1)
    return start, end


# The mix of kinds -------------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def registered_archetypes(district: str, total: int, rng: random.Random) -> list[Archetype]:
    """The registered institutions of one district, kind by kind (calibration.py says why)."""
    fixed = [
        *[Archetype(InstitutionType.TERTIARY_HOSPITAL, "tertiary_hospital")]
        * cal.TERTIARY_HOSPITALS.get(district, 0),
        *[Archetype(InstitutionType.GENERAL_HOSPITAL, "general_hospital")]
        * cal.GENERAL_HOSPITALS.get(district, 0),
        *[Archetype(InstitutionType.CLINIC, "plastic_surgery")]
        * cal.plastic_surgery_clinics().get(district, 0),
        *[Archetype(InstitutionType.CLINIC, "dermatology")]
        * cal.dermatology_clinics().get(district, 0),
    ]
    rest = total - len(fixed)
    if rest < 0:
        raise ValueError(f"calibration gives district {district} more fixed kinds than {total}")
    others = cal.largest_remainder(cal.OTHER_KIND_WEIGHTS, rest)
    archetypes = list(fixed)
    archetypes += [Archetype(InstitutionType.HOSPITAL, "hospital")] * others["hospital"]
    archetypes += [Archetype(InstitutionType.DENTAL, "dental")] * others["dental"]
    archetypes += [Archetype(InstitutionType.KOREAN_MEDICINE, "korean_medicine")] * others[
        "korean_medicine"
    ]
    archetypes += [
        Archetype(InstitutionType.CLINIC, _weighted(rng, cal.CLINIC_DEPARTMENT_WEIGHTS))
        for _clinic in range(others["clinic"])
    ]
    return archetypes


def _departments(archetype: Archetype, rng: random.Random, known: dict[str, Any]) -> list[str]:
    western = sorted(code for code in known if code not in NOT_IN_WESTERN_HOSPITALS)
    if archetype.type == InstitutionType.TERTIARY_HOSPITAL:
        chosen = rng.sample(western, k=min(len(western), rng.randint(18, 24)))
        chosen += ["dentistry"] if rng.random() < 0.7 else []
    elif archetype.type == InstitutionType.GENERAL_HOSPITAL:
        chosen = rng.sample(western, k=min(len(western), rng.randint(8, 14)))
    elif archetype.type == InstitutionType.HOSPITAL:
        chosen = rng.sample(HOSPITAL_DEPARTMENTS, k=rng.randint(1, 3))
    elif archetype.type == InstitutionType.DENTAL:
        chosen = ["dentistry"]
    elif archetype.type == InstitutionType.KOREAN_MEDICINE:
        chosen = ["korean_medicine"]
    else:
        chosen = [archetype.kind]
        extra = {"plastic_surgery": ("dermatology", 0.2), "dermatology": ("plastic_surgery", 0.1)}
        extra["internal_medicine"] = ("health_checkup", 0.2)
        if archetype.kind in extra and rng.random() < extra[archetype.kind][1]:
            chosen.append(extra[archetype.kind][0])
    return sorted(code for code in set(chosen) if code in known)


def _languages(
    archetype: Archetype, district: str, rng: random.Random, known: dict[str, Any]
) -> list[str]:
    boost = 1.0
    if archetype.type in (InstitutionType.TERTIARY_HOSPITAL, InstitutionType.GENERAL_HOSPITAL):
        boost = 1.3
    chosen = []
    for code, share in sorted(cal.LANGUAGE_SHARES.items()):
        weight = share * boost
        if archetype.kind in ("plastic_surgery", "dermatology") and district in ("11680", "11650"):
            weight *= 1.4 if code in ("zh", "ja") else 1.0
        if rng.random() < min(weight, 0.97):
            chosen.append(code)
    if not chosen:
        chosen = ["en"]
    return [code for code in chosen if code in known]


def _accreditations(type_: str, rng: random.Random) -> list[str]:
    shares: dict[str, float] = cal.ACCREDITATION_SHARES.get(type_, {})  # type: ignore[call-overload]
    chosen = {badge for badge, share in sorted(shares.items()) if rng.random() < share}
    return [badge for badge in ("KAHF", "KOIHA", "JCI") if badge in chosen]


# Planning ---------------------------------------------------------------------------------------


class _Names:
    """Brand + kind, numbered like branches when the same pair comes up again."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: Counter[tuple[int, str]] = Counter()

    def institution(self, kind: str) -> dict[str, str]:
        brand = self.rng.randrange(len(BRANDS))
        self.used[(brand, kind)] += 1
        return localized_name(BRANDS[brand], KINDS[kind], self.used[(brand, kind)])

    def agency(self) -> dict[str, str]:
        brand = self.rng.randrange(len(BRANDS))
        kind = self.rng.randrange(len(AGENCY_KINDS))
        self.used[(brand, f"agency-{kind}")] += 1
        return localized_name(
            BRANDS[brand], AGENCY_KINDS[kind], self.used[(brand, f"agency-{kind}")]
        )


def _address(district: District, rng: random.Random) -> dict[str, str]:
    streets = STREETS.get(district.code)
    number = rng.randint(1, 399)
    if not streets:
        return {"ko": f"{district.names.get('ko', '')} {number}"}
    street_ko, street_en = rng.choice(streets)
    return {
        "ko": f"서울특별시 {district.names.get('ko', '')} {street_ko} {number}",
        "en": f"{number} {street_en}, {district.names.get('en', district.code)}, Seoul",
    }


def _contacts(code: str, rng: random.Random) -> dict[str, str]:
    # 02-0xxx numbers do not exist in Seoul, and .example domains never resolve.
    return {
        "phone": f"02-0{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
        "email": f"contact@{code}.example",
        "website": f"https://{code}.example",
    }


def plan_institutions(reference: Reference, seed: int = DEFAULT_SEED) -> list[PlannedInstitution]:
    rng = random.Random(seed)
    names = _Names(rng)
    registered = cal.registered_by_district()
    slots: list[tuple[str, Archetype, str]] = []
    for code in sorted(registered):
        for archetype in registered_archetypes(code, registered[code], rng):
            slots.append((code, archetype, str(RegistrationStatus.REGISTERED)))
    for lapsed_status, share in cal.LAPSED_SHARES.items():
        lapsed = cal.largest_remainder(
            registered,
            round(cal.SEOUL_REGISTERED_2024.value * share),
        )
        for lapsed_district in sorted(lapsed):
            small = [
                archetype
                for slot_district, archetype, _status in slots
                if slot_district == lapsed_district
                and archetype.type
                not in (InstitutionType.TERTIARY_HOSPITAL, InstitutionType.GENERAL_HOSPITAL)
            ]
            for _record in range(lapsed[lapsed_district]):
                slots.append((lapsed_district, rng.choice(small), str(lapsed_status)))
    planned = []
    for number, (district_code, archetype, status) in enumerate(slots, start=1):
        district = reference.districts[district_code]
        code = f"{INSTITUTION_PREFIX}{number:05d}"
        start, end = _period(rng, status)
        point = random_point(district.boundary, rng)
        record = Institution(
            code=code,
            names=names.institution(archetype.kind),
            type=archetype.type,
            district=district,
            address=_address(district, rng),
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            registration_number=f"DEMO-{district_code}-{number:05d}",
            registration_status=status,
            registered_from=start,
            registered_until=end,
            accreditations=_accreditations(archetype.type, rng),
            profile=dict(PROFILE),
            is_synthetic=True,
            **_contacts(code, rng),
        )
        record.search_text = record.compose_search_text()
        planned.append(
            PlannedInstitution(
                record=record,
                departments=_departments(archetype, rng, reference.departments),
                languages=_languages(archetype, district_code, rng, reference.languages),
            )
        )
    return planned


def plan_facilitators(reference: Reference, seed: int = DEFAULT_SEED) -> list[Facilitator]:
    rng = random.Random(seed + 1)
    names = _Names(rng)
    districts: list[str | None] = []
    for code in sorted(cal.FACILITATORS_BY_DISTRICT):
        districts += [code] * cal.FACILITATORS_BY_DISTRICT[code]
    districts += [None] * (cal.FACILITATORS - len(districts))
    statuses: list[str] = []
    for status, count in cal.largest_remainder(
        {str(key): value for key, value in cal.FACILITATOR_STATUS_SHARES.items()},
        cal.FACILITATORS,
    ).items():
        statuses += [status] * count
    rng.shuffle(statuses)
    facilitators = []
    for number, (district_code, status) in enumerate(zip(districts, statuses, strict=True), 1):
        code = f"{FACILITATOR_PREFIX}{number:04d}"
        start, end = _period(rng, status)
        record = Facilitator(
            code=code,
            names=names.agency(),
            district=reference.districts[district_code] if district_code else None,
            registration_number=f"DEMO-F-{number:04d}",
            registration_status=status,
            registered_from=start,
            registered_until=end,
            is_synthetic=True,
            **_contacts(code, rng),
        )
        record.search_text = record.compose_search_text()
        facilitators.append(record)
    return facilitators


# Saving -----------------------------------------------------------------------------------------


def seed_demo_registry(seed: int = DEFAULT_SEED) -> SeedSummary:
    """Create the demo records that are missing; leave every existing record as it is."""
    reference = Reference.load()
    institutions = plan_institutions(reference, seed)
    facilitators = plan_facilitators(reference, seed)
    summary = SeedSummary()
    with transaction.atomic():
        existing = set(
            Institution.objects.filter(code__in=[p.record.code for p in institutions]).values_list(
                "code", flat=True
            )
        )
        new = [planned for planned in institutions if planned.record.code not in existing]
        Institution.objects.bulk_create([planned.record for planned in new], batch_size=500)
        ids = dict(
            Institution.objects.filter(code__in=[p.record.code for p in new]).values_list(
                "code", "pk"
            )
        )
        department_links = [
            Institution.departments.through(
                institution_id=ids[planned.record.code],
                department_id=reference.departments[code].pk,
            )
            for planned in new
            for code in planned.departments
        ]
        language_links = [
            Institution.languages.through(
                institution_id=ids[planned.record.code],
                language_id=reference.languages[code].pk,
            )
            for planned in new
            for code in planned.languages
        ]
        Institution.departments.through.objects.bulk_create(department_links, batch_size=2000)
        Institution.languages.through.objects.bulk_create(language_links, batch_size=2000)
        existing_facilitators = set(
            Facilitator.objects.filter(code__in=[f.code for f in facilitators]).values_list(
                "code", flat=True
            )
        )
        new_facilitators = [f for f in facilitators if f.code not in existing_facilitators]
        Facilitator.objects.bulk_create(new_facilitators, batch_size=500)
        summary.institutions_created = len(new)
        summary.institutions_existing = len(existing)
        summary.facilitators_created = len(new_facilitators)
        summary.facilitators_existing = len(existing_facilitators)
        summary.by_status = Counter(str(p.record.registration_status) for p in new)
        if summary.changed:
            record_event(
                actor=None,
                action=AuditAction.IMPORT,
                actor_label=ACTOR_LABEL,
                target_label="demo registry",
                changes={
                    "seed": seed,
                    "institutions": summary.institutions_created,
                    "facilitators": summary.facilitators_created,
                },
            )
    return summary
