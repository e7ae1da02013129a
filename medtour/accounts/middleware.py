"""Staff language preference and the second-factor requirement for privileged roles."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from medtour.accounts.selectors import has_totp

Handler = Callable[[HttpRequest], HttpResponse]


def _has_language_prefix(path: str) -> bool:
    return any(
        path.startswith(f"/{code}/") or path == f"/{code}" for code, _n in settings.LANGUAGES
    )


class StaffLanguageMiddleware:
    """Signed-in users see unprefixed pages (the console) in their preferred language.

    Public pages carry the language in their URL prefix, which always wins.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        preferred = getattr(user, "preferred_language", "") if user else ""
        if preferred and not _has_language_prefix(request.path_info):
            translation.activate(preferred)
            request.LANGUAGE_CODE = preferred
        return self.get_response(request)


class RequireMfaMiddleware:
    """City, district and administrator accounts must set up TOTP before using the console.

    Account pages (where the setup happens), public pages, static files and the API stay open.
    """

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/")

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "mfa_required", False)
            and not request.path_info.startswith(self.ALLOWED_PREFIXES)
            and not _has_language_prefix(request.path_info)
            and not has_totp(user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
