from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser

from medtour.audit.models import AuditAction, AuditEvent
from medtour.audit.selectors import audit_log, target_type_choices
from medtour.audit.services import record_event
from tests.conftest import PERSONAS

pytestmark = pytest.mark.django_db

SEOUL = ZoneInfo("Asia/Seoul")


def _at(event: AuditEvent, *args: int) -> AuditEvent:
    AuditEvent.objects.filter(pk=event.pk).update(at=datetime.datetime(*args, tzinfo=SEOUL))
    return event


@pytest.fixture
def events(admin_user: Any, agent: Any, gangnam_clinic: Any) -> dict[str, AuditEvent]:
    return {
        "sign_in": _at(
            record_event(actor=agent, action=AuditAction.SIGN_IN, target=agent), 2025, 3, 1, 0, 10
        ),
        "update": _at(
            record_event(actor=admin_user, action=AuditAction.UPDATE, target=gangnam_clinic),
            2025,
            3,
            1,
            23,
            50,
        ),
        "failed": _at(
            record_event(
                actor=None, actor_label="intruder@example.test", action=AuditAction.SIGN_IN_FAILED
            ),
            2025,
            3,
            2,
            0,
            5,
        ),
    }


def _ids(queryset: Any) -> list[int]:
    return [event.pk for event in queryset]


def test_administrators_read_everything_newest_first(admin_user: Any, events: dict):
    assert _ids(audit_log(admin_user)) == [
        events["failed"].pk,
        events["update"].pk,
        events["sign_in"].pk,
    ]


@pytest.mark.parametrize("name", [name for name in PERSONAS if name != "admin_user"])
def test_everyone_else_reads_nothing(request: pytest.FixtureRequest, name: str, events: dict):
    viewer = AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)

    assert not audit_log(viewer).exists()
    assert target_type_choices(viewer) == []


def test_filter_by_actor_matches_part_of_the_email(admin_user: Any, events: dict):
    assert _ids(audit_log(admin_user, actor="AGENT@")) == [events["sign_in"].pk]
    assert _ids(audit_log(admin_user, actor="intruder")) == [events["failed"].pk]


def test_filter_by_action(admin_user: Any, events: dict):
    assert _ids(audit_log(admin_user, action=AuditAction.SIGN_IN_FAILED)) == [events["failed"].pk]


def test_filter_by_object_type_and_id(admin_user: Any, agent: Any, events: dict):
    assert _ids(audit_log(admin_user, target_type="institutions.institution")) == [
        events["update"].pk
    ]
    assert _ids(audit_log(admin_user, target_type="accounts.user", target_id=str(agent.pk))) == [
        events["sign_in"].pk
    ]


def test_date_range_takes_whole_days_in_the_city_time_zone(admin_user: Any, events: dict):
    first_of_march = datetime.date(2025, 3, 1)

    found = audit_log(admin_user, date_from=first_of_march, date_to=first_of_march)

    assert _ids(found) == [events["update"].pk, events["sign_in"].pk]
    assert _ids(audit_log(admin_user, date_from=datetime.date(2025, 3, 2))) == [events["failed"].pk]


def test_object_types_are_offered_by_their_names(admin_user: Any, events: dict):
    assert target_type_choices(admin_user) == [
        ("institutions.institution", "medical institution"),
        ("accounts.user", "user"),
    ]
