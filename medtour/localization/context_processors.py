from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from medtour.reference.city import current_city


def languages(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_languages": settings.LANGUAGES,
        "synthetic_data_notice": settings.SYNTHETIC_DATA_NOTICE,
        "city_name": current_city().name.text,
    }
