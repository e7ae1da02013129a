"""Actuals from pivot(), progress, a scenario and the console screen, on hand-built records.

Gangnam-gu gets a few patients every month of 2016-2023: distinct people, so each year's unique
patients are the sum of its months; half of them Chinese.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from medtour.targets.actuals import annual_series, monthly_series
from medtour.targets.forecasting import MODEL_NAMES
from medtour.targets.models import Target
from medtour.targets.progress import target_progress
from medtour.targets.scenarios import apply_shock
from tests.stats.builders import clinic, episode

pytestmark = pytest.mark.django_db
GANGNAM = "11680"
YEARS = range(2016, 2024)


def _per_month(year: int, month: int) -> int:
    return 2 + (year - 2016) // 2 + (1 if month in (7, 8) else 0)


@pytest.fixture
def gangnam_records() -> dict[int, int]:
    institution = clinic(GANGNAM)
    totals: dict[int, int] = {}
    for year in YEARS:
        for month in range(1, 13):
            for index in range(_per_month(year, month)):
                nationality = "CN" if index % 2 == 0 else "US"
                episode(
                    f"p{year}-{month}-{index}",
                    institution,
                    year=year,
                    month=month,
                    nationality=nationality,
                )
                totals[year] = totals.get(year, 0) + 1
    return totals


@pytest.fixture
def gangnam_target() -> Target:
    from medtour.reference.models import District

    return Target.objects.create(
        district=District.objects.get(code=GANGNAM), year=2025, value=80, label={"ko": "목표"}
    )


def test_actuals_come_from_pivot(gangnam_records: dict[int, int], analyst: Any) -> None:
    assert annual_series(GANGNAM, user=analyst) == {
        year: float(count) for year, count in gangnam_records.items()
    }
    months = monthly_series(GANGNAM, user=analyst)
    assert len(months) == 96
    assert months["2016-07"] == 3.0


def test_progress_uses_the_last_complete_year(
    gangnam_records: dict[int, int], gangnam_target: Target, analyst: Any
) -> None:
    progress = target_progress(GANGNAM, 2025, user=analyst)
    assert progress is not None
    assert progress.base_year == 2023
    assert progress.base_value == gangnam_records[2023]
    assert progress.growth_needed == pytest.approx((80 / gangnam_records[2023]) ** 0.5 - 1)
    assert target_progress(GANGNAM, 2031, user=analyst) is None


def test_a_shock_to_one_nationality_lowers_the_forecast_and_the_targets_share(
    gangnam_records: dict[int, int], gangnam_target: Target, analyst: Any
) -> None:
    scenario = apply_shock(
        GANGNAM,
        dimension="nationality",
        code="CN",
        percent=-40,
        start="2024-03",
        months=12,
        user=analyst,
    )
    assert 0.5 <= scenario.segment_share <= 0.6
    factor = 1 - 0.4 * scenario.segment_share
    for month, baseline, shocked in scenario.monthly:
        if "2024-03" <= month <= "2025-02":
            assert shocked == pytest.approx(baseline * factor)
        else:
            assert shocked == baseline
    [year_2024] = [effect for effect in scenario.years if effect.year == 2024]
    assert year_2024.shocked < year_2024.baseline
    [year_2025] = [effect for effect in scenario.years if effect.year == 2025]
    assert year_2025.target == 80
    assert year_2025.share_after < year_2025.share_before  # type: ignore[operator]


def test_the_console_shows_the_forecast_chart_and_the_models(
    gangnam_records: dict[int, int], gangnam_target: Target, persona_client: Any
) -> None:
    response = persona_client("analyst").get("/console/targets/", {"area": GANGNAM})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page
    assert "MASE" in page
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        assert (
            str(MODEL_NAMES["theta"]) in page
        )  # every candidate is listed, in the user's language


def test_an_officer_cannot_open_another_district(persona_client: Any) -> None:
    client = persona_client("officer_mapo")
    assert client.get("/console/targets/", {"area": GANGNAM}).status_code == 403
    assert client.get("/console/targets/", {"area": "city"}).status_code == 403


def test_the_scenario_answers_htmx_with_the_partial(
    gangnam_records: dict[int, int], persona_client: Any
) -> None:
    response = persona_client("officer_gangnam").get(
        "/console/targets/scenario/",
        {
            "area": GANGNAM,
            "dimension": "nationality",
            "nationality": "CN",
            "percent": "-40",
            "start": "2024-01",
            "months": "12",
        },
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="scenario-result">')
    assert "2024" in page


def test_an_officer_adds_a_target_through_the_console(persona_client: Any) -> None:
    from medtour.reference.models import District

    district = District.objects.get(code=GANGNAM)
    response = persona_client("officer_gangnam").post(
        "/console/targets/new/",
        {
            "district": district.pk,
            "year": 2030,
            "value": 400000,
            "kind": "target",
            "label_ko": "2030년 목표",
        },
    )
    assert response.status_code == 302
    assert Target.objects.get(year=2030).district == district
