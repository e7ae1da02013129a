# ruff: noqa: RUF001  (Cyrillic and CJK test data look like Latin letters to ruff)
"""What people type resolves to the right reference record, or to helpful suggestions."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from medtour.reference.normalize import fold_key, loose_key, normalize_key
from medtour.reference.resolvers import (
    AmbiguousValue,
    UnknownValue,
    resolve_country,
    resolve_department,
    resolve_district,
    resolve_language,
)

pytestmark = pytest.mark.django_db

CHINA = ["CN", "CHN", "156", "China", "중국", "中国", "中華人民共和国", "Китай", "Қытай"]


@pytest.mark.parametrize("value", CHINA)
def test_the_brief_list_resolves_to_china(value: str) -> None:
    assert resolve_country(value).alpha2 == "CN"


@pytest.mark.parametrize(
    ("value", "alpha2"),
    [
        # codes, any case and spacing
        ("cn", "CN"),
        (" chn ", "CN"),
        ("ＣＨＩＮＡ", "CN"),
        ("4", "AF"),
        ("004", "AF"),
        ("398", "KZ"),
        ("KAZ", "KZ"),
        # CLDR names in the six languages
        ("United States", "US"),
        ("미국", "US"),
        ("美国", "US"),
        ("アメリカ合衆国", "US"),
        ("Соединенные Штаты", "US"),
        ("Америка Құрама Штаттары", "US"),
        ("Республика Корея", "KR"),
        ("Қазақстан", "KZ"),
        ("Өзбекстан", "UZ"),
        # CLDR names in other locales patients use
        ("中國", "CN"),
        ("Trung Quốc", "CN"),
        ("Trung Quoc", "CN"),
        ("Монгол", "MN"),
        ("Oʻzbekiston", "UZ"),
        ("Кыргызстан", "KG"),
        ("Kazajistán", "KZ"),
        ("Chine", "CN"),
        ("Russland", "RU"),
        ("Áo", "AT"),  # Vietnamese for Austria, while AO is Angola
        ("AO", "AO"),
        # ISO English names from pycountry
        ("Korea, Republic of", "KR"),
        ("Russian Federation", "RU"),
        ("Viet Nam", "VN"),
        # curated aliases
        ("中华人民共和国", "CN"),
        ("People's Republic of China", "CN"),
        ("People’s Republic of China", "CN"),
        ("PRC", "CN"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("America", "US"),
        ("Russia", "RU"),
        ("Российская Федерация", "RU"),
        ("UK", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("South Korea", "KR"),
        ("North Korea", "KP"),
        ("DPRK", "KP"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Burma", "MM"),
        ("Ivory Coast", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("cote d'ivoire", "CI"),
        ("Guinea Bissau", "GW"),
        ("Hong Kong", "HK"),
        ("Macau", "MO"),
        ("UAE", "AE"),
        ("Kazakh", "KZ"),
        ("Республика Казахстан", "KZ"),
        ("O'zbekiston", "UZ"),
    ],
)
def test_country_aliases(value: str, alpha2: str) -> None:
    assert resolve_country(value).alpha2 == alpha2


def test_vietnamese_nga_is_left_to_nigerias_code() -> None:
    # "Nga" is Russia in Vietnamese but NGA is Nigeria's alpha-3: the code wins (documented).
    assert resolve_country("NGA").alpha2 == "NG"
    assert resolve_country("Nga").alpha2 == "NG"
    assert resolve_country("Россия").alpha2 == "RU"


def test_unknown_country_suggests_the_closest_names() -> None:
    with pytest.raises(UnknownValue) as caught:
        resolve_country("Kazakstan")
    assert caught.value.kind == "country"
    assert caught.value.value == "Kazakstan"
    assert caught.value.suggestions[0] == "Kazakhstan"
    assert len(caught.value.suggestions) <= 3


def test_unknown_short_value_suggests_codes() -> None:
    with pytest.raises(UnknownValue) as caught:
        resolve_country("CHI")
    assert caught.value.suggestions
    assert all(len(s) <= 3 for s in caught.value.suggestions)


@pytest.mark.parametrize("value", ["", "   ", None])
def test_empty_country_is_unknown_without_suggestions(value: str) -> None:
    with pytest.raises(UnknownValue) as caught:
        resolve_country(value)
    assert caught.value.suggestions == []


def test_unknown_value_message_is_translated() -> None:
    with pytest.raises(UnknownValue) as caught:
        resolve_country("Chna")
    with translation.override("en"):
        assert "Did you mean" in str(caught.value)
        assert "China" in str(caught.value)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("dermatology", "dermatology"),
        ("internal_medicine", "internal_medicine"),
        ("내과통합", "internal_medicine"),
        ("피부과", "dermatology"),
        ("성형외과", "plastic_surgery"),
        ("Plastic surgery", "plastic_surgery"),
        ("皮肤科", "dermatology"),
        ("形成外科", "plastic_surgery"),
        ("травматология и ортопедия", "orthopedics"),
        ("педиатрия", "pediatrics"),
        ("стоматология", "dentistry"),
        ("пластикалық хирургия", "plastic_surgery"),
        # Korean aliases (older names, sub-departments)
        ("내과", "internal_medicine"),
        ("소화기내과", "internal_medicine"),
        ("소아과", "pediatrics"),
        ("비뇨기과", "urology"),
        ("신경정신과", "psychiatry"),
        ("외과", "general_surgery"),
        ("한의원", "korean_medicine"),
        ("건강검진", "health_checkup"),
        ("치과교정과", "dentistry"),
        # filled-in names
        ("家庭医療科", "family_medicine"),
        ("неотложная медицина", "emergency_medicine"),
    ],
)
def test_department_resolution(value: str, code: str) -> None:
    assert resolve_department(value).code == code


def test_a_name_meaning_two_departments_needs_its_language() -> None:
    # 整形外科: plastic surgery in Chinese, orthopedics in Japanese.
    with pytest.raises(AmbiguousValue) as caught:
        resolve_department("整形外科")
    assert len(caught.value.suggestions) == 2
    assert resolve_department("整形外科", language="ja").code == "orthopedics"
    assert resolve_department("整形外科", language="zh-hans").code == "plastic_surgery"


def test_unknown_department_suggests() -> None:
    with pytest.raises(UnknownValue) as caught:
        resolve_department("피부")
    assert caught.value.kind == "department"
    assert "피부과" in caught.value.suggestions


@pytest.mark.parametrize(
    "value",
    ["11680", "강남구", "Gangnam-gu", "gangnam gu", "江南区", "Каннам-гу", "Каннам ауданы"],
)
def test_district_resolution(value: str) -> None:
    assert resolve_district(value).code == "11680"


def test_district_names_do_not_join_on_the_census_code() -> None:
    # 11110 is Jongno-gu as an official code (and Nowon-gu as an old census code).
    assert resolve_district("11110").names["ko"] == "종로구"
    with pytest.raises(UnknownValue):
        resolve_district("11010")  # Jongno-gu's census code is not a lookup key


def test_unknown_district_suggests() -> None:
    with pytest.raises(UnknownValue) as caught:
        resolve_district("Gangnam")
    assert caught.value.suggestions[0] == "Gangnam-gu"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("kk", "kk"),
        ("Kazakh", "kk"),
        ("казахский", "kk"),
        ("қазақ тілі", "kk"),
        ("카자흐어", "kk"),
        ("zh", "zh"),
        ("zh-Hans", "zh"),
        ("ru_RU", "ru"),
        ("Русский", "ru"),
        ("日本語", "ja"),
        ("Tiếng Việt", "vi"),
        ("fil", "fil"),
    ],
)
def test_language_resolution(value: str, code: str) -> None:
    assert resolve_language(value).code == code


def test_unknown_language_suggests() -> None:
    with pytest.raises(UnknownValue) as caught:
        resolve_language("Kazak")
    assert caught.value.kind == "language"
    assert "Kazakh" in caught.value.suggestions


text = st.text(max_size=40)


@given(text)
def test_normalize_key_is_idempotent(value: str) -> None:
    assert normalize_key(normalize_key(value)) == normalize_key(value)
    assert fold_key(fold_key(value)) == fold_key(value)


@given(text)
def test_normalize_key_ignores_case_and_spacing(value: str) -> None:
    assert normalize_key(f"  {value.upper()}  ") == normalize_key(f"  {value.upper()}\t")
    assert normalize_key(value) == normalize_key(" ".join(value.split()))


@given(text)
def test_keys_get_looser(value: str) -> None:
    assert fold_key(normalize_key(value)) == fold_key(value)
    assert loose_key(fold_key(value)) == loose_key(value)


def test_fold_key_leaves_cyrillic_and_hangul_alone() -> None:
    assert fold_key("Йонсан") != fold_key("Ионсан")
    assert fold_key("강남구") == "강남구"
    assert fold_key("Côte d’Ivoire") == "cote d'ivoire"
