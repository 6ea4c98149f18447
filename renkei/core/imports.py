"""The spreadsheet import (取込): one engine for every kind of record the secretariat brings from
Excel or CSV. The apps declare what their files hold — an `ImportKind` with its columns, beside
their models — and register it in AppConfig.ready(); the engine does the rest.

Reading refuses what is not a spreadsheet, oversized files and zip bombs. Checking reads every row,
cell by cell through each column's parser, then the row as a whole through the domain's own rule,
and reports every problem by row and column in Japanese. Nothing is written until the whole file
is valid and the secretariat has confirmed it (an `ImportBatch` keeps the checked rows meanwhile);
then the kind writes all its rows through its app's services, in one transaction.
"""

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from renkei.core.audit import log_action
from renkei.core.dates import parse_date
from renkei.core.models import ImportBatch
from renkei.core.text import ParseError, name_key, normalise, whole_number

MAX_BYTES = 10 * 1024 * 1024  # the largest file accepted
MAX_UNZIPPED = 100 * 1024 * 1024  # an XLSX may not expand beyond this
MAX_RATIO = 100  # nor compress better than this (a zip bomb does)
MAX_ROWS = 20_000
MAX_COLUMNS = 50  # an import's columns are fewer than a dozen; a sheet wider than this is not one
PREVIEW_ROWS = 200


class ImportRefused(Exception):
    """The file as a whole cannot be read or written; the message says why."""


@dataclass
class RowError:
    row: int  # as Excel numbers it: the header is row 1
    column: str
    message: str


# --- Columns: what each cell holds, how it is read and how the preview shows it ---

@dataclass(frozen=True)
class Column:
    key: str  # the value's name in a row (often the model's field)
    label: str  # the header as the page and the errors name it
    parse: Callable[[Any, Any], Any] = None  # (cell, the kind's lookups) → value; ParseError says what is wrong
    headers: tuple[str, ...] = ()  # other headers that mean the same column
    required: bool = False  # the header must be there and the cell filled
    default: Any = None  # the value of an empty cell (or a missing column)
    show: Callable[[Any], str] | None = None  # how the preview shows a value (else `shown`)

    def read(self, cell, lookups):
        return (self.parse or text())(cell, lookups)

    def shown(self, value) -> str:
        return str(self.show(value)) if self.show is not None and value is not None else shown(value)


def text(max_length: int = 200) -> Callable:
    """Free text, trimmed and cut at max_length."""
    return lambda cell, lookups: normalise(cell)[:max_length]


def date(cell, lookups) -> dt.date | None:
    """2018-04-01, 2018/4/1, 平成30年4月1日, H30.4.1 or an Excel date."""
    return parse_date(cell)


def count(label: str, unit: str = "") -> Callable:
    """A whole number of at least 1, as typed: 1,000, ３人, 55,000,000円."""
    def parse(cell, lookups) -> int:
        value = whole_number(cell, label=label, unit=unit)
        if value < 1:
            raise ParseError(f"{label}は1以上の整数で書いてください（「{normalise(cell)[:20]}」）。")
        return value
    return parse


def one_of(label: str, choices: Callable[[Any], dict], *, hint: str = "") -> Callable:
    """One of a list by its name: choices(lookups) maps each name to its value."""
    def parse(cell, lookups):
        name, known = normalise(cell), choices(lookups)
        keyed = {name_key(choice): value for choice, value in known.items()}  # （） or (), ヶ or ケ
        if name_key(name) not in keyed:
            listed = "、".join(list(known)[:12])
            raise ParseError(f"{label}「{name[:30]}」はありません（{listed}{' など' if len(known) > 12 else ''}）。{hint}")
        return keyed[name_key(name)]
    return parse


def several(parse_one: Callable) -> Callable:
    """Several values in one cell, separated by 「、」, commas, slashes or semicolons (not 「・」,
    which names contain)."""
    def parse(cell, lookups) -> list:
        typed = normalise(cell)
        for separator in ("、", ",", "/", ";"):
            typed = typed.replace(separator, "|")
        return [parse_one(part.strip(), lookups) for part in typed.split("|") if part.strip()]
    return parse


class ImportKind:
    """What a file may hold. Subclasses name their columns and write through their services."""

    key = ""
    label = ""
    audit_action = ""  # the audit entry of a whole import (each record has its own too)
    columns: tuple[Column, ...] = ()
    help = ""  # one line for the upload page: what is particular to this kind

    @property
    def header(self) -> str:
        return ", ".join(c.label for c in self.columns)

    def lookups(self):
        """What checking every row needs, fetched once (names of local governments, lists)."""
        return None

    def check_row(self, values: dict, lookups) -> None:
        """The domain's rules on a row as a whole (a period in order, a ward that is a ward):
        a ValidationError keyed by column key names the cells."""

    def check_rows(self, rows: list["Row"], lookups) -> list[RowError]:
        """Rules across rows (the same record twice, amounts that must add up to a total)."""
        return []

    def store(self, values: dict) -> dict:
        """A checked row as the batch keeps it (JSON: keys of records, dates as text)."""
        return {key: _stored(value) for key, value in values.items()}

    def apply(self, rows: list[dict], *, actor) -> int:
        """Write the stored rows through the app's services; returns how many records."""
        raise NotImplementedError

    def landing(self, rows: list[dict]) -> str:
        """Where the secretariat lands once the rows are written."""
        raise NotImplementedError


def _stored(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_stored(v) for v in value]
    return value


def shown(value) -> str:
    """A value as the preview shows it: names, not keys."""
    if value is None:
        return ""
    if hasattr(value, "full_name"):
        return value.full_name
    if isinstance(value, list | tuple):
        return "、".join(shown(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


KINDS: dict[str, ImportKind] = {}


def register(kind: ImportKind) -> None:
    """Apps add what their files hold, in AppConfig.ready()."""
    KINDS[kind.key] = kind


# --- Reading a file ---

def read_table(name: str, data: bytes) -> list[list]:
    """The cells of the first sheet (XLSX) or of the CSV (UTF-8 or CP932)."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(f"ファイルが大きすぎます（{len(data) // 1024 // 1024}MB）。10MBまでにしてください。")
    if not data:
        raise ImportRefused("ファイルが空です。")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise ImportRefused("Excelファイルとして読めません。.xlsx 形式で保存し直してください（.xls は未対応です）。")
    return _read_csv(data)


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile:
        raise ImportRefused("Excelファイルとして読めません。ファイルが壊れていないか確かめてください。") from None
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused("Excelのファイル（.xlsx）ではありません。")
    unzipped = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    if unzipped > MAX_UNZIPPED or unzipped / packed > MAX_RATIO:
        raise ImportRefused("ファイルの中身が大きすぎるため読み込みません（圧縮爆弾の疑い）。")
    _limit_size(*_stated_size(archive))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        # The sheet's own account of its size comes first, before a cell is read: a dense sheet
        # is refused at once instead of being parsed for half a minute.
        _limit_size(sheet.max_row, sheet.max_column)
        rows = []
        for row in sheet.iter_rows():  # streamed; a sheet that misstates its size stops at its first wide row
            values = [_xlsx_value(cell) for cell in row]
            while values and values[-1] is None:
                values.pop()  # formatted but empty cells at the end of a row
            _limit_size(len(rows) + 1, len(values))
            rows.append(values)
        workbook.close()
    except ImportRefused:
        raise
    except Exception:  # openpyxl raises many kinds on a malformed workbook
        raise ImportRefused("Excelファイルとして読めません。ファイルが壊れていないか確かめてください。") from None
    return rows


SHEET_HEAD = 256 * 1024  # enough of a sheet's XML to hold its stated size, or its first rows


def _stated_size(archive: zipfile.ZipFile) -> tuple[int | None, int | None]:
    """The first sheet's rows and columns as its head says — its <dimension>, else the widest of
    the rows that begin it — read from the first bytes only. (A sheet without <dimension> would
    have openpyxl read it whole just to size it, before a single row is returned.)"""
    from openpyxl.utils.cell import range_boundaries

    def head_of(name: str) -> str:
        with archive.open(name) as handle:
            return handle.read(SHEET_HEAD).decode("utf-8", "replace")

    try:
        first = re.search(r"<(?:\w+:)?sheet\b[^>]*?\b(?:\w+:)?id=\"([^\"]+)\"", head_of("xl/workbook.xml"))
        relations = head_of("xl/_rels/workbook.xml.rels")
        target = re.search(rf'<Relationship\b[^>]*\bId="{re.escape(first.group(1))}"[^>]*\bTarget="([^"]+)"', relations)
        if target is None:
            target = re.search(rf'<Relationship\b[^>]*\bTarget="([^"]+)"[^>]*\bId="{re.escape(first.group(1))}"', relations)
        path = target.group(1).lstrip("/")
        path = path if path.startswith("xl/") else f"xl/{path}"
        head, size = head_of(path), archive.getinfo(path).file_size
    except (AttributeError, KeyError):
        return None, None  # openpyxl will say what is wrong with it
    dimension = re.search(r'<(?:\w+:)?dimension\b[^>]*\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"', head)
    if dimension:
        min_col, min_row, max_col, max_row = range_boundaries(dimension.group(1))
        return max_row, max_col
    rows = re.findall(r"<(?:\w+:)?row\b.*?(?:</(?:\w+:)?row>|$)", head, flags=re.S)
    widest = max((len(re.findall(r"<(?:\w+:)?c[\s>/]", row)) for row in rows), default=0)
    # Rows are about as long further down: half again the limit's worth of bytes is too many rows.
    average = sum(len(row) for row in rows) / len(rows) if rows else 0
    estimated = int(size / average) if average else None
    return (estimated if estimated and estimated > MAX_ROWS * 3 // 2 else None), widest


def _limit_size(rows: int | None, columns: int | None) -> None:
    if rows and rows > MAX_ROWS + 1:
        raise ImportRefused(f"行が多すぎます。{MAX_ROWS:,}行までにしてください。")
    if columns and columns > MAX_COLUMNS:
        raise ImportRefused(f"列が多すぎます（{columns:,}列）。取り込む表は{MAX_COLUMNS}列までにしてください。"
                            "別の表や計算のための列は、取り込む前に消してください。")


class Formula(str):
    """A cell holding a formula: refused, since its value is not in the file."""


FORMULA = "数式は取り込めません。値に変換（形式を選択して貼り付け）してから保存してください。"


def _xlsx_value(cell):
    if getattr(cell, "data_type", None) == "f":
        return Formula(cell.value)
    return cell.value


def _read_csv(data: bytes) -> list[list]:
    if b"\x00" in data[:4096]:
        raise ImportRefused("CSVファイルではありません（テキストとして読めません）。")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            decoded = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused("文字コードを判別できません。UTF-8 または Shift_JIS（CP932）で保存してください。")
    rows = list(csv.reader(io.StringIO(decoded)))
    if len(rows) > MAX_ROWS + 1:
        raise ImportRefused(f"行が多すぎます。{MAX_ROWS:,}行までにしてください。")
    return rows


# --- Checking every row ---

@dataclass
class Row:
    number: int
    values: dict


@dataclass
class Checked:
    kind: ImportKind
    rows: list[Row] = field(default_factory=list)  # valid rows, read
    errors: list[RowError] = field(default_factory=list)
    total: int = 0

    def stored_rows(self) -> list[dict]:
        """The valid rows as a batch keeps them: the values to write, and the cells the preview shows."""
        return [{"row": row.number, "values": self.kind.store(row.values),
                 "shown": [c.shown(row.values.get(c.key)) for c in self.kind.columns]} for row in self.rows]


def _blank(cell) -> bool:
    return cell is None or normalise(cell) == ""


def _columns_of(kind: ImportKind, header: list) -> dict[int, Column]:
    """Which column of the file holds which of the kind's columns, from the header row; refuses a
    file whose header lacks a required one."""
    names = {name: column for column in kind.columns for name in (column.label, *column.headers)}
    found = {}
    for index, cell in enumerate(header):
        column = names.get(normalise(cell))
        if column is not None and column not in found.values():
            found[index] = column
    missing = [c.label for c in kind.columns if c.required and c not in found.values()]
    if missing:
        raise ImportRefused(f"1行目に列名がありません: {'、'.join(missing)}。1行目は「{kind.header}」としてください。")
    return found


def check(kind: ImportKind, table: list[list]) -> Checked:
    """Read and check every row of a table; raises ImportRefused when the file as a whole will not do."""
    if not table:
        raise ImportRefused("ファイルに行がありません。")
    columns = _columns_of(kind, table[0])
    lookups = kind.lookups()
    result = Checked(kind)
    for number, raw in enumerate(table[1:], start=2):
        cells = {column.key: (raw[i] if i < len(raw) else None) for i, column in columns.items()}
        if all(_blank(cell) for cell in cells.values()):
            continue
        result.total += 1
        errors, values = [], {column.key: column.default for column in kind.columns}
        for column in columns.values():
            cell = cells[column.key]
            if isinstance(cell, Formula):
                errors.append(RowError(number, column.label, FORMULA))
            elif _blank(cell):
                if column.required:
                    errors.append(RowError(number, column.label, f"{column.label}が空欄です。"))
            else:
                try:
                    values[column.key] = column.read(cell, lookups)
                except ParseError as error:
                    errors.append(RowError(number, column.label, str(error)))
        if not errors:
            try:
                kind.check_row(values, lookups)
            except ValidationError as error:
                errors += _row_errors(kind, number, error)
        if errors:
            result.errors += errors
        else:
            result.rows.append(Row(number, values))
    if result.total == 0:
        raise ImportRefused("取り込む行がありません（1行目は列名、2行目からデータ）。")
    refused = kind.check_rows(result.rows, lookups)
    if refused:
        wrong = {error.row for error in refused}
        result.rows = [row for row in result.rows if row.number not in wrong]
        result.errors += refused
    result.errors.sort(key=lambda e: e.row)
    return result


def _row_errors(kind: ImportKind, number: int, error: ValidationError) -> list[RowError]:
    labels = {column.key: column.label for column in kind.columns}
    if not hasattr(error, "error_dict"):
        return [RowError(number, "", message) for message in error.messages]
    return [RowError(number, labels.get(key, ""), message)
            for key, messages in error.message_dict.items() for message in messages]


# --- The batch: checked, shown, confirmed, written ---

def check_file(*, actor, kind: str, filename: str, data: bytes):
    """Read and check every row of an uploaded file, writing nothing else: the rows and their
    errors (by row and column) are kept as a batch for the secretariat to look at.
    Raises ImportRefused when the file as a whole cannot be read."""
    checked = check(KINDS[kind], read_table(filename, data))
    errors = [{"row": e.row, "column": e.column, "message": e.message} for e in checked.errors]
    return ImportBatch.objects.create(kind=kind, filename=filename[:255], uploaded_by=actor, total=checked.total,
                                      rows=checked.stored_rows(), errors=errors)


@transaction.atomic
def apply_batch(*, actor, batch_pk: int):
    """Write a checked batch through its kind (all rows or none) and mark it applied; returns the
    batch and how many records were written. Raises ImportRefused."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch_pk)
    if batch.status != ImportBatch.Status.CHECKED or batch.errors or not batch.rows or batch.kind not in KINDS:
        raise ImportRefused("この取込は実行できません（エラーがあるか、取込済みです）。")
    count = _apply(KINDS[batch.kind], _written(batch.rows), actor=actor, filename=batch.filename)
    batch.status = ImportBatch.Status.APPLIED
    batch.save(update_fields=["status"])
    return batch, count


def _written(stored: list[dict]) -> list[dict]:
    """What a kind writes: each row's values, with its number in the file (for messages)."""
    return [{"row": row["row"], **row["values"]} for row in stored]


def _apply(kind: ImportKind, rows: list[dict], *, actor, filename: str) -> int:
    with transaction.atomic():
        count = kind.apply(rows, actor=actor)
        log_action(actor=actor, action=kind.audit_action, obj=None,
                   changes={"file": [None, filename], "rows": [None, len(rows)], "records": [None, count]})
    return count


def landing(batch: ImportBatch) -> str:
    """Where the secretariat lands once a batch is written: the page that shows what it brought."""
    return KINDS[batch.kind].landing(_written(batch.rows))


def label_of(batch: ImportBatch) -> str:
    """What the batch's file holds, in Japanese (交流, 職員派遣 …)."""
    return KINDS[batch.kind].label if batch.kind in KINDS else batch.kind


def preview(batch: ImportBatch) -> tuple[list[str], list[dict]]:
    """The headings of the batch's kind and its first rows as the secretariat reads them."""
    kind = KINDS[batch.kind]
    return [c.label for c in kind.columns], [{"row": r["row"], "cells": r["shown"]} for r in batch.rows[:PREVIEW_ROWS]]


def import_file(path, kind: str, *, commit: bool, write) -> None:
    """What the import commands do: check a file, `write` a line for each error, and write the rows
    only with `commit` and no error. Raises ImportRefused when nothing was written."""
    from pathlib import Path

    file = Path(path)
    if not file.is_file():
        raise ImportRefused(f"ファイル {path} がありません。")
    checked = check(KINDS[kind], read_table(file.name, file.read_bytes()))
    write(f"{checked.total:,}行を確認: 取り込める行 {len(checked.rows):,}、エラー {len(checked.errors):,}件")
    for error in checked.errors:
        write(f"  {error.row}行目 [{error.column}] {error.message}")
    if checked.errors:
        raise ImportRefused("エラーがあるため取り込みませんでした。")
    if commit:
        count = _apply(KINDS[kind], _written(checked.stored_rows()), actor=None, filename=file.name)
        write(f"{count:,}件を取り込みました。")
    else:
        write("確認のみ行いました。登録するには --commit を付けてください。")
