"""The JSON API, version 1, described at /api/v1/openapi.json."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="Medtour API", version="1", urls_namespace="api-v1", docs_url=None)
