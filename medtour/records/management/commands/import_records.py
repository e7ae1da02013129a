"""`manage.py import_records FILE --institution CODE [--period 2016] [--commit] [--skip-invalid]
[--report text|json]`: validate a records file; with --commit, write it.

Exit status: 0 the file is valid (and committed, with --commit); 1 rows were refused and nothing
was committed; 2 a usage or file-level error. Without --commit the file is still kept as a draft
submission, so its summary can be reviewed and confirmed on the console.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from medtour.institutions.actors import CommandLine
from medtour.institutions.models import Institution
from medtour.records.models import RefusedRow, Submission
from medtour.records.pipeline import submission_import_file
from medtour.records.reading import FileRefused
from medtour.records.services import (
    BATCH_SIZE,
    SubmissionError,
    default_period_label,
    reporting_period_for,
    submission_stage_file,
)
from medtour.records.validation import render_message

EXIT_VALID = 0
EXIT_REFUSED_ROWS = 1
EXIT_USAGE = 2


class UsageError(Exception):
    pass


class Command(BaseCommand):
    help = _(
        "Validate a foreign-patient records file (CSV or XLSX) for one institution; with "
        "--commit, write it to the records in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--institution",
            required=True,
            help=_("the institution's code or registration number"),
        )
        parser.add_argument(
            "--period",
            help=_("reporting period: 2016, 2016-Q1 or 2016-03 (default: last year)"),
        )
        parser.add_argument("--commit", action="store_true", help=_("write the valid file"))
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=_("with --commit: write the valid rows and keep refused ones for correction"),
        )
        parser.add_argument("--report", choices=["text", "json"], default="text")
        parser.add_argument(
            "--language", help=_("language of the messages (default: the site's language)")
        )
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=_("rows validated at a time")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        language = options.get("language")
        with translation.override(language) if language else contextlib.nullcontext():
            code = self._run(options)
        if code:
            sys.exit(code)

    def _progress(self, options: dict[str, Any]) -> Any:
        verbosity = options["verbosity"]

        def report(stage: str, count: int) -> None:
            if verbosity >= 2:
                self.stderr.write(f"{stage}: {count}")
                self.stderr.flush()

        return report

    def _run(self, options: dict[str, Any]) -> int:
        as_json = options["report"] == "json"
        try:
            institution = self._institution(options["institution"])
            period = reporting_period_for(options["period"] or default_period_label())
            if options["skip_invalid"] and not options["commit"]:
                raise UsageError(_("--skip-invalid only makes sense with --commit."))
            path = Path(options["file"])
            common = {
                "institution": institution,
                "period": period,
                "path": path,
                "name": path.name,
                "actor": CommandLine("import_records"),
                "batch_size": max(1, options["batch_size"]),
                "progress": self._progress(options),
            }
            if options["commit"]:
                staged, outcome = submission_import_file(
                    **common, skip_invalid=options["skip_invalid"]
                )
            else:
                staged, outcome = submission_stage_file(**common), None
        except (UsageError, SubmissionError, FileRefused, ImproperlyConfigured) as error:
            message = getattr(error, "message", None) or str(error)
            self._file_error(message, getattr(error, "code", "usage"), options, as_json)
            return EXIT_USAGE
        submission = outcome.submission if outcome else staged.submission
        committed = outcome is not None
        code = EXIT_VALID if committed or not submission.invalid_count else EXIT_REFUSED_ROWS
        commit_note = ""
        if options["commit"] and not committed:
            commit_note = _("Nothing was committed: rows were refused.")
        self._report(submission, committed, as_json, commit_note)
        return code

    def _institution(self, value: str) -> Institution:
        found = Institution.objects.filter(Q(code=value) | Q(registration_number=value)).first()
        if found is None:
            raise UsageError(
                _("No institution has the code or registration number %(value)s.")
                % {"value": f"“{value}”"}
            )
        return found

    def _file_error(self, message: str, code: str, options: dict[str, Any], as_json: bool) -> None:
        if as_json:
            self.stdout.write(
                json.dumps(
                    {
                        "rows": 0,
                        "valid": 0,
                        "invalid": 0,
                        "committed": False,
                        "submission": None,
                        "errors": [
                            {
                                "row": 0,
                                "column": "",
                                "value": options.get("file", ""),
                                "code": code,
                                "message": message,
                            }
                        ],
                    },
                    ensure_ascii=False,
                )
            )
        else:
            self.stderr.write(
                _("%(file)s: %(message)s") % {"file": options["file"], "message": message}
            )

    def _errors(self, submission: Submission) -> Any:
        refused = RefusedRow.objects.filter(submission=submission).order_by("row_number")
        for row in refused.iterator(chunk_size=5_000):
            for error in row.errors:
                yield {
                    "row": row.row_number,
                    "column": error["column"],
                    "value": error["value"],
                    "code": error["code"],
                    "message": render_message(error["code"], error["params"]),
                }

    def _report(self, submission: Submission, committed: bool, as_json: bool, note: str) -> None:
        if as_json:
            report = {
                "rows": submission.row_count,
                "valid": submission.valid_count,
                "invalid": submission.invalid_count,
                "committed": committed,
                "submission": submission.pk,
                "new": submission.new_count,
                "revised": submission.revised_count,
                "unchanged": submission.unchanged_count,
                "errors": list(self._errors(submission)),
            }
            self.stdout.write(json.dumps(report, ensure_ascii=False))
            return
        for error in self._errors(submission):
            self.stdout.write(
                _("row %(row)s, %(column)s: %(message)s")
                % {
                    "row": error["row"],
                    "column": error["column"] or "-",
                    "message": error["message"],
                }
            )
        counts = {
            "rows": submission.row_count,
            "valid": submission.valid_count,
            "invalid": submission.invalid_count,
            "new": submission.new_count,
            "revised": submission.revised_count,
            "unchanged": submission.unchanged_count,
            "submission": submission.pk,
        }
        self.stdout.write(
            _(
                "%(rows)s rows: %(valid)s valid (%(new)s new, %(revised)s corrected, "
                "%(unchanged)s unchanged), %(invalid)s refused. Submission %(submission)s."
            )
            % counts
        )
        if committed:
            self.stdout.write(_("Committed."))
        elif note:
            self.stdout.write(note)
        else:
            self.stdout.write(
                _("Nothing was committed; run again with --commit to write the records.")
            )
