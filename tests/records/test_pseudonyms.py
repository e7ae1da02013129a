"""Pseudonyms: stable across institutions and years, keyed, never reversible from the database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from medtour.institutions.actors import CommandLine
from medtour.records.models import PatientRecord, PseudonymLink
from medtour.records.pseudonyms import (
    PseudonymKeyMissing,
    current_key,
    mask_patient_id,
    normalize_patient_id,
    pseudonymize,
    pseudonymize_normalized,
)
from medtour.records.rotation import apply_links, finish_rotation, rotation_status
from medtour.records.services import (
    reporting_period_for,
    submission_commit,
    submission_stage_file,
    submission_stage_rows,
)
from tests.records.conftest import row, rows

ACTOR = CommandLine("test")
RAW_ID = "G98765432"


def commit_rows(institution, period, records):
    outcome = submission_stage_rows(
        institution=institution, period=period, rows=records, actor=ACTOR
    )
    assert not outcome.errors, outcome.errors
    return submission_commit(submission=outcome.submission, actor=ACTOR)


@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=20))
@settings(max_examples=300, deadline=None)
def test_normalizing_is_idempotent(text):
    once = normalize_patient_id(text)
    assert normalize_patient_id(once) == once


@given(
    core=st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=6, max_size=12),
    noise=st.lists(st.sampled_from([" ", "-", "\u2010", "\u3000"]), max_size=4),
)
@settings(max_examples=200, deadline=None)
def test_spaces_hyphens_case_and_width_do_not_change_the_pseudonym(core, noise):
    written = core.lower()
    for position, separator in enumerate(noise):
        index = (position * 3) % (len(written) + 1)
        written = written[:index] + separator + written[index:]
    wide = written.translate({code: code + 0xFEE0 for code in range(0x21, 0x7F)})
    assert pseudonymize(written) == pseudonymize(core) == pseudonymize(wide)


def test_the_bulk_path_hashes_like_the_single_one():
    key = current_key()
    assert pseudonymize_normalized(["E12345678"], key) == [pseudonymize("e1234-5678", key)]


def test_another_key_gives_another_pseudonym():
    with override_settings(PSEUDONYM_KEY="one"):
        first = pseudonymize(RAW_ID)
    with override_settings(PSEUDONYM_KEY="two"):
        second = pseudonymize(RAW_ID)
    assert first != second and len(first) == len(second) == 16


def test_masking_keeps_only_the_last_characters():
    assert mask_patient_id("G98765432") == "******432"
    assert mask_patient_id("AB1") == "***"


def test_imports_are_refused_without_a_key(gangnam_clinic, period_2016, write_file):
    with override_settings(PSEUDONYM_KEY=""), pytest.raises(PseudonymKeyMissing):
        submission_stage_file(
            institution=gangnam_clinic, period=period_2016, path=write_file(rows(1)), actor=ACTOR
        )


def test_same_person_same_pseudonym_across_institutions_and_years(gangnam_clinic, mapo_clinic):
    period_2016, period_2017 = reporting_period_for("2016"), reporting_period_for("2017")
    commit_rows(gangnam_clinic, period_2016, [row(patient_id=RAW_ID)])
    commit_rows(
        mapo_clinic,
        period_2017,
        [row(patient_id="g9876-5432", first_visit="2017-05-01", last_visit="2017-05-02")],
    )
    assert PatientRecord.objects.values("pseudonym").distinct().count() == 1


def _all_stored_text() -> str:
    """Every text, JSON and binary value in every table, as text."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            description = connection.introspection.get_table_description(cursor, table)
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for values in cursor.fetchall():
                for info, value in zip(description, values, strict=True):
                    if isinstance(value, (bytes, memoryview)):
                        parts.append(bytes(value).decode("latin-1"))
                    elif value is not None:
                        parts.append(str(value))
                    del info
    return "\n".join(parts)


def test_raw_ids_are_stored_nowhere(gangnam_clinic, period_2016, write_file, tmp_path):
    refused = row(patient_id="H55554444", fees_krw="-1")
    path = write_file([row(patient_id=RAW_ID), refused])
    outcome = submission_stage_file(
        institution=gangnam_clinic, period=period_2016, path=path, actor=ACTOR
    )
    staged_files = b"".join(part.read_bytes() for part in tmp_path.rglob("*.arrow"))
    submission_commit(submission=outcome.submission, actor=ACTOR, skip_invalid=True)

    stored = _all_stored_text()
    for raw in (RAW_ID, "H55554444", "55554444"):
        assert raw not in stored
        assert raw.encode() not in staged_files
    assert PatientRecord.objects.count() == 1
    assert outcome.submission.refused_rows.get().cells["patient_id"] == "******444"


# Rotation --------------------------------------------------------------------------------


def test_rotation_keeps_reimports_idempotent_and_links_people(
    gangnam_clinic, mapo_clinic, period_2016
):
    with override_settings(PSEUDONYM_KEY="old-key", PSEUDONYM_KEY_VERSION=1):
        commit_rows(gangnam_clinic, period_2016, [row(patient_id=RAW_ID)])
        commit_rows(mapo_clinic, period_2016, [row(patient_id=RAW_ID)])
        old = bytes(PatientRecord.objects.first().pseudonym)

    rotating = {
        "PSEUDONYM_KEY": "new-key",
        "PSEUDONYM_KEY_VERSION": 2,
        "PSEUDONYM_PREVIOUS_KEY": "old-key",
    }
    with override_settings(**rotating):
        # Gangnam sends its file again: nothing new, and its record moves to the new key.
        outcome = commit_rows(gangnam_clinic, period_2016, [row(patient_id=RAW_ID)])
        assert (outcome.inserted, outcome.unchanged) == (0, 1)
        assert PatientRecord.objects.count() == 2
        new = pseudonymize(RAW_ID)
        assert PseudonymLink.objects.filter(old_pseudonym=old, new_pseudonym=new).exists()
        assert rotation_status() == {1: 1, 2: 1}

        # Mapo's record was not sent again; the link written at ingestion re-keys it.
        assert apply_links() == 1
        assert set(PatientRecord.objects.values_list("pseudonym_version", flat=True)) == {2}
        assert {bytes(p) for p in PatientRecord.objects.values_list("pseudonym", flat=True)} == {
            new
        }

        assert finish_rotation() == 0
        assert not PseudonymLink.objects.exists()
