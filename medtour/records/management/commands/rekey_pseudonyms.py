"""`manage.py rekey_pseudonyms [--finish]`: move records to the new pseudonym key
(docs/privacy.md, "Rotation")."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from medtour.institutions.actors import CommandLine
from medtour.records.rotation import apply_links, finish_rotation, rotation_status


class Command(BaseCommand):
    help = _(
        "Move patient records to the current pseudonym key through the links gathered at "
        "import; with --finish, drop the links so that the previous key can be destroyed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--finish", action="store_true", help=_("end the rotation: drop the links")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = CommandLine("rekey_pseudonyms")
        if options["finish"]:
            left = finish_rotation(actor)
            self.stdout.write(
                _(
                    "Rotation finished: links dropped; %(count)s records keep a pseudonym under "
                    "an older key (their patients were not reported during the rotation)."
                )
                % {"count": left}
            )
        else:
            moved = apply_links(actor)
            self.stdout.write(_("%(count)s records moved to the current key.") % {"count": moved})
        for version, count in rotation_status().items():
            self.stdout.write(
                _("key version %(version)s: %(count)s records")
                % {"version": version, "count": count}
            )
