"""Every error the API returns is JSON: `{"detail": <message in the caller's language>, …}`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError


class ApiError(Exception):
    """An error with a status, a message for people and optional extra members for programs."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def install_error_handlers(api: NinjaAPI) -> None:
    def api_error(request: HttpRequest, exc: Any) -> HttpResponse:
        extra = dict(exc.extra)
        if exc.status == 422 and "errors" not in extra:
            # Every 422 has the InvalidInput shape the schema promises, however it was raised.
            problem = {
                "location": extra.pop("location", ""),
                "field": extra.pop("field", ""),
                "message": exc.message,
            }
            extra["errors"] = [problem]
        return api.create_response(request, {"detail": exc.message, **extra}, status=exc.status)

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        response = api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
        if isinstance(exc, AuthenticationError):
            response["WWW-Authenticate"] = 'Bearer realm="Medtour API"'
        return response

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        return api.create_response(request, {"detail": not_found_message()}, status=404)

    def invalid_input(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = [describe_validation_error(error) for error in exc.errors]
        fields = ", ".join(sorted({error["field"] for error in errors if error["field"]}))
        body = {
            "detail": _("Some parameters are not valid: %(fields)s.") % {"fields": fields},
            "errors": errors,
        }
        return api.create_response(request, body, status=422)

    api.add_exception_handler(ApiError, api_error)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ValidationError, invalid_input)


def not_found_message() -> str:
    return _("There is nothing at this address. The list of endpoints is at /api/v1/openapi.json.")


def describe_validation_error(error: Mapping[str, Any]) -> dict[str, str]:
    location = [str(part) for part in error.get("loc", ())]
    return {
        "location": location[0] if location else "",
        "field": ".".join(location[1:]),
        "message": _validation_message(error),
    }


def _validation_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This value is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind == "greater_than_equal":
        return _("Enter a number of at least %(limit)s.") % {"limit": context.get("ge")}
    if kind == "less_than_equal":
        return _("Enter a number of at most %(limit)s.") % {"limit": context.get("le")}
    if kind in {"literal_error", "enum"}:
        return _("Choose one of: %(choices)s.") % {"choices": context.get("expected", "")}
    if kind == "string_too_short":
        return _("This value cannot be empty.")
    if kind == "string_too_long":
        return _("Enter at most %(limit)s characters.") % {"limit": context.get("max_length")}
    return str(error.get("msg", kind))
