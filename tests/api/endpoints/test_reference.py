"""Reference data for every persona, localized, searchable; countries recognised in any language."""

from __future__ import annotations

from typing import Any

import pytest

from medtour.reference.models import Country, Department, District, Language
from tests.conftest import GANGNAM, PERSONAS

pytestmark = pytest.mark.django_db
LISTS = ["/api/v1/districts", "/api/v1/departments", "/api/v1/languages", "/api/v1/countries"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_reference_data_is_open_to_every_persona(persona_client: Any, persona: str) -> None:
    client = persona_client(persona)
    for url in LISTS:
        assert client.get(url).status_code == 200, url
    assert client.get("/api/v1/countries/resolve?value=CN").status_code == 200


def test_lists_hold_all_the_reference_data(client: Any) -> None:
    for url, model in zip(LISTS, [District, Department, Language, Country], strict=True):
        body = client.get(f"{url}?page_size=200").json()
        assert body["count"] == model.objects.count(), url
        expected = min(body["count"], 200)
        assert len(body["items"]) == expected


def test_districts_give_names_in_every_language_and_one_in_the_requested(client: Any) -> None:
    body = client.get("/api/v1/districts?lang=kk").json()
    assert body["count"] == 25
    gangnam = next(item for item in body["items"] if item["code"] == GANGNAM)
    names = District.objects.get(code=GANGNAM).names
    assert gangnam["names"] == names
    assert gangnam["name"] == names["kk"]
    assert gangnam["boundary"] is None


def test_districts_count_registered_institutions(client: Any, registry: Any) -> None:
    items = client.get("/api/v1/districts").json()["items"]
    counts = {item["code"]: item["registered_institutions"] for item in items}
    assert counts[GANGNAM] == 1  # the expired one is not counted
    assert sum(counts.values()) == 2


def test_districts_give_boundaries_on_request(client: Any) -> None:
    items = client.get("/api/v1/districts?geometry=true").json()["items"]
    assert all(item["boundary"]["type"] in {"Polygon", "MultiPolygon"} for item in items)


def test_countries_are_searched_in_any_language(client: Any) -> None:
    for text in ["kaz", "Казах", "카자흐", "KZ"]:
        items = client.get(f"/api/v1/countries?q={text}").json()["items"]
        assert items and items[0]["alpha2"] == "KZ", text


def test_country_search_puts_exact_matches_first(client: Any) -> None:
    items = client.get("/api/v1/countries?q=in").json()["items"]
    assert items[0]["alpha2"] == "IN"


@pytest.mark.parametrize(
    "value", ["CN", "CHN", "156", "China", "중국", "中国", "中華人民共和国", "Китай", "Қытай"]
)
def test_country_values_resolve_to_one_country(client: Any, value: str) -> None:
    response = client.get("/api/v1/countries/resolve", {"value": value, "lang": "en"})
    assert response.status_code == 200
    assert response.json()["alpha2"] == "CN"
    assert response.json()["name"] == "China"


def test_unknown_country_answers_404_with_suggestions(client: Any) -> None:
    response = client.get("/api/v1/countries/resolve", {"value": "Kazakstan", "lang": "en"})
    assert response.status_code == 404
    body = response.json()
    assert "Kazakstan" in body["detail"]
    assert body["value"] == "Kazakstan"
    assert body["suggestions"][0]["alpha2"] == "KZ"
    assert body["suggestions"][0]["name"] == "Kazakhstan"


def test_country_value_is_required(client: Any) -> None:
    response = client.get("/api/v1/countries/resolve")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "value"
