"""The incremental refresh: apply committed submissions the cells do not include yet.

The people a pending submission touches are the only ones whose contribution to any cell can
change. For them alone, every episode is loaded twice: as it stands now ("after") and as it
stood when the cells were last brought up to date ("before": records created by pending
submissions absent, records corrected by them with the values their first pending revision
kept). Each cuboid's cells over "after" minus the same over "before" is the exact change of
every distinct count, because other people's contributions stay as they were; `delta.py`
computes it from the episodes tagged unchanged, added and removed.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.db import connection
from django.utils import timezone

from medtour.records.models import PatientRecord, RecordRevision, Submission
from medtour.stats import frames
from medtour.stats.cube import store
from medtour.stats.cube.build import rebuild
from medtour.stats.cube.delta import Episodes, deltas
from medtour.stats.cube.locking import exclusive_snapshot
from medtour.stats.dimensions import CARE_TYPES, SEXES
from medtour.stats.models import AppliedSubmission, StatisticsState

logger = logging.getLogger(__name__)
SQLITE_CHUNK = 5_000


@dataclass
class RefreshOutcome:
    submissions: int = 0
    patients: int = 0
    episodes: int = 0
    changed_cells: int = 0
    seconds: float = 0.0
    load_seconds: float = 0.0
    compute_seconds: float = 0.0
    write_seconds: float = 0.0
    full_rebuild: bool = False


def pending_submissions() -> list[int]:
    applied = AppliedSubmission.objects.values("submission_id")
    return list(
        Submission.objects.filter(committed_at__isnull=False)
        .exclude(pk__in=applied)
        .values_list("pk", flat=True)
    )


def _touched_pseudonyms(pending: list[int]) -> list[bytes]:
    written = PatientRecord.objects.filter(submission_id__in=pending).values_list(
        "pseudonym", flat=True
    )
    corrected = RecordRevision.objects.filter(replaced_by_id__in=pending).values_list(
        "record__pseudonym", flat=True
    )
    return sorted({bytes(p) for p in written} | {bytes(p) for p in corrected})


def _postgres_episodes(pending: list[int]) -> tuple[pl.DataFrame, int]:
    """The touched people numbered in a temporary table (found by SQL, never shipped to
    Python), then all their episodes in one COPY through the natural key's leading
    pseudonym."""
    quote = connection.ops.quote_name
    records = quote(PatientRecord._meta.db_table)
    revisions = quote(RecordRevision._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE statistics_touched AS "
            "SELECT row_number() OVER (ORDER BY pseudonym) AS patient, pseudonym FROM ("
            f"SELECT pseudonym FROM {records} WHERE submission_id = ANY(%s) UNION "
            f"SELECT record.pseudonym FROM {revisions} AS revision JOIN {records} AS record "
            "ON record.id = revision.record_id WHERE revision.replaced_by_id = ANY(%s)"
            ") AS touched",
            [pending, pending],
        )
        people = cursor.rowcount
        cursor.execute("ANALYZE statistics_touched")
        # The planner prefers hashing the touched people and scanning every record (4 s at
        # ten million records); one index probe per person, in pseudonym order, takes 1.5 s.
        cursor.execute("SET LOCAL enable_hashjoin = off")
        cursor.execute("SET LOCAL enable_mergejoin = off")
        found = frames.read_raw(with_ids=True, numbered="statistics_touched")
        cursor.execute("RESET enable_hashjoin")
        cursor.execute("RESET enable_mergejoin")
        cursor.execute("DROP TABLE statistics_touched")
    return found, people


def _episodes_of(pending: list[int]) -> tuple[pl.DataFrame, int]:
    """Every episode of the people the PENDING submissions touch, and how many people."""
    if connection.vendor == "postgresql":
        return _postgres_episodes(pending)
    pseudonyms = _touched_pseudonyms(pending)
    parts = [frames.read_raw(with_ids=True).clear()]
    for start in range(0, len(pseudonyms), SQLITE_CHUNK):
        chunk = pseudonyms[start : start + SQLITE_CHUNK]
        where = f"WHERE pseudonym IN ({', '.join(['%s'] * len(chunk))})"
        parts.append(frames.read_raw(where, chunk, with_ids=True))
    return pl.concat(parts), len(pseudonyms)


def _first_pending_revisions(pending: list[int]) -> dict[int, Any]:
    """Per record corrected by a pending submission: the values before the first such
    correction, and the submission that wrote them."""
    found: dict[int, Any] = {}
    revisions = (
        RecordRevision.objects.filter(replaced_by_id__in=pending)
        .order_by("record_id", "revision")
        .values_list("record_id", "values", "submission_id")
    )
    for record_id, values, submission_id in revisions.iterator(chunk_size=5_000):
        found.setdefault(record_id, (values, submission_id))
    return found


def _removed(rewritten: pl.DataFrame, pending: list[int]) -> pl.DataFrame:
    """Of the records REWRITTEN by pending submissions, the values the cells include now:
    those before the first pending correction (records a pending submission created were
    not there)."""
    pending_set = set(pending)
    previous = _first_pending_revisions(pending)
    rewritten = rewritten.filter(pl.col("record_id").is_in(sorted(previous)))
    restored = []
    for row in rewritten.iter_rows(named=True):
        kept = previous.get(row["record_id"])
        if kept is None or kept[1] in pending_set:
            continue  # created by a pending submission: absent before
        values = kept[0]
        restored.append(
            {
                **row,
                "birth_year": values["birth_year"],
                "sex": SEXES.index(values["sex"]),
                "nationality": values["nationality_id"],
                "care": CARE_TYPES.index(values["care_type"]),
                "direct": int(values.get("facilitator_id") is None),
                "inpatient_days": values.get("inpatient_days") or 0,
                "fees": values["fees_krw"],
            }
        )
    return pl.DataFrame(restored, schema=rewritten.schema)


def tagged_episodes(raw: pl.DataFrame, pending: list[int]) -> Episodes:
    """RAW (every episode of the affected people, as they stand) as unchanged, added and
    removed episodes."""
    rewritten = raw.filter(pl.col("submission_id").is_in(pending))
    encoded = frames.encode(
        pl.concat(
            [
                raw.filter(~pl.col("submission_id").is_in(pending)).with_columns(
                    pl.lit(0).alias("sign")
                ),
                rewritten.with_columns(pl.lit(1).alias("sign")),
                _removed(rewritten, pending).with_columns(pl.lit(-1).alias("sign")),
            ]
        ),
        keep=("sign",),
    )
    unchanged = encoded.filter(pl.col("sign") == 0).drop("sign")
    return Episodes.tagged(unchanged, encoded.filter(pl.col("sign") != 0))


def refresh() -> RefreshOutcome:
    """Bring the cells up to date with every committed submission; idempotent."""
    started = time.perf_counter()
    if not StatisticsState.objects.exists():
        build = rebuild()
        return RefreshOutcome(seconds=build.seconds, full_rebuild=True)
    outcome = RefreshOutcome()
    with exclusive_snapshot():
        state = StatisticsState.objects.select_for_update().get()
        pending = pending_submissions()
        if not pending:
            return outcome
        raw, people = _episodes_of(pending)
        loaded = time.perf_counter()
        outcome.load_seconds = loaded - started
        if not raw.is_empty():
            changed = deltas(tagged_episodes(raw, pending), state.cuboids)
            computed = time.perf_counter()
            outcome.compute_seconds = computed - loaded
            store.add(changed)
            outcome.write_seconds = time.perf_counter() - computed
            outcome.episodes = raw.height
            outcome.changed_cells = changed.height
        AppliedSubmission.objects.bulk_create(
            [AppliedSubmission(submission_id=pk) for pk in pending],
            batch_size=5_000,
            ignore_conflicts=True,
        )
        state.refreshed_at = timezone.now()
        state.save(update_fields=["refreshed_at"])
        outcome.submissions = len(pending)
        outcome.patients = people
    outcome.seconds = time.perf_counter() - started
    logger.info("statistics refreshed: %s", outcome)
    return outcome
