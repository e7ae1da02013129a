"""The public portal: what the service offers; registered institutions (list, map, detail)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from medtour.institutions.models import Accreditation
from medtour.localization.text import localize
from medtour.portal import queries
from medtour.portal.district_map import district_entries, district_map_svg
from medtour.portal.forms import InstitutionFilterForm
from medtour.reference.city import City, find_city_dir, read_city
from medtour.reference.models import District

PAGE_SIZE = 20
HOME_DEPARTMENTS = 8
FILTER_NAMES = ("q", "district", "department", "type", "language")


@lru_cache(maxsize=1)
def _city() -> City:
    return read_city(find_city_dir())


def home(request: HttpRequest) -> HttpResponse:
    language = get_language() or "ko"
    context = {
        "city": _city(),
        "figures": queries.home_figures(language),
        "departments": queries.departments_by_institutions(HOME_DEPARTMENTS),
        "list_url": reverse("portal:institutions"),
    }
    return render(request, "portal/home.html", context)


def institution_list(request: HttpRequest) -> HttpResponse:
    form = InstitutionFilterForm(request.GET if _has_filters(request) else None)
    filters = form.filters()
    institutions = queries.for_listing(queries.registered_institutions(filters))
    page = Paginator(institutions, PAGE_SIZE).get_page(request.GET.get("page"))
    # Links keep the valid filters only: a rejected value is shown once, not carried along.
    kept = filters.as_query()
    kept_without_district = filters.without_district().as_query()

    def filter_by(district: District) -> str:
        query = urlencode({**kept_without_district, "district": district.code})
        return f"{reverse('portal:institutions')}?{query}"

    counts = queries.counts_by_district(queries.registered_institutions(filters.without_district()))
    entries = district_entries(counts, selected=filters.district, url_for=filter_by)
    context = {
        "city": _city(),
        "form": form,
        "filters": filters,
        "page": page,
        "query_without_page": urlencode(kept),
        "all_districts_url": _url_with(kept_without_district),
        "district_entries": entries,
        "district_total": sum(entry.count for entry in entries),
        "district_map": district_map_svg(entries),
    }
    template = "portal/institution_list.html"
    if request.headers.get("HX-Request") == "true":
        template += "#results"
    response = render(request, template, context)
    # The same address answers with the whole page or only the results: caches must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def institution_detail(request: HttpRequest, code: str) -> HttpResponse:
    institution = queries.public_institution(code)
    if institution is None:
        raise Http404
    labels = dict(Accreditation.choices)
    context: dict[str, Any] = {
        "institution": institution,
        # Korean beside the page language, for taxi drivers and reception desks; not twice.
        "korean_name": _korean_unless_shown(institution.names),
        "korean_address": _korean_unless_shown(institution.address),
        "accreditations": [labels.get(code, code) for code in institution.accreditations],
        "departments": list(institution.departments.all()),
        "languages": list(institution.languages.all()),
        "list_url": reverse("portal:institutions"),
    }
    return render(request, "portal/institution_detail.html", context)


def _korean_unless_shown(values: dict[str, str]) -> str:
    return values.get("ko", "") if localize(values).language != "ko" else ""


def _has_filters(request: HttpRequest) -> bool:
    return any(request.GET.get(name) for name in FILTER_NAMES)


def _url_with(query: dict[str, str]) -> str:
    base = reverse("portal:institutions")
    return f"{base}?{urlencode(query)}" if query else base
