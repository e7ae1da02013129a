"""Malformed input for the fuzzers: what staff and the public may type into any field or URL."""

from __future__ import annotations

import os
from html.parser import HTMLParser

# Wrong types, out-of-range numbers, overlong text, unknown codes, SQL and HTML metacharacters,
# control characters, impossible dates, path tricks and odd Unicode.
MALFORMED = [
    "",
    "-1",
    "99999999999999999999",
    "1.5",
    "abc",
    "x" * 3000,
    "' OR 1=1 --",
    '<script>alert("x")</script>',
    "\x00",
    "%",
    "2026-13-45",
    "💥\u202e",
    "../../etc/passwd",
    "[]",
]
# Bytes that are not UTF-8, sent raw in the query string.
NON_UTF8_QUERY = "q=%ff%fe&page=%c3%28&district=%80"

# Parameter names tried on every route besides the fields its own forms declare.
COMMON_NAMES = [
    "q", "page", "year", "district", "department", "language", "type", "status", "format",
    "rows", "cols", "measure", "filter", "area", "next", "actor", "target_type", "target_id",
    "date_from", "date_to", "sort", "order", "code", "clinic", "lang", "limit", "offset", "day",
]  # fmt: skip

FULL = os.environ.get("FUZZ_LEVEL") == "full"


class _FormFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.posts = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"input", "select", "textarea"} and values.get("name"):
            name = str(values["name"])
            if name != "csrfmiddlewaretoken":
                self.names.add(name)
        if tag == "form" and (values.get("method") or "").lower() == "post":
            self.posts = True


def form_fields(html: str) -> tuple[set[str], bool]:
    """The field names of a page's forms, and whether it has a form that posts."""
    parser = _FormFields()
    parser.feed(html)
    return parser.names, parser.posts
