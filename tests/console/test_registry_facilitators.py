"""Facilitator screens: administrators register and edit; other staff read."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from medtour.institutions.models import Facilitator
from tests.factories import FacilitatorFactory
from tests.institutions.helpers import facilitator_data

pytestmark = pytest.mark.django_db


def english(client: Any) -> Any:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_administrator_registers_edits_and_sees_history(persona_client: Any) -> None:
    client = english(persona_client("admin_user"))

    client.post(reverse("console:facilitator-register"), facilitator_data())
    facilitator = Facilitator.objects.get(code="bridge-travel")
    client.post(
        reverse("console:facilitator-edit", kwargs={"pk": facilitator.pk}),
        facilitator_data(registration_status="expired"),
    )
    page = client.get(reverse("console:facilitator-detail", kwargs={"pk": facilitator.pk}))

    assert Facilitator.objects.get(pk=facilitator.pk).registration_status == "expired"
    assert "<del>registered</del> → <ins>expired</ins>" in page.content.decode()


def test_list_searches_and_marks_demo_agencies(persona_client: Any) -> None:
    FacilitatorFactory(
        names={"ko": "가상 여행", "en": "(Demo) Fictional Travel"}, is_synthetic=True
    )
    FacilitatorFactory(names={"ko": "진짜 여행", "en": "Real Travel"})

    page = english(persona_client("agent")).get(
        reverse("console:facilitator-list"), {"q": "fictional"}
    )

    text = page.content.decode()
    assert "(Demo) Fictional Travel" in text
    assert "Real Travel" not in text
    assert 'class="badge synthetic"' in text


def test_invalid_facilitator_form_shows_errors(persona_client: Any) -> None:
    client = english(persona_client("admin_user"))

    response = client.post(
        reverse("console:facilitator-register"), facilitator_data(registration_number="")
    )

    assert "A registered body needs its registration number." in response.content.decode()
    assert not Facilitator.objects.exists()
