"""`/healthz`: can this instance serve? A database round trip, the cache, the task queue.

JSON, 200 when every check passes and 503 otherwise; names no host, user or secret (an error
is reported by its kind only, the details go to the log). The mail queue's counts are given for
monitoring but do not fail the check: a mail server that is down is not this server's fault.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, tasks

logger = logging.getLogger(__name__)

PATH = "/healthz"


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache() -> dict[str, Any]:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise RuntimeError("the cache did not return what was stored")
    return {}


def _tasks() -> dict[str, Any]:
    backend = type(tasks[DEFAULT_TASK_BACKEND_ALIAS]).__name__
    if backend == "RQBackend":
        import django_rq

        django_rq.get_connection("default").ping()
    elif backend == "DatabaseBackend":
        from django_tasks.backends.database.models import DBTaskResult

        DBTaskResult.objects.exists()
    return {"backend": backend}


def _mail() -> dict[str, Any]:
    from django.db.models import Count

    from medtour.notifications.models import OutgoingMail

    counts = dict(OutgoingMail.objects.values_list("status").annotate(n=Count("pk")).order_by())
    return {"queued": counts.get("queued", 0), "failed": counts.get("failed", 0)}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": _database,
    "cache": _cache,
    "tasks": _tasks,
}


def run_checks() -> tuple[bool, dict[str, Any]]:
    results: dict[str, Any] = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result: dict[str, Any] = {"ok": True, **check()}
        except Exception as error:
            logger.exception("health check %s failed", name)
            result = {"ok": False, "error": type(error).__name__}
            healthy = False
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    if results["database"]["ok"]:
        try:
            results["mail"] = _mail()
        except Exception:
            logger.exception("health check of the mail queue failed")
    return healthy, results


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, checks = run_checks()
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )
