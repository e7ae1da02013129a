"""Dimension members: codes <-> the small integers the engines group by, labels, order.

Every dimension is held as one integer per episode (docs/statistics.md, "counting rules"):
year `2016`; quarter `20161` (year * 10 + quarter); month `201603` (year * 100 + month); the
database id of a district, institution, country, department or country group; the position of
the value in a fixed tuple for institution type, sex, age band, care type and channel. Codes are
what people and programs write (`2016-Q1`, `11680`, `CN`, `plastic_surgery`, `M`, `70+`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import cached_property

from babel.dates import format_skeleton
from django.utils.translation import get_language, gettext, to_locale
from django.utils.translation import gettext_lazy as _

from medtour.institutions.models import Institution, InstitutionType
from medtour.localization.text import localize
from medtour.records.models import CareType, Sex
from medtour.reference.models import Country, CountryGroup, Department, District
from medtour.stats.query import AGE_BANDS, CHANNELS, DIMENSIONS, QueryError

INSTITUTION_TYPES: tuple[str, ...] = tuple(InstitutionType.values)
SEXES: tuple[str, ...] = tuple(Sex.values)
CARE_TYPES: tuple[str, ...] = tuple(CareType.values)
# Dimensions whose members are positions in a fixed tuple of codes.
ENUMERATED: dict[str, tuple[str, ...]] = {
    "institution_type": INSTITUTION_TYPES,
    "sex": SEXES,
    "age_band": AGE_BANDS,
    "care_type": CARE_TYPES,
    "channel": CHANNELS,
}
CHANNEL_LABELS = {"facilitated": _("through a facilitator"), "direct": _("direct")}
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def unknown_member(dimension: str, code: str) -> QueryError:
    return QueryError(
        gettext("%(dimension)s has no member “%(code)s”.")
        % {"dimension": DIMENSIONS[dimension], "code": code}
    )


def _period_value(dimension: str, code: str) -> int:
    if dimension == "year" and code.isdigit() and len(code) == 4:
        return int(code)
    if dimension == "quarter" and (match := _QUARTER.match(code)):
        return int(match.group(1)) * 10 + int(match.group(2))
    if dimension == "month" and (match := _MONTH.match(code)) and 1 <= int(match.group(2)) <= 12:
        return int(match.group(1)) * 100 + int(match.group(2))
    raise unknown_member(dimension, code)


def _period_code(dimension: str, value: int) -> str:
    if dimension == "quarter":
        return f"{value // 10}-Q{value % 10}"
    if dimension == "month":
        return f"{value // 100}-{value % 100:02d}"
    return str(value)


def _period_label(dimension: str, value: int) -> str:
    if dimension == "quarter":
        return gettext("%(year)s Q%(quarter)s") % {"year": value // 10, "quarter": value % 10}
    if dimension == "month":
        day = datetime.date(value // 100, value % 100, 1)
        return format_skeleton("yMMM", day, locale=to_locale(get_language() or "ko"))
    return str(value)


def _age_label(code: str) -> str:
    if code.endswith("+"):
        return gettext("%(age)s years and over") % {"age": code[:-1]}
    low, high = code.split("-")
    return gettext("%(low)s to %(high)s years") % {"low": low, "high": high}


def _enumerated_label(dimension: str, code: str) -> str:
    if dimension == "institution_type":
        return str(InstitutionType(code).label)
    if dimension == "sex":
        return str(Sex(code).label)
    if dimension == "care_type":
        return str(CareType(code).label)
    if dimension == "channel":
        return str(CHANNEL_LABELS[code])
    return _age_label(code)


@dataclass(frozen=True)
class Entity:
    code: str
    names: dict[str, str]
    order: tuple[int | str, ...]


def _entities(dimension: str) -> dict[int, Entity]:
    if dimension == "district":
        return {
            d.pk: Entity(d.code, d.names, (d.code,)) for d in District.objects.only("code", "names")
        }
    if dimension == "nationality":
        return {
            c.pk: Entity(c.alpha2, c.names, (c.alpha2,))
            for c in Country.objects.only("alpha2", "names")
        }
    if dimension == "department":
        return {
            d.pk: Entity(d.code, d.names, (d.sort_order, d.code)) for d in Department.objects.all()
        }
    if dimension == "country_group":
        return {
            g.pk: Entity(g.code, g.names, (g.sort_order, g.code))
            for g in CountryGroup.objects.all()
        }
    return {
        i.pk: Entity(i.code, i.names, (i.code,)) for i in Institution.objects.only("code", "names")
    }


class Members:
    """Translates between codes and integers for one dimension; labels in the active language."""

    def __init__(self, dimension: str) -> None:
        if dimension not in DIMENSIONS:
            raise QueryError(gettext("Unknown dimension “%(name)s”.") % {"name": dimension})
        self.dimension = dimension

    @cached_property
    def _entities(self) -> dict[int, Entity]:
        return _entities(self.dimension)

    @cached_property
    def _ids(self) -> dict[str, int]:
        return {entity.code.casefold(): pk for pk, entity in self._entities.items()}

    def value(self, code: str) -> int:
        """The integer for CODE; QueryError naming the dimension when there is none."""
        code = str(code).strip()
        if self.dimension in {"year", "quarter", "month"}:
            try:
                return _period_value(self.dimension, code.upper())
            except QueryError:
                raise unknown_member(self.dimension, code) from None
        if self.dimension in ENUMERATED:
            codes = ENUMERATED[self.dimension]
            folded = [known.casefold() for known in codes]
            if code.casefold() not in folded:
                raise unknown_member(self.dimension, code)
            return folded.index(code.casefold())
        found = self._ids.get(code.casefold())
        if found is None:
            raise unknown_member(self.dimension, code)
        return found

    def code(self, value: int) -> str:
        if self.dimension in {"year", "quarter", "month"}:
            return _period_code(self.dimension, value)
        if self.dimension in ENUMERATED:
            return ENUMERATED[self.dimension][value]
        entity = self._entities.get(value)
        return entity.code if entity else str(value)

    def label(self, value: int) -> str:
        if self.dimension in {"year", "quarter", "month"}:
            return _period_label(self.dimension, value)
        if self.dimension in ENUMERATED:
            return _enumerated_label(self.dimension, ENUMERATED[self.dimension][value])
        entity = self._entities.get(value)
        return localize(entity.names).text if entity else str(value)

    def order(self, value: int) -> tuple[int | str, ...]:
        """Sort key: periods and fixed lists in their natural order, entities by code."""
        if self.dimension in {"year", "quarter", "month"} or self.dimension in ENUMERATED:
            return (value,)
        entity = self._entities.get(value)
        return entity.order if entity else ("~", value)


def members_of(dimensions: tuple[str, ...]) -> dict[str, Members]:
    return {name: Members(name) for name in dimensions}
