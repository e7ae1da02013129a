"""Reads start from the scoping layer: no role ever sees outside its scope, whatever the filter."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from medtour.accounts import scope
from medtour.institutions import selectors
from medtour.institutions.models import Institution, InstitutionType, RegistrationStatus
from medtour.institutions.selectors import RegistryFilters
from medtour.reference.models import Department
from tests.factories import FacilitatorFactory, InstitutionFactory, district

pytestmark = pytest.mark.django_db

SEOCHO = "11650"


@pytest.fixture
def registry(gangnam_clinic: Institution, mapo_clinic: Institution) -> dict[str, Institution]:
    seocho = InstitutionFactory(
        code="seocho-dental",
        names={"ko": "서초치과의원", "en": "Seocho Dental", "ru": "Стоматология Сочхо"},
        type=InstitutionType.DENTAL,
        district=district(SEOCHO),
    )
    seocho.departments.set([Department.objects.get(code="dentistry")])
    return {"gangnam": gangnam_clinic, "mapo": mapo_clinic, "seocho": seocho}


def codes(institutions: Any) -> set[str]:
    return {institution.code for institution in institutions}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", set()),
        ("patient", set()),
        ("staff_gangnam", {"gangnam-clinic"}),
        ("staff_mapo", {"mapo-clinic"}),
        ("officer_gangnam", {"gangnam-clinic"}),
        ("officer_mapo", {"mapo-clinic"}),
        ("analyst", {"gangnam-clinic", "mapo-clinic", "seocho-dental"}),
        ("agent", {"gangnam-clinic", "mapo-clinic", "seocho-dental"}),
        ("coordinator", {"gangnam-clinic", "mapo-clinic", "seocho-dental"}),
        ("admin_user", {"gangnam-clinic", "mapo-clinic", "seocho-dental"}),
    ],
)
def test_each_role_lists_only_its_scope(
    persona: str, expected: set[str], registry: Any, request: pytest.FixtureRequest
) -> None:
    user = None if persona == "anonymous" else request.getfixturevalue(persona)

    assert codes(selectors.institution_list(user)) == expected


def test_filters_never_widen_the_scope(officer_mapo: Any, registry: Any) -> None:
    found = selectors.institution_list(
        officer_mapo, RegistryFilters(district="11680", active="all", q="clinic")
    )

    assert codes(found) == set()


def test_institution_never_opens_another_institution(staff_mapo: Any, registry: Any) -> None:
    with pytest.raises(Http404):
        selectors.institution_detail(staff_mapo, registry["gangnam"].pk)


def test_district_officer_never_opens_another_district(officer_gangnam: Any, registry: Any) -> None:
    assert selectors.institution_detail(officer_gangnam, registry["gangnam"].pk)
    with pytest.raises(Http404):
        selectors.institution_detail(officer_gangnam, registry["mapo"].pk)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("강남", {"gangnam-clinic"}),
        ("gangnam test", {"gangnam-clinic"}),
        ("MAPO", {"mapo-clinic"}),
        ("стоматология", {"seocho-dental"}),
        ("СОЧХО", {"seocho-dental"}),
        ("seocho-dental", {"seocho-dental"}),
        ("test clinic", {"gangnam-clinic", "mapo-clinic"}),
        ("nothing like this", set()),
    ],
)
def test_search_finds_names_in_any_language_regardless_of_case(
    analyst: Any, registry: Any, query: str, expected: set[str]
) -> None:
    assert codes(selectors.institution_list(analyst, RegistryFilters(q=query))) == expected


def test_search_finds_registration_numbers(analyst: Any, registry: Any) -> None:
    number = registry["mapo"].registration_number

    assert codes(selectors.institution_list(analyst, RegistryFilters(q=number))) == {"mapo-clinic"}


def test_filters_by_district_type_department_and_status(analyst: Any, registry: Any) -> None:
    Institution.objects.filter(code="mapo-clinic").update(
        registration_status=RegistrationStatus.SUSPENDED
    )

    def found(**filters: str) -> set[str]:
        return codes(selectors.institution_list(analyst, RegistryFilters(**filters)))

    assert found(district=SEOCHO) == {"seocho-dental"}
    assert found(type="dental") == {"seocho-dental"}
    assert found(department="dentistry") == {"seocho-dental"}
    assert found(status="suspended") == {"mapo-clinic"}
    assert found(type="clinic", district="11680") == {"gangnam-clinic"}


def test_deactivated_institutions_are_listed_only_when_asked(analyst: Any, registry: Any) -> None:
    Institution.objects.filter(code="mapo-clinic").update(is_active=False)

    assert "mapo-clinic" not in codes(selectors.institution_list(analyst))
    assert codes(selectors.institution_list(analyst, RegistryFilters(active="inactive"))) == {
        "mapo-clinic"
    }
    assert len(selectors.institution_list(analyst, RegistryFilters(active="all"))) == 3


def test_demo_records_can_be_told_apart(analyst: Any, registry: Any) -> None:
    Institution.objects.filter(code="seocho-dental").update(is_synthetic=True)

    assert codes(selectors.institution_list(analyst, RegistryFilters(synthetic="synthetic"))) == {
        "seocho-dental"
    }
    assert "seocho-dental" not in codes(
        selectors.institution_list(analyst, RegistryFilters(synthetic="real"))
    )


def test_filters_come_from_a_query_string_with_safe_defaults() -> None:
    filters = RegistryFilters.from_query({"q": "  sky ", "active": "everything", "page": "2"})

    assert filters.q == "sky"
    assert filters.active == "active"


def test_facilitators_are_hidden_from_institution_staff(
    staff_gangnam: Any, agent: Any, officer_mapo: Any
) -> None:
    FacilitatorFactory(code="agency-one")

    assert list(selectors.facilitator_list(staff_gangnam)) == []
    assert not scope.can_view_facilitators(staff_gangnam)
    assert codes(selectors.facilitator_list(agent)) == {"agency-one"}
    assert codes(selectors.facilitator_list(officer_mapo)) == {"agency-one"}
