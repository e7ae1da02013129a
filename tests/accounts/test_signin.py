from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from medtour.accounts import services
from medtour.accounts.models import Role, User
from tests.accounts.helpers import PASSWORD, sign_in, verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_staff_sign_in_with_email_and_password_opens_the_console(client: Any, coordinator: User):
    verified(coordinator)

    response = sign_in(client, "coordinator@example.test")

    assert response.status_code == 302
    assert response["Location"] == "/console/"
    assert client.get("/console/").status_code == 200


def test_sign_in_ignores_the_case_of_the_email(client: Any, coordinator: User):
    verified(coordinator)

    response = sign_in(client, "Coordinator@Example.TEST")

    assert response["Location"] == "/console/"


def test_patient_sign_in_lands_on_the_public_home_page_in_their_language(
    client: Any, patient: User
):
    patient.preferred_language = "ru"
    patient.save()
    verified(patient)

    response = sign_in(client, "patient@example.test")

    assert response["Location"] == "/ru/"


def test_wrong_password_is_refused_with_our_message(client: Any, coordinator: User):
    verified(coordinator)

    response = sign_in(client, "coordinator@example.test", "not the password")

    assert response.status_code == 200
    assert "The e-mail address or the password is not correct." in response.content.decode()
    assert client.get("/console/").status_code == 302


def test_unverified_address_gets_a_confirmation_email_instead_of_a_session(
    client: Any, patient: User
):
    response = sign_in(client, "patient@example.test")

    assert response["Location"] == "/accounts/confirm-email/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["patient@example.test"]
    assert "Confirm your e-mail address" in mail.outbox[0].subject
    assert "_auth_user_id" not in client.session


def test_deactivated_account_cannot_sign_in(client: Any, coordinator: User):
    verified(coordinator)
    coordinator.is_active = False
    coordinator.save()

    response = sign_in(client, "coordinator@example.test")

    assert response["Location"] == "/accounts/inactive/"
    assert "_auth_user_id" not in client.session
    page = client.get("/accounts/inactive/").content.decode()
    assert "This account has been deactivated and cannot sign in." in page


def test_sign_in_page_uses_the_medtour_layout_and_our_labels(client: Any):
    response = client.get("/accounts/login/")

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="site-header"' in page
    assert "E-mail address" in page
    assert "Create a patient account" in page
    assert 'placeholder="' not in page


def test_sign_in_page_follows_the_language_cookie(client: Any):
    client.cookies["medtour_language"] = "ja"

    response = client.get("/accounts/login/")

    assert '<html lang="ja">' in response.content.decode()


def test_sign_up_always_creates_a_patient(client: Any):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new.patient@example.test",
            "password1": "a sturdy passphrase 42",
            "password2": "a sturdy passphrase 42",
            "role": Role.ADMINISTRATOR,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.patient@example.test")
    assert user.role == Role.PATIENT
    assert not EmailAddress.objects.get(user=user).verified
    assert mail.outbox[0].to == ["new.patient@example.test"]


def test_sign_up_remembers_the_language_it_was_made_in(client: Any):
    client.cookies["medtour_language"] = "kk"

    client.post(
        "/accounts/signup/",
        {
            "email": "kk.patient@example.test",
            "password1": "a sturdy passphrase 42",
            "password2": "a sturdy passphrase 42",
        },
    )

    assert User.objects.get(email="kk.patient@example.test").preferred_language == "kk"


def test_sign_up_with_mismatched_passwords_is_refused(client: Any):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "typo@example.test",
            "password1": "a sturdy passphrase 42",
            "password2": "a sturdy passphrase 43",
        },
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="typo@example.test").exists()


def test_invited_staff_member_sets_a_password_and_signs_in(
    client: Any, rf: Any, admin_user: User, django_capture_on_commit_callbacks: Any
):
    request = rf.get("/console/people/new/")
    request.user = admin_user
    with django_capture_on_commit_callbacks(execute=True):
        services.create_staff_user(
            actor=admin_user,
            email="new.agent@example.test",
            role=Role.CALL_CENTER_AGENT,
            request=request,
        )
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body)
    assert link is not None

    form_page = client.get(link.group(0).split("testserver", 1)[1], follow=True)
    assert "Set your password" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"password1": "a fresh passphrase 17", "password2": "a fresh passphrase 17"},
    )

    response = sign_in(client, "new.agent@example.test", "a fresh passphrase 17")
    assert response["Location"] == "/console/"


def test_factory_password_is_the_one_the_helpers_use(client: Any):
    user = verified(UserFactory(email="helper@example.test", role=Role.SERVICE_COORDINATOR))

    assert user.check_password(PASSWORD)
