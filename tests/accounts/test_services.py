from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from medtour.accounts import services
from medtour.accounts.models import Role, User
from medtour.audit.models import AuditAction, AuditEvent
from tests.conftest import GANGNAM, MAPO, PERSONAS
from tests.factories import UserFactory, district

pytestmark = pytest.mark.django_db

NOT_ADMINISTRATORS = [name for name in PERSONAS if name != "admin_user"]


@pytest.fixture
def staff_request(rf: Any, admin_user: User) -> Any:
    request = rf.post("/console/people/new/", REMOTE_ADDR="203.0.113.7")
    request.user = admin_user
    return request


def _actor(request: pytest.FixtureRequest, name: str) -> Any:
    return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)


def _create(actor: Any, **overrides: Any) -> User:
    values = {"email": "new.staff@example.test", "role": Role.CALL_CENTER_AGENT, "invite": False}
    return services.create_staff_user(actor=actor, **{**values, **overrides})


class TestCreateStaffUser:
    def test_creates_an_account_without_password_and_a_verified_address(self, admin_user: User):
        user = _create(admin_user, first_name=" Hana ", last_name="Kim")

        assert user.role == Role.CALL_CENTER_AGENT
        assert user.get_full_name() == "Hana Kim"
        assert not user.has_usable_password()
        address = EmailAddress.objects.get(user=user)
        assert address.verified and address.primary

    def test_is_audited_with_the_values_set(self, admin_user: User, staff_request: Any):
        user = _create(admin_user, request=staff_request, invite=True)

        event = AuditEvent.objects.get(action=AuditAction.CREATE, target_id=str(user.pk))
        assert event.actor == admin_user
        assert event.changes["email"] == [None, "new.staff@example.test"]
        assert event.changes["role"] == [None, "call_center_agent"]
        assert event.ip_address == "203.0.113.7"

    def test_sends_the_invitation_after_commit(
        self, admin_user: User, staff_request: Any, django_capture_on_commit_callbacks: Any
    ):
        with django_capture_on_commit_callbacks(execute=True):
            _create(admin_user, request=staff_request, invite=True, preferred_language="en")

        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["new.staff@example.test"]
        assert message.subject == "[Medtour] Your Medtour staff account"
        assert "/accounts/password/reset/key/" in message.body
        assert "call-center agent" in message.body

    def test_invitation_mentions_the_second_factor_for_roles_that_need_it(
        self, admin_user: User, staff_request: Any, django_capture_on_commit_callbacks: Any
    ):
        with django_capture_on_commit_callbacks(execute=True):
            _create(
                admin_user,
                role=Role.CITY_ANALYST,
                request=staff_request,
                invite=True,
                preferred_language="en",
            )

        assert "two-factor authentication" in mail.outbox[0].body

    def test_normalises_the_email_to_lower_case(self, admin_user: User):
        assert _create(admin_user, email=" New.Staff@Example.TEST ").email == (
            "new.staff@example.test"
        )

    def test_refuses_an_email_already_in_use_whatever_its_case(self, admin_user: User, agent: User):
        with pytest.raises(ValidationError) as error:
            _create(admin_user, email="AGENT@example.test")

        assert "email" in error.value.message_dict
        assert User.objects.filter(email__iexact="agent@example.test").count() == 1

    def test_refuses_an_invalid_email(self, admin_user: User):
        with pytest.raises(ValidationError) as error:
            _create(admin_user, email="not-an-address")

        assert "email" in error.value.message_dict

    def test_district_officer_needs_a_district(self, admin_user: User):
        with pytest.raises(ValidationError) as error:
            _create(admin_user, role=Role.DISTRICT_OFFICER)

        assert error.value.message_dict == {"district": ["A district officer needs a district."]}
        assert not User.objects.filter(email="new.staff@example.test").exists()

    def test_institution_staff_need_an_institution(self, admin_user: User):
        with pytest.raises(ValidationError) as error:
            _create(admin_user, role=Role.INSTITUTION_STAFF)

        assert list(error.value.message_dict) == ["institution"]

    def test_keeps_only_the_scope_the_role_uses(self, admin_user: User, gangnam_clinic: Any):
        user = _create(
            admin_user,
            role=Role.DISTRICT_OFFICER,
            district=district(GANGNAM),
            institution=gangnam_clinic,
        )

        assert user.district == district(GANGNAM)
        assert user.institution is None

    def test_patients_are_not_created_by_administrators(self, admin_user: User):
        with pytest.raises(ValidationError) as error:
            _create(admin_user, role=Role.PATIENT)

        assert list(error.value.message_dict) == ["role"]

    def test_reports_every_problem_at_once(self, admin_user: User, agent: User):
        with pytest.raises(ValidationError) as error:
            _create(
                admin_user,
                email="agent@example.test",
                role=Role.DISTRICT_OFFICER,
                preferred_language="de",
            )

        assert sorted(error.value.message_dict) == ["district", "email", "preferred_language"]

    def test_refuses_an_unknown_language(self, admin_user: User):
        with pytest.raises(ValidationError) as error:
            _create(admin_user, preferred_language="de")

        assert list(error.value.message_dict) == ["preferred_language"]

    def test_an_invitation_needs_the_request_for_its_link(self, admin_user: User):
        with pytest.raises(ValueError):
            _create(admin_user, invite=True)

    @pytest.mark.parametrize("persona", NOT_ADMINISTRATORS)
    def test_only_administrators_create_accounts(
        self, request: pytest.FixtureRequest, persona: str
    ):
        with pytest.raises(PermissionDenied):
            _create(_actor(request, persona))

        assert not User.objects.filter(email="new.staff@example.test").exists()

    def test_a_deactivated_administrator_cannot_create_accounts(self, admin_user: User):
        admin_user.is_active = False

        with pytest.raises(PermissionDenied):
            _create(admin_user)


class TestUpdateUser:
    def test_role_change_is_audited_with_the_difference(self, admin_user: User, agent: User):
        services.update_user(actor=admin_user, user=agent, role=Role.SERVICE_COORDINATOR)

        agent.refresh_from_db()
        assert agent.role == Role.SERVICE_COORDINATOR
        event = AuditEvent.objects.get(action=AuditAction.UPDATE)
        assert event.changes == {"role": ["call_center_agent", "service_coordinator"]}
        assert event.actor == admin_user

    def test_moving_an_officer_to_another_district(self, admin_user: User, officer_gangnam: User):
        services.update_user(actor=admin_user, user=officer_gangnam, district=district(MAPO))

        event = AuditEvent.objects.get(action=AuditAction.UPDATE)
        assert event.changes == {"district": [district(GANGNAM).pk, district(MAPO).pk]}

    def test_a_role_change_drops_the_scope_the_new_role_does_not_use(
        self, admin_user: User, officer_gangnam: User
    ):
        services.update_user(actor=admin_user, user=officer_gangnam, role=Role.CITY_ANALYST)

        officer_gangnam.refresh_from_db()
        assert officer_gangnam.district is None

    def test_becoming_a_district_officer_needs_a_district(self, admin_user: User, agent: User):
        with pytest.raises(ValidationError):
            services.update_user(actor=admin_user, user=agent, role=Role.DISTRICT_OFFICER)

        agent.refresh_from_db()
        assert agent.role == Role.CALL_CENTER_AGENT

    def test_clearing_the_district_of_an_officer_is_refused(
        self, admin_user: User, officer_gangnam: User
    ):
        with pytest.raises(ValidationError):
            services.update_user(actor=admin_user, user=officer_gangnam, district=None)

    def test_names_are_updated_and_trimmed(self, admin_user: User, agent: User):
        services.update_user(actor=admin_user, user=agent, first_name=" Dana ", last_name="Lee")

        agent.refresh_from_db()
        assert agent.get_full_name() == "Dana Lee"

    def test_nothing_changed_writes_no_event(self, admin_user: User, agent: User):
        services.update_user(actor=admin_user, user=agent, role=agent.role)

        assert not AuditEvent.objects.exists()

    def test_an_administrator_cannot_change_their_own_role(self, admin_user: User):
        with pytest.raises(ValidationError) as error:
            services.update_user(actor=admin_user, user=admin_user, role=Role.CITY_ANALYST)

        assert list(error.value.message_dict) == ["role"]
        admin_user.refresh_from_db()
        assert admin_user.role == Role.ADMINISTRATOR

    def test_an_administrator_may_change_another_administrator(self, admin_user: User):
        other = UserFactory(role=Role.ADMINISTRATOR)

        services.update_user(actor=admin_user, user=other, role=Role.CITY_ANALYST)

        other.refresh_from_db()
        assert other.role == Role.CITY_ANALYST

    @pytest.mark.parametrize("persona", NOT_ADMINISTRATORS)
    def test_only_administrators_change_accounts(
        self, request: pytest.FixtureRequest, persona: str, coordinator: User
    ):
        with pytest.raises(PermissionDenied):
            services.update_user(
                actor=_actor(request, persona), user=coordinator, role=Role.ADMINISTRATOR
            )

        coordinator.refresh_from_db()
        assert coordinator.role == Role.SERVICE_COORDINATOR


class TestDeactivateUser:
    def test_deactivation_is_audited_and_ends_sign_in(
        self, admin_user: User, agent: User, client: Any
    ):
        services.deactivate_user(actor=admin_user, user=agent)

        agent.refresh_from_db()
        assert not agent.is_active
        event = AuditEvent.objects.get(action=AuditAction.DEACTIVATE)
        assert event.changes == {"is_active": [True, False]}
        assert not client.login(email="agent@example.test", password="correct horse battery staple")

    def test_an_open_session_ends_at_the_next_request(
        self, admin_user: User, agent: User, persona_client: Any
    ):
        client = persona_client("agent")
        services.deactivate_user(actor=admin_user, user=agent)

        assert client.get("/console/").status_code == 302

    def test_an_administrator_cannot_deactivate_themselves(self, admin_user: User):
        with pytest.raises(ValidationError) as error:
            services.deactivate_user(actor=admin_user, user=admin_user)

        assert error.value.messages == ["You cannot deactivate your own account."]
        admin_user.refresh_from_db()
        assert admin_user.is_active

    def test_reactivation_is_audited(self, admin_user: User, agent: User):
        services.deactivate_user(actor=admin_user, user=agent)

        services.reactivate_user(actor=admin_user, user=agent)

        agent.refresh_from_db()
        assert agent.is_active
        assert AuditEvent.objects.filter(action=AuditAction.REACTIVATE).count() == 1

    def test_deactivating_twice_writes_one_event(self, admin_user: User, agent: User):
        services.deactivate_user(actor=admin_user, user=agent)
        services.deactivate_user(actor=admin_user, user=agent)

        assert AuditEvent.objects.filter(action=AuditAction.DEACTIVATE).count() == 1

    @pytest.mark.parametrize("persona", NOT_ADMINISTRATORS)
    def test_only_administrators_deactivate(
        self, request: pytest.FixtureRequest, persona: str, coordinator: User
    ):
        with pytest.raises(PermissionDenied):
            services.deactivate_user(actor=_actor(request, persona), user=coordinator)

        coordinator.refresh_from_db()
        assert coordinator.is_active


class TestInviteUser:
    def test_sends_the_password_email_again_and_audits_it(
        self,
        admin_user: User,
        agent: User,
        staff_request: Any,
        django_capture_on_commit_callbacks: Any,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_user(actor=admin_user, user=agent, request=staff_request)

        assert mail.outbox[0].to == ["agent@example.test"]
        assert AuditEvent.objects.filter(action=AuditAction.INVITE, target_id=str(agent.pk))

    def test_a_deactivated_account_is_not_invited(
        self, admin_user: User, agent: User, staff_request: Any
    ):
        services.deactivate_user(actor=admin_user, user=agent)

        with pytest.raises(ValidationError):
            services.invite_user(actor=admin_user, user=agent, request=staff_request)

    @pytest.mark.parametrize("persona", NOT_ADMINISTRATORS)
    def test_only_administrators_invite(
        self, request: pytest.FixtureRequest, persona: str, coordinator: User, staff_request: Any
    ):
        with pytest.raises(PermissionDenied):
            services.invite_user(
                actor=_actor(request, persona), user=coordinator, request=staff_request
            )


class TestResetSecondFactor:
    def test_removes_the_app_and_the_recovery_codes_and_audits_it(
        self, admin_user: User, analyst: User
    ):
        Authenticator.objects.create(
            user=analyst, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "x"}
        )

        assert services.reset_second_factor(actor=admin_user, user=analyst)

        assert not Authenticator.objects.filter(user=analyst).exists()
        event = AuditEvent.objects.get(action=AuditAction.MFA_DEACTIVATE)
        assert event.actor == admin_user
        assert event.target_id == str(analyst.pk)

    def test_the_user_must_set_up_a_new_app_before_the_console(
        self, admin_user: User, analyst: User, persona_client: Any
    ):
        client = persona_client("analyst")

        services.reset_second_factor(actor=admin_user, user=analyst)

        assert client.get("/console/")["Location"].startswith("/accounts/2fa/totp/activate/")

    def test_nothing_to_remove_writes_no_event(self, admin_user: User, agent: User):
        assert not services.reset_second_factor(actor=admin_user, user=agent)
        assert not AuditEvent.objects.exists()

    @pytest.mark.parametrize("persona", NOT_ADMINISTRATORS)
    def test_only_administrators_reset(
        self, request: pytest.FixtureRequest, persona: str, analyst: User
    ):
        with pytest.raises(PermissionDenied):
            services.reset_second_factor(actor=_actor(request, persona), user=analyst)

        assert Authenticator.objects.filter(user=analyst).exists()
