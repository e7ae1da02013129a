"""The JSON API, version 1, described at /api/v1/openapi.json (see docs/api.md).

The interactive docs page stays off (`docs_url=None`): Swagger UI loads from a CDN, which the
Content Security Policy forbids and an offline deployment cannot reach.
"""

from __future__ import annotations

from ninja import NinjaAPI

from medtour.api.endpoints import records, reference, registry, stats
from medtour.api.errors import install_error_handlers
from medtour.api.language import in_requested_language
from medtour.api.text import gettext_lazy as _

api = NinjaAPI(
    title=_("Medtour API"),
    version="1",
    description=_(
        "The city's reference data, the registry of medical institutions for foreign patients, "
        "and, for institution staff, the submission of foreign-patient records. Public data needs "
        "no credentials; staff send a bearer token "
        "(Authorization: Bearer …) or use their signed-in browser session. Every response is "
        "JSON; errors carry a `detail` message in the requested language."
    ),
    urls_namespace="api-v1",
    docs_url=None,
    docs_decorator=in_requested_language,  # openapi.json in the caller's language, as responses
)
install_error_handlers(api)
api.add_decorator(in_requested_language, mode="view")
api.add_router("", reference.router)
api.add_router("", registry.router)
api.add_router("", records.router)
api.add_router("", stats.router)
