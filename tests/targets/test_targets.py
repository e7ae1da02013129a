"""Published targets, their loading, the write path and progress against them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from medtour.audit.models import AuditEvent
from medtour.targets.loading import load_targets
from medtour.targets.models import Target
from medtour.targets.progress import progress_of
from medtour.targets.published import national_series, read_published_targets
from medtour.targets.selectors import TargetView, targets_for
from medtour.targets.services import InvalidTarget, target_create, target_delete, target_update

GANGNAM, MAPO = "11680", "11440"


def _national_target(year: int) -> TargetView:
    [row] = [
        row for row in read_published_targets() if row.scope == "national" and row.year == year
    ]
    return TargetView(0, None, row.year, row.value, row.category, row.source_url, row.kind)


def test_the_published_file_holds_gangnams_targets() -> None:
    gangnam = {
        (row.year, row.value) for row in read_published_targets() if row.region == "Gangnam-gu"
    }
    assert {(2017, 78000), (2022, 200000)} <= gangnam


@pytest.mark.django_db
def test_loading_keeps_national_targets_out_and_runs_twice_alike() -> None:
    first = load_targets()
    again = load_targets()
    assert first.created == Target.objects.count() > 0
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    gangnam = [(view.year, view.value) for view in targets_for(GANGNAM)]
    assert (2017, 78000) in gangnam
    assert (2022, 200000) in gangnam
    city = targets_for(None)
    assert [(view.year, view.value, view.kind) for view in city] == [(2025, 1140000, "projection")]
    assert not Target.objects.filter(value=700000).exists()  # the national 2027 target


def test_progress_against_a_past_national_target() -> None:
    progress = progress_of(_national_target(2020), national_series(), last_complete=2024)
    assert progress.actual == 117069
    assert progress.share_achieved == pytest.approx(117069 / 1000000)
    assert progress.achieved is False
    assert progress.growth_needed is None  # the year is over
    assert progress.base_year == 2019


def test_growth_needed_and_observed_towards_a_future_target() -> None:
    series = national_series()
    progress = progress_of(_national_target(2027), series, last_complete=2024)
    assert progress.actual is None
    assert progress.base_year == 2024
    assert progress.growth_needed == pytest.approx((700000 / 1170467) ** (1 / 3) - 1)
    assert progress.growth_observed == pytest.approx((1170467 / 146000) ** (1 / 3) - 1)
    assert progress.observed_from == 2021
    assert progress.on_track is True


def _data(district: str = GANGNAM, **extra: Any) -> dict[str, Any]:
    return {
        "district": _district_pk(district),
        "year": 2030,
        "value": 500000,
        "kind": "target",
        "label_ko": "2030년 목표",
        "source_url": "",
        "note": "",
        **extra,
    }


def _district_pk(code: str) -> int:
    from medtour.reference.models import District

    return District.objects.get(code=code).pk


@pytest.mark.django_db
def test_an_officer_sets_a_target_for_their_district_and_it_is_audited(
    officer_gangnam: Any,
) -> None:
    target = target_create(actor=officer_gangnam, data=_data())
    assert target.area == GANGNAM
    assert target.label == {"ko": "2030년 목표"}
    target_update(actor=officer_gangnam, target=target, data=_data(value=600000))
    target.refresh_from_db()
    assert target.value == 600000
    events = AuditEvent.objects.filter(target_type="targets.target", target_id=str(target.pk))
    assert [event.action for event in events.order_by("id")] == ["create", "update"]
    assert events.get(action="update").changes["value"] == [500000, 600000]
    target_delete(actor=officer_gangnam, target=target)
    assert not Target.objects.filter(pk=target.pk).exists()
    assert events.filter(action="delete").count() == 1


@pytest.mark.django_db
def test_an_officer_cannot_set_another_districts_or_the_citys_target(officer_mapo: Any) -> None:
    with pytest.raises(InvalidTarget):
        target_create(actor=officer_mapo, data=_data(GANGNAM))
    with pytest.raises(InvalidTarget):
        target_create(actor=officer_mapo, data={**_data(), "district": ""})
    theirs = target_create(actor=officer_mapo, data=_data(MAPO))
    assert theirs.area == MAPO


@pytest.mark.django_db
def test_analysts_read_but_do_not_write(analyst: Any, admin_user: Any) -> None:
    target = target_create(actor=admin_user, data={**_data(), "district": ""})
    assert target.area is None
    with pytest.raises(PermissionDenied):
        target_create(actor=analyst, data=_data())
    with pytest.raises(PermissionDenied):
        target_delete(actor=analyst, target=target)


@pytest.mark.django_db
def test_a_korean_label_is_required(admin_user: Any) -> None:
    with pytest.raises(InvalidTarget) as raised:
        target_create(actor=admin_user, data={**_data(), "label_ko": "", "label_en": "Aim"})
    assert "label" in raised.value.form.errors
