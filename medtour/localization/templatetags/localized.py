"""Template helpers for multilingual content and language-aware number formatting."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, to_locale

from medtour.localization.text import localize

register = template.Library()
LANGUAGE_NAMES = dict(settings.LANGUAGES)


def _locale() -> str:
    return to_locale(get_language() or settings.LANGUAGE_CODE).replace("zh_Hans", "zh_Hans_CN")


@register.simple_tag
def localized(values: Mapping[str, str] | None) -> SafeString:
    """Text in the reader's language; when it falls back, say which language it is in."""
    text = localize(values)
    if not text.is_fallback:
        return format_html("{}", text.text)
    return format_html(
        '<span lang="{}">{}</span> <small class="fallback-language" title="{}">({})</small>',
        text.language,
        text.text,
        text.language,
        LANGUAGE_NAMES.get(text.language, text.language),
    )


@register.filter
def localized_text(values: Mapping[str, str] | None) -> str:
    """Plain text in the reader's language (with fallback), for attributes and titles."""
    return localize(values).text


@register.filter
def number(value: int | float | Decimal | None) -> str:
    if value is None:
        return ""
    return format_decimal(value, locale=_locale())


@register.filter
def krw(value: int | float | Decimal | None) -> str:
    if value is None:
        return ""
    return format_currency(value, "KRW", locale=_locale())
