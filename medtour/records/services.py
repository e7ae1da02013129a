"""Writes of the records pipeline: stage a submission, commit it, move it through review.

Every way in (upload, form, API, `import_records`) calls these; none re-implements them.
Staging validates and keeps the result as a draft; `submission_commit` writes it to the
records in one transaction, audited, and does nothing when called twice.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from medtour.accounts.scope import can_write_aggregate_cell
from medtour.audit.models import AuditAction
from medtour.audit.services import diff, record_event, snapshot
from medtour.institutions.models import Institution
from medtour.records import aggregates, staging, writing
from medtour.records.aggregates import AggregateCell, AggregateProblem
from medtour.records.columns import COLUMN_NAMES
from medtour.records.models import (
    AggregateReturn,
    RefusedRow,
    ReportingPeriod,
    Submission,
    SubmissionStatus,
)
from medtour.records.pseudonyms import current_key, previous_key
from medtour.records.reading import ROW, FileRefused, SourceFile, iter_batches, open_source
from medtour.records.validation import (
    VALUE_COLUMNS,
    RecordValidator,
    RowError,
    classify,
    existing_records,
    frame_of_rows,
)
from medtour.reference.models import Country, Department, District

Progress = Callable[[str, int], None]
CLASSIFICATION_COLUMNS = frozenset({"record_id", "locked", "change"})
BATCH_SIZE = 20_000
PERIOD_PATTERN = re.compile(r"^\s*(\d{4})(?:\s*-\s*(?:[Qq]([1-4])|(\d{1,2})))?\s*$")


class SubmissionError(Exception):
    """A submission cannot go where it was asked to; `message` says why."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def _no_progress(stage: str, count: int) -> None:
    return None


def _actor_fields(actor: Any) -> dict[str, Any]:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    label = getattr(actor, "label", "") or (getattr(actor, "email", "") if is_user else "")
    return {"created_by": actor if is_user else None, "created_by_label": label[:254]}


def _audit(actor: Any, action: str, submission: Submission, changes: Mapping[str, Any]) -> None:
    record_event(
        actor=actor,
        action=action,
        target=submission,
        changes=changes,
        actor_label=getattr(actor, "label", ""),
    )


# Reporting periods -------------------------------------------------------------------------


def parse_period(label: str) -> tuple[int, int | None, int | None]:
    """`2016` -> (2016, None, None); `2016-Q2` -> (2016, 2, None); `2016-03` -> (2016, None, 3)."""
    match = PERIOD_PATTERN.match(label or "")
    if not match or (match.group(3) and not 1 <= int(match.group(3)) <= 12):
        raise SubmissionError(
            _("Unknown reporting period %(label)s: write 2016, 2016-Q1 or 2016-03.")
            % {"label": f"“{label}”"}
        )
    year, quarter, month = match.groups()
    return int(year), int(quarter) if quarter else None, int(month) if month else None


def default_deadline(year: int, quarter: int | None, month: int | None) -> datetime.date:
    """The end of the month after the period: what the city asks unless an officer sets one."""
    last_month = 3 * quarter if quarter else (month or 12)
    next_year, next_month = (year + 1, 1) if last_month == 12 else (year, last_month + 1)
    return datetime.date(next_year, next_month, calendar.monthrange(next_year, next_month)[1])


def default_period_label() -> str:
    """Last calendar year: what institutions report at the start of a year."""
    return str(timezone.localdate().year - 1)


def reporting_period_for(label: str) -> ReportingPeriod:
    """The period named by LABEL, created with the default deadline on first use."""
    return _period_get_or_create(label)[0]


def reporting_period_open(*, label: str, actor: Any) -> tuple[ReportingPeriod, bool]:
    """Open the period named by LABEL (audited); one that exists is returned unchanged."""
    with transaction.atomic():
        period, created = _period_get_or_create(label)
        if created:
            record_event(
                actor=actor,
                action=AuditAction.CREATE,
                target=period,
                changes={"label": period.label, "deadline": period.deadline.isoformat()},
            )
    return period, created


def _period_get_or_create(label: str) -> tuple[ReportingPeriod, bool]:
    year, quarter, month = parse_period(label)
    if not 2000 <= year <= 2100:
        raise SubmissionError(
            _("Unknown reporting period %(label)s: write 2016, 2016-Q1 or 2016-03.")
            % {"label": f"“{label}”"}
        )
    return ReportingPeriod.objects.get_or_create(
        year=year,
        quarter=quarter,
        month=month,
        defaults={"deadline": default_deadline(year, quarter, month)},
    )


# Staging -----------------------------------------------------------------------------------


@dataclass
class StageOutcome:
    submission: Submission
    errors: list[RowError] = field(default_factory=list)  # the first MAX_ERRORS_KEPT
    errors_total: int = 0


MAX_ERRORS_KEPT = 1_000


def _stage_batches(
    *,
    institution: Institution,
    period: ReportingPeriod,
    batches: Iterable[pl.DataFrame],
    actor: Any,
    source: SourceFile | None,
    progress: Progress,
    on_batch: Callable[[Submission, pl.DataFrame], None] | None = None,
) -> StageOutcome:
    key = current_key()
    validator = RecordValidator(institution=institution, period=period, key=key)
    rows = valid = 0
    changes: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    errors: list[RowError] = []
    staged = staging.StagedRows()
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                institution=institution,
                period=period,
                source_name=(source.name if source else "")[:255],
                source_sha256=source.sha256 if source else "",
                source_format=source.format if source else "form",
                pseudonym_version=key.version,
                **_actor_fields(actor),
            )
            for batch in batches:
                result = validator.validate(batch)
                rows += batch.height
                valid += result.valid.height
                changes.update(result.valid.get_column("change").to_list())
                staged.append(result.valid)
                if on_batch is not None:
                    on_batch(submission, result.valid)
                _keep_refused(submission, result.refused, result.errors)
                for error in result.errors:
                    reasons[error.code] += 1
                if len(errors) < MAX_ERRORS_KEPT:
                    errors.extend(result.errors[: MAX_ERRORS_KEPT - len(errors)])
                progress("validated", rows)
            submission.row_count = rows
            submission.valid_count = valid
            submission.invalid_count = rows - valid
            submission.new_count = changes["new"]
            submission.revised_count = changes["changed"]
            submission.unchanged_count = changes["unchanged"]
            submission.refusal_summary = dict(sorted(reasons.items()))
            submission.save()
            _audit(
                actor,
                AuditAction.CREATE,
                submission,
                {
                    "rows": rows,
                    "valid": valid,
                    "invalid": rows - valid,
                    "source": submission.source_name,
                    "sha256": submission.source_sha256,
                },
            )
            # Published inside the transaction: if it rolls back, the folder names a
            # submission that never existed and is never read (ids are not reused).
            staged.publish(submission.pk)
    except BaseException:
        staged.abandon()
        raise
    return StageOutcome(submission=submission, errors=errors, errors_total=sum(reasons.values()))


def _keep_refused(submission: Submission, refused: pl.DataFrame, errors: list[RowError]) -> None:
    if refused.is_empty():
        return
    by_row: dict[int, list[dict[str, Any]]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error.stored())
    RefusedRow.objects.bulk_create(
        [
            RefusedRow(
                submission=submission,
                row_number=row[ROW],
                cells={
                    name: row[name]
                    for name in ("pseudonym", *COLUMN_NAMES)
                    if row.get(name) is not None
                },
                errors=by_row.get(row[ROW], []),
            )
            for row in refused.iter_rows(named=True)
        ],
        batch_size=2_000,
    )


def submission_stage_file(
    *,
    institution: Institution,
    period: ReportingPeriod,
    path: Path,
    actor: Any,
    name: str = "",
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
    on_batch: Callable[[Submission, pl.DataFrame], None] | None = None,
) -> StageOutcome:
    """Validate a CSV or XLSX file into a draft submission (nothing reaches the records yet).

    Raises FileRefused when the file as a whole cannot be read, PseudonymKeyMissing when no
    key is configured. ON_BATCH sees each batch of valid rows as it is staged (the one-pass
    import of `medtour.records.pipeline` writes them meanwhile).
    """
    current_key()  # refuse before reading anything
    with open_source(path, name) as source:
        return _stage_batches(
            institution=institution,
            period=period,
            batches=iter_batches(source, batch_size),
            actor=actor,
            source=source,
            progress=progress or _no_progress,
            on_batch=on_batch,
        )


def submission_stage_rows(
    *,
    institution: Institution,
    period: ReportingPeriod,
    rows: Iterable[Mapping[str, Any]],
    actor: Any,
    name: str = "",
) -> StageOutcome:
    """The web form and the API: entries as {column: text}, validated like a file's rows."""
    frame = frame_of_rows(rows)
    if frame.is_empty():
        raise FileRefused("empty", _("There is no record to validate."))
    outcome = _stage_batches(
        institution=institution,
        period=period,
        batches=[frame],
        actor=actor,
        source=None,
        progress=_no_progress,
    )
    if name:
        Submission.objects.filter(pk=outcome.submission.pk).update(source_name=name[:255])
        outcome.submission.source_name = name[:255]
    return outcome


def submission_discard(*, submission: Submission, actor: Any) -> None:
    """Drop a draft that will not be committed, with its staged rows."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status != SubmissionStatus.DRAFT:
            raise SubmissionError(_("Only a draft can be discarded."))
        _audit(actor, AuditAction.DEACTIVATE, locked, {"status": [locked.status, "discarded"]})
        submission_id = locked.pk
        locked.delete()
        transaction.on_commit(lambda: staging.discard(submission_id))


# Commit ------------------------------------------------------------------------------------


@dataclass
class CommitOutcome:
    submission: Submission
    inserted: int = 0
    revised: int = 0
    unchanged: int = 0
    already_committed: bool = False

    @property
    def committed(self) -> int:
        return self.inserted + self.revised + self.unchanged


class RecordsWriter:
    """Writes classified batches of one submission inside the caller's transaction.

    New rows stream into the table as they come; corrections, re-keyings and links wait for
    `finish` (the COPY holds the connection until then).
    """

    def __init__(
        self,
        *,
        institution: Institution,
        period: ReportingPeriod,
        submission_id: int,
        progress: Progress,
    ) -> None:
        self.key = current_key()
        self.previous = previous_key()
        self.context = writing.Context(
            institution_id=institution.pk,
            submission_id=submission_id,
            pseudonym_version=self.key.version,
            year=period.year,
            district_id=institution.district_id,
        )
        self.existing = existing_records(institution, period)
        self.progress = progress
        self.inserted = self.revised = self.unchanged = 0
        self._later: list[pl.DataFrame] = []
        self._inserter = writing.RecordInserter(self.context)

    def __enter__(self) -> RecordsWriter:
        self._inserter.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._inserter.__exit__(*exc)

    def write(self, batch: pl.DataFrame) -> None:
        staged = batch.select(
            name
            for name in batch.columns
            if name not in CLASSIFICATION_COLUMNS and not name.startswith("old_")
        )
        classified, refused = classify(staged, self.existing, self.key, self.previous)
        if refused:
            raise SubmissionError(
                _("Some episodes were locked after this file was checked; upload it again.")
            )
        self.inserted += self._inserter.write(classified.filter(pl.col("change") == "new"))
        self.unchanged += classified.filter(pl.col("change") == "unchanged").height
        if self.previous is not None:
            self._later.append(classified)
        else:
            changed = classified.filter(pl.col("change") == "changed")
            if not changed.is_empty():
                self._later.append(changed)
        self.progress("written", self.inserted + self.unchanged)

    def finish(self) -> None:
        """After the COPY: corrections become revisions; during a rotation, re-key and link."""
        for classified in self._later:
            changed = classified.filter(pl.col("change") == "changed")
            self.revised += writing.apply_corrections(changed, self.context, VALUE_COLUMNS)
            if self.previous is not None:
                unchanged = classified.filter(pl.col("change") == "unchanged")
                writing.rekey(
                    unchanged.filter(pl.col("old_pseudonym_version") != self.key.version),
                    self.context,
                )
                writing.link_pseudonyms(classified, self.previous.version, self.key.version)
        self._later.clear()


def lock_for_commit(institution_id: int) -> Institution:
    """One commit per institution at a time: new and changed rows are told apart under it.

    NO KEY UPDATE, so that staging a submission (which references the institution) can go on.
    """
    return Institution.objects.select_for_update(no_key=True).get(pk=institution_id)


def check_committable(submission: Submission, skip_invalid: bool) -> None:
    if submission.invalid_count and not skip_invalid:
        raise SubmissionError(
            _(
                "%(count)s rows were refused; correct them, or commit the valid rows only "
                "and keep the refused ones for correction."
            )
            % {"count": submission.invalid_count}
        )
    if submission.pseudonym_version != current_key().version:
        raise SubmissionError(
            _("The pseudonym key changed after this file was checked; upload it again.")
        )


def mark_committed(submission: Submission, writer: RecordsWriter, actor: Any) -> CommitOutcome:
    submission.status = SubmissionStatus.SUBMITTED
    submission.committed_at = timezone.now()
    submission.committed_count = writer.inserted + writer.revised + writer.unchanged
    submission.new_count = writer.inserted
    submission.revised_count = writer.revised
    submission.unchanged_count = writer.unchanged
    submission.save()
    _audit(
        actor,
        AuditAction.IMPORT,
        submission,
        {
            "status": [SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED],
            "new": writer.inserted,
            "revised": writer.revised,
            "unchanged": writer.unchanged,
            "refused": submission.invalid_count,
        },
    )
    submission_id = submission.pk
    transaction.on_commit(lambda: staging.discard(submission_id))
    transaction.on_commit(_refresh_statistics)
    return CommitOutcome(
        submission=submission,
        inserted=writer.inserted,
        revised=writer.revised,
        unchanged=writer.unchanged,
    )


def _refresh_statistics() -> None:
    from medtour.stats.tasks import enqueue_refresh  # stats reads records: import when used

    enqueue_refresh()


def submission_commit(
    *,
    submission: Submission,
    actor: Any,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> CommitOutcome:
    """Write a draft's valid rows to the records: all of them or none, audited, idempotent.

    A draft with refused rows is committed only with SKIP_INVALID; the refused rows stay with
    the submission for correction. New rows are inserted, changed ones become revisions,
    identical ones change nothing.
    """
    progress = progress or _no_progress
    with transaction.atomic():
        institution = lock_for_commit(submission.institution_id)
        locked = (
            Submission.objects.select_for_update().select_related("period").get(pk=submission.pk)
        )
        if locked.is_committed:
            return CommitOutcome(submission=locked, already_committed=True)
        check_committable(locked, skip_invalid)
        progress("commit started", 0)
        writer = RecordsWriter(
            institution=institution,
            period=locked.period,
            submission_id=locked.pk,
            progress=progress,
        )
        with writer:
            for batch in staging.staged_batches(locked.pk):
                writer.write(batch)
        writer.finish()
        outcome = mark_committed(locked, writer, actor)
    progress("committed", outcome.committed)
    return outcome


# Review ------------------------------------------------------------------------------------

TRANSITIONS = {
    "approve": ({SubmissionStatus.SUBMITTED}, SubmissionStatus.APPROVED),
    "return": ({SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED}, SubmissionStatus.RETURNED),
    "lock": ({SubmissionStatus.APPROVED}, SubmissionStatus.LOCKED),
    "resubmit": ({SubmissionStatus.RETURNED}, SubmissionStatus.SUBMITTED),
}


def _transition(*, submission: Submission, actor: Any, step: str, comment: str = "") -> Submission:
    allowed_from, target = TRANSITIONS[step]
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status not in allowed_from:
            raise SubmissionError(
                _("A submission that is %(status)s cannot be moved to %(target)s.")
                % {"status": locked.get_status_display(), "target": target.label}
            )
        before = locked.status
        locked.status = target
        if comment:
            locked.comment = comment
        locked.save(update_fields=["status", "comment", "updated_at"])
        changes: dict[str, Any] = {"status": [before, target.value]}
        if comment:
            changes["comment"] = comment
        _audit(actor, AuditAction.UPDATE, locked, changes)
    return locked


def submission_approve(*, submission: Submission, actor: Any) -> Submission:
    return _transition(submission=submission, actor=actor, step="approve")


def submission_return(*, submission: Submission, actor: Any, comment: str) -> Submission:
    if not comment.strip():
        raise SubmissionError(_("Say what needs correcting when returning a submission."))
    return _transition(submission=submission, actor=actor, step="return", comment=comment.strip())


def submission_lock(*, submission: Submission, actor: Any) -> Submission:
    return _transition(submission=submission, actor=actor, step="lock")


def submission_resubmit(*, submission: Submission, actor: Any) -> Submission:
    return _transition(submission=submission, actor=actor, step="resubmit")


# Aggregate returns -------------------------------------------------------------------------


class AggregateInvalid(SubmissionError):
    """A total (or a file of totals) is refused; `problems` says why, field by field."""

    def __init__(self, problems: list[AggregateProblem]) -> None:
        self.problems = problems
        super().__init__(" ".join(problem.message for problem in problems))


def aggregate_return_save(
    *,
    period: ReportingPeriod,
    city: str,
    measure: str,
    count: int,
    source: str,
    actor: Any,
    district: District | None = None,
    nationality: Country | None = None,
    department: Department | None = None,
    aggregate: AggregateReturn | None = None,
    replace: bool = True,
) -> AggregateReturn:
    """Record a total for one cell where no records exist, or correct one; audited.

    AGGREGATE is the total being edited (its cell may change too). Without it, the total kept
    for the same cell is corrected when REPLACE, and the cell is refused as taken otherwise.
    Raises AggregateInvalid with every problem (the rules: medtour.records.aggregates).
    """
    cell = AggregateCell(
        period=period,
        measure=measure,
        count=count,
        source=source.strip(),
        district=district,
        nationality=nationality,
        department=department,
    )
    with transaction.atomic():
        target = _aggregate_target(cell, city=city, aggregate=aggregate, replace=replace)
        saved, _status = _aggregate_write(cell, city=city, actor=actor, target=target)
    return saved


def _aggregate_target(
    cell: AggregateCell, *, city: str, aggregate: AggregateReturn | None, replace: bool
) -> AggregateReturn | None:
    locked = AggregateReturn.objects.select_for_update()
    if aggregate is not None:
        return locked.get(pk=aggregate.pk)
    if not replace:
        return None
    # Ordered by key: the model's default ordering joins the nullable district, which
    # PostgreSQL cannot lock FOR UPDATE.
    return (
        locked.filter(city=city, **{name: getattr(cell, name) for name in aggregates.CELL_FIELDS})
        .order_by("pk")
        .first()
    )


def _aggregate_write(
    cell: AggregateCell, *, city: str, actor: Any, target: AggregateReturn | None
) -> tuple[AggregateReturn, str]:
    """Save CELL over TARGET (or as a new total): "created", "updated" or "unchanged"."""
    problems = aggregates.check_aggregate(cell, city=city, actor=actor, existing=target)
    if problems:
        raise AggregateInvalid(problems)
    fields = aggregates.AUDIT_FIELDS
    before = snapshot(target, fields) if target is not None else {}
    saved = target or AggregateReturn(city=city)
    for name, value in cell.values().items():
        setattr(saved, name, value)
    changes = diff(before, snapshot(saved, fields))
    if target is not None and not changes:
        return saved, "unchanged"
    try:
        with transaction.atomic():
            saved.save()
    except IntegrityError:  # the same cell saved by someone else a moment ago
        raise AggregateInvalid(
            [aggregates.AggregateProblem("", "", aggregates.cell_taken_message())]
        ) from None
    record_event(
        actor=actor,
        action=AuditAction.UPDATE if target is not None else AuditAction.CREATE,
        target=saved,
        changes=changes,
        actor_label=getattr(actor, "label", ""),
    )
    return saved, "updated" if target is not None else "created"


def aggregate_return_delete(*, aggregate: AggregateReturn, actor: Any) -> None:
    """Remove a total; the audit event keeps the values it had."""
    if not can_write_aggregate_cell(actor, aggregate.district_id):
        raise SubmissionError(_("You may delete the totals of your own district only."))
    with transaction.atomic():
        locked = (
            AggregateReturn.objects.select_for_update().filter(pk=aggregate.pk).order_by().first()
        )
        if locked is None:  # deleted a moment ago: nothing left to do
            return
        record_event(
            actor=actor,
            action=AuditAction.DELETE,
            target=locked,
            changes=diff(snapshot(locked, aggregates.AUDIT_FIELDS), {}),
            actor_label=getattr(actor, "label", ""),
        )
        locked.delete()


@dataclass
class AggregateImportOutcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def aggregate_returns_import(*, content: bytes, city: str, actor: Any) -> AggregateImportOutcome:
    """Save every total of a CSV file (columns: medtour.records.aggregates.CSV_COLUMNS), or none.

    A cell that has a total already is corrected. Raises AggregateInvalid listing every bad row
    with its column, value and reason; then nothing is saved.
    """
    try:
        parsed = aggregates.read_aggregate_csv(content)
    except aggregates.FileRefused as refused:
        raise AggregateInvalid([aggregates.AggregateProblem("", "", refused.message)]) from None
    problems = list(parsed.problems)
    counts: Counter[str] = Counter()
    with transaction.atomic():
        for row, cell in parsed.cells:
            target = _aggregate_target(cell, city=city, aggregate=None, replace=True)
            try:
                _saved, status = _aggregate_write(cell, city=city, actor=actor, target=target)
            except AggregateInvalid as invalid:
                problems += [aggregates.at_row(problem, row) for problem in invalid.problems]
            else:
                counts[status] += 1
        if problems:  # leaving the transaction by an exception saves nothing
            raise AggregateInvalid(sorted(problems, key=lambda problem: problem.row or 0))
    return AggregateImportOutcome(
        created=counts["created"], updated=counts["updated"], unchanged=counts["unchanged"]
    )
