"""Load the reference data into the database: `load_reference(city_dir) -> LoadSummary`.

All files are read and checked first (files.py, world.py); then one transaction brings the
tables in line with them, writing only what differs, so a second run changes nothing. Rows no
longer in the files are deleted, unless something still refers to them: then the load stops with
a ReferenceFileError and the database is left as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from medtour.reference import resolvers
from medtour.reference.city import City, clear_city_cache, find_city_dir, read_city
from medtour.reference.errors import ReferenceFileError
from medtour.reference.files import CityFiles, read_city_files
from medtour.reference.models import (
    Country,
    CountryAlias,
    CountryGroup,
    Department,
    District,
    Language,
)
from medtour.reference.world import (
    COUNTRY_ALIASES_FILE,
    COUNTRY_GROUPS_FILE,
    LANGUAGES_FILE,
    PYCOUNTRY,
    CountryData,
    CountryGroupRecord,
    ExcludedAlias,
    LanguageRecord,
    read_countries,
    read_country_groups,
    read_languages,
)

# Labels of the tables in the summary (LoadSummary.counts is keyed by the English name).
TABLE_LABELS = {
    "districts": _("districts"),
    "departments": _("departments"),
    "countries": _("countries"),
    "country aliases": _("country aliases"),
    "country groups": _("country groups"),
    "country group members": _("country group members"),
    "languages": _("languages"),
}

# How many loads this process has run: tests compare it to know when caches may be stale.
generation = 0


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class LoadSummary:
    city: str
    directory: Path
    counts: dict[str, Counts] = field(default_factory=dict)
    excluded_aliases: list[ExcludedAlias] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(count.changed for count in self.counts.values())

    def lines(self) -> list[str]:
        lines = []
        for kind, count in self.counts.items():
            params = {
                "kind": TABLE_LABELS.get(kind, kind),
                "total": count.total,
                "created": count.created,
                "updated": count.updated,
                "deleted": count.deleted,
            }
            if count.changed:
                line = _(
                    "%(kind)s: %(total)s (%(created)s new, %(updated)s updated, "
                    "%(deleted)s deleted)"
                )
            else:
                line = _("%(kind)s: %(total)s, unchanged")
            lines.append("  " + line % params)
        if self.excluded_aliases:
            excluded = len(self.excluded_aliases)
            lines.append(
                "  "
                + ngettext(
                    "%(count)d country alias left out as ambiguous (see docs/reference-data.md)",
                    "%(count)d country aliases left out as ambiguous (see docs/reference-data.md)",
                    excluded,
                )
                % {"count": excluded}
            )
        return lines

    def __str__(self) -> str:
        if self.changed:
            head = _("Reference data for %(city)s loaded from %(dir)s in %(seconds).1f s:")
        else:
            head = _(
                "Reference data for %(city)s already up to date (%(dir)s, %(seconds).1f s); "
                "nothing changed:"
            )
        text = head % {"city": self.city, "dir": self.directory, "seconds": self.seconds}
        return "\n".join([str(text), *self.lines()])


@dataclass
class ReferenceFiles:
    """Everything read from the files, checked, before the database is touched."""

    city: City
    city_files: CityFiles
    countries: CountryData
    groups: dict[str, CountryGroupRecord]
    languages: dict[str, LanguageRecord]


def read_reference(city_dir: str | Path | None = None) -> ReferenceFiles:
    city = read_city(find_city_dir(city_dir))
    city_files = read_city_files(city)
    countries = read_countries(COUNTRY_ALIASES_FILE)
    return ReferenceFiles(
        city=city,
        city_files=city_files,
        countries=countries,
        groups=read_country_groups(countries.countries, COUNTRY_GROUPS_FILE),
        languages=read_languages(LANGUAGES_FILE),
    )


def load_reference(city_dir: str | Path | None = None) -> LoadSummary:
    """Load the city in CITY_DIR (a folder, or a city name; default settings.CITY) and the
    world-wide files, in one transaction. Raises ReferenceFileError, CityNotFound."""
    global generation
    started = time.monotonic()
    files = read_reference(city_dir)
    generation += 1
    summary = LoadSummary(
        city=files.city.code,
        directory=files.city.directory,
        excluded_aliases=files.countries.excluded,
    )
    try:
        with transaction.atomic():
            _load_districts(files, summary)
            _load_departments(files, summary)
            _load_countries(files, summary)
            _load_groups(files, summary)
            _load_languages(files, summary)
    finally:
        resolvers.clear_caches()
        clear_city_cache()
    summary.seconds = time.monotonic() - started
    return summary


# Generic synchronisation ----------------------------------------------------------------------


def _in_use(
    model: type[models.Model], pks: list[Any], owned: tuple[type, ...]
) -> tuple[set[Any], list[str]]:
    """Which of the rows PKS are referred to from outside the reference tables, and by what."""
    used: set[Any] = set()
    users: list[str] = []
    for relation in model._meta.related_objects:
        related = relation.related_model
        if not isinstance(related, type) or related in owned:
            continue
        lookup = f"{relation.field.name}__in"
        target = relation.field.name
        referred = set(
            related._default_manager.filter(**{lookup: pks})
            .values_list(target, flat=True)
            .distinct()
        )
        if referred:
            used |= referred
            users.append(str(related._meta.verbose_name_plural))
    return used, users


def _sync(
    model: type[models.Model],
    key: str,
    desired: dict[str, dict[str, Any]],
    counts: Counts,
    source: Path,
    owned: tuple[type, ...] = (),
) -> dict[str, Any]:
    """Make MODEL's rows (keyed by field KEY) equal DESIRED; return key -> saved instance."""
    existing = {getattr(obj, key): obj for obj in model._default_manager.all()}
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    changed_fields: set[str] = set()
    for code, values in desired.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(**{key: code}, **values))
            continue
        differs = [name for name, value in values.items() if getattr(obj, name) != value]
        if differs:
            for name in differs:
                setattr(obj, name, values[name])
            changed_fields.update(differs)
            to_update.append(obj)
        else:
            counts.unchanged += 1
    stale = [obj for code, obj in existing.items() if code not in desired]
    if stale:
        used, users = _in_use(model, [obj.pk for obj in stale], owned)
        if used:
            codes = sorted(str(getattr(obj, key)) for obj in stale if obj.pk in used)
            raise ReferenceFileError(
                source,
                _(
                    "%(kind)s %(codes)s not in the file any more but still used by %(users)s; "
                    "keep them in the file, or reassign those records first"
                )
                % {
                    "kind": model._meta.verbose_name_plural,
                    "codes": ", ".join(codes[:10]) + (" …" if len(codes) > 10 else ""),
                    "users": ", ".join(users),
                },
                column=key,
            )
        model._default_manager.filter(pk__in=[obj.pk for obj in stale]).delete()
        counts.deleted += len(stale)
    if to_update:
        model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=500)
        counts.updated += len(to_update)
    if to_create:
        model._default_manager.bulk_create(to_create, batch_size=500)
        counts.created += len(to_create)
    if not to_create:
        return {code: existing[code] for code in desired}
    return {
        getattr(obj, key): obj
        for obj in model._default_manager.filter(**{f"{key}__in": list(desired)})
    }


# Each table ----------------------------------------------------------------------------------


def _load_districts(files: ReferenceFiles, summary: LoadSummary) -> None:
    city = files.city
    desired = {
        code: {
            "city": city.code,
            "names": record.names,
            "census_code": record.census_code,
            "area_km2": record.area_km2,
            "population": record.population,
            "registered_foreigners": record.registered_foreigners,
            "population_year": record.population_year,
            "boundary": record.boundary,
        }
        for code, record in files.city_files.districts.items()
    }
    counts = summary.counts.setdefault("districts", Counts())
    _sync(District, "code", desired, counts, city.files["districts"])


def _load_departments(files: ReferenceFiles, summary: LoadSummary) -> None:
    desired = {
        code: {
            "names": record.names,
            "aliases": record.aliases,
            "hira_codes": record.hira_codes,
            "confirmed_in_statistics": record.confirmed_in_statistics,
            "sort_order": record.sort_order,
        }
        for code, record in files.city_files.departments.items()
    }
    counts = summary.counts.setdefault("departments", Counts())
    _sync(Department, "code", desired, counts, files.city.files["departments"])


def _load_countries(files: ReferenceFiles, summary: LoadSummary) -> None:
    data = files.countries
    desired = {
        code: {"alpha3": record.alpha3, "numeric": record.numeric, "names": record.names}
        for code, record in data.countries.items()
    }
    counts = summary.counts.setdefault("countries", Counts())
    by_code = _sync(
        Country, "alpha2", desired, counts, PYCOUNTRY, owned=(CountryAlias, CountryGroup)
    )
    alias_counts = summary.counts.setdefault("country aliases", Counts())
    wanted = {
        key: {"alias": alias, "country_id": by_code[code].pk}
        for key, (alias, code) in data.aliases.items()
    }
    _sync(CountryAlias, "normalized", wanted, alias_counts, COUNTRY_ALIASES_FILE)


def _load_groups(files: ReferenceFiles, summary: LoadSummary) -> None:
    desired = {
        code: {"kind": record.kind, "names": record.names, "sort_order": record.sort_order}
        for code, record in files.groups.items()
    }
    counts = summary.counts.setdefault("country groups", Counts())
    groups = _sync(CountryGroup, "code", desired, counts, COUNTRY_GROUPS_FILE)
    country_ids = dict(Country.objects.values_list("alpha2", "pk"))
    through = CountryGroup.countries.through
    want = {
        (groups[code].pk, country_ids[member])
        for code, record in files.groups.items()
        for member in record.countries
    }
    have = set(through.objects.values_list("countrygroup_id", "country_id"))
    members = summary.counts.setdefault("country group members", Counts())
    remove = have - want
    add = want - have
    if remove:
        for group_id, country_id in remove:
            through.objects.filter(countrygroup_id=group_id, country_id=country_id).delete()
        members.deleted += len(remove)
    if add:
        through.objects.bulk_create(
            [through(countrygroup_id=g, country_id=c) for g, c in sorted(add)], batch_size=500
        )
        members.created += len(add)
    members.unchanged += len(want & have)


def _load_languages(files: ReferenceFiles, summary: LoadSummary) -> None:
    desired = {
        code: {"names": record.names, "autonym": record.autonym, "sort_order": record.sort_order}
        for code, record in files.languages.items()
    }
    counts = summary.counts.setdefault("languages", Counts())
    _sync(Language, "code", desired, counts, LANGUAGES_FILE)


__all__ = ["Counts", "LoadSummary", "ReferenceFiles", "load_reference", "read_reference"]
