"""`manage.py briefing --year 2016 --area seoul|DISTRICT_CODE --lang LANG --format md|html|pdf
[--output FILE]`: the year's key facts as prose (docs/briefing.md).

Markdown and HTML go to standard output unless --output is given; PDF needs --output (or `-`
for standard output, binary).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from medtour.stats.briefing import FORMATS, BriefingError, build_briefing, render


class Command(BaseCommand):
    help = _(
        "Write the year's key facts about foreign patients in the city or a district as prose, "
        "in Markdown, HTML or PDF."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help=_("the year, e.g. 2016"))
        parser.add_argument(
            "--area",
            default="",
            help=_("the city's code (e.g. seoul, the default) or a district's official code"),
        )
        parser.add_argument(
            "--lang",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help=_("the language of the text"),
        )
        parser.add_argument("--format", default="md", choices=sorted(FORMATS))
        parser.add_argument(
            "--output", default="", help=_("the file to write; - for standard output")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        file_format = options["format"]
        output = options["output"]
        if file_format == "pdf" and not output:
            raise CommandError(_("A PDF needs --output FILE (or - for standard output)."))
        try:
            briefing = build_briefing(
                options["year"],
                options["area"] or None,
                options["lang"],
                charts=file_format != "md",
            )
            content = render(briefing, file_format)
        except BriefingError as error:
            raise CommandError(str(error)) from error
        if output and output != "-":
            Path(output).write_bytes(content)
            self.stderr.write(_("Written to %(path)s.") % {"path": output})
        elif file_format == "pdf":
            sys.stdout.buffer.write(content)
        else:
            self.stdout.write(content.decode("utf-8"), ending="")
