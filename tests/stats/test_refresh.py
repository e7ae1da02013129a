"""The incremental refresh gives exactly what a full rebuild gives, whatever arrives."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from medtour.records.models import PatientRecord, RecordRevision
from medtour.stats.cube.build import rebuild
from medtour.stats.cube.refresh import pending_submissions, refresh
from medtour.stats.models import StatisticsCell
from tests.stats.builders import GANGNAM, MAPO, SEOCHO, clinic, episode, submission

pytestmark = pytest.mark.django_db

MEASURES = ("patients", "department_patients", "episodes", "inpatient_days", "fees")


def stored_cells() -> dict[tuple[int, str], tuple[int, ...]]:
    return {
        (cuboid, key): tuple(values)
        for cuboid, key, *values in StatisticsCell.objects.values_list("cuboid", "key", *MEASURES)
    }


def assert_refresh_equals_rebuild() -> None:
    outcome = refresh()
    assert not outcome.full_rebuild
    assert pending_submissions() == []
    refreshed = stored_cells()
    rebuild()
    assert refreshed == stored_cells()


@pytest.fixture
def built() -> dict[str, Any]:
    gangnam, seocho, mapo = clinic(GANGNAM), clinic(SEOCHO), clinic(MAPO)
    episode("ann", gangnam, month=1)
    episode("ann", seocho, month=2, department="dermatology")
    episode("bo", gangnam, month=3, nationality="US")
    episode("cy", mapo, year=2017, month=7, nationality="SA")
    rebuild()
    return {"gangnam": gangnam, "seocho": seocho, "mapo": mapo}


def test_a_second_submission_with_known_and_new_patients(built: dict[str, Any]) -> None:
    later = submission(built["mapo"], 2016)
    episode("ann", built["mapo"], month=2, via=later)  # Ann now in a third district
    episode("bo", built["mapo"], month=3, via=later, nationality="US", fees=5)
    episode("dee", built["mapo"], month=12, via=later, care_type="inpatient", inpatient_days=3)
    assert_refresh_equals_rebuild()


def test_a_correction_that_changes_a_patients_nationality_and_fees(
    built: dict[str, Any],
) -> None:
    record = PatientRecord.objects.get(institution=built["gangnam"], first_visit__month=3)
    old = record.submission
    correction = submission(built["gangnam"], 2016)
    RecordRevision.objects.create(
        record=record,
        revision=1,
        values={
            "birth_year": record.birth_year,
            "sex": record.sex,
            "nationality_id": record.nationality_id,
            "province": "",
            "last_visit": record.last_visit.isoformat(),
            "care_type": record.care_type,
            "inpatient_days": None,
            "fees_krw": record.fees_krw,
            "facilitator_id": None,
            "diagnosis": "",
        },
        submission=old,
        replaced_by=correction,
    )
    PatientRecord.objects.filter(pk=record.pk).update(
        submission=correction,
        nationality=record.nationality.__class__.objects.get(alpha2="CN"),
        fees_krw=999,
        revision=2,
    )
    assert_refresh_equals_rebuild()


def test_a_refresh_with_nothing_pending_changes_nothing(built: dict[str, Any]) -> None:
    before = stored_cells()
    outcome = refresh()
    assert outcome.submissions == 0
    assert stored_cells() == before


def test_a_refresh_twice_applies_once(built: dict[str, Any]) -> None:
    episode("eve", built["gangnam"], via=submission(built["gangnam"], 2016))
    refresh()
    once = stored_cells()
    refresh()
    assert stored_cells() == once


def test_an_uncommitted_draft_is_not_counted(built: dict[str, Any]) -> None:
    draft = submission(built["gangnam"], 2016, status="draft", committed_at=None)
    assert draft.pk not in pending_submissions()
    later = submission(built["gangnam"], 2016, committed_at=timezone.now())
    episode("fay", built["gangnam"], via=later)
    assert_refresh_equals_rebuild()


def _correct(record: PatientRecord, by: Any, **changes: Any) -> None:
    RecordRevision.objects.create(
        record=record,
        revision=record.revision,
        values={
            "birth_year": record.birth_year,
            "sex": record.sex,
            "nationality_id": record.nationality_id,
            "province": "",
            "last_visit": record.last_visit.isoformat(),
            "care_type": record.care_type,
            "inpatient_days": record.inpatient_days,
            "fees_krw": record.fees_krw,
            "facilitator_id": record.facilitator_id,
            "diagnosis": "",
        },
        submission=record.submission,
        replaced_by=by,
    )
    PatientRecord.objects.filter(pk=record.pk).update(
        submission=by, revision=record.revision + 1, **changes
    )


@pytest.mark.parametrize("packed", [True, False], ids=["packed", "plain"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_submissions_and_corrections(
    seed: int, packed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Known, new and repeated patients, and corrections that move or keep their cells,
    over two refreshes; `plain` computes every cuboid the unpacked way."""
    import random

    from medtour.reference.models import Country
    from medtour.stats.cube import delta

    if not packed:
        monkeypatch.setattr(delta, "PACKED_BITS", 0)
    rng = random.Random(seed)
    clinics = [clinic(GANGNAM), clinic(SEOCHO), clinic(MAPO)]
    people = [f"p{n}" for n in range(12)]
    departments = ("internal_medicine", "dermatology", "plastic_surgery")
    used: set[tuple[Any, ...]] = set()

    def some_episodes(count: int, via: Any = None, year: int = 2016) -> None:
        for _ in range(count):
            where = rng.choice(clinics)
            key = (rng.choice(people), where.pk, rng.choice(departments), rng.randint(1, 12))
            if key in used or (via is not None and via.institution_id != where.pk):
                continue
            used.add(key)
            episode(
                key[0],
                where,
                year=year,
                month=key[3],
                department=key[2],
                nationality=rng.choice(("CN", "US", "SA")),
                sex=rng.choice("FM"),
                fees=rng.randint(1, 9),
                via=via,
            )

    some_episodes(30)
    rebuild()
    for round_ in range(2):
        target = rng.choice(clinics)
        later = submission(target, 2016 + round_)
        some_episodes(25, via=later, year=2016 + round_)
        records = list(PatientRecord.objects.filter(institution=target).exclude(submission=later))
        china = Country.objects.get(alpha2="CN")
        for record in rng.sample(records, min(3, len(records))):
            changes = rng.choice(
                ({"fees_krw": 7}, {"nationality": china}, {"sex": "M", "fees_krw": 3})
            )
            _correct(record, later, **changes)
        assert_refresh_equals_rebuild()
