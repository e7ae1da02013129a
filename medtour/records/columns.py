"""The official records template: its columns, their Korean headers, and what each holds."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    name: str
    korean: str
    required: bool
    label: Promise
    instruction: Promise


COLUMNS: tuple[Column, ...] = (
    Column(
        "patient_id",
        "여권번호",
        True,
        _("passport or ID number"),
        _(
            "The passport or alien registration number. It is turned into a pseudonym on "
            "arrival and never stored."
        ),
    ),
    Column("birth_year", "출생연도", True, _("birth year"), _("Four digits, e.g. 1985.")),
    Column("sex", "성별", True, _("sex"), _("M or F (also 남/여, 男/女).")),
    Column(
        "nationality",
        "국적",
        True,
        _("nationality"),
        _("An ISO code (CN, CHN, 156) or the country's name in any of the six languages."),
    ),
    Column(
        "department",
        "진료과",
        True,
        _("department"),
        _("The department's code, Korean name or usual Korean alias, e.g. 내과."),
    ),
    Column(
        "first_visit",
        "최초진료일",
        True,
        _("first treatment date"),
        _("A date within the reporting period: 2016-03-01, 2016.03.01, 20160301 or 2016/3/1."),
    ),
    Column(
        "last_visit",
        "최종진료일",
        True,
        _("last treatment date"),
        _("A date within the reporting period, not before the first treatment date."),
    ),
    Column(
        "care_type",
        "진료구분",
        True,
        _("care type"),
        _("outpatient, inpatient or checkup (외래, 입원, 검진)."),
    ),
    Column(
        "inpatient_days",
        "입원일수",
        False,
        _("inpatient days"),
        _("For inpatient care only: the number of days in hospital."),
    ),
    Column(
        "fees_krw",
        "진료비",
        True,
        _("fees (KRW)"),
        _("The total fees in won, a whole number without currency signs, e.g. 1250000."),
    ),
    Column(
        "facilitator",
        "유치업자등록번호",
        False,
        _("facilitator registration number"),
        _("If a registered facilitator brought the patient: its registration number."),
    ),
    Column(
        "diagnosis",
        "진단코드",
        False,
        _("diagnosis code"),
        _("Optional: the main ICD-10 / KCD code, e.g. J45.9."),
    ),
    Column(
        "province",
        "거주지",
        False,
        _("province of residence"),
        _("Optional, for patients from China only: the province where they live."),
    ),
)

COLUMN_NAMES: tuple[str, ...] = tuple(column.name for column in COLUMNS)
REQUIRED: tuple[str, ...] = tuple(column.name for column in COLUMNS if column.required)
BY_NAME: dict[str, Column] = {column.name: column for column in COLUMNS}


def header_key(header: object) -> str:
    """How a header is compared: `First Visit`, `first-visit` and `first_visit` are one."""
    text = str(header or "").replace("\ufeff", "").strip().lower()
    return "_".join(text.replace("-", " ").replace("_", " ").split())


HEADER_ALIASES: dict[str, str] = {}
for _column in COLUMNS:
    HEADER_ALIASES[header_key(_column.name)] = _column.name
    HEADER_ALIASES[header_key(_column.korean)] = _column.name
    # Korean headers are often typed with spaces: `최초 진료일`.
    HEADER_ALIASES[_column.korean] = _column.name


def column_for_header(header: object) -> str | None:
    key = header_key(header)
    return HEADER_ALIASES.get(key) or HEADER_ALIASES.get(key.replace("_", ""))
