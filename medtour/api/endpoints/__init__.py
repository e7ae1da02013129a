"""The API's operations, one module per subject; `medtour.api.v1` mounts their routers."""

from __future__ import annotations

from typing import Any

from ninja import Query

from medtour.api import schemas
from medtour.api.text import gettext_lazy as _

LANG_HELP = _(
    "Language of `name` and other localized text: ko, en, zh-hans, ja, ru or kk. "
    "Without it, the Accept-Language header decides; without that, Korean."
)

ERRORS: dict[int, Any] = {
    401: schemas.Problem,
    403: schemas.Problem,
    404: schemas.Problem,
    422: schemas.InvalidInput,
}


# One parameter object for every operation's `?lang=`; django-ninja copies it into each signature.
LANG_QUERY: Any = Query(None, description=LANG_HELP)
