"""Institutions and facilitators for every persona: what each may see, and nothing more."""

from __future__ import annotations

from typing import Any

import pytest

from medtour.institutions.models import Institution
from medtour.reference.models import Department, Language
from tests.conftest import GANGNAM, MAPO, PERSONAS

pytestmark = pytest.mark.django_db

PUBLIC = {"gangnam-clinic", "mapo-clinic"}
EVERYTHING = PUBLIC | {"gangnam-expired", "mapo-suspended"}
# persona: (institutions listed, institutions whose registry facts are shown)
INSTITUTIONS_BY_PERSONA = {
    "anonymous": (PUBLIC, set()),
    "patient": (PUBLIC, set()),
    "patient_other": (PUBLIC, set()),
    "interpreter": (PUBLIC, set()),
    "interpreter_other": (PUBLIC, set()),
    "driver": (PUBLIC, set()),
    "staff_gangnam": (PUBLIC, {"gangnam-clinic"}),
    "staff_mapo": (PUBLIC, {"mapo-clinic"}),
    "officer_gangnam": (PUBLIC | {"gangnam-expired"}, {"gangnam-clinic", "gangnam-expired"}),
    "officer_mapo": (PUBLIC | {"mapo-suspended"}, {"mapo-clinic", "mapo-suspended"}),
    "analyst": (EVERYTHING, EVERYTHING),
    "agent": (EVERYTHING, EVERYTHING),
    "coordinator": (EVERYTHING, EVERYTHING),
    "admin_user": (EVERYTHING, EVERYTHING),
}
# persona: status of GET /facilitators, and the codes listed when allowed
FACILITATORS_BY_PERSONA = {
    "anonymous": (401, None),
    "patient": (403, None),
    "patient_other": (403, None),
    "interpreter": (403, None),
    "interpreter_other": (403, None),
    "driver": (403, None),
    "staff_gangnam": (403, None),
    "staff_mapo": (403, None),
    "officer_gangnam": (200, {"agency-a", "agency-b"}),
    "officer_mapo": (200, {"agency-a", "agency-b"}),
    "analyst": (200, {"agency-a", "agency-b"}),
    "agent": (200, {"agency-a", "agency-b"}),
    "coordinator": (200, {"agency-a", "agency-b"}),
    "admin_user": (200, {"agency-a", "agency-b"}),
}


def test_tables_cover_every_persona() -> None:
    assert set(INSTITUTIONS_BY_PERSONA) == set(FACILITATORS_BY_PERSONA) == set(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS)
def test_institution_list_per_persona(persona_client: Any, registry: Any, persona: str) -> None:
    listed, with_registry = INSTITUTIONS_BY_PERSONA[persona]
    response = persona_client(persona).get("/api/v1/institutions")
    assert response.status_code == 200
    items = {item["code"]: item for item in response.json()["items"]}
    assert set(items) == listed
    assert {code for code, item in items.items() if item["registry"]} == with_registry


@pytest.mark.parametrize("persona", PERSONAS)
def test_institution_detail_per_persona(persona_client: Any, registry: Any, persona: str) -> None:
    listed, with_registry = INSTITUTIONS_BY_PERSONA[persona]
    client = persona_client(persona)
    for code in EVERYTHING:
        response = client.get(f"/api/v1/institutions/{code}")
        if code in listed:
            assert response.status_code == 200, code
            assert (response.json()["registry"] is not None) == (code in with_registry)
        else:
            assert response.status_code == 404, code
            assert code in response.json()["detail"]


def test_unknown_and_hidden_institutions_answer_alike(client: Any, registry: Any) -> None:
    hidden = client.get("/api/v1/institutions/mapo-suspended").json()["detail"]
    unknown = client.get("/api/v1/institutions/no-such-code").json()["detail"]
    assert hidden.replace("mapo-suspended", "X") == unknown.replace("no-such-code", "X")


def test_status_filter_never_reaches_outside_the_scope(persona_client: Any, registry: Any) -> None:
    client = persona_client("officer_gangnam")
    expired = client.get("/api/v1/institutions?status=expired").json()["items"]
    suspended = client.get("/api/v1/institutions?status=suspended").json()["items"]
    assert [item["code"] for item in expired] == ["gangnam-expired"]
    assert suspended == []


@pytest.mark.parametrize("persona", PERSONAS)
def test_facilitator_list_per_persona(persona_client: Any, facilitators: Any, persona: str) -> None:
    status, listed = FACILITATORS_BY_PERSONA[persona]
    response = persona_client(persona).get("/api/v1/facilitators")
    assert response.status_code == status
    if listed is None:
        assert response.json()["detail"]
    else:
        assert {item["code"] for item in response.json()["items"]} == listed


def test_facilitator_filters(persona_client: Any, facilitators: Any) -> None:
    client = persona_client("agent")
    assert [i["code"] for i in client.get("/api/v1/facilitators?active=false").json()["items"]] == [
        "agency-b"
    ]
    assert [
        i["code"] for i in client.get("/api/v1/facilitators?status=registered").json()["items"]
    ] == ["agency-a"]
    assert [i["code"] for i in client.get("/api/v1/facilitators?q=agency b").json()["items"]] == [
        "agency-b"
    ]


def codes(client: Any, query: str) -> list[str]:
    response = client.get(f"/api/v1/institutions?{query}")
    assert response.status_code == 200, response.json()
    return sorted(item["code"] for item in response.json()["items"])


def test_institution_filters(client: Any, registry: Any) -> None:
    registry["mapo-clinic"].languages.set(_languages("ru"))
    registry["gangnam-clinic"].is_synthetic = True
    registry["gangnam-clinic"].save()
    assert codes(client, f"district={MAPO}") == ["mapo-clinic"]
    assert codes(client, "language=ru") == ["mapo-clinic"]
    assert codes(client, "type=clinic") == ["gangnam-clinic", "mapo-clinic"]
    assert codes(client, "type=dental") == []
    assert codes(client, "synthetic=true") == ["gangnam-clinic"]
    assert codes(client, "synthetic=false") == ["mapo-clinic"]
    assert codes(client, "q=마포") == ["mapo-clinic"]
    assert codes(client, "q=GANGNAM test") == ["gangnam-clinic"]


def test_department_filter(client: Any, registry: Any) -> None:
    department = Department.objects.first()
    registry["gangnam-clinic"].departments.set([department])
    assert codes(client, f"department={department.code}") == ["gangnam-clinic"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("district=99999", "district"),
        ("department=nope", "department"),
        ("language=xx", "language"),
    ],
)
def test_unknown_filter_codes_are_named_in_the_error(
    client: Any, registry: Any, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/institutions?{query}")
    assert response.status_code == 422
    body = response.json()
    assert query.split("=")[1] in body["detail"]
    assert body["errors"][0]["field"] == field


def test_institution_fields(client: Any, registry: Any) -> None:
    clinic = registry["gangnam-clinic"]
    clinic.accreditations = ["JCI"]
    clinic.profile = {"en": "Open late."}
    clinic.save()
    clinic.languages.set(_languages("en", "zh"))
    item = client.get("/api/v1/institutions/gangnam-clinic?lang=en").json()
    assert item["name"] == "Gangnam Test Clinic"
    assert item["names"] == {"ko": "강남시험의원", "en": "Gangnam Test Clinic"}
    assert item["district"]["code"] == GANGNAM
    assert item["district"]["name"] == "Gangnam-gu"
    assert item["type"] == "clinic"
    assert [language["code"] for language in item["languages"]] == ["en", "zh"]
    assert item["accreditations"][0]["code"] == "JCI"
    assert item["profile"] == "Open late."
    assert item["address"] == "서울특별시 강남구 테헤란로 1"  # only in Korean: falls back
    assert item["registry"] is None


def test_names_follow_the_requested_language(client: Any, registry: Any) -> None:
    by_param = client.get("/api/v1/institutions/gangnam-clinic?lang=ru").json()
    by_header = client.get(
        "/api/v1/institutions/gangnam-clinic", HTTP_ACCEPT_LANGUAGE="ja-JP,ja;q=0.9"
    )
    assert by_param["district"]["name"] == "Каннам-гу"  # noqa: RUF001
    assert by_param["name"] == "Gangnam Test Clinic"  # no Russian name: English
    assert by_header["Content-Language"] == "ja"
    assert by_header.json()["district"]["name"] == "江南区"


def test_list_queries_do_not_grow_with_the_page(
    client: Any, registry: Any, django_assert_max_num_queries: Any
) -> None:
    for institution in Institution.objects.all():
        institution.languages.set(_languages("en", "ru"))
    with django_assert_max_num_queries(5):
        client.get("/api/v1/institutions")


def _languages(*codes: str) -> list[Any]:
    return list(Language.objects.filter(code__in=codes).order_by("sort_order"))
