"""Public open data: the catalogue by year, one page per table, its CSV and CSVW metadata.

Anyone may read them, signed in or not; every figure comes from `medtour.stats.opendata`, which
has already hidden what must not be seen (docs/open-data.md).
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from medtour.stats import opendata, opendata_files
from medtour.stats.opendata import PublishedTable


def index(request: HttpRequest) -> HttpResponse:
    years = [(year, _entries(year)) for year in opendata.published_years()]
    return render(request, "portal/opendata_index.html", {"years": years})


def _entries(year: int) -> list[tuple[str, str]]:
    """(title, address) of every table of YEAR, in catalogue order."""
    entries = []
    for measure in opendata.MEASURES:
        for spec in opendata.CATALOGUE:
            slug = opendata.table_slug(measure, spec)
            title = str(opendata.TITLES[(measure, spec.slug)])
            entries.append((title, reverse("portal:open_data_table", args=[year, slug])))
    return entries


def table_page(request: HttpRequest, year: int, table: str) -> HttpResponse:
    published = _published(year, table)
    context = {
        "table": published,
        "heading": _("%(title)s, %(year)s") % {"title": published.title, "year": year},
        "csv_url": reverse("portal:open_data_csv", args=[year, table]),
        "metadata_url": reverse("portal:open_data_metadata", args=[year, table]),
        "index_url": reverse("portal:open_data"),
    }
    return render(request, "portal/opendata_table.html", context)


def table_csv(request: HttpRequest, year: int, table: str) -> HttpResponse:
    published = _published(year, table)
    response = HttpResponse(
        opendata_files.csv_bytes(published), content_type=opendata_files.CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{opendata_files.file_name(published)}"'
    )
    return response


def table_metadata(request: HttpRequest, year: int, table: str) -> HttpResponse:
    published = _published(year, table)
    document = opendata_files.metadata(
        published,
        csv_url=request.build_absolute_uri(reverse("portal:open_data_csv", args=[year, table])),
        page_url=request.build_absolute_uri(reverse("portal:open_data_table", args=[year, table])),
    )
    return HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2),
        content_type=f"{opendata_files.METADATA_CONTENT_TYPE}; charset=utf-8",
    )


def _published(year: int, slug: str) -> PublishedTable:
    found = opendata.find_spec(slug)
    if found is None or year not in opendata.published_years():
        raise Http404
    measure, spec = found
    return opendata.published_table(year, measure, spec)
