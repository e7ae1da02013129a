"""Practical pages and the spam protection of public forms.

Everyone reads published pages and fetches proof-of-work challenges; administrators and service
coordinators edit the pages in the console (docs/pages.md)."""

from __future__ import annotations

from tests.conftest import PERSONAS

ROUTES: list[tuple[str, str, str, dict[str, int]]] = [
    ("portal:altcha-challenge", "GET", "", dict.fromkeys(PERSONAS, 200)),
]
