from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from medtour.accounts.models import User
from medtour.audit.models import AuditAction, AuditEvent
from medtour.audit.services import record_event
from tests.accounts.fixtures import _english  # noqa: F401  (autouse fixture)
from tests.conftest import GANGNAM, MAPO
from tests.factories import district

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(persona_client: Any) -> Any:
    return persona_client("admin_user")


def _rows(response: Any) -> int:
    body = response.content.decode()
    table = body[body.index('<table class="audit-events">') :]
    return len(re.findall(r"<time datetime=", table[: table.index("</table>")]))


@pytest.fixture
def history(admin_user: User, officer_gangnam: User, gangnam_clinic: Any) -> None:
    record_event(
        actor=admin_user,
        action=AuditAction.UPDATE,
        target=officer_gangnam,
        changes={"district": [district(GANGNAM).pk, district(MAPO).pk]},
    )
    record_event(
        actor=None,
        actor_label="intruder@example.test",
        action=AuditAction.SIGN_IN_FAILED,
        changes={"stage": "password"},
    )
    event = record_event(actor=admin_user, action=AuditAction.UPDATE, target=gangnam_clinic)
    AuditEvent.objects.filter(pk=event.pk).update(
        at=datetime.datetime(2024, 5, 1, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    )


def test_lists_events_with_readable_changes(admin_client: Any, history: None):
    response = admin_client.get("/console/audit/")

    page = response.content.decode()
    assert _rows(response) == 3
    assert "<del>Gangnam-gu</del> → <ins>Mapo-gu</ins>" in page
    assert "intruder@example.test" in page
    assert "sign-in failed" in page


def test_links_user_events_to_the_account(admin_client: Any, history: None, officer_gangnam: User):
    page = admin_client.get("/console/audit/").content.decode()

    assert f'href="/console/people/{officer_gangnam.pk}/"' in page


def test_filters_by_action(admin_client: Any, history: None):
    response = admin_client.get("/console/audit/", {"action": AuditAction.SIGN_IN_FAILED})

    assert _rows(response) == 1


def test_filters_by_actor(admin_client: Any, history: None):
    assert _rows(admin_client.get("/console/audit/", {"actor": "admin@"})) == 2


def test_filters_by_object_type(admin_client: Any, history: None):
    response = admin_client.get("/console/audit/", {"target_type": "institutions.institution"})

    assert _rows(response) == 1
    assert '<option value="accounts.user">user</option>' in response.content.decode()


def test_filters_by_date_range(admin_client: Any, history: None):
    response = admin_client.get(
        "/console/audit/", {"date_from": "2024-05-01", "date_to": "2024-05-01"}
    )

    assert _rows(response) == 1


def test_an_end_before_the_start_is_explained_and_shows_nothing(admin_client: Any, history: None):
    response = admin_client.get(
        "/console/audit/", {"date_from": "2024-05-02", "date_to": "2024-05-01"}
    )

    assert "The end date is before the start date." in response.content.decode()
    assert _rows(response) == 0


def test_history_of_one_account(admin_client: Any, history: None, officer_gangnam: User):
    response = admin_client.get(
        "/console/audit/",
        {"target_type": "accounts.user", "target_id": officer_gangnam.pk},
    )

    assert _rows(response) == 1


def test_pages_through_a_long_log(admin_client: Any, admin_user: User):
    for _ in range(75):
        record_event(actor=admin_user, action=AuditAction.SIGN_IN, target=admin_user)

    first = admin_client.get("/console/audit/", {"action": AuditAction.SIGN_IN})
    second = admin_client.get("/console/audit/", {"action": AuditAction.SIGN_IN, "page": 2})

    assert _rows(first) == 50
    assert _rows(second) == 25
    assert "action=sign_in" in first.content.decode()


def test_query_count_does_not_grow_with_the_page(
    admin_client: Any, admin_user: User, officer_gangnam: User, django_assert_max_num_queries: Any
):
    for _ in range(50):
        record_event(
            actor=admin_user,
            action=AuditAction.UPDATE,
            target=officer_gangnam,
            changes={"district": [district(GANGNAM).pk, district(MAPO).pk]},
        )

    with django_assert_max_num_queries(12):
        admin_client.get("/console/audit/")
