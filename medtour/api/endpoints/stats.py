"""Statistics: any measure by up to two dimensions, within the caller's statistical scope.

The same `pivot()` as the console and `manage.py pivot`; this module only translates between
HTTP and it.
"""

# No `from __future__ import annotations`: django-ninja reads these signatures at run time.
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from medtour.accounts.scope import can_view_statistics
from medtour.api.auth import SIGNED_IN, caller
from medtour.api.endpoints import ERRORS, LANG_QUERY
from medtour.api.errors import ApiError
from medtour.api.language import LanguageCode
from medtour.api.text import gettext_lazy
from medtour.stats.query import MEASURES, PivotQuery, QueryError, pivot

router = Router(tags=[gettext_lazy("Statistics")])
# `filter` repeats (?filter=year:2016&filter=nationality:CN); declared once, as LANG_QUERY is.
FILTER_QUERY: Any = Query(
    [], description=gettext_lazy("dimension:code, repeatable, e.g. nationality:CN.")
)


class PivotMember(Schema):
    codes: list[str] = Field(description=gettext_lazy("One stable code per dimension."))
    label: str = Field(description=gettext_lazy("The member's name in the requested language."))


class PivotSource(Schema):
    row: int = Field(description=gettext_lazy("Row index; -1 for the column totals."))
    col: int = Field(description=gettext_lazy("Column index; -1 for the row totals."))
    source: str = Field(
        description=gettext_lazy("“aggregate”: a total reported without records fills it.")
    )


class PivotOut(Schema):
    measure: str
    rows: list[PivotMember]
    cols: list[PivotMember]
    cells: list[list[int | None]] = Field(
        description=gettext_lazy(
            "One row per row member, one value per column; null where nothing was reported."
        )
    )
    row_totals: list[int | None] = Field(
        description=gettext_lazy("Each row's real total: a person counts once, not per column.")
    )
    col_totals: list[int | None]
    total: int | None = Field(description=gettext_lazy("The real total, not the sum of rows."))
    sources: list[PivotSource]
    as_of: str = Field(description=gettext_lazy("When the figures were last brought up to date."))


def _axis(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _filters(values: list[str]) -> tuple[tuple[str, str], ...]:
    parsed = []
    for value in values:
        name, sign, code = value.partition(":")
        if not sign or not name.strip() or not code.strip():
            raise ApiError(
                422,
                _("filter %(value)s: write dimension:code, e.g. nationality:CN.")
                % {"value": f"“{value}”"},
                location="query",
                field="filter",
            )
        parsed.append((name.strip(), code.strip()))
    return tuple(parsed)


@router.get(
    "/stats/pivot",
    response={200: PivotOut, **ERRORS},
    auth=SIGNED_IN,
    summary=gettext_lazy("A statistics table"),
    description=gettext_lazy(
        "Any measure by up to two dimensions across rows and columns, with the real totals "
        "(a patient treated in two districts counts once in the city). City analysts and "
        "administrators see the city, district officers their district, institution staff "
        "their institution."
    ),
)
def stats_pivot(
    request: HttpRequest,
    rows: str = Query("", description=gettext_lazy("Dimensions of the rows, comma-separated.")),
    cols: str = Query("", description=gettext_lazy("Dimensions of the columns.")),
    measure: str = Query("patients", description=", ".join(MEASURES)),
    filter: list[str] = FILTER_QUERY,
    lang: LanguageCode | None = LANG_QUERY,
) -> Any:
    user = caller(request)
    if not can_view_statistics(user):
        raise ApiError(403, _("Your role cannot see the statistics."))
    query = PivotQuery(
        rows=_axis(rows), cols=_axis(cols), measure=measure, filters=_filters(filter)
    )
    try:
        return pivot(query, user=user).as_json()
    except QueryError as error:
        raise ApiError(422, str(error)) from error
    except PermissionDenied as error:
        raise ApiError(403, str(error) or _("These figures are outside your scope.")) from error
