"""Input no field may hold, refused before any view sees it.

A NUL character cannot be stored in a PostgreSQL text column and means nothing in a form, a
search or an address; every view would otherwise have to guard against it (or fail with a
server error when it reaches the database).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from medtour.errors.views import error_response

NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    for values in (request.GET, request.POST):
        for key, items in values.lists():
            if NUL in key or any(NUL in item for item in items):
                return True
    return False


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return error_response(request, 400)
        return self.get_response(request)
