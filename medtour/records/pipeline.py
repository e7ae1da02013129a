"""Validate and commit a file in one pass: what `import_records --commit` does.

On PostgreSQL the two halves overlap: while this thread reads, validates and stages batch after
batch (Python's work), a second thread and its own connection stream the valid rows into the
records table (the database server's work), each on its own core. The records transaction
commits only after staging has finished and found the file committable, so the outcome is the
same as `submission_stage_file` followed by `submission_commit`: all rows or none.

SQLite, or a caller already inside a transaction, gets exactly that sequence instead.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from typing import Any

import polars as pl
from django.db import connection, connections, transaction

from medtour.institutions.models import Institution
from medtour.records.models import ReportingPeriod, Submission
from medtour.records.services import (
    BATCH_SIZE,
    CommitOutcome,
    Progress,
    RecordsWriter,
    StageOutcome,
    check_committable,
    lock_for_commit,
    mark_committed,
    submission_commit,
    submission_stage_file,
)

QUEUE_BATCHES = 2  # batches waiting for the writer: memory stays flat


class _Abandon(Exception):
    """Staging refused the file: roll the records transaction back."""


class _Writer(threading.Thread):
    def __init__(
        self,
        *,
        institution_id: int,
        period: ReportingPeriod,
        actor: Any,
        skip_invalid: bool,
        progress: Progress,
    ) -> None:
        super().__init__(name="records-writer", daemon=True)
        self.institution_id = institution_id
        self.period = period
        self.actor = actor
        self.skip_invalid = skip_invalid
        self.progress = progress
        self.inbox: queue.Queue[tuple[str, int | None, Any]] = queue.Queue(QUEUE_BATCHES)
        self.error: BaseException | None = None
        self.outcome: CommitOutcome | None = None

    def run(self) -> None:
        try:
            self._write()
        except _Abandon:
            pass
        except BaseException as error:  # handed to the main thread
            self.error = error
        finally:
            connections.close_all()

    def _write(self) -> None:
        with transaction.atomic():
            institution = lock_for_commit(self.institution_id)
            kind, submission_id, payload = self.inbox.get()
            if submission_id is None:
                raise _Abandon
            self.progress("commit started", 0)
            writer = RecordsWriter(
                institution=institution,
                period=self.period,
                submission_id=submission_id,
                progress=self.progress,
            )
            with writer:
                while kind == "batch":
                    writer.write(payload)
                    kind, submission_id, payload = self.inbox.get()
            if not payload:
                raise _Abandon
            writer.finish()
            # Staging has committed its transaction by now: the draft is visible.
            assert submission_id is not None
            locked = Submission.objects.select_for_update().get(pk=submission_id)
            check_committable(locked, self.skip_invalid)
            self.outcome = mark_committed(locked, writer, self.actor)
        self.progress("committed", self.outcome.committed)

    def send(self, message: tuple[str, int | None, Any]) -> None:
        while True:
            try:
                self.inbox.put(message, timeout=0.5)
                return
            except queue.Full:
                if not self.is_alive():
                    raise self.error or RuntimeError("the records writer stopped") from None


def submission_import_file(
    *,
    institution: Institution,
    period: ReportingPeriod,
    path: Path,
    actor: Any,
    name: str = "",
    skip_invalid: bool = False,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> tuple[StageOutcome, CommitOutcome | None]:
    """Stage the file and, if it may be committed, commit it. Returns both outcomes; the
    commit outcome is None when rows were refused and SKIP_INVALID was not given."""

    def report(stage: str, count: int) -> None:
        if progress is not None:
            progress(stage, count)

    if connection.vendor != "postgresql" or connection.in_atomic_block:
        staged = submission_stage_file(
            institution=institution,
            period=period,
            path=path,
            actor=actor,
            name=name,
            batch_size=batch_size,
            progress=report,
        )
        if staged.submission.invalid_count and not skip_invalid:
            return staged, None
        return staged, submission_commit(
            submission=staged.submission, actor=actor, skip_invalid=skip_invalid, progress=report
        )

    writer = _Writer(
        institution_id=institution.pk,
        period=period,
        actor=actor,
        skip_invalid=skip_invalid,
        progress=report,
    )
    writer.start()

    def hand_over(submission: Submission, rows: pl.DataFrame) -> None:
        writer.send(("batch", submission.pk, rows))

    try:
        staged = submission_stage_file(
            institution=institution,
            period=period,
            path=path,
            actor=actor,
            name=name,
            batch_size=batch_size,
            progress=report,
            on_batch=hand_over,
        )
    except BaseException:
        if writer.is_alive():
            writer.send(("end", None, False))
        writer.join()
        raise
    commit = not staged.submission.invalid_count or skip_invalid
    writer.send(("end", staged.submission.pk, commit))
    writer.join()
    if writer.error is not None:
        raise writer.error
    if writer.outcome is not None:
        staged.submission.refresh_from_db()
    return staged, writer.outcome
