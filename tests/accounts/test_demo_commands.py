from __future__ import annotations

import time
from io import StringIO
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from medtour.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from medtour.accounts.models import FIELD_ROLES, MFA_REQUIRED_ROLES, Role, User
from medtour.audit.models import AuditEvent
from medtour.reference.models import District
from tests.accounts.helpers import fresh_totp_window, sign_in
from tests.factories import InstitutionFactory, district

pytestmark = pytest.mark.django_db

DEMO = "--i-know-this-is-a-demo"


def run(command: str, *args: str) -> tuple[str, str]:
    """Run a demo command as on a demo server; output in English so the test can read it."""
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command(command, *args, DEMO, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def gangnam_institutions(db: None) -> list[Any]:
    # seed_demo_users picks the first institution in Gangnam-gu by code.
    return [InstitutionFactory(code="gn-b-clinic"), InstitutionFactory(code="gn-a-clinic")]


@pytest.mark.parametrize("command", ["seed_demo_users", "demo_logins"])
def test_demo_commands_refuse_to_run_with_debug_off_unless_told(command: str):
    with translation.override("en"), pytest.raises(CommandError, match="DEBUG off"):
        call_command(command)

    assert not User.objects.exists()


def test_demo_totp_refuses_with_debug_off_too():
    with translation.override("en"), pytest.raises(CommandError, match="DEBUG off"):
        call_command("demo_totp", "analyst@medtour.example")


def test_demo_commands_run_with_debug_on(settings: Any, gangnam_institutions: Any):
    settings.DEBUG = True

    call_command("seed_demo_users", stdout=StringIO())

    assert User.objects.count() == len(DEMO_ACCOUNTS)


def test_seed_creates_one_account_per_role(gangnam_institutions: Any):
    out, _err = run("seed_demo_users")

    # Interpreters and drivers get demo accounts with their profiles, from the seeds of the
    # apps that hold those profiles.
    assert set(User.objects.values_list("role", flat=True)) == set(Role) - FIELD_ROLES
    officer = User.objects.get(role=Role.DISTRICT_OFFICER)
    assert officer.district == district("11680")
    staff = User.objects.get(role=Role.INSTITUTION_STAFF)
    assert staff.institution.code == "gn-a-clinic"
    assert out.count("created") == len(DEMO_ACCOUNTS)


def test_seeded_accounts_have_verified_emails_and_the_demo_password(gangnam_institutions: Any):
    run("seed_demo_users")

    for user in User.objects.all():
        assert user.check_password(DEMO_PASSWORD)
        assert EmailAddress.objects.get(user=user, email=user.email).verified


def test_mfa_roles_get_the_documented_totp_secret(gangnam_institutions: Any):
    run("seed_demo_users")

    for user in User.objects.all():
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP)
        if user.role in MFA_REQUIRED_ROLES:
            assert decrypt(authenticator.get().data["secret"]) == DEMO_TOTP_SECRET
        else:
            assert not authenticator.exists()


def test_seeding_twice_changes_nothing(gangnam_institutions: Any):
    run("seed_demo_users")
    users = {user.email: (user.pk, user.password) for user in User.objects.all()}
    events = AuditEvent.objects.count()

    out, _err = run("seed_demo_users")

    assert {user.email: (user.pk, user.password) for user in User.objects.all()} == users
    assert AuditEvent.objects.count() == events
    assert Authenticator.objects.count() == 3
    assert EmailAddress.objects.count() == len(DEMO_ACCOUNTS)
    assert out.count("unchanged") == len(DEMO_ACCOUNTS)


def test_seeding_repairs_a_demo_account_that_was_changed(gangnam_institutions: Any):
    run("seed_demo_users")
    analyst = User.objects.get(email="analyst@medtour.example")
    analyst.role = Role.CALL_CENTER_AGENT
    analyst.set_password("changed")
    analyst.save()

    out, _err = run("seed_demo_users")

    analyst.refresh_from_db()
    assert analyst.role == Role.CITY_ANALYST
    assert analyst.check_password(DEMO_PASSWORD)
    assert "analyst@medtour.example (city analyst): updated" in out


def test_without_an_institution_in_gangnam_the_staff_account_is_skipped_with_a_reason():
    _out, err = run("seed_demo_users")

    assert not User.objects.filter(role=Role.INSTITUTION_STAFF).exists()
    assert User.objects.count() == len(DEMO_ACCOUNTS) - 1
    assert "No institution in district 11680 yet" in err
    assert "seed_demo_registry" in err


def test_without_reference_data_the_seed_stops_with_a_clear_error():
    District.objects.filter(code="11680").update(code="99999")

    with pytest.raises(CommandError, match="run load_reference first"):
        run("seed_demo_users")


def test_demo_logins_prints_every_account_with_password_and_secret(gangnam_institutions: Any):
    run("seed_demo_users")

    out, _err = run("demo_logins")

    for account in DEMO_ACCOUNTS:
        line = next(line for line in out.splitlines() if account.email in line)
        assert DEMO_PASSWORD in line
        assert (DEMO_TOTP_SECRET in line) is (account.role in MFA_REQUIRED_ROLES)
    assert "python manage.py demo_totp EMAIL" in out


def test_demo_logins_says_which_accounts_are_missing():
    out, _err = run("demo_logins")

    assert out.count("not created: run seed_demo_users") == len(DEMO_ACCOUNTS)


def test_demo_totp_prints_the_current_code(gangnam_institutions: Any):
    run("seed_demo_users")

    before = int(time.time()) // mfa_settings.TOTP_PERIOD
    out, _err = run("demo_totp", "analyst@medtour.example")
    after = int(time.time()) // mfa_settings.TOTP_PERIOD

    valid = {format_hotp_value(hotp_value(DEMO_TOTP_SECRET, c)) for c in range(before, after + 1)}
    assert out.strip() in valid


def test_demo_totp_refuses_accounts_that_are_not_demo_accounts(analyst: Any):
    with pytest.raises(CommandError, match="is not a demo account"):
        run("demo_totp", "analyst@example.test")


def test_demo_totp_explains_when_the_demo_is_not_seeded():
    with pytest.raises(CommandError, match="run seed_demo_users first"):
        run("demo_totp", "analyst@medtour.example")


def test_a_demo_administrator_signs_in_with_the_printed_code(
    client: Any, gangnam_institutions: Any
):
    run("seed_demo_users")
    fresh_totp_window()
    code, _err = run("demo_totp", "admin@medtour.example")

    sign_in(client, "admin@medtour.example", DEMO_PASSWORD)
    response = client.post("/accounts/2fa/authenticate/", {"code": code.strip()})

    assert response["Location"] == "/console/"
    assert client.get("/console/people/").status_code == 200
