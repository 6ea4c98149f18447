"""Every spreadsheet renkei writes, written one way (renkei.core.spreadsheets): read back with
openpyxl's reader and, where installed, LibreOffice."""

import datetime as dt
import io
import os

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from renkei.core import spreadsheets

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))


def _read(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_text_never_runs_dates_and_numbers_are_typed():
    at = dt.datetime(2026, 12, 5, 4, 30, tzinfo=dt.UTC)  # 13:30 in Japan
    data = spreadsheets.workbook(spreadsheets.Sheet("物資", [
        ["品目", "数量", "発送日", "記録"],
        ['=HYPERLINK("http://example.com","水")', 100, dt.date(2026, 12, 5), at],
        ["ベル\x07と\x1bエスケープ\ufffe", 1.5, None, "+SUM(A1:A2)"],
        ["x" * 40000, True, None, "@cmd"],
    ]))
    sheet = _read(data)["物資"]
    formula, number, day, stamp = sheet[2]
    assert formula.data_type == "s" and formula.value.startswith("=HYPERLINK") and formula.quotePrefix
    assert number.value == 100 and number.data_type == "n"
    assert day.is_date and day.number_format == "yyyy/mm/dd"
    assert day.value == dt.datetime(2026, 12, 5)  # noqa: DTZ001 (a spreadsheet's date has no zone)
    assert stamp.is_date and stamp.value == dt.datetime(2026, 12, 5, 13, 30)  # noqa: DTZ001 (Japan's time)
    assert sheet["A3"].value == "ベルとエスケープ" and sheet["D3"].quotePrefix and sheet["D3"].data_type == "s"
    assert len(sheet["A4"].value) == spreadsheets.CELL_LIMIT and sheet["A4"].value.endswith("…")
    assert sheet["B4"].value == "はい" and sheet["D4"].quotePrefix


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=6))
def test_any_unicode_makes_a_file_that_opens(texts):
    sheet = _read(spreadsheets.workbook(spreadsheets.Sheet("テスト", [texts])))["テスト"]
    assert [cell.value or "" for cell in sheet[1]][:len(texts)] == [spreadsheets.text(t) for t in texts]
