"""Signing in through the real sign-in pages, with the demo password and, for roles that need
it, a TOTP code from the demo secret."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.conftest import manage

DEMO_PASSWORD = "medtour-demo-2025"


def sign_in(page: Any, server_env: dict[str, str], email: str, *, totp: bool) -> None:
    """A TOTP code is accepted once: when another test has just used this window's code for the
    same account, wait for the next window and enter the new code."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if not totp:
        page.wait_for_url(re.compile(r"/console/"))
        return
    page.wait_for_selector("input[name=code]")
    for _attempt in range(2):
        code = manage(server_env, "demo_totp", email, "--i-know-this-is-a-demo").split()[-1]
        page.fill("input[name=code]", code)
        page.locator("main form button[type=submit]").first.click()
        try:
            page.wait_for_url(re.compile(r"/console/"), timeout=10_000)
            return
        except PlaywrightTimeout:
            time.sleep(31 - time.time() % 30)
    pytest.fail(f"{email} could not sign in")
