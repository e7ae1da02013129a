"""Turn what people type (codes, names in any language, aliases) into reference records.

Lookups are cached per process and cleared by `load_reference`. A value is looked up by its
`normalize_key` (case, width, spaces and typographic punctuation ignored), then, failing that, by
its `fold_key` (accents on Latin letters ignored too). An unknown value raises `UnknownValue`
carrying the closest known spellings, so a message can suggest them; a value that names two
records (Chinese 整形外科 is plastic surgery, Japanese 整形外科 is orthopedics) raises
`AmbiguousValue` unless the caller says which language it is written in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext, gettext_lazy
from rapidfuzz import fuzz, process

from medtour.reference.models import Country, CountryAlias, Department, District, Language
from medtour.reference.normalize import fold_key, loose_key, normalize_key

__all__ = [
    "AmbiguousValue",
    "UnknownValue",
    "clear_caches",
    "normalize_key",
    "resolve_country",
    "resolve_department",
    "resolve_district",
    "resolve_language",
]

KIND_LABELS = {
    "country": gettext_lazy("country"),
    "department": gettext_lazy("department"),
    "district": gettext_lazy("district"),
    "language": gettext_lazy("language"),
}

M = TypeVar("M", bound=models.Model)


@dataclass
class UnknownValue(LookupError):
    """VALUE names no KIND (`country`, `department`, `district`, `language`).

    `suggestions` are the closest known spellings, best first, as written (`Kazakhstan`);
    `suggested_ids` the primary keys of the records they name, in the same order.
    """

    kind: str
    value: str
    suggestions: list[str] = field(default_factory=list)
    suggested_ids: list[Any] = field(default_factory=list)

    def __str__(self) -> str:
        params = {"kind": KIND_LABELS.get(self.kind, self.kind), "value": self.value}
        if self.suggestions:
            params["suggestions"] = ", ".join(self.suggestions)
            return gettext("Unknown %(kind)s: %(value)r. Did you mean: %(suggestions)s?") % params
        return gettext("Unknown %(kind)s: %(value)r.") % params


@dataclass
class AmbiguousValue(UnknownValue):
    """VALUE names more than one KIND; `suggestions` lists them. Pass `language=` to choose."""

    def __str__(self) -> str:
        return gettext("%(value)r could mean several: %(suggestions)s.") % {
            "value": self.value,
            "suggestions": ", ".join(self.suggestions),
        }


@dataclass
class Index:
    """Lookup keys of one kind of record (exact, folded and loose key -> primary keys), and
    the spellings to suggest (exact key -> spelling as written)."""

    exact: dict[str, set[Any]] = field(default_factory=dict)
    folded: dict[str, set[Any]] = field(default_factory=dict)
    loose: dict[str, set[Any]] = field(default_factory=dict)
    spellings: dict[str, str] = field(default_factory=dict)  # exact key -> as written
    labels: dict[Any, str] = field(default_factory=dict)  # pk -> label for messages
    names: dict[Any, dict[str, str]] = field(default_factory=dict)  # pk -> names by language

    def add(self, pk: Any, spelling: str) -> None:
        key = normalize_key(spelling)
        if not key:
            return
        self.exact.setdefault(key, set()).add(pk)
        self.folded.setdefault(fold_key(spelling), set()).add(pk)
        self.loose.setdefault(loose_key(spelling), set()).add(pk)
        self.spellings.setdefault(key, spelling)

    def find(self, value: str) -> set[Any]:
        found = self.exact.get(normalize_key(value)) or self.folded.get(fold_key(value))
        if found:
            return found
        loose = self.loose.get(loose_key(value), set())
        return loose if len(loose) == 1 else set()


def _named_index(records: Iterable[Any], keys: Any) -> Index:
    index = Index()
    for record in records:
        index.labels[record.pk] = record.name
        index.names[record.pk] = dict(record.names)
        for spelling in keys(record):
            index.add(record.pk, str(spelling))
    return index


@lru_cache(maxsize=1)
def _country_index() -> Index:
    index = Index()
    for country in Country.objects.all():
        index.labels[country.pk] = country.name
        index.names[country.pk] = dict(country.names)
    for alias, country_id in CountryAlias.objects.values_list("alias", "country_id"):
        index.add(country_id, alias)
    return index


@lru_cache(maxsize=1)
def _department_index() -> Index:
    return _named_index(
        Department.objects.all(),
        lambda d: [d.code, *d.names.values(), *d.aliases],
    )


@lru_cache(maxsize=1)
def _district_index() -> Index:
    return _named_index(
        District.objects.all(),
        lambda d: [d.code, *d.names.values()],
    )


@lru_cache(maxsize=1)
def _language_index() -> Index:
    return _named_index(
        Language.objects.all(),
        lambda lang: [lang.code, *lang.names.values(), *([lang.autonym] if lang.autonym else [])],
    )


def clear_caches() -> None:
    for cached in (_country_index, _department_index, _district_index, _language_index):
        cached.cache_clear()


def suggest(value: str, index: Index, limit: int = 3) -> list[tuple[str, Any]]:
    """The closest known spellings to VALUE with the record each names, best first, one per
    record."""
    key = normalize_key(value)
    if not key:
        return []
    # Codes (`CN`, `CHN`) are suggested for short input only: they match anything partially.
    short = len(key) <= 3
    choices = [known for known in index.spellings if (len(known) <= 3) == short]
    matches = process.extract(key, choices, scorer=fuzz.WRatio, limit=limit * 8, score_cutoff=50)
    seen_pks: set[Any] = set()
    result: list[tuple[str, Any]] = []
    for match, _score, _position in matches:
        pks = index.exact[match] - seen_pks
        if not pks:
            continue
        seen_pks |= pks
        result.append((index.spellings[match], min(pks)))
        if len(result) == limit:
            break
    return result


def _resolve(kind: str, value: str, index: Index, model: type[M], language: str | None) -> M:
    text = "" if value is None else str(value)
    pks = index.find(text) if normalize_key(text) else set()
    if len(pks) > 1 and language:
        key = normalize_key(text)
        chosen = {pk for pk in pks if normalize_key(index.names[pk].get(language, "")) == key}
        if len(chosen) == 1:
            pks = chosen
    if not pks:
        found = suggest(text, index)
        raise UnknownValue(
            kind=kind,
            value=text,
            suggestions=[spelling for spelling, _pk in found],
            suggested_ids=[pk for _spelling, pk in found],
        )
    if len(pks) > 1:
        ordered = sorted(pks, key=lambda pk: index.labels[pk])
        raise AmbiguousValue(
            kind=kind,
            value=text,
            suggestions=[index.labels[pk] for pk in ordered],
            suggested_ids=ordered,
        )
    return model._default_manager.get(pk=next(iter(pks)))


def resolve_country(value: str) -> Country:
    """`CN`, `CHN`, `156`, `China`, `중국`, `中国`, `中華人民共和国`, `Китай`, `Қытай` … -> China.

    A number is an ISO numeric code (`4` -> `004`, Afghanistan).
    """
    text = "" if value is None else str(value)
    if text.strip().isdigit():
        text = text.strip().zfill(3)
    return _resolve("country", text, _country_index(), Country, None)


def resolve_department(value: str, language: str | None = None) -> Department:
    """By code, name in any language, or Korean alias (`내과`, `소아과`, `비뇨기과` …).

    LANGUAGE (`ja`, `zh-hans` …) settles a name that means different departments in different
    languages: `整形外科` is orthopedics in Japanese and plastic surgery in Chinese.
    """
    return _resolve("department", value, _department_index(), Department, language)


def resolve_district(value: str, language: str | None = None) -> District:
    """By official code or name in any language (`11680`, `강남구`, `Gangnam-gu`, `江南区`)."""
    return _resolve("district", value, _district_index(), District, language)


def resolve_language(value: str) -> Language:
    """By code, name in any of the six languages, or its own name (`kk`, `Kazakh`, `қазақ тілі`).

    A locale such as `zh-Hans` or `ru_RU` resolves to its language when it is not listed itself.
    """
    index = _language_index()
    text = "" if value is None else str(value)
    if not index.find(text):
        base = text.strip().replace("_", "-").split("-")[0].lower()
        if base and index.find(base) and len(base) in (2, 3) and base.isascii():
            text = base
    return _resolve("language", text, index, Language, None)
