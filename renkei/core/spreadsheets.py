"""Every spreadsheet renkei writes (open data, the HQ's 支援の状況, any other), written one way.

- Text is text: a cell never becomes a formula, whatever it starts with (`=HYPERLINK(…)`, `+`, `-`,
  `@`), and it stays text when someone edits it in Excel (the cell carries Excel's quote prefix).
- Characters a spreadsheet file cannot hold (control characters, U+FFFE/U+FFFF, lone surrogates)
  are left out, and a text longer than a cell holds is cut with "…", so the file always opens.
- Dates are dates and numbers are numbers (Excel sorts and filters them as such); a date and
  time is written in Japan's time, as the pages show it.
"""

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet application would run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What an XLSX file (XML 1.0) cannot hold.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
CELL_LIMIT = 32767  # characters in one cell (Excel)
DATE_FORMAT = "yyyy/mm/dd"
DATETIME_FORMAT = "yyyy/mm/dd hh:mm"


@dataclass
class Sheet:
    title: str
    rows: Iterable[Iterable] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)  # column number (1-based) → width


def text(value) -> str:
    """A text as a cell holds it."""
    value = _UNWRITABLE.sub("", str(value))
    return value if len(value) <= CELL_LIMIT else value[:CELL_LIMIT - 1] + "…"


def cell(sheet, value):
    """One cell, typed: text never a formula, a date a date, a number a number, nothing empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        written = WriteOnlyCell(sheet, value=value)
        written.number_format = DATETIME_FORMAT
        return written
    if isinstance(value, dt.date):
        written = WriteOnlyCell(sheet, value=value)
        written.number_format = DATE_FORMAT
        return written
    if isinstance(value, str | Promise):
        content = text(value)
        written = WriteOnlyCell(sheet, value=content)
        written.data_type = "s"  # never a formula
        if content.startswith(FORMULA_STARTS):
            written.quotePrefix = True  # and still text once edited in Excel
        return written
    return text(value)


def workbook(*sheets: Sheet) -> bytes:
    """The XLSX file of `sheets`, in order."""
    book = Workbook(write_only=True)
    for sheet in sheets:
        written = book.create_sheet(text(sheet.title)[:31] or "Sheet")
        for column, width in sheet.widths.items():
            written.column_dimensions[_letter(column)].width = width
        for row in sheet.rows:
            written.append([cell(written, value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)
