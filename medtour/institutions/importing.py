"""Bulk import of institutions: every row through the same validator as the console form.

`check_table` validates every row and reports every problem; `commit_table` saves all rows in one
transaction or none. A row updates the institution with the same `code`, or registers a new one.
A column missing from the file keeps the record's current value; an empty cell clears it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from medtour.accounts import scope
from medtour.audit.models import AuditAction
from medtour.institutions.actors import is_command_line
from medtour.institutions.columns import column_for, form_data, institution_row, row_as_text
from medtour.institutions.forms import InstitutionImportForm, error_values, remembered_lookups
from medtour.institutions.models import ImportStatus, Institution, InstitutionImport
from medtour.institutions.reading import Problem, SourceRow, Table, UnreadableFile, read_table
from medtour.institutions.services import Change, InvalidInput, apply_change, prepare_change

# Uploads never committed are dropped after this long.
STALE_IMPORT_DAYS = 7


@dataclass
class ImportCheck:
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def new_count(self) -> int:
        return sum(1 for change in self.changes if change.is_new)

    @property
    def changed_count(self) -> int:
        return sum(1 for change in self.changes if not change.is_new and change.changes)

    @property
    def unchanged_count(self) -> int:
        return sum(1 for change in self.changes if not change.changes)


def format_problem(file_name: str, problem: Problem) -> str:
    """`FILE:ROW: column COLUMN: value 'X': reason`, the form every import error takes."""
    if not problem.row and not problem.column:
        return _("%(file)s: %(reason)s") % {"file": file_name, "reason": problem.reason}
    return _("%(file)s:%(row)s: column %(column)s: value '%(value)s': %(reason)s") % {
        "file": file_name,
        "row": problem.row,
        "column": problem.column,
        "value": problem.value,
        "reason": problem.reason,
    }


def _form_problems(row: SourceRow, cells: dict[str, str], form: Any) -> list[Problem]:
    problems = []
    for name, errors in form.errors.as_data().items():
        column = "" if name == "__all__" else column_for(name)
        for message, value in error_values(errors):
            shown = value if value is not None else cells.get(column, "")
            problems.append(Problem(row.number, column, str(shown), message))
    return problems


def _allowed(actor: Any, instance: Institution | None) -> bool:
    if is_command_line(actor):
        return True
    if instance is None:
        return scope.can_register_institution(actor)
    return scope.can_edit_institution(actor, instance)


def check_table(*, actor: Any, table: Table) -> ImportCheck:
    """Validate every row against the registry as it is now; nothing is saved."""
    with remembered_lookups():
        return _check_rows(actor, table)


def _check_rows(actor: Any, table: Table) -> ImportCheck:
    check = ImportCheck(problems=list(table.problems))
    codes = {row.cells.get("code", "").strip() for row in table.rows}
    existing = {
        institution.code: institution
        for institution in Institution.objects.filter(code__in=codes - {""})
        .select_related("district")
        .prefetch_related("departments", "languages")
    }
    first_row_of_code: dict[str, int] = {}
    first_row_of_number: dict[str, int] = {}
    for row in table.rows:
        code = row.cells.get("code", "").strip()
        if not code:
            check.problems.append(Problem(row.number, "code", "", _("the code is missing")))
            continue
        if code in first_row_of_code:
            check.problems.append(
                Problem(
                    row.number,
                    "code",
                    code,
                    _("the same code is already in row %(row)s") % {"row": first_row_of_code[code]},
                )
            )
            continue
        first_row_of_code[code] = row.number
        number = row.cells.get("registration_number", "").strip()
        if number and number in first_row_of_number:
            check.problems.append(
                Problem(
                    row.number,
                    "registration_number",
                    number,
                    _("the same registration number is already in row %(row)s")
                    % {"row": first_row_of_number[number]},
                )
            )
            continue
        if number:
            first_row_of_number[number] = row.number
        instance = existing.get(code)
        if not _allowed(actor, instance):
            reason = (
                _("you may not register institutions")
                if instance is None
                else _("you may not change this institution")
            )
            check.problems.append(Problem(row.number, "code", code, reason))
            continue
        cells = {**row_as_text(institution_row(instance)), **row.cells} if instance else row.cells
        try:
            change = prepare_change(
                actor=actor,
                form_class=InstitutionImportForm,
                data=form_data(cells),
                instance=instance,
            )
        except InvalidInput as invalid:
            check.problems.extend(_form_problems(row, cells, invalid.form))
        else:
            check.changes.append(change)
    return check


def commit_table(*, actor: Any, table: Table, request: HttpRequest | None = None) -> ImportCheck:
    """Validate, then save every row in one transaction; with any problem, save nothing."""
    check = check_table(actor=actor, table=table)
    if check.problems:
        return check
    try:
        with transaction.atomic():
            for change in check.changes:
                apply_change(change, actor=actor, action=AuditAction.IMPORT, request=request)
    except IntegrityError:
        check.problems.append(
            Problem(
                0,
                "",
                "",
                _(
                    "The registry changed while the file was being saved; nothing was saved. "
                    "Try again."
                ),
            )
        )
    return check


def read_file(file_name: str, content: bytes) -> Table:
    """The file's rows; a file that cannot be read at all becomes a single problem."""
    try:
        return read_table(file_name, content)
    except UnreadableFile as error:
        return Table(problems=[Problem(0, "", "", error.reason)])


# Uploads in the console: checked and previewed first, saved on confirmation. Both steps run in
# the background task worker (medtour/institutions/tasks.py): a registry file of a few thousand
# rows takes longer to check than a web request should wait.


def _table_of(upload: InstitutionImport) -> Table:
    rows = [SourceRow(number=row["row"], cells=row["cells"]) for row in upload.rows]
    return Table(columns=list(upload.columns), rows=rows)


def _record_check(upload: InstitutionImport, check: ImportCheck) -> None:
    upload.problems = [problem.as_dict() for problem in check.problems]
    upload.new_count = check.new_count
    upload.changed_count = check.changed_count
    upload.unchanged_count = check.unchanged_count


def stage_upload(*, actor: Any, file_name: str, content: bytes) -> InstitutionImport:
    """Read an uploaded file and keep its rows for checking; nothing enters the registry.

    A file that cannot be read is checked at once (status CHECKED, with its problems); otherwise
    the upload waits, CHECKING, for `check_upload`.
    """
    InstitutionImport.objects.filter(
        committed_at__isnull=True,
        uploaded_at__lt=timezone.now() - datetime.timedelta(days=STALE_IMPORT_DAYS),
    ).delete()
    table = read_file(file_name, content)
    if not table.rows and not table.problems:
        table.problems.append(Problem(0, "", "", _("The file has no rows to import.")))
    upload = InstitutionImport(
        uploaded_by=actor,
        file_name=file_name[:255],
        columns=table.columns,
        rows=[{"row": row.number, "cells": row.cells} for row in table.rows],
        row_count=len(table.rows),
        problems=[problem.as_dict() for problem in table.problems],
        status=ImportStatus.CHECKING if table.rows else ImportStatus.CHECKED,
    )
    upload.save()
    return upload


def check_upload(upload: InstitutionImport) -> ImportCheck:
    """Check every staged row as the uploader; the result is what the preview shows."""
    table = _table_of(upload)
    table.problems = [Problem(**problem) for problem in upload.problems]  # from reading it
    check = check_table(actor=upload.uploaded_by, table=table)
    _record_check(upload, check)
    upload.status = ImportStatus.CHECKED
    upload.save()
    return check


def request_commit(upload: InstitutionImport) -> bool:
    """Claim a checked, valid upload for saving; False if it is not (or no longer) committable."""
    if not upload.is_committable:
        return False
    claimed = InstitutionImport.objects.filter(pk=upload.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.COMMITTING
    )
    upload.refresh_from_db()
    return claimed == 1


def commit_upload(upload: InstitutionImport) -> ImportCheck:
    """Check the staged rows again (the registry may have changed) and save them all, or none."""
    check = commit_table(actor=upload.uploaded_by, table=_table_of(upload))
    _record_check(upload, check)
    if check.problems:
        upload.status = ImportStatus.CHECKED
    else:
        upload.status = ImportStatus.COMMITTED
        upload.committed_at = timezone.now()
    upload.save()
    return check


def fail_upload(upload: InstitutionImport) -> None:
    """The worker could not finish: say so, so that the preview stops waiting."""
    upload.status = ImportStatus.FAILED
    upload.problems = [
        Problem(
            0, "", "", _("The file could not be processed. Nothing was saved; please try again.")
        ).as_dict()
    ]
    upload.save(update_fields=["status", "problems"])
