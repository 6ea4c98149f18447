"""Whatever a person typed prints: the printing machinery (renkei.core.pdf) with what people paste."""

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from renkei.core import pdf
from renkei.testing import pdf_info, pdf_text

LAYOUT = Path(__file__).resolve().parent / "print_check.typ"
# `make fuzz` pastes many more.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))


def _print(*texts: str) -> bytes:
    return pdf.render(LAYOUT, {"title": texts[0], "texts": list(texts[1:])})


def test_controls_noncharacters_other_scripts_and_emoji_print():
    printed = _print("台風🌀の報告\x07", "ベル\x07エスケープ\x1b終わり", "非文字\ufffe", "ภาษาไทย", "了解🙂👍🏽",
                     "𠮷野家の葛󠄀飾", "BOM\ufeffの後", "未割当\u0378", "改行\r\nCRLF")
    assert pdf_info(printed)["Tagged"] == "yes"
    said = pdf_text(printed)
    assert "ベルエスケープ終わり" in said  # the controls are left out, the text around them kept
    assert "非文字〓" in said and "未割当〓" in said  # what no font draws prints as 〓
    assert "ภาษาไทย" in said  # drawn by Noto Sans Thai
    assert "𠮷野家" in said and "の後" in said and "\ufeff" not in said


def test_printable_leaves_text_people_mean_alone():
    covered = frozenset(map(ord, "台風の報告ab"))
    assert pdf.printable("台風\tの報告\nab", covered) == "台風\tの報告\nab"
    assert pdf.printable("a\x00\x07\x1b\x7f\x85b", covered) == "ab"
    assert pdf.printable("a\r\nb\rb", covered) == "a\nb\nb"
    assert pdf.printable("a\u200db\ufe0f", covered) == "a\u200db\ufe0f"  # joiners and selectors shape their neighbours
    assert pdf.printable("a\ufffe\U000f0000", covered) == "a〓〓"
    assert pdf.printable("\x07\u200b", covered) == "〓"  # typed, but nothing of it would show
    assert pdf.printable("", covered) == ""


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None)
@given(st.text(max_size=40).filter(str.strip), st.text(max_size=200))  # a title is required
def test_any_unicode_prints(title, text):
    printed = _print(title, text)
    assert printed.startswith(b"%PDF")
