from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail

from medtour.accounts.models import Role, User
from medtour.audit.models import AuditAction, AuditEvent
from tests.accounts.fixtures import _english  # noqa: F401  (autouse fixture)
from tests.conftest import GANGNAM, MAPO
from tests.factories import UserFactory, district

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(persona_client: Any) -> Any:
    return persona_client("admin_user")


def _emails(response: Any) -> list[str]:
    return re.findall(r'<a href="/console/people/\d+/">([^<]+)</a>', response.content.decode())


class TestList:
    @pytest.fixture(autouse=True)
    def _people(
        self, officer_gangnam: User, officer_mapo: User, staff_gangnam: User, agent: User
    ) -> None:
        UserFactory(email="retired@example.test", role=Role.CALL_CENTER_AGENT, is_active=False)

    def test_lists_every_account(self, admin_client: Any):
        emails = _emails(admin_client.get("/console/people/"))

        assert "officer.mapo@example.test" in emails
        assert "retired@example.test" in emails
        assert "admin@example.test" in emails

    def test_filters_by_role(self, admin_client: Any):
        emails = _emails(admin_client.get("/console/people/", {"role": Role.DISTRICT_OFFICER}))

        assert emails == ["officer.gangnam@example.test", "officer.mapo@example.test"]

    def test_filters_by_district_including_institution_staff_there(self, admin_client: Any):
        gangnam = district(GANGNAM)

        emails = _emails(admin_client.get("/console/people/", {"district": gangnam.pk}))

        assert emails == ["officer.gangnam@example.test", "staff.gangnam@example.test"]

    def test_filters_by_status(self, admin_client: Any):
        assert _emails(admin_client.get("/console/people/", {"active": "no"})) == [
            "retired@example.test"
        ]

    def test_searches_email_and_name(self, admin_client: Any, agent: User):
        agent.first_name, agent.last_name = "Bolat", "Seitkali"
        agent.save()

        assert _emails(admin_client.get("/console/people/", {"q": "seitkali"})) == [
            "agent@example.test"
        ]
        assert _emails(admin_client.get("/console/people/", {"q": "MAPO"})) == [
            "officer.mapo@example.test"
        ]

    def test_an_invalid_filter_shows_no_accounts_and_says_why(self, admin_client: Any):
        response = admin_client.get("/console/people/", {"role": "emperor"})

        assert _emails(response) == []
        assert "Select a valid choice." in response.content.decode()

    def test_shows_who_still_lacks_the_required_second_factor(self, admin_client: Any):
        UserFactory(email="fresh.analyst@example.test", role=Role.CITY_ANALYST)

        page = admin_client.get("/console/people/", {"q": "fresh"}).content.decode()

        assert "required, not set up" in page

    def test_query_count_does_not_grow_with_the_number_of_accounts(
        self, admin_client: Any, django_assert_max_num_queries: Any
    ):
        for number in range(30):
            UserFactory(email=f"bulk{number}@example.test", role=Role.SERVICE_COORDINATOR)

        with django_assert_max_num_queries(12):
            admin_client.get("/console/people/")

    def test_pages_through_long_lists(self, admin_client: Any):
        for number in range(60):
            UserFactory(email=f"bulk{number:02d}@example.test", role=Role.SERVICE_COORDINATOR)

        first = admin_client.get("/console/people/", {"role": Role.SERVICE_COORDINATOR})
        second = admin_client.get("/console/people/", {"role": Role.SERVICE_COORDINATOR, "page": 2})

        assert len(_emails(first)) == 50
        assert len(_emails(second)) == 10
        assert "page=2" in first.content.decode()
        assert "role=service_coordinator" in first.content.decode()


class TestCreate:
    def test_creates_the_account_and_sends_the_invitation(
        self, admin_client: Any, django_capture_on_commit_callbacks: Any
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                "/console/people/new/",
                {
                    "email": "new.officer@example.test",
                    "first_name": "Daniyar",
                    "role": Role.DISTRICT_OFFICER,
                    "district": district(MAPO).pk,
                    "preferred_language": "kk",
                },
            )

        user = User.objects.get(email="new.officer@example.test")
        assert response["Location"] == f"/console/people/{user.pk}/"
        assert user.district == district(MAPO)
        assert user.preferred_language == "kk"
        assert mail.outbox[0].to == ["new.officer@example.test"]
        page = admin_client.get(response["Location"]).content.decode()
        assert "An invitation to set a password was sent." in page

    def test_institution_staff_are_attached_by_institution_code(
        self, admin_client: Any, gangnam_clinic: Any
    ):
        admin_client.post(
            "/console/people/new/",
            {
                "email": "front.desk@example.test",
                "role": Role.INSTITUTION_STAFF,
                "institution": "gangnam-clinic",
            },
        )

        assert User.objects.get(email="front.desk@example.test").institution == gangnam_clinic

    def test_an_unknown_institution_code_is_named_as_the_problem(self, admin_client: Any):
        response = admin_client.post(
            "/console/people/new/",
            {"email": "x@example.test", "role": Role.INSTITUTION_STAFF, "institution": "nope"},
        )

        assert "No institution has the code you entered." in response.content.decode()
        assert not User.objects.filter(email="x@example.test").exists()

    def test_an_officer_without_district_is_refused_next_to_the_field(self, admin_client: Any):
        response = admin_client.post(
            "/console/people/new/", {"email": "x@example.test", "role": Role.DISTRICT_OFFICER}
        )

        page = response.content.decode()
        assert response.status_code == 200
        district_row = page[page.index('for="id_district"') :]
        district_row = district_row[: district_row.index("</div>")]
        assert "A district officer needs a district." in district_row
        assert not User.objects.filter(email="x@example.test").exists()

    def test_a_taken_email_is_refused(self, admin_client: Any, agent: User):
        response = admin_client.post(
            "/console/people/new/", {"email": "Agent@example.test", "role": Role.CITY_ANALYST}
        )

        assert "An account with this e-mail address already exists." in response.content.decode()

    def test_the_form_offers_only_staff_roles(self, admin_client: Any):
        page = admin_client.get("/console/people/new/").content.decode()

        assert 'value="district_officer"' in page
        assert 'value="patient"' not in page


class TestEdit:
    def test_changes_role_and_scope(self, admin_client: Any, agent: User, gangnam_clinic: Any):
        response = admin_client.post(
            f"/console/people/{agent.pk}/",
            {
                "first_name": "Aruzhan",
                "last_name": "",
                "role": Role.INSTITUTION_STAFF,
                "institution": "gangnam-clinic",
            },
        )

        assert response.status_code == 302
        agent.refresh_from_db()
        assert agent.role == Role.INSTITUTION_STAFF
        assert agent.institution == gangnam_clinic
        assert agent.first_name == "Aruzhan"

    def test_shows_the_history_with_readable_changes(self, admin_client: Any, agent: User):
        admin_client.post(f"/console/people/{agent.pk}/", {"role": Role.SERVICE_COORDINATOR})

        page = admin_client.get(f"/console/people/{agent.pk}/").content.decode()

        assert "<del>call-center agent</del> → <ins>service coordinator</ins>" in page

    def test_refuses_an_administrator_changing_their_own_role(
        self, admin_client: Any, admin_user: User
    ):
        response = admin_client.post(
            f"/console/people/{admin_user.pk}/", {"role": Role.CITY_ANALYST}
        )

        assert "You cannot change your own role" in response.content.decode()
        admin_user.refresh_from_db()
        assert admin_user.role == Role.ADMINISTRATOR

    def test_prefills_the_current_values(self, admin_client: Any, staff_gangnam: User):
        page = admin_client.get(f"/console/people/{staff_gangnam.pk}/").content.decode()

        assert 'value="gangnam-clinic"' in page
        assert '<option value="institution_staff" selected>' in page


class TestDeactivation:
    def test_asks_for_confirmation_first(self, admin_client: Any, agent: User):
        page = admin_client.get(f"/console/people/{agent.pk}/deactivate/").content.decode()

        assert "will no longer be able to sign in" in page
        agent.refresh_from_db()
        assert agent.is_active

    def test_deactivates_and_audits(self, admin_client: Any, agent: User):
        response = admin_client.post(f"/console/people/{agent.pk}/deactivate/")

        assert response["Location"] == f"/console/people/{agent.pk}/"
        agent.refresh_from_db()
        assert not agent.is_active
        assert AuditEvent.objects.filter(action=AuditAction.DEACTIVATE).count() == 1

    def test_an_administrator_is_told_they_cannot_deactivate_themselves(
        self, admin_client: Any, admin_user: User
    ):
        response = admin_client.post(f"/console/people/{admin_user.pk}/deactivate/", follow=True)

        assert "You cannot deactivate your own account." in response.content.decode()
        admin_user.refresh_from_db()
        assert admin_user.is_active

    def test_reactivates(self, admin_client: Any, agent: User):
        admin_client.post(f"/console/people/{agent.pk}/deactivate/")

        admin_client.post(f"/console/people/{agent.pk}/reactivate/")

        agent.refresh_from_db()
        assert agent.is_active

    def test_sends_the_password_email_again(
        self, admin_client: Any, agent: User, django_capture_on_commit_callbacks: Any
    ):
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(f"/console/people/{agent.pk}/invite/")

        assert mail.outbox[0].to == ["agent@example.test"]


class TestResetSecondFactor:
    def test_an_administrator_resets_a_lost_authenticator(self, admin_client: Any, analyst: User):
        page = admin_client.get(f"/console/people/{analyst.pk}/").content.decode()
        assert "Reset two-factor authentication" in page

        response = admin_client.post(
            f"/console/people/{analyst.pk}/reset-second-factor/", follow=True
        )

        assert "was removed" in response.content.decode()
        assert not Authenticator.objects.filter(user=analyst).exists()

    def test_not_offered_when_there_is_nothing_to_reset(self, admin_client: Any, agent: User):
        page = admin_client.get(f"/console/people/{agent.pk}/").content.decode()

        assert "Reset two-factor authentication" not in page


class TestInstitutionOptions:
    def test_suggests_institutions_by_code_or_name(
        self, admin_client: Any, gangnam_clinic: Any, mapo_clinic: Any
    ):
        by_name = admin_client.get(
            "/console/people/institution-options/", {"institution": "마포"}
        ).content.decode()
        by_code = admin_client.get(
            "/console/people/institution-options/", {"institution": "GANGNAM"}
        ).content.decode()

        assert '<option value="mapo-clinic">' in by_name
        assert "gangnam-clinic" not in by_name
        assert '<option value="gangnam-clinic">Gangnam Test Clinic · Gangnam-gu</option>' in by_code

    def test_suggests_nothing_for_an_empty_query(self, admin_client: Any, gangnam_clinic: Any):
        response = admin_client.get("/console/people/institution-options/", {"institution": " "})

        assert "<option" not in response.content.decode()
