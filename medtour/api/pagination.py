"""One page envelope for every list: `count`, `page`, `pages`, `next`, `previous`, `items`."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from medtour.api.errors import ApiError
from medtour.api.text import gettext_lazy

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Pages(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description=gettext_lazy("Page number, from 1."))
        page_size: int = Field(
            DEFAULT_PAGE_SIZE,
            ge=1,
            le=MAX_PAGE_SIZE,
            description=gettext_lazy("Items per page (at most 200)."),
        )

    class Output(Schema):
        count: int = Field(description=gettext_lazy("Items in all pages together."))
        page: int = Field(description=gettext_lazy("This page's number."))
        pages: int = Field(description=gettext_lazy("Number of pages (at least 1)."))
        next: str | None = Field(description=gettext_lazy("Address of the next page, if any."))
        previous: str | None = Field(
            description=gettext_lazy("Address of the previous page, if any.")
        )
        items: list[Any]

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        count = self._items_count(queryset)
        pages = max(1, math.ceil(count / pagination.page_size))
        if pagination.page > pages:
            message = ngettext(
                "Page %(page)s does not exist: there is %(pages)s page.",
                "Page %(page)s does not exist: there are %(pages)s pages.",
                pages,
            )
            raise ApiError(404, message % {"page": pagination.page, "pages": pages})
        start = (pagination.page - 1) * pagination.page_size
        return {
            "count": count,
            "page": pagination.page,
            "pages": pages,
            "next": _page_url(request, pagination.page + 1) if pagination.page < pages else None,
            "previous": _page_url(request, pagination.page - 1) if pagination.page > 1 else None,
            "items": queryset[start : start + pagination.page_size],
        }


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
