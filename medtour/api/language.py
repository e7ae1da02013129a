"""The language of an API response: `?lang=`, else the Accept-Language header, else Korean."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
LanguageCode = Literal["ko", "en", "zh-hans", "ja", "ru", "kk"]


def requested_language(request: HttpRequest) -> str:
    """Unlike pages, the API ignores the language cookie: a program says what it wants."""
    asked = request.GET.get("lang", "")
    if asked in LANGUAGE_CODES:
        return asked
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)


def in_requested_language(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wraps each operation, authentication and errors included, in the requested language."""

    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = requested_language(request)
        with translation.override(language):
            response = run(request, *args, **kwargs)
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language"])
        return response

    return wrapped
