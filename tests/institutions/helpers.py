"""Form data and files for institution tests, written out in full so each test reads on its own."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from medtour.institutions.columns import COLUMNS


def institution_data(**overrides: Any) -> dict[str, Any]:
    """What the console's registration form posts for a complete, valid dermatology clinic."""
    data: dict[str, Any] = {
        "code": "sky-derm",
        "names_ko": "하늘피부과의원",
        "names_en": "Sky Dermatology Clinic",
        "type": "clinic",
        "district": "11680",
        "address_ko": "서울특별시 강남구 테헤란로 101",
        "address_en": "101 Teheran-ro, Gangnam-gu, Seoul",
        "latitude": "37.501234",
        "longitude": "127.041234",
        "departments": ["dermatology"],
        "languages": ["en", "zh"],
        "registration_number": "SEOUL-2024-0001",
        "registration_status": "registered",
        "registered_from": "2024-01-01",
        "registered_until": "2026-12-31",
        "accreditations": ["KAHF"],
        "phone": "02-0123-4567",
        "email": "contact@sky-derm.example",
        "website": "https://sky-derm.example",
        "profile_en": "Skin care for visitors.",
    }
    data.update(overrides)
    return data


def facilitator_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "bridge-travel",
        "names_ko": "다리의료관광",
        "names_en": "Bridge Medical Travel",
        "registration_number": "FAC-2024-0001",
        "registration_status": "registered",
        "registered_from": "2024-02-01",
        "registered_until": "2027-01-31",
        "district": "11140",
        "phone": "02-0999-0000",
        "email": "desk@bridge.example",
        "website": "",
    }
    data.update(overrides)
    return data


def csv_row(**cells: str) -> dict[str, str]:
    """A complete valid import row; CELLS replace or add columns."""
    row = {
        "code": "river-eye",
        "name_ko": "강안과의원",
        "name_en": "River Eye Clinic",
        "type": "clinic",
        "district": "11440",
        "address_ko": "서울특별시 마포구 양화로 45",
        "latitude": "37.556",
        "longitude": "126.922",
        "departments": "ophthalmology",
        "languages": "en|ja",
        "registration_number": "SEOUL-2023-0456",
        "registration_status": "registered",
        "registered_from": "2023-03-01",
        "registered_until": "2026-02-28",
        "accreditations": "",
        "phone": "02-0456-7890",
        "email": "",
        "website": "",
        "is_active": "true",
        "is_synthetic": "false",
    }
    row.update(cells)
    return row


def csv_bytes(rows: Iterable[Mapping[str, str]], encoding: str = "utf-8") -> bytes:
    rows = list(rows)
    columns = [column for column in COLUMNS if any(column in row for row in rows)]
    columns += [name for row in rows for name in row if name not in columns]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)
