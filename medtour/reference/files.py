"""Read and check a city's reference files into plain records; nothing here touches the database.

Every problem raises ReferenceFileError naming the file, the row (CSV line, header = line 1, or
GeoJSON feature number), the column and the reason. `read_city_files` checks everything before
`loading.load_reference` writes anything.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from medtour.localization.text import LANGUAGE_CODES, field_suffix
from medtour.reference.city import City
from medtour.reference.errors import Reason, ReferenceFileError
from medtour.reference.normalize import normalize_key

NAME_COLUMNS = {f"name_{field_suffix(code)}": code for code in LANGUAGE_CODES}
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
HIRA_CODES = re.compile(r"^[0-9]{2}(-[0-9]{2})?(,[0-9]{2}(-[0-9]{2})?)*$")
EARTH_RADIUS_M = 6378137.0


@dataclass
class Row:
    """One CSV record: its line number and its cells by column name."""

    path: Path
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return (self.cells.get(column) or "").strip()

    def error(self, column: str | None, reason: Reason) -> ReferenceFileError:
        return ReferenceFileError(self.path, reason, row=self.line, column=column)


def read_csv(path: Path, required: tuple[str, ...]) -> Iterator[Row]:
    """The records of a UTF-8 CSV file whose header has the REQUIRED columns."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError as error:
        raise ReferenceFileError(path, _("file not found")) from error
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                raise ReferenceFileError(path, _("the file is empty"), row=1)
            header = [name.strip() for name in header]
            seen: set[str] = set()
            for name in header:
                if name in seen:
                    raise ReferenceFileError(path, _("column appears twice"), row=1, column=name)
                seen.add(name)
            for name in required:
                if name not in seen:
                    raise ReferenceFileError(path, _("missing column"), row=1, column=name)
            start = reader.line_num + 1  # the line where the next record starts
            for values in reader:
                line, start = start, reader.line_num + 1
                if not any(value.strip() for value in values):
                    continue
                if len(values) != len(header):
                    raise ReferenceFileError(
                        path,
                        _("%(count)s fields where the header has %(expected)s")
                        % {"count": len(values), "expected": len(header)},
                        row=line,
                    )
                yield Row(path, line, dict(zip(header, values, strict=True)))
        except UnicodeDecodeError as error:
            raise ReferenceFileError(
                path, _("not UTF-8 text: %(error)s") % {"error": error}
            ) from error
        except csv.Error as error:
            raise ReferenceFileError(
                path, _("not valid CSV: %(error)s") % {"error": error}, row=reader.line_num
            ) from error


def parse_int(row: Row, column: str, *, minimum: int = 0, maximum: int | None = None) -> int | None:
    text = row.get(column)
    if not text:
        return None
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise row.error(column, _("%(value)r is not a whole number") % {"value": text})
    value = int(text)
    if value < minimum or (maximum is not None and value > maximum):
        raise row.error(
            column,
            _("%(value)s is out of range (%(minimum)s to %(maximum)s)")
            % {"value": value, "minimum": minimum, "maximum": "∞" if maximum is None else maximum},
        )
    return value


def parse_decimal(row: Row, column: str, *, places: int = 2) -> Decimal | None:
    text = row.get(column)
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0:
        raise row.error(column, _("%(value)r is not a positive number") % {"value": text})
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise row.error(
            column,
            _("%(value)s has more than %(places)s decimal places")
            % {"value": text, "places": places},
        )
    return value.quantize(Decimal(1).scaleb(-places))


def names_from(row: Row) -> dict[str, str]:
    return {code: row.get(column) for column, code in NAME_COLUMNS.items() if row.get(column)}


def merge_names(
    records: dict[str, Any],
    names_path: Path | None,
    main_path: Path,
    label: str,
) -> None:
    """Add names from a `code,name_ko,name_xx…` additions file to RECORDS (code -> record).

    An additions file fills blanks only: a name that the main file already gives differently, a
    `name_ko` that does not match the main file (a check against a wrong code), or a code the
    main file does not have, is refused.
    """
    if names_path is None:
        return
    seen: set[str] = set()
    for row in read_csv(names_path, ("code",)):
        code = row.get("code")
        if not code:
            raise row.error("code", _("empty code"))
        if code in seen:
            raise row.error("code", _("duplicate code %(code)s") % {"code": code})
        seen.add(code)
        record = records.get(code)
        if record is None:
            raise row.error(
                "code",
                _("%(label)s %(code)s is not in %(file)s")
                % {"label": label, "code": code, "file": main_path.name},
            )
        for language, text in names_from(row).items():
            current = record.names.get(language)
            if language == "ko":
                if current != text:
                    raise row.error(
                        "name_ko",
                        _("%(text)r does not match %(current)r in %(file)s (wrong code?)")
                        % {"text": text, "current": current, "file": main_path.name},
                    )
                continue
            if current and current != text:
                raise row.error(
                    f"name_{field_suffix(language)}",
                    _("%(text)r differs from %(current)r given in %(file)s")
                    % {"text": text, "current": current, "file": main_path.name},
                )
            record.names[language] = text


def check_required_names(
    records: dict[str, Any], city: City, path: Path, additions: Path | None
) -> None:
    """Every record has a name in each language the city's manifest requires (default: six)."""
    for record in records.values():
        for language in city.required_name_languages:
            if not record.names.get(language):
                raise ReferenceFileError(
                    path,
                    _("no %(language)s name for %(code)s: give one in %(files)s")
                    % {
                        "language": language,
                        "code": record.code,
                        "files": " / ".join(p.name for p in (path, additions) if p is not None),
                    },
                    row=record.line,
                    column=f"name_{field_suffix(language)}",
                )


# Districts ---------------------------------------------------------------------------------


@dataclass
class DistrictRecord:
    code: str
    line: int
    names: dict[str, str]
    census_code: str = ""
    area_km2: Decimal | None = None
    population: int | None = None
    registered_foreigners: int | None = None
    population_year: int | None = None
    boundary: dict[str, Any] | None = None


def read_districts(city: City) -> dict[str, DistrictRecord]:
    path = city.files["districts"]
    census_column = city.column("census_code", "census_code")
    year_column = city.column("population_year", "population_year")
    pattern = re.compile(city.district_code_pattern)
    districts: dict[str, DistrictRecord] = {}
    for row in read_csv(path, ("code", "name_ko")):
        code = row.get("code")
        if not code:
            raise row.error("code", _("empty code"))
        if not pattern.match(code):
            raise row.error(
                "code",
                _("%(code)r does not match the city's district code pattern %(pattern)s")
                % {"code": code, "pattern": city.district_code_pattern},
            )
        if code in districts:
            raise row.error(
                "code",
                _("duplicate code %(code)s (first on row %(row)s)")
                % {"code": code, "row": districts[code].line},
            )
        record = DistrictRecord(
            code=code,
            line=row.line,
            names=names_from(row),
            census_code=row.get(census_column),
            area_km2=parse_decimal(row, "area_km2"),
            population=parse_int(row, "population"),
            registered_foreigners=parse_int(row, "registered_foreigners"),
            population_year=parse_int(row, year_column, minimum=1900, maximum=2100),
        )
        if not record.names.get("ko"):
            raise row.error("name_ko", _("empty Korean name"))
        if (
            record.population is not None
            and record.registered_foreigners is not None
            and record.registered_foreigners > record.population
        ):
            raise row.error(
                "registered_foreigners", _("more registered foreigners than population")
            )
        districts[code] = record
    if not districts:
        raise ReferenceFileError(path, _("no districts in the file"))
    merge_names(districts, city.file("district_names"), path, str(_("district")))
    check_required_names(districts, city, path, city.file("district_names"))
    boundaries = city.file("boundaries")
    if boundaries is not None:
        read_boundaries(boundaries, districts, city)
    return districts


def _ring_area_m2(ring: list[list[float]]) -> float:
    """Area enclosed by a lon/lat ring on a sphere (as turf and d3 compute it), in m²."""
    total = 0.0
    count = len(ring)
    for index in range(count):
        lower = ring[index]
        middle = ring[(index + 1) % count]
        upper = ring[(index + 2) % count]
        total += (math.radians(upper[0]) - math.radians(lower[0])) * math.sin(
            math.radians(middle[1])
        )
    return abs(total * EARTH_RADIUS_M * EARTH_RADIUS_M / 2)


def geometry_area_km2(geometry: dict[str, Any]) -> float:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    area = 0.0
    for polygon in polygons:
        outer, *holes = polygon
        area += _ring_area_m2(outer) - sum(_ring_area_m2(hole) for hole in holes)
    return area / 1_000_000


def check_geometry(geometry: Any) -> str | None:
    """Why GEOMETRY is not a usable Polygon or MultiPolygon (WGS84 lon/lat), or None."""
    if not isinstance(geometry, dict):
        return str(_("missing geometry"))
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    polygons: list[Any] = []
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates if isinstance(coordinates, list) else []
    else:
        return str(_("geometry type %(type)r is not Polygon or MultiPolygon") % {"type": kind})
    if not polygons or not all(isinstance(polygon, list) and polygon for polygon in polygons):
        return str(_("a polygon has no rings"))
    for polygon in polygons:
        for ring in polygon:
            if not isinstance(ring, list) or len(ring) < 4:
                return str(_("a ring has fewer than 4 positions"))
            for position in ring:
                if (
                    not isinstance(position, list)
                    or len(position) not in (2, 3)
                    or not all(
                        isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n)
                        for n in position
                    )
                ):
                    return str(
                        _("position %(position)r is not [longitude, latitude]")
                        % {"position": position}
                    )
                if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
                    return str(
                        _("position %(position)r is outside longitude/latitude range")
                        % {"position": position}
                    )
            if ring[0] != ring[-1]:
                return str(_("a ring is not closed (its first and last positions differ)"))
            if len({(p[0], p[1]) for p in ring}) < 3:
                return str(_("a ring has fewer than 3 distinct positions"))
    return None


def read_boundaries(path: Path, districts: dict[str, DistrictRecord], city: City) -> None:
    """Attach each feature's geometry to its district; every district needs exactly one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReferenceFileError(
            path, _("not valid UTF-8 JSON: %(error)s") % {"error": error}
        ) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ReferenceFileError(path, _("not a GeoJSON FeatureCollection"))
    features = data.get("features")
    if not isinstance(features, list):
        raise ReferenceFileError(path, _("no features list"), column="features")
    seen: dict[str, int] = {}
    districts_file = city.files["districts"].name
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = str(properties.get("code") or "").strip() if isinstance(properties, dict) else ""
        if not code:
            raise ReferenceFileError(
                path, _("feature has no code property"), row=number, column="code"
            )
        if code in seen:
            raise ReferenceFileError(
                path,
                _("duplicate code %(code)s (first in feature %(row)s)")
                % {"code": code, "row": seen[code]},
                row=number,
                column="code",
            )
        seen[code] = number
        record = districts.get(code)
        if record is None:
            raise ReferenceFileError(
                path,
                _("district %(code)s is not in %(file)s") % {"code": code, "file": districts_file},
                row=number,
                column="code",
            )
        geometry = feature.get("geometry")
        problem = check_geometry(geometry)
        if problem:
            raise ReferenceFileError(path, problem, row=number, column="geometry")
        name_ko = str(properties.get("name_ko") or "").strip()  # type: ignore[union-attr]
        if name_ko and name_ko != record.names.get("ko"):
            raise ReferenceFileError(
                path,
                _("name_ko %(text)r does not match %(current)r in %(file)s")
                % {"text": name_ko, "current": record.names.get("ko"), "file": districts_file},
                row=number,
                column="name_ko",
            )
        if city.area_tolerance is not None and record.area_km2 is not None:
            computed = geometry_area_km2(geometry)
            official = float(record.area_km2)
            if abs(computed - official) > city.area_tolerance * official:
                raise ReferenceFileError(
                    path,
                    _(
                        "the polygon's area, %(computed).2f km², is not within %(tolerance)s%% "
                        "of the %(official)s km² in %(file)s (wrong polygon for this code?)"
                    )
                    % {
                        "computed": computed,
                        "tolerance": round(city.area_tolerance * 100, 2),
                        "official": record.area_km2,
                        "file": districts_file,
                    },
                    row=number,
                    column="geometry",
                )
        record.boundary = geometry
    missing = [record for code, record in districts.items() if code not in seen]
    if missing:
        raise ReferenceFileError(
            city.files["districts"],
            _("district %(code)s has no boundary in %(file)s")
            % {"code": missing[0].code, "file": path.name},
            row=missing[0].line,
            column="code",
        )


# Departments -------------------------------------------------------------------------------


EVIDENCE = {"confirmed": True, "not_verified": False, "n/a": False, "": False}


@dataclass
class DepartmentRecord:
    code: str
    line: int
    names: dict[str, str]
    aliases: list[str] = field(default_factory=list)
    hira_codes: str = ""
    confirmed_in_statistics: bool = False
    sort_order: int = 0


def read_departments(city: City) -> dict[str, DepartmentRecord]:
    path = city.files["departments"]
    departments: dict[str, DepartmentRecord] = {}
    for index, row in enumerate(read_csv(path, ("code", "name_ko"))):
        code = row.get("code")
        if not SLUG.match(code) or len(code) > 60:
            raise row.error(
                "code", _("%(code)r is not a lower-case code (a-z, 0-9, _ and -)") % {"code": code}
            )
        if code in departments:
            raise row.error(
                "code",
                _("duplicate code %(code)s (first on row %(row)s)")
                % {"code": code, "row": departments[code].line},
            )
        evidence = row.get("khidi_evidence")
        if evidence not in EVIDENCE:
            raise row.error(
                "khidi_evidence",
                _("%(value)r is not one of confirmed, not_verified, n/a") % {"value": evidence},
            )
        hira = row.get("hira_dept_codes").replace(" ", "")
        if hira and not HIRA_CODES.match(hira):
            raise row.error(
                "hira_dept_codes",
                _("%(value)r is not a list of two-digit codes or ranges such as 01 or 49-61")
                % {"value": hira},
            )
        aliases: list[str] = []
        for alias in row.get("aliases_ko").split("|"):
            alias = alias.strip()
            if alias and alias not in aliases:
                aliases.append(alias)
        record = DepartmentRecord(
            code=code,
            line=row.line,
            names=names_from(row),
            aliases=aliases,
            hira_codes=hira,
            confirmed_in_statistics=EVIDENCE[evidence],
            sort_order=index,
        )
        if not record.names.get("ko"):
            raise row.error("name_ko", _("empty Korean name"))
        departments[code] = record
    if not departments:
        raise ReferenceFileError(path, _("no departments in the file"))
    merge_names(departments, city.file("department_names"), path, str(_("department")))
    check_required_names(departments, city, path, city.file("department_names"))
    _check_department_aliases(departments, path)
    return departments


def _check_department_aliases(departments: dict[str, DepartmentRecord], path: Path) -> None:
    """A Korean alias must not also be another department's code, Korean name or alias."""
    owner: dict[str, str] = {}
    for record in departments.values():
        for key in (record.code, record.names["ko"]):
            owner.setdefault(normalize_key(key), record.code)
    for record in departments.values():
        for alias in record.aliases:
            key = normalize_key(alias)
            other = owner.setdefault(key, record.code)
            if other != record.code:
                raise ReferenceFileError(
                    path,
                    _("alias %(alias)r also names department %(other)s")
                    % {"alias": alias, "other": other},
                    row=record.line,
                    column="aliases_ko",
                )


# The whole city ---------------------------------------------------------------------------


@dataclass
class CityFiles:
    city: City
    districts: dict[str, DistrictRecord]
    departments: dict[str, DepartmentRecord]


def read_city_files(city: City) -> CityFiles:
    return CityFiles(city=city, districts=read_districts(city), departments=read_departments(city))
