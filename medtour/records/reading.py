"""Reading a records file as it comes, in batches, never whole in memory.

The content decides the format, not the extension: an XLSX is a zip holding
`[Content_Types].xml` and `xl/workbook.xml`; anything else must be text (UTF-8, UTF-8 with a
byte-order mark, or CP949/EUC-KR as Korean Excel writes it), delimited by commas, semicolons or
tabs. Batches are Polars frames of text cells under the template's column names, plus `_row`,
the row number a spreadsheet shows (the header is row 1). XLSX formulas are never evaluated:
each formula cell is reported with its reference (`_formulas`) and its row refused.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import io
import os
import tempfile
import zipfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import polars as pl
from django.conf import settings
from django.utils.translation import gettext as _

from medtour.records.columns import REQUIRED, column_for_header

CHUNK = 1 << 20
BLOCK = 2 << 20  # about 25,000 rows of a typical records file
ROW = "_row"
FORMULAS = "_formulas"
XLSX_MEMBERS = ("[Content_Types].xml", "xl/workbook.xml")
TEXT_CONTROL = frozenset(chr(code) for code in range(32)) - {"\t", "\n", "\r", "\x0c"}


class FileRefused(Exception):
    """The file as a whole cannot be read; `message` says why in the user's language."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


@dataclass
class SourceFile:
    """A readable records file on disk and what was learnt about it."""

    path: Path
    name: str
    size: int
    sha256: str
    format: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ","
    headers: list[str] = field(default_factory=list)  # as written
    columns: dict[str, str] = field(default_factory=dict)  # header as written -> column
    ignored_headers: list[str] = field(default_factory=list)
    skip_lines: int = 0  # before the header (CSV)
    _temporary: list[Path] = field(default_factory=list)

    def close(self) -> None:
        for path in self._temporary:
            path.unlink(missing_ok=True)
        self._temporary.clear()

    def __enter__(self) -> SourceFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def scratch_dir() -> Path:
    path = Path(settings.VAR_DIR) / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _size_refusal(size: int | None = None) -> FileRefused:
    limit = settings.UPLOAD_LIMIT_BYTES
    return FileRefused(
        "too_large",
        _("The file is larger than the limit of %(limit)s MB; split it into smaller files.")
        % {"limit": f"{limit / 1_000_000:.0f}"},
    )


def spool(upload: IO[bytes], name: str) -> tuple[Path, bool]:
    """A path for an uploaded file: its own temporary file if it has one, else a copy.

    Returns the path and whether the caller must delete it. Stops as soon as the copy passes
    the size limit, so an oversized upload never fills the disk.
    """
    temporary = getattr(upload, "temporary_file_path", None)
    if callable(temporary):
        return Path(temporary()), False
    limit = settings.UPLOAD_LIMIT_BYTES
    handle, raw_path = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=scratch_dir())
    path = Path(raw_path)
    written = 0
    try:
        with os.fdopen(handle, "wb") as out:
            chunks = (
                upload.chunks()
                if hasattr(upload, "chunks")
                else iter(lambda: upload.read(CHUNK), b"")
            )
            for chunk in chunks:
                written += len(chunk)
                if written > limit:
                    raise _size_refusal()
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, True


def _is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    return all(member in names for member in XLSX_MEMBERS)


def _not_csv_or_xlsx() -> FileRefused:
    return FileRefused(
        "not_csv_or_xlsx",
        _("The file is neither CSV text nor an XLSX workbook, whatever its name says."),
    )


def _scan_text(path: Path, source: SourceFile) -> None:
    """One pass over the bytes: checksum, encoding, and a UTF-8 copy if the file is CP949."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    is_utf8 = True
    decoding = False
    first = True
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            if first:
                first = False
                if b"\x00" in chunk[:65536]:
                    raise _not_csv_or_xlsx()
            # Plain ASCII is UTF-8 and needs no decoding; once a chunk is not, every later
            # one goes through the decoder (a character may straddle two chunks).
            if is_utf8 and (decoding or not chunk.isascii()):
                decoding = True
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    is_utf8 = False
        if is_utf8:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                is_utf8 = False
    source.sha256 = digest.hexdigest()
    if is_utf8:
        with path.open("rb") as stream:
            source.encoding = "utf-8-sig" if stream.read(3) == codecs.BOM_UTF8 else "utf-8"
        return
    source.encoding = "cp949"
    handle, raw_copy = tempfile.mkstemp(prefix="cp949-", suffix=".csv", dir=scratch_dir())
    copy = Path(raw_copy)
    source._temporary.append(copy)
    korean = codecs.getincrementaldecoder("cp949")()
    try:
        with path.open("rb") as stream, os.fdopen(handle, "w", encoding="utf-8") as out:
            while chunk := stream.read(CHUNK):
                out.write(korean.decode(chunk))
            out.write(korean.decode(b"", final=True))
    except UnicodeDecodeError:
        raise FileRefused(
            "unknown_encoding",
            _(
                "The file is neither UTF-8 nor CP949/EUC-KR text. Save it as “CSV UTF-8” and "
                "try again."
            ),
        ) from None
    source.path = copy


def _header_line(path: Path) -> tuple[str, int]:
    """The header and how many lines precede it: blank ones, and the template's `#` notes."""
    skipped = 0
    with path.open("r", encoding="utf-8-sig", newline="") as stream:
        while line := stream.readline(1 << 16):
            if line.strip() and not line.lstrip().startswith("#"):
                return line, skipped
            skipped += 1
    return "", skipped


def _sniff_delimiter(header_line: str) -> str:
    counts = dict.fromkeys((",", ";", "\t"), 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda candidate: counts[candidate])
    return best if counts[best] else ","


def _map_headers(source: SourceFile, headers: list[Any]) -> None:
    source.headers = [str(header if header is not None else "").strip() for header in headers]
    seen: dict[str, str] = {}
    for written in source.headers:
        if not written:
            continue
        column = column_for_header(written)
        if column is None:
            source.ignored_headers.append(written)
            continue
        if column in seen:
            raise FileRefused(
                "duplicate_column",
                _("The columns “%(first)s” and “%(second)s” both hold %(column)s.")
                % {"first": seen[column], "second": written, "column": column},
            )
        seen[column] = written
        source.columns[written] = column
    missing = [column for column in REQUIRED if column not in seen]
    if missing:
        raise FileRefused(
            "missing_columns",
            _("Required columns are missing: %(columns)s. The first row must hold the headers.")
            % {"columns": ", ".join(missing)},
        )


def _prepare_csv(source: SourceFile) -> None:
    _scan_text(source.path, source)
    header_line, source.skip_lines = _header_line(source.path)
    if not header_line.strip():
        raise FileRefused("empty", _("The file is empty."))
    if any(char in TEXT_CONTROL for char in header_line):
        raise _not_csv_or_xlsx()
    source.delimiter = _sniff_delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=source.delimiter), [])
    _map_headers(source, header)


def _prepare_xlsx(source: SourceFile) -> None:
    digest = hashlib.sha256()
    with source.path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    source.sha256 = digest.hexdigest()
    rows = _xlsx_rows(source.path)
    try:
        first = next(rows, None)
    finally:
        rows.close()
    if first is None:
        raise FileRefused("empty", _("The file is empty."))
    _number, cells, _formula_cells = first
    _map_headers(source, cells)


def open_source(path: Path, name: str = "") -> SourceFile:
    """Check a file and learn its format, encoding, delimiter and columns.

    Raises FileRefused for a file that cannot be imported at all.
    """
    path = Path(path)
    name = name or path.name
    try:
        size = path.stat().st_size
    except OSError as error:
        raise FileRefused(
            "unreadable",
            _("The file %(name)s cannot be read: %(error)s")
            % {"name": name, "error": error.strerror},
        ) from error
    if size > settings.UPLOAD_LIMIT_BYTES:
        raise _size_refusal(size)
    if size == 0:
        raise FileRefused("empty", _("The file is empty."))
    is_zip = zipfile.is_zipfile(path)
    source = SourceFile(
        path=path, name=name, size=size, sha256="", format="xlsx" if is_zip else "csv"
    )
    try:
        if is_zip:
            if not _is_xlsx(path):
                raise _not_csv_or_xlsx()
            _prepare_xlsx(source)
        else:
            _prepare_csv(source)
    except BaseException:
        source.close()
        raise
    return source


def _batch_frame(columns: list[str], data: dict[str, list[Any]]) -> pl.DataFrame:
    frame = pl.DataFrame(
        {
            name: pl.Series(name, values, dtype=pl.String)
            for name, values in data.items()
            if name not in (ROW,)
        },
    )
    return frame.with_columns(pl.Series(ROW, data[ROW], dtype=pl.Int64)).select(
        [ROW, *columns, *([FORMULAS] if FORMULAS in data else [])]
    )


def _csv_blocks(source: SourceFile) -> Iterator[tuple[bytes, bytes]]:
    """(header line, whole records) in blocks of about BLOCK bytes.

    A block ends at a line break outside quotes, so a cell spanning lines stays whole. Reading
    blocks ourselves keeps memory flat whatever the file's size.
    """
    with source.path.open("rb") as stream:
        for _skipped in range(source.skip_lines):
            stream.readline()
        header = stream.readline()
        carry = b""
        while True:
            chunk = stream.read(BLOCK)
            data = carry + chunk
            if not chunk:
                if data.strip():
                    yield header, data if data.endswith(b"\n") else data + b"\n"
                return
            cut = data.rfind(b"\n")
            while cut != -1 and data.count(b'"', 0, cut) % 2:
                cut = data.rfind(b"\n", 0, cut)
            if cut == -1:
                carry = data
                continue
            carry = data[cut + 1 :]
            yield header, data[: cut + 1]


def _csv_batches(source: SourceFile, batch_size: int) -> Iterator[pl.DataFrame]:
    wanted = source.columns  # header as written -> column
    next_row = source.skip_lines + 2
    pending: pl.DataFrame | None = None
    for header, block in _csv_blocks(source):
        try:
            frame = pl.read_csv(
                io.BytesIO(header + block),
                separator=source.delimiter,
                has_header=True,
                infer_schema=False,
                quote_char='"',
                truncate_ragged_lines=True,
                raise_if_empty=False,
            )
        except pl.exceptions.PolarsError as error:
            raise FileRefused(
                "malformed_csv",
                _("The CSV file is malformed near row %(row)s: %(error)s")
                % {"row": next_row, "error": str(error).splitlines()[0]},
            ) from None
        selected = [
            pl.col(name).alias(wanted[key])
            for name in frame.columns
            if (key := name.replace("\ufeff", "").strip()) in wanted
        ]
        frame = frame.select(
            pl.int_range(next_row, next_row + frame.height, dtype=pl.Int64).alias(ROW), *selected
        )
        next_row += frame.height
        if pending is not None:
            frame = pl.concat([pending, frame], how="vertical")
        # Whole batches only: blocks end where lines do, batches where BATCH_SIZE says.
        whole = frame.height - frame.height % batch_size
        for start in range(0, whole, batch_size):
            yield frame.slice(start, batch_size)
        pending = frame.slice(whole) if whole < frame.height else None
    if pending is not None:
        yield pending


def _xlsx_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def _xlsx_rows(path: Path) -> Generator[tuple[int, list[Any], list[tuple[int, str]]], None, None]:
    """(row number, cell values, [(position, cell reference) of formula cells]) per row."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    stream = path.open("rb")  # a stream: openpyxl would judge a path by its extension
    try:
        book = load_workbook(stream, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        stream.close()
        raise FileRefused(
            "unreadable_xlsx",
            _("The XLSX workbook cannot be opened: %(error)s") % {"error": error},
        ) from None
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows():
            values: list[Any] = []
            formulas: list[tuple[int, str]] = []
            number = 0
            for position, cell in enumerate(row):
                if getattr(cell, "row", None):
                    number = cell.row or 0
                if getattr(cell, "data_type", None) == "f":
                    formulas.append((position, f"{get_column_letter(position + 1)}{cell.row}"))
                    values.append(None)
                else:
                    values.append(cell.value)
            if not number:
                continue
            if formulas or any(_xlsx_text(value) is not None for value in values):
                yield number, values, formulas
    finally:
        book.close()
        stream.close()


def _xlsx_batches(source: SourceFile, batch_size: int) -> Iterator[pl.DataFrame]:
    positions: dict[int, str] = {}
    for position, header in enumerate(source.headers):
        column = source.columns.get(header)
        if column is not None:
            positions[position] = column
    columns = list(positions.values())

    def empty() -> dict[str, list[Any]]:
        return {ROW: [], FORMULAS: [], **{column: [] for column in columns}}

    data = empty()
    rows = _xlsx_rows(source.path)
    next(rows, None)  # the header
    for number, values, formulas in rows:
        data[ROW].append(number)
        for position, column in positions.items():
            data[column].append(_xlsx_text(values[position]) if position < len(values) else None)
        marked = [
            f"{positions[position]}={ref}" for position, ref in formulas if position in positions
        ]
        data[FORMULAS].append(";".join(marked) or None)
        if len(data[ROW]) >= batch_size:
            yield _batch_frame(columns, data)
            data = empty()
    if data[ROW]:
        yield _batch_frame(columns, data)


def iter_batches(source: SourceFile, batch_size: int = 100_000) -> Iterator[pl.DataFrame]:
    """Text cells under column names, `_row` numbers and, for XLSX, `_formulas`."""
    if source.format == "xlsx":
        yield from _xlsx_batches(source, batch_size)
    else:
        yield from _csv_batches(source, batch_size)
