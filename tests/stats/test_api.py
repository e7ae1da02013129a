"""GET /api/v1/stats/pivot: the same tables as the console and the command, scoped."""

from __future__ import annotations

from typing import Any

import pytest

from tests.stats.builders import GANGNAM, MAPO, episode

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/pivot"


@pytest.fixture
def records(gangnam_clinic: Any, mapo_clinic: Any) -> None:
    episode("ann", gangnam_clinic, nationality="CN")
    episode("ann", mapo_clinic, nationality="CN")
    episode("bo", mapo_clinic, nationality="US", year=2017)


def test_the_analyst_gets_the_city_with_real_totals(records: None, persona_client: Any) -> None:
    response = persona_client("analyst").get(URL, {"rows": "district", "cols": "year"})
    assert response.status_code == 200
    body = response.json()
    assert [row["codes"] for row in body["rows"]] == [[MAPO], [GANGNAM]]
    assert [col["codes"] for col in body["cols"]] == [["2016"], ["2017"]]
    assert body["cells"] == [[1, 1], [1, None]]
    assert body["col_totals"] == [1, 1]
    assert body["total"] == 2


def test_filters_repeat_and_labels_follow_the_language(records: None, persona_client: Any) -> None:
    response = persona_client("analyst").get(
        URL,
        {"rows": "nationality", "filter": ["year:2016", "district:11440"], "lang": "en"},
    )
    body = response.json()
    assert body["rows"] == [{"codes": ["CN"], "label": "China"}]
    assert body["total"] == 1


def test_an_officer_sees_their_district_only(records: None, persona_client: Any) -> None:
    body = persona_client("officer_gangnam").get(URL, {"rows": "district"}).json()
    assert [row["codes"] for row in body["rows"]] == [[GANGNAM]]
    outside = persona_client("officer_gangnam").get(URL, {"filter": "district:11440"})
    assert outside.status_code == 403


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"rows": "colour"}, "colour"),
        ({"measure": "smiles"}, "smiles"),
        ({"filter": "nationality:XX"}, "XX"),
        ({"filter": "nationality"}, "nationality"),
    ],
)
def test_a_bad_query_is_refused_with_its_name(
    records: None, persona_client: Any, params: dict[str, str], named: str
) -> None:
    response = persona_client("analyst").get(URL, params)
    assert response.status_code == 422
    assert named in response.json()["detail"]


def test_the_operation_is_in_the_openapi_document(client: Any) -> None:
    document = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/stats/pivot" in document["paths"]
