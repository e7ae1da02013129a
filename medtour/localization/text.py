"""Multilingual content: per-language values with a fallback the reader can see."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


def field_suffix(language: str) -> str:
    """`zh-hans` -> `zh_hans`: the suffix used in column names such as `name_zh_hans`."""
    return language.replace("-", "_")


@dataclass(frozen=True)
class LocalizedText:
    text: str
    language: str
    requested: str

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.language != self.requested

    def __str__(self) -> str:
        return self.text


def localize(values: Mapping[str, str] | None, language: str | None = None) -> LocalizedText:
    """The value in LANGUAGE, else English, else Korean, else any language present."""
    requested = language or get_language() or settings.LANGUAGE_CODE
    values = values or {}
    order = [requested, *settings.CONTENT_FALLBACK_LANGUAGES, *LANGUAGE_CODES]
    for code in order:
        text = (values.get(code) or "").strip()
        if text:
            return LocalizedText(text=text, language=code, requested=requested)
    return LocalizedText(text="", language=requested, requested=requested)


def clean_localized(values: Mapping[str, object] | None) -> dict[str, str]:
    """Keep only known languages with non-blank text, stripped."""
    values = values or {}
    cleaned: dict[str, str] = {}
    for code in LANGUAGE_CODES:
        text = str(values.get(code) or "").strip()
        if text:
            cleaned[code] = text
    return cleaned
