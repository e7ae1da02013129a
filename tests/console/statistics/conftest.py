"""A small hand-built city for the dashboard tests: two years, two districts, two clinics.

2015: patients a, b in Gangnam (CN, US). 2016: a, c, d in Gangnam, a and e in Mapo, so Gangnam
has 3, Mapo 2 and the city 4 unique patients in 2016 (a counts in both districts, once in the
city); department-based patients in 2016: a twice in Gangnam (plastic surgery, dermatology).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.stats.builders import episode


@pytest.fixture
def city_records(gangnam_clinic: Any, mapo_clinic: Any) -> dict[str, Any]:
    episode("a", gangnam_clinic, year=2015, nationality="CN")
    episode("b", gangnam_clinic, year=2015, nationality="US", department="dermatology")
    episode("a", gangnam_clinic, year=2016, nationality="CN", department="plastic_surgery")
    episode("a", gangnam_clinic, year=2016, nationality="CN", department="dermatology")
    episode("c", gangnam_clinic, year=2016, nationality="RU", department="dermatology")
    episode("d", gangnam_clinic, year=2016, nationality="CN")
    episode("a", mapo_clinic, year=2016, nationality="CN")
    episode("e", mapo_clinic, year=2016, nationality="KZ", department="health_checkup")
    return {"gangnam": gangnam_clinic, "mapo": mapo_clinic}
