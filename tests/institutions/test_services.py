"""The one write path: permissions from the scope, one validator, audit events with diffs."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from medtour.audit.models import AuditAction, AuditEvent
from medtour.audit.services import history_for
from medtour.institutions import services
from medtour.institutions.actors import CommandLine
from medtour.institutions.models import Facilitator, Institution
from medtour.reference.models import Department, Language
from tests.factories import FacilitatorFactory, InstitutionFactory
from tests.institutions.helpers import facilitator_data, institution_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Any:
    with translation.override("en"):
        yield


def _pk(model: Any, code: str) -> str:
    return str(model.objects.get(code=code).pk)


def test_administrator_registers_an_institution_with_an_audit_event(admin_user: Any) -> None:
    institution = services.register_institution(actor=admin_user, data=institution_data())

    assert institution.names == {"ko": "하늘피부과의원", "en": "Sky Dermatology Clinic"}
    assert [d.code for d in institution.departments.all()] == ["dermatology"]
    assert sorted(language.code for language in institution.languages.all()) == ["en", "zh"]
    assert institution.accreditations == ["KAHF"]
    event = AuditEvent.objects.get(target_id=str(institution.pk))
    assert event.action == AuditAction.CREATE
    assert event.actor == admin_user
    assert event.changes["code"] == [None, "sky-derm"]
    assert event.changes["departments"] == [None, [_pk(Department, "dermatology")]]
    assert "email" in event.changes
    assert "profile" in event.changes
    # Empty fields are not listed as "changed from nothing to nothing".
    assert "is_synthetic" not in event.changes


def test_district_officer_registers_in_their_own_district(officer_gangnam: Any) -> None:
    institution = services.register_institution(actor=officer_gangnam, data=institution_data())

    assert institution.district.code == "11680"


def test_district_officer_cannot_register_in_another_district(officer_mapo: Any) -> None:
    with pytest.raises(services.InvalidInput) as refused:
        services.register_institution(actor=officer_mapo, data=institution_data())

    assert refused.value.form.errors["district"] == [
        "You may register and change institutions only in your own district."
    ]
    assert not Institution.objects.filter(code="sky-derm").exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("persona", ["staff_gangnam", "analyst", "agent", "coordinator", "patient"])
def test_other_roles_may_not_register(persona: str, request: pytest.FixtureRequest) -> None:
    with pytest.raises(PermissionDenied):
        services.register_institution(
            actor=request.getfixturevalue(persona), data=institution_data()
        )

    assert not Institution.objects.filter(code="sky-derm").exists()


def test_update_records_only_the_fields_that_changed(officer_gangnam: Any) -> None:
    institution = services.register_institution(actor=officer_gangnam, data=institution_data())

    services.update_institution(
        actor=officer_gangnam,
        institution=institution,
        data=institution_data(phone="02-0999-1111", departments=["dermatology", "plastic_surgery"]),
    )

    event = history_for(institution).filter(action=AuditAction.UPDATE).get()
    assert event.changes == {
        "phone": ["02-0123-4567", "02-0999-1111"],
        "departments": [
            [_pk(Department, "dermatology")],
            sorted([_pk(Department, "dermatology"), _pk(Department, "plastic_surgery")]),
        ],
    }
    institution.refresh_from_db()
    assert institution.phone == "02-0999-1111"


def test_an_update_that_changes_nothing_writes_nothing(admin_user: Any) -> None:
    institution = services.register_institution(actor=admin_user, data=institution_data())
    saved_at = Institution.objects.get(pk=institution.pk).updated_at

    services.update_institution(
        actor=admin_user,
        institution=Institution.objects.get(pk=institution.pk),
        data=institution_data(),
    )

    assert history_for(institution).count() == 1
    assert Institution.objects.get(pk=institution.pk).updated_at == saved_at


def test_the_code_of_a_registered_institution_never_changes(admin_user: Any) -> None:
    institution = services.register_institution(actor=admin_user, data=institution_data())

    services.update_institution(
        actor=admin_user, institution=institution, data=institution_data(code="other-code")
    )

    assert Institution.objects.get(pk=institution.pk).code == "sky-derm"


def test_district_officer_cannot_edit_another_districts_institution(
    officer_mapo: Any, gangnam_clinic: Institution
) -> None:
    with pytest.raises(PermissionDenied):
        services.update_institution(
            actor=officer_mapo, institution=gangnam_clinic, data=institution_data()
        )


def test_district_officer_cannot_move_an_institution_out_of_their_district(
    officer_gangnam: Any, gangnam_clinic: Institution
) -> None:
    with pytest.raises(services.InvalidInput) as refused:
        services.update_institution(
            actor=officer_gangnam,
            institution=gangnam_clinic,
            data=institution_data(code=gangnam_clinic.code, district="11440"),
        )

    assert "district" in refused.value.form.errors
    assert Institution.objects.get(pk=gangnam_clinic.pk).district.code == "11680"


def test_institution_staff_edit_their_profile_contacts_and_languages_only(
    staff_gangnam: Any, gangnam_clinic: Institution
) -> None:
    services.update_institution_profile(
        actor=staff_gangnam,
        institution=gangnam_clinic,
        data={
            "profile_en": "Open on Sundays.",
            "phone": "02-0111-2222",
            "languages": ["ru"],
            "names_ko": "이름을 바꾸려는 시도",
            "district": "11440",
        },
    )

    gangnam_clinic.refresh_from_db()
    assert gangnam_clinic.profile == {"en": "Open on Sundays."}
    assert gangnam_clinic.phone == "02-0111-2222"
    assert [language.code for language in gangnam_clinic.languages.all()] == ["ru"]
    assert gangnam_clinic.names["ko"] == "강남시험의원"
    assert gangnam_clinic.district.code == "11680"
    event = history_for(gangnam_clinic).get()
    assert event.actor == staff_gangnam
    assert set(event.changes) == {"profile", "phone", "languages"}
    assert event.changes["languages"] == [[], [_pk(Language, "ru")]]


def test_institution_staff_cannot_edit_another_institution(
    staff_mapo: Any, gangnam_clinic: Institution
) -> None:
    with pytest.raises(PermissionDenied):
        services.update_institution_profile(
            actor=staff_mapo, institution=gangnam_clinic, data={"phone": "1"}
        )


def test_institution_staff_cannot_use_the_full_registry_edit(
    staff_gangnam: Any, gangnam_clinic: Institution
) -> None:
    with pytest.raises(PermissionDenied):
        services.update_institution(
            actor=staff_gangnam, institution=gangnam_clinic, data=institution_data()
        )


def test_deactivate_and_reactivate_are_audited_once_each(
    officer_gangnam: Any, gangnam_clinic: Institution
) -> None:
    services.deactivate_institution(actor=officer_gangnam, institution=gangnam_clinic)
    services.deactivate_institution(actor=officer_gangnam, institution=gangnam_clinic)
    assert Institution.objects.get(pk=gangnam_clinic.pk).is_active is False

    services.reactivate_institution(actor=officer_gangnam, institution=gangnam_clinic)

    assert Institution.objects.get(pk=gangnam_clinic.pk).is_active is True
    actions = list(history_for(gangnam_clinic).values_list("action", "changes"))
    assert actions == [
        (AuditAction.REACTIVATE, {"is_active": [False, True]}),
        (AuditAction.DEACTIVATE, {"is_active": [True, False]}),
    ]


@pytest.mark.parametrize("persona", ["officer_mapo", "staff_gangnam", "analyst"])
def test_deactivation_needs_the_registry_edit_right(
    persona: str, gangnam_clinic: Institution, request: pytest.FixtureRequest
) -> None:
    with pytest.raises(PermissionDenied):
        services.deactivate_institution(
            actor=request.getfixturevalue(persona), institution=gangnam_clinic
        )
    assert Institution.objects.get(pk=gangnam_clinic.pk).is_active is True


def test_the_command_line_acts_as_a_named_trusted_operator(db: None) -> None:
    operator = CommandLine("test_command")

    institution = services.register_institution(actor=operator, data=institution_data())

    event = history_for(institution).get()
    assert event.actor is None
    assert event.actor_label.startswith("manage.py test_command (")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"registered_from": "2025-01-01", "registered_until": "2024-01-01"},
            "registered_until",
            "The registration cannot end before it starts.",
        ),
        (
            {"longitude": ""},
            "longitude",
            "Enter both latitude and longitude, or neither.",
        ),
        (
            {"latitude": "137.5"},
            "latitude",
            "Ensure this value is less than or equal to 90.",
        ),
        (
            {"registration_number": ""},
            "registration_number",
            "A registered body needs its registration number.",
        ),
        ({"names_ko": ""}, "names", "Enter the text in: 한국어."),
        (
            {"type": "spa"},
            "type",
            "“spa” is not one of: clinic, hospital, general_hospital, tertiary_hospital, "
            "dental, korean_medicine.",
        ),
        (
            {"departments": ["dermatolgy"]},
            "departments",
            "“dermatolgy” is not a known department. Did you mean: dermatology",
        ),
        (
            {"accreditations": ["ISO"]},
            "accreditations",
            "“ISO” is not one of: KAHF, KOIHA, JCI.",
        ),
        ({"email": "not-an-address"}, "email", "Enter a valid email address."),
    ],
)
def test_invalid_input_is_refused_with_a_reason(
    admin_user: Any, overrides: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(services.InvalidInput) as refused:
        services.register_institution(actor=admin_user, data=institution_data(**overrides))

    assert any(error.startswith(message) for error in refused.value.form.errors[field])
    assert not Institution.objects.exists()


def test_a_registration_number_belongs_to_one_institution(
    admin_user: Any, gangnam_clinic: Institution
) -> None:
    with pytest.raises(services.InvalidInput) as refused:
        services.register_institution(
            actor=admin_user,
            data=institution_data(registration_number=gangnam_clinic.registration_number),
        )

    assert "registration_number" in refused.value.form.errors


def test_codes_and_names_in_any_language_are_accepted_for_reference_data(
    admin_user: Any,
) -> None:
    institution = services.register_institution(
        actor=admin_user,
        data=institution_data(
            district="강남구", departments=["피부과", "Plastic surgery"], languages=["English"]
        ),
    )

    assert institution.district.code == "11680"
    assert sorted(d.code for d in institution.departments.all()) == [
        "dermatology",
        "plastic_surgery",
    ]
    assert [language.code for language in institution.languages.all()] == ["en"]


# Facilitators -----------------------------------------------------------------------------------


def test_administrator_manages_facilitators_with_history(admin_user: Any) -> None:
    facilitator = services.register_facilitator(actor=admin_user, data=facilitator_data())
    services.update_facilitator(
        actor=admin_user,
        facilitator=facilitator,
        data=facilitator_data(registration_status="suspended"),
    )
    services.deactivate_facilitator(actor=admin_user, facilitator=facilitator)

    facilitator.refresh_from_db()
    assert facilitator.registration_status == "suspended"
    assert facilitator.is_active is False
    actions = list(history_for(facilitator).values_list("action", flat=True))
    assert actions == [AuditAction.DEACTIVATE, AuditAction.UPDATE, AuditAction.CREATE]
    update = history_for(facilitator).get(action=AuditAction.UPDATE)
    assert update.changes == {"registration_status": ["registered", "suspended"]}


@pytest.mark.parametrize("persona", ["officer_gangnam", "analyst", "agent", "staff_gangnam"])
def test_only_administrators_manage_facilitators(
    persona: str, request: pytest.FixtureRequest
) -> None:
    actor = request.getfixturevalue(persona)
    facilitator = FacilitatorFactory()

    with pytest.raises(PermissionDenied):
        services.register_facilitator(actor=actor, data=facilitator_data())
    with pytest.raises(PermissionDenied):
        services.update_facilitator(actor=actor, facilitator=facilitator, data=facilitator_data())
    with pytest.raises(PermissionDenied):
        services.deactivate_facilitator(actor=actor, facilitator=facilitator)
    assert Facilitator.objects.count() == 1


def test_search_text_follows_every_save(admin_user: Any) -> None:
    institution = InstitutionFactory(names={"ko": "별빛의원", "ru": "Клиника Звезда"})

    assert "клиника звезда" in institution.search_text
    assert "별빛의원" in institution.search_text
