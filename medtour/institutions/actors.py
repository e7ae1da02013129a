"""Who changes the registry when nobody is signed in: the operator at the server's command line."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CommandLine:
    """Trusted like an administrator (they hold the server), and named in the audit log.

    Services accept it wherever they accept a user; the scoping layer is for signed-in people.
    """

    command: str

    is_authenticated = False

    @property
    def label(self) -> str:
        try:
            account = getpass.getuser()
        except (KeyError, OSError):  # no passwd entry, e.g. in some containers
            account = "?"
        return f"manage.py {self.command} ({account})"


def is_command_line(actor: Any) -> bool:
    return isinstance(actor, CommandLine)
