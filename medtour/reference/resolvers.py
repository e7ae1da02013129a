"""Turn what people type (codes, names in any language, aliases) into reference records.

Lookups are cached per process and cleared by `load_reference`. An unknown value raises
`UnknownValue` carrying the closest known spellings, so a message can suggest them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import process

from medtour.reference.models import Country, CountryAlias, Department, District, Language


def normalize_key(value: str) -> str:
    """Case-, width- and space-insensitive key: `  China ` == `china` == `ＣＨＩＮＡ`."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    return " ".join(text.replace("_", " ").split())


@dataclass
class UnknownValue(LookupError):
    kind: str
    value: str
    suggestions: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"unknown {self.kind}: {self.value!r}"


def _suggest(value: str, choices: dict[str, str], limit: int = 3) -> list[str]:
    """Closest display spellings to VALUE among CHOICES (normalised key -> display)."""
    matches = process.extract(normalize_key(value), list(choices), limit=limit, score_cutoff=50)
    seen: list[str] = []
    for key, _score, _index in matches:
        display = choices[key]
        if display not in seen:
            seen.append(display)
    return seen


@lru_cache(maxsize=1)
def _country_index() -> dict[str, int]:
    return dict(CountryAlias.objects.values_list("normalized", "country_id"))


@lru_cache(maxsize=1)
def _department_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for department in Department.objects.all():
        keys = [department.code, *department.names.values(), *department.aliases]
        for key in keys:
            index.setdefault(normalize_key(key), department.pk)
    return index


@lru_cache(maxsize=1)
def _district_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for district in District.objects.all():
        for key in [district.code, *district.names.values()]:
            index.setdefault(normalize_key(key), district.pk)
    return index


@lru_cache(maxsize=1)
def _language_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for language in Language.objects.all():
        for key in [language.code, *language.names.values()]:
            index.setdefault(normalize_key(key), language.pk)
    return index


def clear_caches() -> None:
    for cached in (_country_index, _department_index, _district_index, _language_index):
        cached.cache_clear()


def _resolve(kind: str, value: str, index: dict[str, int], model: type) -> object:
    key = normalize_key(value)
    if not key:
        raise UnknownValue(kind=kind, value=value)
    pk = index.get(key)
    if pk is None:
        raise UnknownValue(kind=kind, value=value, suggestions=_suggest(value, {k: k for k in index}))
    return model.objects.get(pk=pk)


def resolve_country(value: str) -> Country:
    """`CN`, `CHN`, `156`, `China`, `중국`, `中国`, `Китай`, `Қытай` … -> China."""
    key = normalize_key(value)
    if key.isdigit():
        key = key.zfill(3)
    return _resolve("country", key, _country_index(), Country)  # type: ignore[return-value]


def resolve_department(value: str) -> Department:
    """By code, name in any language, or Korean alias (`내과`, `소아과` …)."""
    return _resolve("department", value, _department_index(), Department)  # type: ignore[return-value]


def resolve_district(value: str) -> District:
    """By official code or name in any language."""
    return _resolve("district", value, _district_index(), District)  # type: ignore[return-value]


def resolve_language(value: str) -> Language:
    return _resolve("language", value, _language_index(), Language)  # type: ignore[return-value]
