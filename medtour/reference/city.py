"""Which city this deployment serves, and what its folder holds.

A city is a folder with a `city.json` manifest naming its files (see docs/reference-data.md).
`settings.CITY` is either the name of such a folder inside one of `settings.CITY_DATA_DIRS`
(default `seoul`, shipped in medtour/reference/cities/) or a path to a folder anywhere.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from medtour.localization.text import LANGUAGE_CODES, LocalizedText, localize
from medtour.reference.errors import CityNotFound, ReferenceFileError

MANIFEST = "city.json"
MANIFEST_FORMAT = 1
CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
# Files a city can name; only `districts` is required.
FILE_KEYS = (
    "districts",
    "district_names",
    "boundaries",
    "departments",
    "department_names",
    "statistics",
    "sources",
)
REQUIRED_FILE_KEYS = ("districts", "departments")
DEFAULT_DISTRICT_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,9}$"


@dataclass(frozen=True)
class City:
    """A city's manifest, read and checked. Paths in `files` are absolute."""

    code: str
    directory: Path
    names: dict[str, str]
    official_names: dict[str, str] = field(default_factory=dict)
    country: str = ""
    time_zone: str = ""
    district_term: dict[str, str] = field(default_factory=dict)
    district_code_pattern: str = DEFAULT_DISTRICT_CODE_PATTERN
    statistics_region: str = ""
    files: dict[str, Path] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    required_name_languages: tuple[str, ...] = LANGUAGE_CODES
    area_tolerance: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def manifest_path(self) -> Path:
        return self.directory / MANIFEST

    @property
    def name(self) -> LocalizedText:
        return localize(self.names)

    def file(self, key: str) -> Path | None:
        """The absolute path of the file the manifest names for KEY (`statistics` …), if any."""
        return self.files.get(key)

    def column(self, key: str, default: str) -> str:
        """The CSV column that holds KEY in this city's files (`census_code` …)."""
        return self.columns.get(key, default)


def city_data_dirs() -> list[Path]:
    return [Path(path) for path in getattr(settings, "CITY_DATA_DIRS", [])]


def available_cities() -> list[str]:
    names: set[str] = set()
    for base in city_data_dirs():
        if base.is_dir():
            names.update(p.name for p in base.iterdir() if (p / MANIFEST).is_file())
    return sorted(names)


def find_city_dir(value: str | Path | None = None) -> Path:
    """The folder for VALUE (a city name or a path), or for `settings.CITY` when VALUE is None."""
    value = settings.CITY if value is None or value == "" else value
    text = str(value)
    path = Path(text).expanduser()
    looks_like_path = isinstance(value, Path) or "/" in text or "\\" in text or text.startswith(".")
    if looks_like_path or path.is_absolute():
        if (path / MANIFEST).is_file():
            return path.resolve()
        raise CityNotFound(text, city_data_dirs(), available_cities())
    for base in city_data_dirs():
        candidate = base / text
        if (candidate / MANIFEST).is_file():
            return candidate.resolve()
    if (path / MANIFEST).is_file():  # a bare relative folder name in the working directory
        return path.resolve()
    raise CityNotFound(text, city_data_dirs(), available_cities())


def _localized(data: dict[str, Any], key: str, manifest: Path, required: bool) -> dict[str, str]:
    value = data.get(key, {})
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ReferenceFileError(
            manifest, _("must be an object of language code to text"), column=key
        )
    unknown = sorted(set(value) - set(LANGUAGE_CODES))
    if unknown:
        raise ReferenceFileError(
            manifest,
            _("unknown language code %(codes)s (use %(known)s)")
            % {"codes": ", ".join(unknown), "known": ", ".join(LANGUAGE_CODES)},
            column=key,
        )
    cleaned = {code: text.strip() for code, text in value.items() if text.strip()}
    if required and "ko" not in cleaned:
        raise ReferenceFileError(manifest, _("needs at least the Korean (ko) name"), column=key)
    return cleaned


def read_city(directory: str | Path) -> City:
    """Read and check DIRECTORY/city.json; raise ReferenceFileError naming what is wrong."""
    directory = Path(directory).resolve()
    manifest = directory / MANIFEST
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ReferenceFileError(manifest, _("file not found")) from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReferenceFileError(
            manifest, _("not valid UTF-8 JSON: %(error)s") % {"error": error}
        ) from error
    if not isinstance(data, dict):
        raise ReferenceFileError(manifest, _("must hold a JSON object"))
    if data.get("format", MANIFEST_FORMAT) != MANIFEST_FORMAT:
        raise ReferenceFileError(
            manifest,
            _("unsupported format %(format)r (this Medtour reads format %(expected)s)")
            % {"format": data.get("format"), "expected": MANIFEST_FORMAT},
            column="format",
        )
    code = data.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code):
        raise ReferenceFileError(
            manifest,
            _("must be a short lower-case code such as 'seoul' (letters, digits, - and _)"),
            column="code",
        )
    files_data = data.get("files")
    if not isinstance(files_data, dict):
        raise ReferenceFileError(
            manifest, _("must be an object naming the city's files"), column="files"
        )
    files: dict[str, Path] = {}
    for key, name in files_data.items():
        column = f"files.{key}"
        if key not in FILE_KEYS:
            raise ReferenceFileError(
                manifest,
                _("unknown file kind (known: %(known)s)") % {"known": ", ".join(FILE_KEYS)},
                column=column,
            )
        if not isinstance(name, str) or not name or Path(name).is_absolute():
            raise ReferenceFileError(
                manifest, _("must be a file name relative to the city folder"), column=column
            )
        path = (directory / name).resolve()
        if directory not in path.parents:
            raise ReferenceFileError(
                manifest, _("must be a file inside the city folder"), column=column
            )
        if not path.is_file():
            raise ReferenceFileError(
                manifest, _("names %(file)s, which does not exist") % {"file": name}, column=column
            )
        files[key] = path
    for key in REQUIRED_FILE_KEYS:
        if key not in files:
            raise ReferenceFileError(manifest, _("is required"), column=f"files.{key}")
    columns = data.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ReferenceFileError(manifest, _("must map names to column names"), column="columns")
    required = data.get("required_name_languages", list(LANGUAGE_CODES))
    if not isinstance(required, list) or not set(required) <= set(LANGUAGE_CODES):
        raise ReferenceFileError(
            manifest,
            _("must list language codes among %(known)s") % {"known": ", ".join(LANGUAGE_CODES)},
            column="required_name_languages",
        )
    pattern = data.get("district_code_pattern", DEFAULT_DISTRICT_CODE_PATTERN)
    try:
        re.compile(pattern)
    except (re.error, TypeError) as error:
        raise ReferenceFileError(
            manifest,
            _("not a valid regular expression: %(error)s") % {"error": error},
            column="district_code_pattern",
        ) from error
    tolerance = data.get("area_tolerance")
    if tolerance is not None and (
        isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance <= 0
    ):
        raise ReferenceFileError(
            manifest, _("must be a positive number such as 0.05"), column="area_tolerance"
        )
    for key in ("country", "time_zone", "statistics_region"):
        if not isinstance(data.get(key, ""), str):
            raise ReferenceFileError(manifest, _("must be a text"), column=key)
    known = {
        "format",
        "code",
        "names",
        "official_names",
        "country",
        "time_zone",
        "district_term",
        "district_code_pattern",
        "statistics_region",
        "files",
        "columns",
        "required_name_languages",
        "area_tolerance",
    }
    return City(
        code=code,
        directory=directory,
        names=_localized(data, "names", manifest, required=True),
        official_names=_localized(data, "official_names", manifest, required=False),
        country=data.get("country", "").upper(),
        time_zone=data.get("time_zone", ""),
        district_term=_localized(data, "district_term", manifest, required=False),
        district_code_pattern=pattern,
        statistics_region=data.get("statistics_region", ""),
        files=files,
        columns=dict(columns),
        required_name_languages=tuple(code for code in LANGUAGE_CODES if code in required),
        area_tolerance=float(tolerance) if tolerance is not None else None,
        extra={key: value for key, value in data.items() if key not in known},
    )


@lru_cache(maxsize=8)
def _cached_city(value: str, dirs: tuple[str, ...]) -> City:
    return read_city(find_city_dir(value))


def current_city() -> City:
    """The city named by `settings.CITY` (cached; `clear_city_cache()` forgets it)."""
    return _cached_city(str(settings.CITY), tuple(str(path) for path in city_data_dirs()))


def clear_city_cache() -> None:
    _cached_city.cache_clear()
