"""`manage.py seed_demo [--years 2014-2024] [--scale 1.0] [--seed N]`: calibrated demo records."""

from __future__ import annotations

import re
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from medtour.accounts.management.demo_command import DemoCommand
from medtour.records.demo.published import read_published
from medtour.records.demo.seeding import (
    DEFAULT_SEED,
    DemoRegistryMissing,
    DemoYearDiffers,
    seed_demo,
)
from medtour.records.pseudonyms import PseudonymKeyMissing

DEFAULT_YEARS = "2014-2024"
_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$")


def parse_years(text: str) -> list[int]:
    """`2016`, `2014-2024` or `2014,2016-2018`."""
    years: set[int] = set()
    for part in text.split(","):
        match = _RANGE.match(part)
        if not match:
            raise CommandError(
                _("--years: “%(value)s” is not a year or a range such as 2014-2024.")
                % {"value": part.strip()}
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if last < first:
            raise CommandError(
                _("--years: the range %(value)s ends before it starts.") % {"value": part.strip()}
            )
        years.update(range(first, last + 1))
    return sorted(years)


class Command(DemoCommand):
    help = _(
        "Create synthetic patient records for the demo institutions, calibrated to the "
        "published Seoul statistics. Years already seeded with the same arguments are left as "
        "they are, so running it again adds nothing."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--years",
            default=DEFAULT_YEARS,
            help=_("years to generate: 2016, 2014-2024 or 2014,2016-2018"),
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help=_("multiply every count (published totals are exact only at 1.0)"),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=_("random seed: the same seed gives the same records"),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("replace demo years generated with other arguments"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = parse_years(options["years"])
        scale = options["scale"]
        if not 0 < scale <= 1000:
            raise CommandError(_("--scale must be above 0 and at most 1000."))
        published = sorted(read_published().seoul_totals)
        missing = [year for year in years if year not in published]
        if missing:
            raise CommandError(
                _(
                    "No Seoul total was published for %(years)s: the demo can be calibrated "
                    "for %(first)s-%(last)s only."
                )
                % {
                    "years": ", ".join(map(str, missing)),
                    "first": published[0] if published else "-",
                    "last": published[-1] if published else "-",
                }
            )
        verbose = options["verbosity"] >= 1

        def progress(year: int, _step: str, records: int) -> None:
            if verbose:
                self.stdout.write(
                    _("%(year)s: %(records)s records written.") % {"year": year, "records": records}
                )

        try:
            summary = seed_demo(
                years=years,
                scale=scale,
                seed=options["seed"],
                replace=options["replace"],
                progress=progress,
            )
        except DemoRegistryMissing as error:
            if error.args:
                raise CommandError(
                    _(
                        "District %(district)s has no demo institution to report its patients: "
                        "run “manage.py seed_demo_registry” to complete the demo registry."
                    )
                    % {"district": error.args[0]}
                ) from error
            raise CommandError(
                _(
                    "There are no demo institutions to report the records: run "
                    "“manage.py seed_demo_registry” first."
                )
            ) from error
        except DemoYearDiffers as error:
            raise CommandError(
                _(
                    "%(year)s already holds demo records generated with another seed or scale. "
                    "Run again with the same arguments, or add --replace to regenerate it."
                )
                % {"year": error.args[0]}
            ) from error
        except PseudonymKeyMissing as error:
            raise CommandError(str(error)) from error
        from medtour.stats.cube.build import bring_up_to_date

        built = bring_up_to_date(rebuild_all=bool(summary.years_created))
        if not verbose:
            return
        if built is not None:
            self.stdout.write(
                _("Statistics built from %(episodes)s episodes in %(seconds).1f s.")
                % {"episodes": built.episodes, "seconds": built.seconds}
            )
        self.stdout.write(
            _(
                "Demo records: %(records)s episodes of %(patients)s patients written for "
                "%(created)s year(s) in %(seconds).1f s; %(existing)s year(s) were there already."
            )
            % {
                "records": summary.records,
                "patients": summary.patients,
                "created": len(summary.years_created),
                "existing": len(summary.years_existing),
                "seconds": summary.seconds,
            }
        )
        if summary.metadata_path:
            self.stdout.write(
                _("What is published and what is estimated: %(path)s")
                % {"path": summary.metadata_path}
            )
