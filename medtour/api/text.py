"""Translatable text for the API's own description (OpenAPI titles, summaries, field help).

django-ninja and pydantic take these as `str` but only ever format them, so Django's lazy
strings work and the description comes out in the caller's language. This wrapper keeps
Django's name, so that `makemessages` still finds the strings, and tells the type checker
what the libraries accept.
"""

from __future__ import annotations

from typing import cast

from django.utils.translation import gettext_lazy as _gettext_lazy


def gettext_lazy(message: str) -> str:
    return cast(str, _gettext_lazy(message))
