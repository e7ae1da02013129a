"""The one error a reference file can raise: it names the file, row, column and reason."""

from __future__ import annotations

from pathlib import Path

from django.utils.functional import Promise
from django.utils.translation import gettext

# A reason: plain text, or a lazily translated message (gettext_lazy) shown in the active language.
Reason = str | Promise


class ReferenceFileError(ValueError):
    """A reference file that cannot be loaded, with where and why.

    `row` is the line number in a CSV file (the header is line 1), the 1-based feature number in a
    GeoJSON file, or None when the whole file is at fault; `column` is the column or property name.
    The reason is a lazily translated message, so it reads in the language active when shown.
    """

    def __init__(
        self,
        file: str | Path,
        reason: Reason,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = str(file)
        self.row = row
        self.column = column
        self.reason = reason
        super().__init__(self.file, row, column, reason)

    @property
    def file_name(self) -> str:
        return Path(self.file).name

    def __str__(self) -> str:
        params = {"file": self.file, "row": self.row, "column": self.column, "reason": self.reason}
        if self.row is not None and self.column:
            return gettext("%(file)s, row %(row)s, column %(column)s: %(reason)s") % params
        if self.row is not None:
            return gettext("%(file)s, row %(row)s: %(reason)s") % params
        if self.column:
            return gettext("%(file)s, column %(column)s: %(reason)s") % params
        return gettext("%(file)s: %(reason)s") % params


class CityNotFound(LookupError):
    """The CITY setting (or --city) names no city folder."""

    def __init__(self, value: str, searched: list[Path], available: list[str]) -> None:
        self.value = value
        self.searched = searched
        self.available = available
        super().__init__(value)

    def __str__(self) -> str:
        return gettext(
            "No city %(city)r: it is neither a folder holding a city.json nor the name of a city "
            "in %(dirs)s (available: %(available)s)."
        ) % {
            "city": self.value,
            "dirs": ", ".join(str(path) for path in self.searched) or "-",
            "available": ", ".join(self.available) or "-",
        }
