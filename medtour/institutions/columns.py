"""The institutions file format: its columns, and how a row maps to a record and back.

Export writes these columns; import reads them. A value exported and imported again is the same
value, so a round trip changes nothing (docs/institutions.md, "Import and export").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.datastructures import MultiValueDict

from medtour.institutions.models import Institution
from medtour.localization.text import LANGUAGE_CODES, field_suffix

LIST_SEPARATOR = "|"
LOCALIZED_FIELDS = {"name": "names", "address": "address", "profile": "profile"}
LIST_COLUMNS = ("departments", "languages", "accreditations")
FLAG_COLUMNS = ("is_active", "is_synthetic")


def _localized(prefix: str) -> list[str]:
    return [f"{prefix}_{field_suffix(code)}" for code in LANGUAGE_CODES]


COLUMNS: tuple[str, ...] = (
    "code",
    *_localized("name"),
    "type",
    "district",
    *_localized("address"),
    "latitude",
    "longitude",
    "departments",
    "languages",
    "registration_number",
    "registration_status",
    "registered_from",
    "registered_until",
    "accreditations",
    "phone",
    "email",
    "website",
    *_localized("profile"),
    "is_active",
    "is_synthetic",
)

# column -> (form field, language code or None)
_COLUMN_FIELDS: dict[str, tuple[str, str | None]] = {}
for _column in COLUMNS:
    _prefix, _, _suffix = _column.partition("_")
    if _prefix in LOCALIZED_FIELDS:
        language = next(code for code in LANGUAGE_CODES if field_suffix(code) == _suffix)
        _COLUMN_FIELDS[_column] = (LOCALIZED_FIELDS[_prefix], language)
    else:
        _COLUMN_FIELDS[_column] = (_column, None)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def institution_row(institution: Institution) -> dict[str, Any]:
    """The record as typed values per column: lists for list columns, booleans for flags.

    Expects departments and languages prefetched and the district selected.
    """
    row: dict[str, Any] = {}
    for column in COLUMNS:
        field, language = _COLUMN_FIELDS[column]
        if language is not None:
            row[column] = (getattr(institution, field) or {}).get(language, "")
        elif column == "district":
            row[column] = institution.district.code
        elif column in ("departments", "languages"):
            row[column] = sorted(item.code for item in getattr(institution, column).all())
        elif column == "accreditations":
            row[column] = list(institution.accreditations or [])
        elif column in FLAG_COLUMNS:
            row[column] = bool(getattr(institution, column))
        elif column in ("registered_from", "registered_until"):
            day = getattr(institution, column)
            row[column] = day.isoformat() if day else ""
        else:
            row[column] = _text(getattr(institution, column))
    return row


def row_as_text(row: Mapping[str, Any]) -> dict[str, str]:
    """Typed row values as the text a CSV cell holds."""
    text: dict[str, str] = {}
    for column, value in row.items():
        if isinstance(value, bool):
            text[column] = "true" if value else "false"
        elif isinstance(value, list):
            text[column] = LIST_SEPARATOR.join(str(item) for item in value)
        else:
            text[column] = _text(value)
    return text


def form_data(cells: Mapping[str, str]) -> MultiValueDict:
    """Form data for the institution validator from a row's cells (column -> text)."""
    data: MultiValueDict = MultiValueDict()
    for column, value in cells.items():
        field, language = _COLUMN_FIELDS[column]
        if language is not None:
            data[f"{field}_{language}"] = value
        elif column in LIST_COLUMNS:
            data.setlist(field, split_list(value))
        else:
            data[field] = value.strip()
    return data


def column_for(field: str) -> str:
    """The column to name in an error about FIELD (a localized field: its Korean column)."""
    if field in COLUMNS:
        return field
    for prefix, name in LOCALIZED_FIELDS.items():
        if name == field:
            return f"{prefix}_ko"
    return field
