from __future__ import annotations

from typing import Any

import pytest

from medtour.audit.models import AuditAction
from medtour.audit.presentation import EMPTY, describe
from medtour.audit.services import record_event
from tests.conftest import GANGNAM, MAPO
from tests.factories import district

pytestmark = pytest.mark.django_db


def _lines(event: Any) -> dict[str, tuple[str | None, str]]:
    (view,) = describe([event])
    return {line.label: (line.old, line.new) for line in view.lines}


def test_choices_are_shown_by_their_labels(admin_user: Any, agent: Any):
    event = record_event(
        actor=admin_user,
        action=AuditAction.UPDATE,
        target=agent,
        changes={"role": ["call_center_agent", "service_coordinator"]},
    )

    assert _lines(event) == {"role": ("call-center agent", "service coordinator")}


def test_related_objects_are_shown_by_name(admin_user: Any, officer_gangnam: Any):
    event = record_event(
        actor=admin_user,
        action=AuditAction.UPDATE,
        target=officer_gangnam,
        changes={"district": [district(GANGNAM).pk, district(MAPO).pk]},
    )

    assert _lines(event) == {"district": ("Gangnam-gu", "Mapo-gu")}


def test_missing_related_objects_keep_their_id(admin_user: Any, agent: Any):
    event = record_event(
        actor=admin_user,
        action=AuditAction.UPDATE,
        target=agent,
        changes={"institution": [None, 999999]},
    )

    assert _lines(event) == {"institution": (EMPTY, "#999999")}


def test_booleans_read_as_yes_and_no(admin_user: Any, agent: Any):
    event = record_event(
        actor=admin_user,
        action=AuditAction.DEACTIVATE,
        target=agent,
        changes={"is_active": [True, False]},
    )

    assert _lines(event) == {"active": ("yes", "no")}


def test_a_failed_sign_in_says_where_it_stopped(agent: Any):
    event = record_event(
        actor=None,
        actor_label="agent@example.test",
        action=AuditAction.SIGN_IN_FAILED,
        target=agent,
        changes={"stage": "second_factor"},
    )

    assert _lines(event) == {"failed at": (None, "authenticator code")}


def test_multilingual_values_are_shown_in_the_reader_language(admin_user: Any, gangnam_clinic: Any):
    event = record_event(
        actor=admin_user,
        action=AuditAction.UPDATE,
        target=gangnam_clinic,
        changes={
            "names": [{"ko": "옛 이름", "en": "Old name"}, {"ko": "새 이름", "en": "New name"}]
        },
    )

    assert _lines(event) == {"names": ("Old name", "New name")}


def test_events_about_unknown_types_still_show_their_raw_values():
    event = record_event(actor=None, action=AuditAction.IMPORT, changes={"rows": [0, 120]})

    assert _lines(event) == {"rows": ("0", "120")}


def test_related_names_are_looked_up_once_per_page(
    admin_user: Any, officer_gangnam: Any, django_assert_num_queries: Any
):
    events = [
        record_event(
            actor=admin_user,
            action=AuditAction.UPDATE,
            target=officer_gangnam,
            changes={"district": [district(GANGNAM).pk, district(MAPO).pk]},
        )
        for _ in range(5)
    ]

    with django_assert_num_queries(1):
        describe(events)
