"""Institution screens: filtered list, detail with readable history, register, edit, deactivate."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from medtour.audit.models import AuditEvent
from medtour.institutions.models import Institution
from medtour.reference.models import Department, Language
from tests.factories import InstitutionFactory, district
from tests.institutions.helpers import institution_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(persona_client: Any) -> Any:
    """A persona client that asks for English pages."""

    def sign_in(name: str) -> Any:
        client = persona_client(name)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return sign_in


def _post_data(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def test_list_shows_names_status_and_demo_badge(english: Any, gangnam_clinic: Any) -> None:
    InstitutionFactory(
        code="demo-1", names={"ko": "(Demo) 가상", "en": "(Demo) Fictional"}, is_synthetic=True
    )

    page = english("analyst").get(reverse("console:institution-list")).content.decode()

    assert "Gangnam Test Clinic" in page
    assert "(Demo) Fictional" in page
    assert 'class="badge synthetic"' in page
    assert page.count('class="badge synthetic"') == 1
    assert "status-registered" in page


def test_list_filters_and_answers_htmx_with_the_results_only(
    english: Any, mapo_clinic: Any, gangnam_clinic: Any
) -> None:
    client = english("analyst")

    response = client.get(
        reverse("console:institution-list"), {"district": "11440"}, HTTP_HX_REQUEST="true"
    )

    body = response.content.decode()
    assert "<html" not in body
    assert body.strip().startswith('<div id="registry-results">')
    assert "Mapo Test Clinic" in body
    assert "Gangnam Test Clinic" not in body
    assert "1 institution" in body


def test_list_page_queries_do_not_grow_with_the_rows(
    english: Any, django_assert_max_num_queries: Any
) -> None:
    departments = list(Department.objects.all()[:3])
    languages = list(Language.objects.all()[:3])
    for number in range(40):
        institution = InstitutionFactory(district=district("11440" if number % 2 else "11680"))
        institution.departments.set(departments)
        institution.languages.set(languages)
    client = english("analyst")
    client.get(reverse("console:institution-list"))  # warm the session and caches

    with django_assert_max_num_queries(12):
        response = client.get(reverse("console:institution-list"))

    assert response.content.decode().count("/console/institutions/") >= 40


def test_detail_shows_every_language_and_a_readable_history(english: Any, admin_user: Any) -> None:
    client = english("admin_user")
    client.post(reverse("console:institution-register"), _post_data(institution_data()))
    institution = Institution.objects.get(code="sky-derm")
    client.post(
        reverse("console:institution-edit", kwargs={"pk": institution.pk}),
        _post_data(institution_data(phone="02-0999-1111", departments=["plastic_surgery"])),
    )

    page = client.get(reverse("console:institution-detail", kwargs={"pk": institution.pk}))

    text = page.content.decode()
    assert "하늘피부과의원" in text and "Sky Dermatology Clinic" in text
    assert "History" in text
    assert "<del>02-0123-4567</del> → <ins>02-0999-1111</ins>" in text
    # Departments appear by name, not by database id.
    assert "<del>Dermatology</del> → <ins>Plastic surgery</ins>" in text
    assert "admin@example.test" in text


def test_registering_through_the_form_saves_and_redirects(english: Any) -> None:
    response = english("officer_gangnam").post(
        reverse("console:institution-register"), _post_data(institution_data())
    )

    institution = Institution.objects.get(code="sky-derm")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "console:institution-detail", kwargs={"pk": institution.pk}
    )
    assert AuditEvent.objects.filter(target_id=str(institution.pk)).count() == 1


def test_the_register_form_shows_six_language_inputs_and_errors(english: Any) -> None:
    client = english("officer_mapo")

    response = client.post(
        reverse("console:institution-register"),
        _post_data(institution_data(names_ko="", registered_until="2000-01-01")),
    )

    text = response.content.decode()
    assert response.status_code == 200
    for code in ("ko", "en", "zh-hans", "ja", "ru", "kk"):
        assert f'name="names_{code}"' in text
    assert "Enter the text in: 한국어." in text
    assert "The registration cannot end before it starts." in text
    assert "You may register and change institutions only in your own district." in text
    assert not Institution.objects.exists()


def test_edit_form_shows_the_current_values(english: Any, gangnam_clinic: Any) -> None:
    gangnam_clinic.departments.set(Department.objects.filter(code="dermatology"))

    text = (
        english("admin_user")
        .get(reverse("console:institution-edit", kwargs={"pk": gangnam_clinic.pk}))
        .content.decode()
    )

    assert '<option value="11680" selected>' in text
    assert re.search(r'<input[^>]*value="dermatology"[^>]*checked', text)
    assert not re.search(r'<input[^>]*value="plastic_surgery"[^>]*checked', text)
    assert 'value="Gangnam Test Clinic"' in text
    assert 'name="code" value="gangnam-clinic"' in text and "disabled" in text


def test_officer_register_form_offers_only_their_district(english: Any) -> None:
    text = english("officer_mapo").get(reverse("console:institution-register")).content.decode()

    assert 'value="11440"' in text
    assert 'value="11680"' not in text


def test_institution_staff_get_the_profile_form_only(english: Any, gangnam_clinic: Any) -> None:
    client = english("staff_gangnam")
    url = reverse("console:institution-edit", kwargs={"pk": gangnam_clinic.pk})

    form_page = client.get(url).content.decode()
    response = client.post(
        url, {"profile_en": "Now open on Sundays.", "phone": "02-0100-2000", "names_ko": "바뀐이름"}
    )

    assert 'name="profile_en"' in form_page
    assert 'name="names_ko"' not in form_page
    assert response.status_code == 302
    gangnam_clinic.refresh_from_db()
    assert gangnam_clinic.profile == {"en": "Now open on Sundays."}
    assert gangnam_clinic.names["ko"] == "강남시험의원"


def test_deactivation_asks_for_confirmation_then_deactivates(
    english: Any, gangnam_clinic: Any
) -> None:
    client = english("officer_gangnam")
    url = reverse("console:institution-deactivate", kwargs={"pk": gangnam_clinic.pk})

    confirm = client.get(url)
    assert "Deactivate Gangnam Test Clinic?" in confirm.content.decode()
    assert Institution.objects.get(pk=gangnam_clinic.pk).is_active

    client.post(url)
    assert not Institution.objects.get(pk=gangnam_clinic.pk).is_active

    client.post(reverse("console:institution-reactivate", kwargs={"pk": gangnam_clinic.pk}))
    assert Institution.objects.get(pk=gangnam_clinic.pk).is_active


def test_demo_record_detail_says_it_is_made_up(english: Any) -> None:
    institution = InstitutionFactory(is_synthetic=True)

    text = (
        english("agent")
        .get(reverse("console:institution-detail", kwargs={"pk": institution.pk}))
        .content.decode()
    )

    assert "This is a demo record: a made-up institution, not a real one." in text


def test_export_downloads_csv_with_bom_and_json(english: Any, gangnam_clinic: Any) -> None:
    client = english("analyst")

    csv_response = client.get(reverse("console:institution-export", kwargs={"file_format": "csv"}))
    json_response = client.get(
        reverse("console:institution-export", kwargs={"file_format": "json"})
    )

    body = b"".join(csv_response.streaming_content)
    assert csv_response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="institutions-' in csv_response["Content-Disposition"]
    assert body.startswith("\ufeffcode,name_ko".encode())
    assert b"gangnam-clinic" in body
    assert json_response.json()[0]["code"] == "gangnam-clinic"


def test_export_follows_the_list_filters(
    english: Any, gangnam_clinic: Any, mapo_clinic: Any
) -> None:
    response = english("analyst").get(
        reverse("console:institution-export", kwargs={"file_format": "json"}), {"district": "11440"}
    )

    assert [record["code"] for record in response.json()] == ["mapo-clinic"]
