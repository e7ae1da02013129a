"""`manage.py pivot --rows district --cols year --measure patients [--filter nationality=CN]
[--lang en] --format table|csv|json`: any statistics table, city-wide."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from medtour.stats.output import FORMATS
from medtour.stats.query import DIMENSIONS, MEASURES, PivotQuery, QueryError, pivot


def _axis(text: str | None) -> tuple[str, ...]:
    return tuple(name.strip() for name in (text or "").split(",") if name.strip())


def parse_filter(text: str) -> tuple[str, str]:
    name, sign, code = text.partition("=")
    if not sign or not name.strip() or not code.strip():
        raise CommandError(
            _("--filter %(value)s: write dimension=code, e.g. nationality=CN.") % {"value": text},
            returncode=2,
        )
    return name.strip(), code.strip()


class Command(BaseCommand):
    help = _("Print a table of the statistics: any measure by up to two dimensions.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        names = ", ".join(DIMENSIONS)
        parser.add_argument(
            "--rows", help=_("dimension(s) of the rows: %(names)s") % {"names": names}
        )
        parser.add_argument("--cols", help=_("dimension(s) of the columns"))
        parser.add_argument("--measure", default="patients", help=", ".join(MEASURES))
        parser.add_argument(
            "--filter",
            action="append",
            default=[],
            help=_("dimension=code, repeatable: nationality=CN, year=2016"),
        )
        parser.add_argument(
            "--lang",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help=_("language of the labels"),
        )
        parser.add_argument("--format", default="table", choices=sorted(FORMATS))

    def handle(self, *args: Any, **options: Any) -> None:
        query = PivotQuery(
            rows=_axis(options["rows"]),
            cols=_axis(options["cols"]),
            measure=options["measure"],
            filters=tuple(parse_filter(text) for text in options["filter"]),
        )
        with translation.override(options["lang"]):
            try:
                result = pivot(query)
            except QueryError as error:
                raise CommandError(str(error), returncode=2) from error
            self.stdout.write(FORMATS[options["format"]](result), ending="")
