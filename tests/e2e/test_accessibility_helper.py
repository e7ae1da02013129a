"""The accessibility check itself: it passes the portal home page and catches a real violation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.accessibility import assert_accessible, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]


def test_portal_home_has_no_serious_violation(page: Any) -> None:
    page.goto("/en/")
    assert_accessible(page)


def test_a_missing_form_label_is_reported(page: Any) -> None:
    page.goto("/en/")
    # An unlabeled input is a "critical" axe rule violation; evaluate() is not subject to the CSP.
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    assert any(v["id"] == "label" for v in serious_violations(page))
