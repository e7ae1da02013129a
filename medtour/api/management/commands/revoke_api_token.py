"""`manage.py revoke_api_token PREFIX`: stop a token working (its prefix or the whole key)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from medtour.api.models import ApiToken
from medtour.api.text import gettext_lazy
from medtour.api.tokens import hash_key, revoke_token

ACTOR_LABEL = "manage.py revoke_api_token"


class Command(BaseCommand):
    help = gettext_lazy("Revoke an API token, given its prefix (as listed) or the whole key.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token", help=gettext_lazy("The token's prefix, or the whole key."))

    def handle(self, *args: Any, token: str, **options: Any) -> None:
        value = token.strip()
        matches = list(
            ApiToken.objects.filter(key_hash=hash_key(value)).select_related("user")
            or ApiToken.objects.filter(prefix=value).select_related("user")
        )
        if not matches:
            raise CommandError(_("No API token matches “%(token)s”.") % {"token": value})
        if len(matches) > 1:
            raise CommandError(
                _("%(count)s API tokens share the prefix “%(token)s”: give the whole key.")
                % {"count": len(matches), "token": value}
            )
        found = matches[0]
        if found.is_revoked:
            self.stdout.write(_("That API token was already revoked."))
            return
        revoke_token(token=found, actor=None, actor_label=ACTOR_LABEL)
        self.stdout.write(
            _("Revoked the API token “%(name)s” of %(email)s.")
            % {"name": found.name, "email": found.user.email}
        )
