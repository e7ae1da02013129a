"""The one validator of patient records: files, the web form and the API all come through here.

It works on Polars frames of text cells (a batch of a file, or a single form entry as a frame of
one row), so a million rows are checked column by column rather than cell by cell. Each problem
is a `RowError` {row, column, value, code, message}; its message is rendered in the reader's
language from the code and named parameters, so stored errors can be shown in any language.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz, process

from medtour.institutions.models import Facilitator, Institution
from medtour.records.columns import COLUMN_NAMES, REQUIRED
from medtour.records.models import (
    CareType,
    PatientRecord,
    ReportingPeriod,
    Sex,
    SubmissionStatus,
)
from medtour.records.pseudonyms import (
    PseudonymKey,
    current_key,
    mask_patient_id,
    normalize_patient_id,
    previous_key,
    pseudonymize_encoded,
    pseudonymize_normalized,
)
from medtour.records.reading import FORMULAS, ROW
from medtour.records.staging import SeenKeys
from medtour.reference.models import Country, CountryAlias, Department
from medtour.reference.resolvers import (
    AmbiguousValue,
    UnknownValue,
    normalize_key,
    resolve_country,
    resolve_department,
)

MESSAGES: dict[str, Promise] = {
    "required": _("This column is required."),
    "formula": _("Cell %(cell)s holds a formula; enter the value itself."),
    "invalid_patient_id": _(
        "The passport or ID number must be 4 to 32 letters or digits (spaces and hyphens are "
        "ignored)."
    ),
    "invalid_birth_year": _("The birth year must be four digits, such as 1985."),
    "birth_year_range": _("The birth year must lie between %(earliest)s and %(latest)s."),
    "invalid_sex": _("Unknown sex %(value)s: use M or F (also 남/여, 男/女)."),
    "unknown_nationality": _("Unknown nationality %(value)s."),
    "unknown_nationality_suggest": _(
        "Unknown nationality %(value)s. Did you mean: %(suggestions)s?"
    ),
    "unknown_department": _("Unknown department %(value)s."),
    "unknown_department_suggest": _("Unknown department %(value)s. Did you mean: %(suggestions)s?"),
    "ambiguous_department": _("%(value)s could mean several departments: %(suggestions)s."),
    "invalid_date": _(
        "Unreadable date %(value)s: write it as 2016-03-01, 2016.03.01, 20160301 or 2016/3/1."
    ),
    "outside_period": _(
        "The date %(date)s lies outside the reporting period %(start)s to %(end)s."
    ),
    "future_date": _("The date %(date)s is in the future."),
    "last_before_first": _(
        "The last treatment date %(last)s is before the first treatment date %(first)s."
    ),
    "invalid_care_type": _(
        "Unknown care type %(value)s: use outpatient, inpatient or checkup (외래, 입원, 검진)."
    ),
    "invalid_inpatient_days": _("Inpatient days must be a whole number of days."),
    "inpatient_days_not_inpatient": _(
        "Inpatient days are given, but the care type is not inpatient."
    ),
    "inpatient_days_exceed_stay": _(
        "%(days)s inpatient days do not fit between the first and last treatment dates "
        "(%(stay)s days)."
    ),
    "invalid_fees": _("The fees must be a whole number of won, such as 1250000."),
    "negative_fees": _("The fees cannot be negative."),
    "fees_too_large": _("The fees exceed %(limit)s won; check the amount."),
    "unknown_facilitator": _("No registered facilitator has the registration number %(value)s."),
    "unknown_facilitator_suggest": _(
        "No registered facilitator has the registration number %(value)s. Did you mean: "
        "%(suggestions)s?"
    ),
    "invalid_diagnosis": _("The diagnosis code %(value)s is not an ICD-10/KCD code such as J45.9."),
    "province_not_china": _("A province of residence is recorded for patients from China only."),
    "too_long": _("The value is longer than %(limit)s characters."),
    "duplicate_in_file": _(
        "Row %(first_row)s already reports this patient in this department with this first "
        "treatment date."
    ),
    "locked_record": _(
        "This episode was reported in a locked submission; it can no longer be corrected."
    ),
}


def render_message(code: str, params: Mapping[str, Any]) -> str:
    template = MESSAGES.get(code)
    if template is None:
        return code
    return str(template) % dict(params)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return render_message(self.code, self.params)

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "message": self.message,
        }

    def stored(self) -> dict[str, Any]:
        """For keeping with a refused row; the message is rendered when shown."""
        return {
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "params": self.params,
        }


SEX_WORDS = {
    Sex.MALE: (
        "m",
        "male",
        "man",
        "남",
        "남자",
        "남성",
        "男",
        "男性",
        "м",
        "муж",
        "мужской",
        "мужчина",
        "ер",  # noqa: RUF001 (Kazakh)
        "ер адам",  # noqa: RUF001
        "еркек",
    ),
    Sex.FEMALE: (
        "f",
        "female",
        "woman",
        "여",
        "여자",
        "여성",
        "女",
        "女性",
        "ж",
        "жен",
        "женский",
        "женщина",
        "әйел",
    ),
}
CARE_WORDS = {
    CareType.OUTPATIENT: (
        "outpatient",
        "out patient",
        "외래",
        "门诊",
        "外来",
        "амбулаторно",
        "амбулаторный",
        "амбулаторлық",
    ),
    CareType.INPATIENT: (
        "inpatient",
        "in patient",
        "입원",
        "住院",
        "入院",
        "стационар",
        "стационарно",
        "стационарлық",
    ),
    CareType.CHECKUP: (
        "checkup",
        "check up",
        "health checkup",
        "health check",
        "검진",
        "건강검진",
        "体检",
        "健诊",
        "健診",
        "人間ドック",
        "обследование",
        "чекап",
        "тексеру",
    ),
}
SEX_MAP = {normalize_key(word): code.value for code, words in SEX_WORDS.items() for word in words}
CARE_MAP = {normalize_key(word): code.value for code, words in CARE_WORDS.items() for word in words}

EARLIEST_BIRTH_YEAR = 1890
MAX_FEES_KRW = 100_000_000_000
MAX_DISTINCT_RESOLVED = 2_000  # distinct unknown spellings looked up with suggestions per import
EXCEL_EPOCH = datetime.date(1899, 12, 30)
TEXT_LIMITS = {"province": 60, "diagnosis": 10, "facilitator": 40}

# The typed columns of a valid row, in the order the commit writes them.
VALUE_COLUMNS = (
    "birth_year",
    "sex",
    "nationality_id",
    "province",
    "last_visit",
    "care_type",
    "inpatient_days",
    "fees_krw",
    "facilitator_id",
    "diagnosis",
)
KEY_COLUMNS = ("pseudonym", "department_id", "first_visit")
VALID_SCHEMA: dict[str, Any] = {
    ROW: pl.Int64,
    "pseudonym": pl.Binary,
    "previous_pseudonym": pl.Binary,
    "birth_year": pl.Int32,
    "sex": pl.String,
    "nationality_id": pl.Int64,
    "province": pl.String,
    "department_id": pl.Int64,
    "first_visit": pl.Date,
    "last_visit": pl.Date,
    "care_type": pl.String,
    "inpatient_days": pl.Int32,
    "fees_krw": pl.Int64,
    "facilitator_id": pl.Int64,
    "diagnosis": pl.String,
}
EXISTING_SCHEMA: dict[str, Any] = {
    "record_id": pl.Int64,
    "pseudonym": pl.Binary,
    "pseudonym_version": pl.Int32,
    "department_id": pl.Int64,
    "first_visit": pl.Date,
    **{f"old_{name}": VALID_SCHEMA[name] for name in VALUE_COLUMNS},
    "old_revision": pl.Int64,
    "old_submission_id": pl.Int64,
    "locked": pl.Boolean,
}


SEEN_KEY = ["key_high", "key_low", "key_rest"]


def _compact_key() -> list[pl.Expr]:
    """The natural key within one institution as integers: the 16-byte pseudonym as two, the
    department and first visit packed in a third."""
    halves = pl.col("pseudonym").bin.reinterpret(dtype=pl.Array(pl.UInt64, 2), endianness="little")
    rest = pl.col("department_id") * (1 << 32) + pl.col("first_visit").cast(pl.Int32).cast(pl.Int64)
    return [
        halves.arr.get(0).alias("key_high"),
        halves.arr.get(1).alias("key_low"),
        rest.alias("key_rest"),
    ]


@dataclass
class Resolution:
    """What a distinct spelling resolved to: an id, or an error code with its parameters."""

    id: int | None
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)


class CodeResolver:
    """Spelling -> id for one kind of reference record, cached per import.

    Exact keys come from a dictionary built once; anything else goes to the reference
    resolvers (accents, loose spellings, suggestions), at most MAX_DISTINCT_RESOLVED times.
    """

    def __init__(
        self,
        kind: str,
        exact: dict[str, int],
        resolve: Callable[[str], Any] | None,
        suggestions: Callable[[str], list[str]] | None = None,
        prepare: Callable[[str], str] = lambda text: text,
    ) -> None:
        self.kind = kind
        self.exact = exact
        self.resolve = resolve
        self.suggestions = suggestions
        self.prepare = prepare
        self.cache: dict[str, Resolution] = {}
        self.slow_lookups = 0

    def __call__(self, value: str) -> Resolution:
        found = self.cache.get(value)
        if found is None:
            found = self._lookup(value)
            self.cache[value] = found
        return found

    def _lookup(self, value: str) -> Resolution:
        text = self.prepare(value)
        pk = self.exact.get(normalize_key(text))
        if pk is not None:
            return Resolution(pk)
        shown = {"value": f"“{value}”"}
        if self.slow_lookups >= MAX_DISTINCT_RESOLVED:
            return Resolution(None, f"unknown_{self.kind}", shown)
        self.slow_lookups += 1
        if self.resolve is not None:
            try:
                return Resolution(self.resolve(text).pk)
            except AmbiguousValue as error:
                return Resolution(
                    None,
                    f"ambiguous_{self.kind}",
                    {**shown, "suggestions": ", ".join(error.suggestions)},
                )
            except UnknownValue as error:
                if error.suggestions:
                    return Resolution(
                        None,
                        f"unknown_{self.kind}_suggest",
                        {**shown, "suggestions": ", ".join(error.suggestions)},
                    )
                return Resolution(None, f"unknown_{self.kind}", shown)
        suggested = self.suggestions(text) if self.suggestions else []
        if suggested:
            return Resolution(
                None, f"unknown_{self.kind}_suggest", {**shown, "suggestions": ", ".join(suggested)}
            )
        return Resolution(None, f"unknown_{self.kind}", shown)


def _country_code(text: str) -> str:
    stripped = text.strip()
    return stripped.zfill(3) if stripped.isdigit() else stripped


def country_resolver() -> CodeResolver:
    exact: dict[str, int] = {}
    for alias, country_id in CountryAlias.objects.values_list("alias", "country_id"):
        exact.setdefault(normalize_key(alias), country_id)
    for country in Country.objects.all():
        for spelling in (country.alpha2, country.alpha3, country.numeric, *country.names.values()):
            exact.setdefault(normalize_key(spelling), country.pk)
    return CodeResolver("nationality", exact, resolve_country, prepare=_country_code)


def department_resolver() -> CodeResolver:
    keys: dict[str, set[int]] = {}
    for department in Department.objects.all():
        for spelling in (department.code, *department.names.values(), *department.aliases):
            keys.setdefault(normalize_key(spelling), set()).add(department.pk)
    # A spelling that names two departments is left to the resolver, which says so.
    exact = {key: next(iter(pks)) for key, pks in keys.items() if len(pks) == 1 and key}
    return CodeResolver("department", exact, resolve_department)


def facilitator_resolver() -> CodeResolver:
    numbers = dict(
        Facilitator.objects.exclude(registration_number=None).values_list(
            "registration_number", "pk"
        )
    )
    exact = {normalize_key(number): pk for number, pk in numbers.items()}
    known = list(numbers)

    def suggestions(text: str) -> list[str]:
        matches = process.extract(text, known, scorer=fuzz.ratio, limit=3, score_cutoff=60)
        return [match for match, _score, _position in matches]

    return CodeResolver("facilitator", exact, None, suggestions)


FAST_DATE_FORMATS = ("%Y-%m-%d", "%Y.%m.%d", "%Y%m%d", "%Y/%m/%d")


def _slow_date_expr(column: str) -> pl.Expr:
    """Unpadded (2016/3/1), with a midnight time, or an Excel serial day (42430)."""
    text = pl.col(column)
    separated = text.str.extract_groups(
        r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[ T]0?0:00(?::00(?:\.0+)?)?)?$"
    )
    padded = pl.concat_str(
        [
            separated.struct.field("1"),
            separated.struct.field("2").str.zfill(2),
            separated.struct.field("3").str.zfill(2),
        ],
        separator="-",
    ).str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    serial = text.str.extract(r"^(\d{5})(?:\.0+)?$", 1).cast(pl.Int64, strict=False)
    from_serial = (
        pl.when(serial.is_between(20_000, 80_000))
        .then(pl.lit(EXCEL_EPOCH) + pl.duration(days=serial))
        .otherwise(None)
        .cast(pl.Date)
    )
    return pl.coalesce(padded, from_serial)


def parse_dates(batch: pl.DataFrame, column: str) -> pl.Series:
    """2016-03-01, 2016.03.01, 20160301, 2016/3/1, Excel serials; null where unreadable.

    The usual spellings go through the fast fixed-format parser; only what is left takes the
    regular expressions.
    """
    text = pl.col(column)
    fast = batch.select(
        pl.coalesce(
            *(text.str.strptime(pl.Date, pattern, strict=False) for pattern in FAST_DATE_FORMATS)
        )
    ).to_series()
    left = fast.is_null() & batch.get_column(column).is_not_null()
    if not left.any():
        return fast
    slow = batch.select(_slow_date_expr(column)).to_series()
    return fast.fill_null(slow)


def _whole_number(column: str, strip: str = r"") -> pl.Expr:
    text = pl.col(column)
    if strip:
        text = text.str.replace_all(strip, "")
    text = text.str.replace(r"\.0+$", "")
    return pl.when(text.str.contains(r"^-?\d{1,18}$")).then(text.cast(pl.Int64, strict=False))


def _map_words(column: str, words: Mapping[str, str]) -> pl.Expr:
    keys = pl.col(column).str.to_lowercase().str.replace_all(r"[\s_\-]+", " ").str.strip_chars()
    return keys.replace_strict(
        list(words), list(words.values()), default=None, return_dtype=pl.String
    )


def _blank_is_null(text: pl.Expr) -> pl.Expr:
    return pl.when(text.str.len_bytes() > 0).then(text)


@dataclass
class Check:
    code: str
    column: str
    failed: pl.Expr  # true on rows that fail
    params: Callable[[dict[str, Any]], dict[str, Any]] | None = None


@dataclass
class BatchResult:
    valid: pl.DataFrame  # VALID_SCHEMA + classification columns
    errors: list[RowError]
    refused: pl.DataFrame  # the refused rows' cells as read, patient ID masked


Params = Callable[[dict[str, Any]], dict[str, Any]]


def _quoted(column: str) -> Params:
    return lambda row: {"value": f"“{row[column]}”"}


def _dated(column: str, extra: dict[str, Any] | None = None) -> Params:
    return lambda row: {"date": _fmt(row[column]), **(extra or {})}


def _fixed(params: dict[str, Any]) -> Params:
    return lambda row: params


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class RecordValidator:
    """Validates batches of one institution's rows for one reporting period."""

    def __init__(
        self,
        *,
        institution: Institution,
        period: ReportingPeriod,
        today: datetime.date | None = None,
        key: PseudonymKey | None = None,
        previous: PseudonymKey | None = None,
        existing: pl.DataFrame | None = None,
    ) -> None:
        self.institution = institution
        self.period = period
        self.today = today or timezone.localdate()
        self.key = key or current_key()
        self.previous = previous if previous is not None else previous_key()
        self.countries = country_resolver()
        self.departments = department_resolver()
        self.facilitators = facilitator_resolver()
        self.china_id = Country.objects.filter(alpha2="CN").values_list("pk", flat=True).first()
        self.existing = existing if existing is not None else existing_records(institution, period)
        self.seen = SeenKeys("key_high", "key_low", "key_rest", row="first_row")

    # Columns the file may lack (optional ones) are added as empty text.
    def _complete(self, batch: pl.DataFrame) -> pl.DataFrame:
        missing = [name for name in COLUMN_NAMES if name not in batch.columns]
        batch = batch.with_columns(pl.lit(None, dtype=pl.String).alias(name) for name in missing)
        if FORMULAS not in batch.columns:
            batch = batch.with_columns(pl.lit(None, dtype=pl.String).alias(FORMULAS))
        return batch.with_columns(
            pl.col(name).cast(pl.String).str.strip_chars().pipe(_blank_is_null)
            for name in COLUMN_NAMES
        )

    def _normalized_ids(self, raw: pl.Series) -> pl.Series:
        """`normalize_patient_id` for every row: vectorised for ASCII, in Python otherwise."""
        fast = raw.str.to_uppercase().str.replace_all(r"[ \t\r\n-]", "")
        ascii_only = raw.str.contains(r"^[\x00-\x7f]*$").fill_null(True)
        if ascii_only.all():
            return fast
        slow = [
            normalize_patient_id(value) if value is not None and not is_ascii else None
            for value, is_ascii in zip(raw.to_list(), ascii_only.to_list(), strict=True)
        ]
        return pl.Series(raw.name, slow, dtype=pl.String).fill_null(fast)

    def _resolve(self, batch: pl.DataFrame, column: str, resolver: CodeResolver) -> pl.DataFrame:
        values = batch.get_column(column).drop_nulls().unique().to_list()
        resolved = {value: resolver(value) for value in values}
        ids = {value: found.id for value, found in resolved.items() if found.id is not None}
        self._resolutions[column] = resolved
        return batch.with_columns(
            pl.col(column)
            .replace_strict(list(ids), list(ids.values()), default=None, return_dtype=pl.Int64)
            .alias(f"{column}_id")
        )

    def _resolution_params(self, column: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        def params(row: dict[str, Any]) -> dict[str, Any]:
            return self._resolutions[column][row[column]].params

        return params

    def _resolution_code(self, column: str, row: dict[str, Any]) -> str:
        return self._resolutions[column][row[column]].code

    def validate(self, batch: pl.DataFrame) -> BatchResult:
        self._resolutions: dict[str, dict[str, Resolution]] = {}
        batch = self._complete(batch)
        normalized = self._normalized_ids(batch.get_column("patient_id"))
        batch = batch.with_columns(normalized.alias("_normalized_id"))
        batch = self._resolve(batch, "nationality", self.countries)
        batch = self._resolve(batch, "department", self.departments)
        batch = self._resolve(batch, "facilitator", self.facilitators)
        start, end = self.period.starts_on, self.period.ends_on
        diagnosis = pl.col("diagnosis").str.to_uppercase().str.replace_all(r"[\s]", "")
        diagnosis = (
            pl.when(diagnosis.str.contains(r"^[A-Z]\d{2}[0-9A-Z]{1,4}$"))
            .then(diagnosis.str.slice(0, 3) + "." + diagnosis.str.slice(3))
            .otherwise(diagnosis)
        )
        batch = batch.with_columns(
            _whole_number("birth_year").alias("birth_year_n"),
            _map_words("sex", SEX_MAP).alias("sex_code"),
            parse_dates(batch, "first_visit").alias("first_date"),
            parse_dates(batch, "last_visit").alias("last_date"),
            _map_words("care_type", CARE_MAP).alias("care_code"),
            _whole_number("inpatient_days").alias("days_n"),
            _whole_number("fees_krw", r"[\s,₩원]|KRW|krw").alias("fees_n"),
            diagnosis.alias("diagnosis_code"),
        )
        checks = self._checks(start, end)
        flags = batch.select(
            pl.col(ROW),
            *(check.failed.fill_null(False).alias(f"_c{i}") for i, check in enumerate(checks)),
        )
        errors: list[RowError] = []
        for i, check in enumerate(checks):
            failing = flags.get_column(f"_c{i}")
            if not failing.any():
                continue
            rows = batch.filter(failing)
            for row in rows.iter_rows(named=True):
                errors.extend(self._errors_for(check, row))
        refused_mask = flags.select(pl.any_horizontal(pl.exclude(ROW))).to_series()
        good = batch.filter(~refused_mask)
        encoded = good.get_column("_normalized_id").cast(pl.Binary).to_list()
        pseudonyms = pseudonymize_encoded(encoded, self.key)
        previous = pseudonymize_encoded(encoded, self.previous) if self.previous else None
        del encoded
        valid = good.select(
            pl.col(ROW),
            pl.Series("pseudonym", pseudonyms, dtype=pl.Binary),
            pl.Series("previous_pseudonym", previous, dtype=pl.Binary)
            if previous is not None
            else pl.lit(None, dtype=pl.Binary).alias("previous_pseudonym"),
            pl.col("birth_year_n").cast(pl.Int32).alias("birth_year"),
            pl.col("sex_code").alias("sex"),
            pl.col("nationality_id"),
            pl.col("province").fill_null(""),
            pl.col("department_id"),
            pl.col("first_date").alias("first_visit"),
            pl.col("last_date").alias("last_visit"),
            pl.col("care_code").alias("care_type"),
            pl.when(pl.col("days_n") > 0)
            .then(pl.col("days_n"))
            .cast(pl.Int32)
            .alias("inpatient_days"),
            pl.col("fees_n").alias("fees_krw"),
            pl.col("facilitator_id"),
            pl.col("diagnosis_code").fill_null("").alias("diagnosis"),
        )
        valid, duplicate_errors = self._drop_duplicates(valid)
        valid, locked_errors = self._classify(valid)
        errors.extend(duplicate_errors)
        errors.extend(locked_errors)
        refused_rows = {error.row for error in errors}
        refused = self._refused_cells(batch.filter(pl.col(ROW).is_in(list(refused_rows))))
        if duplicate_errors or locked_errors:
            valid = valid.filter(~pl.col(ROW).is_in(list(refused_rows)))
        # In pseudonym order: staged so, and written so, the natural-key index is filled in
        # runs rather than at random (a quarter less work for the database).
        valid = valid.sort("pseudonym")
        errors.sort(
            key=lambda error: (
                error.row,
                COLUMN_NAMES.index(error.column) if error.column in COLUMN_NAMES else 99,
            )
        )
        return BatchResult(valid=valid, errors=errors, refused=refused)

    def _checks(self, start: datetime.date, end: datetime.date) -> list[Check]:
        col = pl.col
        checks: list[Check] = [Check("formula", "", col(FORMULAS).is_not_null())]
        for name in REQUIRED:
            # A formula cell is reported as such, not as a missing value.
            has_formula = col(FORMULAS).fill_null("").str.contains(f"(?:^|;){name}=")
            checks.append(Check("required", name, col(name).is_null() & ~has_formula))
        checks += [
            Check(
                "invalid_patient_id",
                "patient_id",
                col("patient_id").is_not_null()
                & ~col("_normalized_id").str.contains(r"^[\p{L}\p{N}]{4,32}$"),
            ),
            Check(
                "invalid_birth_year",
                "birth_year",
                col("birth_year").is_not_null()
                & (col("birth_year_n").is_null() | ~col("birth_year_n").is_between(1000, 9999)),
            ),
            Check(
                "birth_year_range",
                "birth_year",
                col("birth_year_n").is_between(1000, 9999)
                & (
                    (col("birth_year_n") < EARLIEST_BIRTH_YEAR)
                    | (
                        col("birth_year_n")
                        > pl.coalesce(col("first_date").dt.year(), self.period.year)
                    )
                ),
                lambda row: {"earliest": EARLIEST_BIRTH_YEAR, "latest": self.period.year},
            ),
            Check(
                "invalid_sex",
                "sex",
                col("sex").is_not_null() & col("sex_code").is_null(),
                lambda row: {"value": f"“{row['sex']}”"},
            ),
            Check(
                "unknown_nationality",
                "nationality",
                col("nationality").is_not_null() & col("nationality_id").is_null(),
                self._resolution_params("nationality"),
            ),
            Check(
                "unknown_department",
                "department",
                col("department").is_not_null() & col("department_id").is_null(),
                self._resolution_params("department"),
            ),
            Check(
                "unknown_facilitator",
                "facilitator",
                col("facilitator").is_not_null() & col("facilitator_id").is_null(),
                self._resolution_params("facilitator"),
            ),
        ]
        for column, parsed in (("first_visit", "first_date"), ("last_visit", "last_date")):
            checks += [
                Check(
                    "invalid_date",
                    column,
                    col(column).is_not_null() & col(parsed).is_null(),
                    _quoted(column),
                ),
                Check(
                    "future_date",
                    column,
                    col(parsed) > self.today,
                    _dated(parsed),
                ),
                Check(
                    "outside_period",
                    column,
                    (col(parsed) <= self.today) & ~col(parsed).is_between(start, end),
                    _dated(parsed, {"start": _fmt(start), "end": _fmt(end)}),
                ),
            ]
        stay = (col("last_date") - col("first_date")).dt.total_days() + 1
        checks += [
            Check(
                "last_before_first",
                "last_visit",
                col("last_date") < col("first_date"),
                lambda row: {"last": _fmt(row["last_date"]), "first": _fmt(row["first_date"])},
            ),
            Check(
                "invalid_care_type",
                "care_type",
                col("care_type").is_not_null() & col("care_code").is_null(),
                lambda row: {"value": f"“{row['care_type']}”"},
            ),
            Check(
                "invalid_inpatient_days",
                "inpatient_days",
                col("inpatient_days").is_not_null()
                & (col("days_n").is_null() | (col("days_n") < 0)),
            ),
            Check(
                "inpatient_days_not_inpatient",
                "inpatient_days",
                (col("days_n") > 0)
                & col("care_code").is_not_null()
                & (col("care_code") != CareType.INPATIENT.value),
            ),
            Check(
                "inpatient_days_exceed_stay",
                "inpatient_days",
                (col("care_code") == CareType.INPATIENT.value) & (col("days_n") > stay),
                lambda row: {
                    "days": row["days_n"],
                    "stay": (row["last_date"] - row["first_date"]).days + 1,
                },
            ),
            Check(
                "invalid_fees", "fees_krw", col("fees_krw").is_not_null() & col("fees_n").is_null()
            ),
            Check("negative_fees", "fees_krw", col("fees_n") < 0),
            Check(
                "fees_too_large",
                "fees_krw",
                col("fees_n") > MAX_FEES_KRW,
                lambda row: {"limit": f"{MAX_FEES_KRW:,}"},
            ),
            Check(
                "invalid_diagnosis",
                "diagnosis",
                col("diagnosis_code").is_not_null()
                & ~col("diagnosis_code").str.contains(r"^[A-Z]\d{2}(\.[0-9A-Z]{1,4})?$"),
                lambda row: {"value": f"“{row['diagnosis']}”"},
            ),
            Check(
                "province_not_china",
                "province",
                col("province").is_not_null()
                & col("nationality_id").is_not_null()
                & (col("nationality_id") != (self.china_id or -1)),
            ),
        ]
        for column, limit in TEXT_LIMITS.items():
            checks.append(
                Check(
                    "too_long",
                    column,
                    col(column).str.len_chars() > limit,
                    _fixed({"limit": limit}),
                )
            )
        return checks

    def _errors_for(self, check: Check, row: dict[str, Any]) -> list[RowError]:
        if check.code == "formula":
            errors = []
            for marked in (row[FORMULAS] or "").split(";"):
                column, _eq, cell = marked.partition("=")
                errors.append(RowError(row[ROW], column, "", "formula", {"cell": cell}))
            return errors
        code = check.code
        if code in ("unknown_nationality", "unknown_department", "unknown_facilitator"):
            code = self._resolution_code(check.column, row)
        value = row.get(check.column)
        shown = mask_patient_id(value) if check.column == "patient_id" and value else _fmt(value)
        params = check.params(row) if check.params else {}
        return [RowError(row[ROW], check.column, shown, code, params)]

    def _refused_cells(self, rows: pl.DataFrame) -> pl.DataFrame:
        """Refused rows as read, with the patient ID masked and given as its pseudonym."""
        if rows.is_empty():
            return pl.DataFrame(
                schema={
                    ROW: pl.Int64,
                    "pseudonym": pl.String,
                    **dict.fromkeys(COLUMN_NAMES, pl.String),
                }
            )
        normalized = rows.get_column("_normalized_id").to_list()
        pseudonyms = [
            digest.hex() if value else None
            for value, digest in zip(
                normalized,
                pseudonymize_normalized([value or "" for value in normalized], self.key),
                strict=True,
            )
        ]
        masked = [
            mask_patient_id(value) if value else None
            for value in rows.get_column("patient_id").to_list()
        ]
        return rows.select(
            pl.col(ROW),
            pl.Series("pseudonym", pseudonyms, dtype=pl.String),
            *(
                pl.Series("patient_id", masked, dtype=pl.String)
                if name == "patient_id"
                else pl.col(name)
                for name in COLUMN_NAMES
            ),
        )

    def _drop_duplicates(self, valid: pl.DataFrame) -> tuple[pl.DataFrame, list[RowError]]:
        """The first row with a natural key wins; later ones in the file are refused.

        Keys of earlier batches are remembered in flat memory (`staging.SeenKeys`) as
        fixed-width integers; each batch costs the same late in a file as early.
        """
        keys = valid.select(pl.col(ROW).cast(pl.Int32), *_compact_key())
        first_in_batch = keys.group_by(SEEN_KEY).agg(pl.col(ROW).min().alias("first_row"))
        known = self.seen.earlier(first_in_batch)
        if known.is_empty():
            self.seen.add(first_in_batch)
            if first_in_batch.height == keys.height:
                return valid, []  # the usual case: nothing seen twice
            earlier = first_in_batch
        else:
            known = known.rename({"first_row": "first_row_seen"})
            self.seen.add(first_in_batch.join(known, on=SEEN_KEY, how="anti"))
            earlier = first_in_batch.join(known, on=SEEN_KEY, how="left").select(
                *SEEN_KEY, pl.coalesce("first_row_seen", "first_row").alias("first_row")
            )
        marked = keys.join(earlier, on=SEEN_KEY, how="left")
        duplicates = marked.filter(pl.col(ROW) != pl.col("first_row")).sort(ROW)
        errors = [
            RowError(row, "patient_id", "", "duplicate_in_file", {"first_row": first})
            for row, first in duplicates.select(ROW, "first_row").iter_rows()
        ]
        refused = duplicates.get_column(ROW).cast(pl.Int64).implode()
        return valid.filter(~pl.col(ROW).is_in(refused)), errors

    def _classify(self, valid: pl.DataFrame) -> tuple[pl.DataFrame, list[RowError]]:
        return classify(valid, self.existing, self.key, self.previous)


def existing_records(institution: Institution, period: ReportingPeriod) -> pl.DataFrame:
    """The institution's records whose natural key can meet this period's rows."""
    locked = (SubmissionStatus.LOCKED,)
    rows = (
        PatientRecord.objects.filter(
            institution=institution,
            first_visit__gte=period.starts_on,
            first_visit__lte=period.ends_on,
        )
        .values_list(
            "pk",
            "pseudonym",
            "pseudonym_version",
            "department_id",
            "first_visit",
            *VALUE_COLUMNS,
            "revision",
            "submission_id",
            "submission__status",
        )
        .iterator(chunk_size=10_000)
    )
    data = [
        (*row[:-1], row[-1] in locked)
        for row in ((row[0], bytes(row[1]), *row[2:]) for row in rows)
    ]
    return pl.DataFrame(data, schema=EXISTING_SCHEMA, orient="row")


def classify(
    valid: pl.DataFrame,
    existing: pl.DataFrame,
    key: PseudonymKey,
    previous: PseudonymKey | None,
) -> tuple[pl.DataFrame, list[RowError]]:
    """Mark each valid row new, unchanged or changed against the stored records.

    A row meets a record by natural key under the current key, or, while a rotation is under
    way, under the previous one. Changes to a record of a locked submission are refused.
    """
    existing = existing.rename({"pseudonym_version": "old_pseudonym_version"})
    current = existing.filter(pl.col("old_pseudonym_version") == key.version)
    matched = valid.join(current, on=list(KEY_COLUMNS), how="left")
    if previous is not None:
        older = existing.filter(pl.col("old_pseudonym_version") == previous.version).rename(
            {"pseudonym": "previous_pseudonym"}
        )
        via_previous = (
            valid.select(ROW, "previous_pseudonym", "department_id", "first_visit")
            .join(older, on=["previous_pseudonym", "department_id", "first_visit"], how="inner")
            .drop("previous_pseudonym", "department_id", "first_visit")
        )
        if not via_previous.is_empty():
            old_columns = [name for name in via_previous.columns if name != ROW]
            matched = (
                matched.join(via_previous, on=ROW, how="left", suffix="_prev")
                .with_columns(pl.coalesce(name, f"{name}_prev").alias(name) for name in old_columns)
                .drop([f"{name}_prev" for name in old_columns])
            )
    differs = pl.any_horizontal(
        pl.col(name).ne_missing(pl.col(f"old_{name}")) for name in VALUE_COLUMNS
    )
    matched = matched.with_columns(
        pl.when(pl.col("record_id").is_null())
        .then(pl.lit("new"))
        .when(differs)
        .then(pl.lit("changed"))
        .otherwise(pl.lit("unchanged"))
        .alias("change")
    )
    locked = matched.filter((pl.col("change") == "changed") & pl.col("locked").fill_null(False))
    errors = [
        RowError(row, "", "", "locked_record", {}) for row in locked.get_column(ROW).to_list()
    ]
    return matched, errors


def frame_of_rows(rows: Iterable[Mapping[str, Any]], first_row: int = 1) -> pl.DataFrame:
    """Form or API entries as a batch: the same validator checks them as it checks files."""
    data: dict[str, list[Any]] = {ROW: [], **{name: [] for name in COLUMN_NAMES}}
    for number, row in enumerate(rows, start=first_row):
        data[ROW].append(number)
        for name in COLUMN_NAMES:
            value = row.get(name)
            data[name].append(None if value is None else str(value))
    return pl.DataFrame(
        {
            name: pl.Series(name, values, dtype=pl.Int64 if name == ROW else pl.String)
            for name, values in data.items()
        }
    )
