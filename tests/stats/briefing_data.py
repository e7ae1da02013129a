"""A small hand-built city for the briefing tests: three years, three districts, one patient
treated in two districts. The right answers are worked out by hand in the tests."""

from __future__ import annotations

import contextlib

from django.core.management import CommandError, call_command

from tests.stats.builders import GANGNAM, MAPO, SEOCHO, clinic, episode


def refresh_statistics() -> None:
    """Build the pre-aggregated tables when the engine has them (the records engine has not)."""
    with contextlib.suppress(CommandError):
        call_command("rebuild_statistics", verbosity=0)


def build_small_city() -> None:
    """2014: 4 patients; 2015: 8; 2016: 11 unique (Gangnam 7, Seocho 3, Mapo 2; Ann in both
    Gangnam and Seocho). Nationalities 2016: CN 6, US 3, RU 2. Departments 2016 (counted once
    per department): internal medicine 6, dermatology 4, plastic surgery 3."""
    gangnam, seocho, mapo = clinic(GANGNAM), clinic(SEOCHO), clinic(MAPO)
    for number in range(4):
        episode(f"early-{number}", gangnam, year=2014)
    for number in range(6):
        episode(f"mid-g{number}", gangnam, year=2015)
    for number in range(2):
        episode(f"mid-s{number}", seocho, year=2015)
    # 2016, Gangnam: ann + g1..g6
    episode("ann", gangnam, nationality="CN", department="plastic_surgery")
    for number, nationality in enumerate(["CN", "CN", "CN", "US", "US", "RU"], start=1):
        episode(f"g{number}", gangnam, nationality=nationality, department="internal_medicine")
    episode("g1", gangnam, nationality="CN", department="dermatology", care_type="inpatient")
    # Seocho: ann again, s1, s2
    episode("ann", seocho, nationality="CN", department="dermatology")
    episode("s1", seocho, nationality="CN", department="plastic_surgery")
    episode("s2", seocho, nationality="US", department="dermatology", care_type="checkup")
    # Mapo: m1, m2
    episode("m1", mapo, nationality="RU", department="plastic_surgery")
    episode("m2", mapo, nationality="CN", department="dermatology")
    refresh_statistics()
