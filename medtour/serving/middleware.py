"""Request ids and the request log; the health check answered before host checks."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from medtour.serving import health
from medtour.serving.logs import request_id_var

logger = logging.getLogger("medtour.request")

# An id from the proxy in front (nginx's $request_id) is kept when it looks like one.
_GOOD_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
_SECRET_PARTS = ("token", "signature", "secret", "key")

Handler = Callable[[HttpRequest], HttpResponse]


class HealthCheckMiddleware:
    """`GET /healthz` is answered here, first: a load balancer probing by IP address is not in
    ALLOWED_HOSTS, and the probe needs no session, language or redirect to HTTPS."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == health.PATH and request.method in ("GET", "HEAD"):
            return health.healthz(request)
        return self.get_response(request)


def logged_path(request: HttpRequest) -> str:
    """The request's path without its query, URL parts that are tokens replaced."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    if match is not None:
        for name, value in match.kwargs.items():
            if any(part in name.lower() for part in _SECRET_PARTS) and str(value):
                path = path.replace(str(value), "[redacted]")
    return path


class RequestLogMiddleware:
    """Gives each request an id (`X-Request-ID`, taken from the proxy when it sends one) and
    writes one log line per request with method, path, status and duration."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _GOOD_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            duration = (time.perf_counter() - started) * 1000
            level = logging.ERROR if response.status_code >= 500 else logging.INFO
            logger.log(
                level,
                "%s %s %s %.1f ms",
                request.method,
                logged_path(request),
                response.status_code,
                duration,
                extra={
                    "method": request.method,
                    "path": logged_path(request),
                    "status": response.status_code,
                    "duration_ms": round(duration, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
