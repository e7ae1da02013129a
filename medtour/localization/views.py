"""Choosing the language: remembered in a cookie, and in the profile of a signed-in user."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return "/"
    parts = urlsplit(target)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    target = _safe_next(request)
    if language not in LANGUAGE_CODES:
        return HttpResponseRedirect(target)
    # translate_url resolves the path in the active language, so read it in the page's own language.
    with translation.override(
        translation.get_language_from_path(target) or translation.get_language()
    ):
        target = translate_url(target, language)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite="Lax",
    )
    user = request.user
    if user.is_authenticated and getattr(user, "preferred_language", None) != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return response


def root_redirect(request: HttpRequest) -> HttpResponse:
    language = translation.get_language_from_request(request, check_path=False)
    return HttpResponseRedirect(f"/{language}/")
