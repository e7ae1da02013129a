"""Aggregate returns in the console: the scoped list, the form, deletion and the CSV import."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from medtour.audit.models import AuditAction, AuditEvent
from medtour.records.models import AggregateMeasure, AggregateReturn, ReportingPeriod
from medtour.records.services import aggregate_return_save, reporting_period_for
from tests.factories import district

pytestmark = pytest.mark.django_db
GANGNAM, MAPO = "11680", "11440"
LIST = reverse("console:aggregate-list")
CREATE = reverse("console:aggregate-create")
IMPORT = reverse("console:aggregate-import")


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def period(db: None) -> ReportingPeriod:
    return reporting_period_for("2015")


def total(actor: Any, period: ReportingPeriod, code: str | None, **changes: Any) -> AggregateReturn:
    values: dict[str, Any] = {
        "period": period,
        "city": "seoul",
        "district": district(code) if code else None,
        "measure": AggregateMeasure.UNIQUE_PATIENTS,
        "count": 1000,
        "source": f"source for {code or 'the city'}",
        "actor": actor,
        **changes,
    }
    return aggregate_return_save(**values)


@pytest.fixture
def totals(admin_user, period) -> dict[str, AggregateReturn]:
    return {
        "gangnam": total(admin_user, period, GANGNAM, count=1234),
        "mapo": total(admin_user, period, MAPO, count=5678),
        "city": total(admin_user, period, None, count=91011),
    }


def form_data(period: ReportingPeriod, **changes: Any) -> dict[str, Any]:
    return {
        "period": period.pk,
        "district": district(GANGNAM).pk,
        "nationality": "",
        "department": "",
        "measure": "unique_patients",
        "count": "42",
        "source": "District survey 2015",
        **changes,
    }


def test_analysts_see_every_total_of_the_city_without_changing_them(persona_client, totals):
    page = persona_client("analyst").get(LIST).content.decode()
    for text in ("1,234", "5,678", "91,011", "Gangnam-gu", "Mapo-gu", "the whole city"):
        assert text in page
    assert reverse("console:aggregate-edit", args=[totals["mapo"].pk]) not in page
    assert CREATE not in page


def test_an_officer_sees_and_edits_their_own_districts_totals_only(persona_client, totals):
    client = persona_client("officer_gangnam")
    page = client.get(LIST).content.decode()
    assert "1,234" in page and "5,678" not in page and "91,011" not in page
    assert reverse("console:aggregate-edit", args=[totals["gangnam"].pk]) in page
    for name in ("mapo", "city"):
        assert (
            client.get(reverse("console:aggregate-edit", args=[totals[name].pk])).status_code == 404
        )
        assert (
            client.get(reverse("console:aggregate-delete", args=[totals[name].pk])).status_code
            == 404
        )


def test_the_list_filters_by_period_district_and_measure(persona_client, admin_user, totals):
    other = reporting_period_for("2014")
    total(admin_user, other, GANGNAM, count=777, measure=AggregateMeasure.PATIENT_VISITS)
    client = persona_client("analyst")
    by_period = client.get(LIST, {"period": other.pk}).content.decode()
    assert "777" in by_period and "1,234" not in by_period
    by_district = client.get(LIST, {"district": MAPO}).content.decode()
    assert "5,678" in by_district and "1,234" not in by_district
    city = client.get(LIST, {"district": "city"}).content.decode()
    assert "91,011" in city and "5,678" not in city
    visits = client.get(LIST, {"measure": "patient_visits"}).content.decode()
    assert "777" in visits and "1,234" not in visits


def test_the_list_filters_answer_htmx_with_the_results_only(persona_client, totals):
    response = persona_client("analyst").get(LIST, {"district": MAPO}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="aggregate-results"' in page and "<h1>" not in page


def test_the_list_costs_the_same_queries_for_many_totals(
    persona_client, admin_user, period, django_assert_max_num_queries
):
    for code in ("11110", "11140", "11170", "11200", "11215", "11230", "11260", "11290"):
        total(admin_user, period, code)
    client = persona_client("analyst")
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200


def test_an_officer_creates_a_total_for_their_district(persona_client, officer_gangnam, period):
    client = persona_client("officer_gangnam")
    response = client.post(CREATE, form_data(period))
    assert response.status_code == 302 and response["Location"] == LIST
    saved = AggregateReturn.objects.get()
    assert (saved.district.code, saved.count, saved.city) == (GANGNAM, 42, "seoul")
    event = AuditEvent.objects.get(target_type="records.aggregatereturn")
    assert (event.action, event.actor) == (AuditAction.CREATE, officer_gangnam)


def test_an_officer_is_offered_their_own_district_only(persona_client, period):
    page = persona_client("officer_gangnam").get(CREATE).content.decode()
    assert "Gangnam-gu" in page and "Mapo-gu" not in page and "the whole city" not in page
    response = persona_client("officer_gangnam").post(
        CREATE, form_data(period, district=district(MAPO).pk)
    )
    assert response.status_code == 200
    assert not AggregateReturn.objects.exists()


def test_an_administrator_creates_a_city_wide_total(persona_client, period):
    response = persona_client("admin_user").post(CREATE, form_data(period, district=""))
    assert response.status_code == 302
    assert AggregateReturn.objects.get().district is None


def test_a_taken_cell_is_refused_on_the_form_in_the_users_language(
    persona_client, admin_user, officer_gangnam, period
):
    total(admin_user, period, GANGNAM)
    officer_gangnam.preferred_language = "ko"
    officer_gangnam.save(update_fields=["preferred_language"])
    response = persona_client("officer_gangnam").post(CREATE, form_data(period))
    assert response.status_code == 200
    assert escape("이 항목에는 이 기간의 합계가 이미 있습니다.") in response.content.decode()
    assert AggregateReturn.objects.get().count == 1000


def test_the_services_problems_appear_on_their_fields(persona_client, period):
    response = persona_client("admin_user").post(CREATE, form_data(period, count="-5"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["count"] == ["A count cannot be negative."]


def test_editing_a_total_changes_it_and_is_audited(persona_client, totals, period):
    url = reverse("console:aggregate-edit", args=[totals["gangnam"].pk])
    client = persona_client("officer_gangnam")
    assert 'value="1234"' in client.get(url).content.decode()
    response = client.post(url, form_data(period, count="1250", source="corrected"))
    assert response.status_code == 302
    totals["gangnam"].refresh_from_db()
    assert (totals["gangnam"].count, totals["gangnam"].source) == (1250, "corrected")
    change = AuditEvent.objects.get(action=AuditAction.UPDATE)
    assert change.changes["count"] == [1234, 1250]


def test_deleting_asks_first_then_removes_the_total(persona_client, totals):
    url = reverse("console:aggregate-delete", args=[totals["gangnam"].pk])
    client = persona_client("officer_gangnam")
    confirm = client.get(url)
    assert confirm.status_code == 200 and AggregateReturn.objects.filter(pk=totals["gangnam"].pk)
    assert client.post(url).status_code == 302
    assert not AggregateReturn.objects.filter(pk=totals["gangnam"].pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE).count() == 1


@pytest.mark.parametrize("persona", ["analyst", "staff_gangnam", "agent"])
def test_readers_and_others_cannot_post_totals(persona_client, period, persona):
    response = persona_client(persona).post(CREATE, form_data(period))
    assert response.status_code == 403
    assert not AggregateReturn.objects.exists()


def _upload(client: Any, content: bytes) -> Any:
    return client.post(IMPORT, {"file": SimpleUploadedFile("totals.csv", content)})


def test_importing_a_valid_file_saves_every_total(persona_client, period):
    content = (
        b"period,district,nationality,department,measure,count,source\n"
        b"2015,Gangnam-gu,CN,,unique_patients,100,KHIDI\n"
        b"2015,Gangnam-gu,JP,,unique_patients,50,KHIDI\n"
    )
    response = _upload(persona_client("officer_gangnam"), content)
    assert response.status_code == 302
    assert AggregateReturn.objects.count() == 2


def test_importing_a_file_with_a_bad_row_lists_it_and_saves_nothing(persona_client, period):
    content = (
        b"period,district,nationality,department,measure,count,source\n"
        b"2015,Gangnam-gu,CN,,unique_patients,100,KHIDI\n"
        b"2015,Gangnam-gu,Narnia,,unique_patients,50,KHIDI\n"
    )
    response = _upload(persona_client("officer_gangnam"), content)
    assert response.status_code == 200
    problems = response.context["problems"]
    assert [(p.row, p.field, p.value) for p in problems] == [(3, "nationality", "Narnia")]
    page = response.content.decode()
    assert "Nothing was saved" in page and "Narnia" in page
    assert not AggregateReturn.objects.exists()
