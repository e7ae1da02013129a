"""Staff sign in with a second factor and work in the console, in a real browser."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.signing import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_analyst_signs_in_with_an_authenticator_code_and_sees_the_whole_city(
    page: Any, server_env: dict[str, str]
) -> None:
    sign_in(page, server_env, "analyst@medtour.example", totp=True)
    page.goto("/console/institutions/")
    text = page.inner_text("main")
    assert "Gangnam-gu" in text
    assert "Mapo-gu" in text or "Jung-gu" in text


def test_a_wrong_password_is_refused_with_a_message(page: Any) -> None:
    page.goto("/en/")
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "analyst@medtour.example")
    page.fill("input[name=password]", "not-the-password")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" in page.url
    assert page.locator(".errorlist, .form-errors, [role=alert]").count() > 0


def test_officer_edits_an_institution_and_the_administrator_sees_it_in_the_audit_log(
    page: Any, server_env: dict[str, str]
) -> None:
    sign_in(page, server_env, "gangnam@medtour.example", totp=True)
    page.goto("/console/institutions/")
    page.locator("main table a[href*='/console/institutions/']").first.click()
    page.wait_for_url(re.compile(r"/console/institutions/\d+/$"))
    detail_url = page.url
    page.locator("main a[href$='/edit/']").first.click()
    page.fill("input[name=phone]", "02-555-0199")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(detail_url)
    assert "02-555-0199" in page.inner_text("main")

    page.locator("form[action*='logout'] button").first.click()
    page.wait_for_load_state()
    sign_in(page, server_env, "admin@medtour.example", totp=True)
    page.goto("/console/audit/")
    log = page.inner_text("main")
    assert "gangnam@medtour.example" in log
    assert "02-555-0199" in log
