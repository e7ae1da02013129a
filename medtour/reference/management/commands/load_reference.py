"""`manage.py load_reference [--city NAME_OR_PATH]`: load the reference files into the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from medtour.reference.errors import CityNotFound, ReferenceFileError
from medtour.reference.loading import load_reference


class Command(BaseCommand):
    help = (
        "Load the city's districts and departments, and the countries, country groups and "
        "languages, from the reference files (docs/reference-data.md). Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--city",
            default=None,
            help="a city in CITY_DATA_DIRS, or a path to a city folder (default: settings.CITY)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_reference(options["city"])
        except (ReferenceFileError, CityNotFound) as error:
            raise CommandError(str(error)) from error
        if options["verbosity"] >= 1:
            self.stdout.write(str(summary))
        if options["verbosity"] >= 2:
            for excluded in summary.excluded_aliases:
                self.stdout.write(f"    {excluded}")
