"""`manage.py export_institutions [--format csv|json] [--output FILE]`: the registry, for import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from medtour.institutions.exporting import CSV_BOM, FORMATS, export_text
from medtour.institutions.models import Institution


class Command(BaseCommand):
    help = _(
        "Write every institution in the format that import_institutions reads "
        "(docs/institutions.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=FORMATS, default="csv", dest="file_format")
        parser.add_argument(
            "--output", help=_("file to write (default: standard output)"), default=""
        )

    def handle(self, *args: Any, **options: Any) -> None:
        text = export_text(Institution.objects.all(), options["file_format"])
        output = options["output"]
        if not output:
            self.stdout.write(text, ending="")
            return
        if options["file_format"] == "csv":
            text = CSV_BOM + text  # so that Excel reads the file as UTF-8
        try:
            Path(output).write_text(text, encoding="utf-8", newline="")
        except OSError as error:
            raise CommandError(
                _("Cannot write %(file)s: %(error)s") % {"file": output, "error": error.strerror}
            ) from error
        count = Institution.objects.count()
        self.stderr.write(
            _("Wrote %(count)s institutions to %(file)s.") % {"count": count, "file": output}
        )
