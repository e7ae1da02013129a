"""Every registry screen for every persona: who gets the page, who is refused, who never sees it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from medtour.institutions.models import Facilitator, Institution
from tests.conftest import PERSONAS
from tests.factories import FacilitatorFactory

pytestmark = pytest.mark.django_db

OK, LOGIN, FORBIDDEN, HIDDEN = 200, 302, 403, 404
STAFF = {"staff_gangnam", "staff_mapo", "officer_gangnam", "officer_mapo"} | {
    "analyst",
    "agent",
    "coordinator",
    "admin_user",
}


def _expect(allowed: set[str], hidden: frozenset[str] | set[str] = frozenset()) -> dict[str, int]:
    expected = {"anonymous": LOGIN}
    for persona in PERSONAS[1:]:
        if persona in hidden:
            expected[persona] = HIDDEN
        elif persona in allowed:
            expected[persona] = OK
        else:
            expected[persona] = FORBIDDEN
    return expected


CITY_READERS = {"analyst", "agent", "coordinator", "admin_user"}
REGISTRY_EDITORS = {"officer_gangnam", "officer_mapo", "admin_user"}
OUTSIDE_GANGNAM = {"staff_mapo", "officer_mapo"}
FACILITATOR_READERS = STAFF - {"staff_gangnam", "staff_mapo"}

# (url name, needs an object, expected status per persona). The object is Gangnam's clinic.
SCREENS: list[tuple[str, str | None, dict[str, int]]] = [
    ("institution-list", None, _expect(STAFF)),
    ("institution-detail", "institution", _expect(STAFF - OUTSIDE_GANGNAM, OUTSIDE_GANGNAM)),
    (
        "institution-edit",
        "institution",
        _expect({"staff_gangnam", "officer_gangnam", "admin_user"}, OUTSIDE_GANGNAM),
    ),
    (
        "institution-deactivate",
        "institution",
        _expect({"officer_gangnam", "admin_user"}, OUTSIDE_GANGNAM),
    ),
    (
        "institution-reactivate",
        "institution",
        _expect({"officer_gangnam", "admin_user"}, OUTSIDE_GANGNAM),
    ),
    ("institution-register", None, _expect(REGISTRY_EDITORS)),
    ("institution-import", None, _expect(REGISTRY_EDITORS)),
    ("facilitator-list", None, _expect(FACILITATOR_READERS)),
    ("facilitator-detail", "facilitator", _expect(FACILITATOR_READERS)),
    ("facilitator-register", None, _expect({"admin_user"})),
    ("facilitator-edit", "facilitator", _expect({"admin_user"})),
    ("facilitator-deactivate", "facilitator", _expect({"admin_user"})),
    ("facilitator-reactivate", "facilitator", _expect({"admin_user"})),
]
CASES = [
    pytest.param(name, target, persona, expected[persona], id=f"{name}-{persona}")
    for name, target, expected in SCREENS
    for persona in PERSONAS
]


@pytest.fixture
def targets(gangnam_clinic: Institution) -> dict[str, Any]:
    return {"institution": gangnam_clinic, "facilitator": FacilitatorFactory()}


@pytest.mark.parametrize(("name", "target", "persona", "status"), CASES)
def test_screen_answers_each_persona(
    persona_client: Any,
    targets: dict[str, Any],
    name: str,
    target: str | None,
    persona: str,
    status: int,
) -> None:
    kwargs = {"pk": targets[target].pk} if target else {}
    url = reverse(f"console:{name}", kwargs=kwargs)

    response = persona_client(persona).get(url)

    assert response.status_code == status
    if status == LOGIN:
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_is_open_to_staff_and_scoped(
    persona_client: Any,
    gangnam_clinic: Institution,
    mapo_clinic: Institution,
    persona: str,
    file_format: str,
) -> None:
    response = persona_client(persona).get(
        reverse("console:institution-export", kwargs={"file_format": file_format})
    )

    expected = _expect(STAFF)[persona]
    assert response.status_code == expected
    if expected == OK:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        visible = {b"gangnam-clinic" in body, b"mapo-clinic" in body}
        if persona in CITY_READERS:
            assert visible == {True}
        elif persona in {"staff_gangnam", "officer_gangnam"}:
            assert b"gangnam-clinic" in body and b"mapo-clinic" not in body
        else:
            assert b"mapo-clinic" in body and b"gangnam-clinic" not in body


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", LOGIN),
        ("patient", FORBIDDEN),
        ("staff_gangnam", FORBIDDEN),
        ("officer_mapo", HIDDEN),
        ("analyst", FORBIDDEN),
        ("officer_gangnam", 302),
        ("admin_user", 302),
    ],
)
def test_deactivation_by_post_is_for_registry_editors_only(
    persona_client: Any, gangnam_clinic: Institution, persona: str, status: int
) -> None:
    url = reverse("console:institution-deactivate", kwargs={"pk": gangnam_clinic.pk})

    response = persona_client(persona).post(url)

    assert response.status_code == status
    deactivated = persona in {"officer_gangnam", "admin_user"}
    assert Institution.objects.get(pk=gangnam_clinic.pk).is_active is not deactivated


@pytest.mark.parametrize("persona", [*sorted(STAFF - {"admin_user"}), "patient"])
def test_only_administrators_deactivate_facilitators(persona_client: Any, persona: str) -> None:
    facilitator = FacilitatorFactory()

    persona_client(persona).post(
        reverse("console:facilitator-deactivate", kwargs={"pk": facilitator.pk})
    )

    assert Facilitator.objects.get(pk=facilitator.pk).is_active is True


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("staff_gangnam", {"institution-list"}),
        ("agent", {"institution-list", "facilitator-list"}),
        ("officer_mapo", {"institution-list", "facilitator-list", "institution-import"}),
        ("admin_user", {"institution-list", "facilitator-list", "institution-import"}),
    ],
)
def test_menu_offers_only_what_the_role_may_open(
    persona_client: Any, persona: str, links: set[str]
) -> None:
    page = persona_client(persona).get(reverse("console:home")).content.decode()

    for name in ("institution-list", "facilitator-list", "institution-import"):
        assert (f'href="{reverse(f"console:{name}")}"' in page) is (name in links)
