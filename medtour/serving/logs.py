"""Structured logs: one JSON object a line (LOG_FORMAT=json, the default with DEBUG off).

Every record carries the id of the request it was written during (`request_id`), so the lines
of one request can be found together; the request log (`medtour.request`) adds method, path,
status and duration. Query strings are never logged (searches and links may hold personal
data), and URL parts named like tokens are replaced by `[redacted]`.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

request_id_var: ContextVar[str] = ContextVar("request_id", default="")

JSON_FIELDS = ["asctime", "levelname", "name", "message"]
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (empty outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The LOGGING dictionary for LOG_FORMAT ("json" or "text") and LEVEL."""
    formatters: dict[str, Any] = {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": RENAMED,
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "json_ensure_ascii": False,
        },
        "text": {"format": TEXT_FORMAT},
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "medtour.serving.logs.RequestIdFilter"}},
        "formatters": formatters,
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # The request log below replaces Django's own line per request.
            "django.server": {"level": "WARNING"},
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
