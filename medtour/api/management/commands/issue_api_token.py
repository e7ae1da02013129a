"""`manage.py issue_api_token EMAIL --name N`: the key goes to stdout, once; notes to stderr."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from medtour.accounts.models import User
from medtour.api.text import gettext_lazy
from medtour.api.tokens import issue_token

ACTOR_LABEL = "manage.py issue_api_token"


class Command(BaseCommand):
    help = gettext_lazy("Issue an API token for a user and print it once.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help=gettext_lazy("E-mail address of the token's user."))
        parser.add_argument(
            "--name", required=True, help=gettext_lazy("What the token is for, such as a program.")
        )

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(_("No user has the e-mail address %(email)s.") % {"email": email})
        try:
            issued = issue_token(user=user, name=name, actor=None, actor_label=ACTOR_LABEL)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(
            _(
                "API token “%(name)s” issued for %(email)s. Copy it now: it cannot be shown again. "
                "Send it as the header “Authorization: Bearer <token>”."
            )
            % {"name": issued.token.name, "email": user.email}
        )
        self.stdout.write(issued.key)
