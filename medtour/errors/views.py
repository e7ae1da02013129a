"""Medtour's own answers to bad requests: a page in the reader's language, JSON under /api/.

They say what happened and what to do next, and nothing about the server (no paths, no
tracebacks, no versions). The 500 page renders without the database, which may be what failed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (
            _("The request could not be understood"),
            _(
                "Something in the address or the form could not be read (for example a "
                "character that is not allowed). Check what you entered and try again."
            ),
        ),
        403: (
            _("You may not open this page"),
            _("Your account does not give access to this page. Sign in with another account."),
        ),
        404: (
            _("Page not found"),
            _("There is nothing at this address. It may have been moved, or the link is wrong."),
        ),
        500: (
            _("Something went wrong on our side"),
            _(
                "The error has been logged and will be looked at. Please try again in a few "
                "minutes."
            ),
        ),
    }


def error_response(request: HttpRequest, status: int) -> HttpResponse:
    title, explanation = _messages()[status]
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": f"{title}. {explanation}"}, status=status)
    # No request context for 500: context processors may need the database.
    context: dict[str, Any] = {"status": status, "title": title, "explanation": explanation}
    page = loader.get_template("errors/error.html").render(
        context, request=None if status == 500 else request
    )
    return HttpResponse(page, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500)
