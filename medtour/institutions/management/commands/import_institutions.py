"""`manage.py import_institutions FILE [--commit]`: check a registry file; --commit saves it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from medtour.institutions.actors import CommandLine
from medtour.institutions.importing import check_table, commit_table, format_problem, read_file


class Command(BaseCommand):
    help = _(
        "Check an institutions file (CSV, XLSX or JSON) row by row; with --commit, save every "
        "row in one transaction, or nothing if any row is wrong."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--commit", action="store_true", help=_("save the rows (default: only check them)")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}
            ) from error
        actor = CommandLine("import_institutions")
        table = read_file(path.name, content)
        run = commit_table if options["commit"] else check_table
        check = run(actor=actor, table=table)
        if check.problems:
            for problem in check.problems:
                self.stderr.write(format_problem(str(path), problem))
            raise CommandError(
                _("%(count)s problems found in %(file)s; nothing was saved.")
                % {"count": len(check.problems), "file": path},
                returncode=1,
            )
        counts = {
            "new": check.new_count,
            "changed": check.changed_count,
            "unchanged": check.unchanged_count,
        }
        if options["commit"]:
            message = _("Saved: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.")
        else:
            message = _(
                "All rows are valid: %(new)s new, %(changed)s changed, %(unchanged)s unchanged. "
                "Nothing was saved; run again with --commit to save."
            )
        self.stdout.write(message % counts)
