"""Row identifiers typed into URLs and filters: what the database can hold, or nothing.

`str.isdigit()` lets through "²" (which `int()` refuses) and numbers past the 64-bit keys of
SQLite and PostgreSQL (which the database refuses with an error): a filter given either must
simply match nothing.
"""

from __future__ import annotations

LARGEST_KEY = 2**63 - 1


def parse_id(text: str | None) -> int | None:
    """A positive 64-bit identifier written in ASCII digits, else None."""
    if not text or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 0 < value <= LARGEST_KEY else None
