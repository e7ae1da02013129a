"""Print the table of demo log-ins: role, e-mail, password and, for MFA roles, the TOTP secret."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from medtour.accounts.demo import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_accounts_in_database,
)
from medtour.accounts.management.demo_command import DemoCommand


def _width(text: str) -> int:
    """Columns on a terminal: Korean, Chinese and Japanese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


class Command(DemoCommand):
    help = gettext_lazy("Print the demo log-ins, one per role.")  # type: ignore[assignment]

    def handle(self, *args: Any, **options: Any) -> None:
        existing = demo_accounts_in_database()
        header = (_("role"), _("e-mail"), _("password"), _("authenticator (TOTP) secret"))
        rows = []
        for account in DEMO_ACCOUNTS:
            if account.email not in existing:
                secret = _("(not created: run seed_demo_users)")
            else:
                secret = DEMO_TOTP_SECRET if account.uses_totp else "-"
            rows.append((str(account.role.label), account.email, DEMO_PASSWORD, secret))
        table = [tuple(str(cell) for cell in row) for row in (header, *rows)]
        widths = [max(_width(row[i]) for row in table) for i in range(len(header))]
        self.stdout.write(_("Demo log-ins (synthetic accounts, never use on a real server):"))
        for row in table:
            cells = (
                cell + " " * (width - _width(cell)) for cell, width in zip(row, widths, strict=True)
            )
            self.stdout.write("  ".join(cells).rstrip())
        self.stdout.write(
            _(
                "Roles with a TOTP secret must enter an authenticator code after the password: "
                "add the secret to an authenticator app, or print the current code with "
                "`python manage.py demo_totp EMAIL`."
            )
        )
