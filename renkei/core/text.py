"""What people type, read once in one place: full-width digits, letters, hyphens and spaces are
folded to half-width (NFKC) before anything is checked, so ０１７９－２０－１１１１ and 0179-20-1111
are the same number."""

import re
import tomllib
import unicodedata
from pathlib import Path


class ParseError(ValueError):
    """The message says, in Japanese, what is wrong with the value."""


def normalise(text) -> str:
    """NFKC (全角英数→半角, 半角カナ→全角) and trimmed; dashes people type for hyphens become '-',
    variant characters the common form (檮原 is 梼原)."""
    text = unicodedata.normalize("NFKC", "" if text is None else str(text)).strip()
    return text.translate(DASHES).translate(VARIANTS)


def fold(text) -> str:
    """What a search compares: NFKC, case-folded, variant characters in their common form."""
    return unicodedata.normalize("NFKC", "" if text is None else str(text)).casefold().translate(VARIANTS)


def name_key(text) -> str:
    """What two names are compared by (imports, lookups of a place or a disaster by name): as
    `fold`, dashes as '-', and ヶ as ケ (core/data/variants.toml). Never stored."""
    return fold(text).translate(DASHES).translate(COMPARED).strip()


_TABLE = tomllib.loads((Path(__file__).resolve().parent / "data" / "variants.toml").read_text("utf-8"))
# 異体字 of place names folded to the form the reference data uses (core/data/variants.toml).
VARIANTS = str.maketrans(_TABLE["fold"])
# Spellings both of which official names use (ヶ/ケ): folded only to compare two names.
COMPARED = str.maketrans(_TABLE["compare"])

# ー (長音) is not among them: it belongs to words (センター).
DASHES = str.maketrans({"−": "-", "‐": "-", "‑": "-", "–": "-", "—": "-", "―": "-", "－": "-", "﹣": "-"})


# Characters no one means to type and nothing can show: C0 controls but tab and line breaks, DEL,
# C1 controls, the byte-order mark, interlinear annotation marks and the two non-characters
# U+FFFE/U+FFFF. Pasted from mails, terminals and LINE; removed where text comes in and where it
# is printed. (NUL is refused outright: renkei.core.nul.)
CONTROLS = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\ufff9-\ufffb\ufffe\uffff]")


def without_controls(text: str) -> str:
    return CONTROLS.sub("", text)


# The digits a number may be typed with: ASCII and full-width. ①, ², ፩ and the like are refused
# rather than read (NFKC would make ² a 2 and ① a 1).
DIGITS = frozenset("0123456789０１２３４５６７８９")
_NUMBER = re.compile(r"(?P<sign>-)?(?:(?P<oku>\d+)億)?(?:(?P<man>\d+)万)?(?P<ones>\d+)?")
# Beyond this a number is a typing mistake, not an amount (about 1,000兆).
LARGEST = 10**15


def whole_number(typed, *, label: str = "数", unit: str = "") -> int:
    """A whole number as people type it: 1200, １，２００, 1,200円, 5,500万, 1億2,000万, ３人.
    Commas and spaces between digits are dropped; `unit` (人, 円 …) may follow. Bounds are the
    caller's; a number past LARGEST is refused here."""
    text = re.sub(r"[,，、\s]", "", "" if typed is None else str(typed))
    example = "（例: 1,200）"
    if any(character.isdigit() and character not in DIGITS for character in text):
        raise ParseError(f"{label}は半角か全角の数字で書いてください{example}。")
    text = normalise(text).removesuffix("円")
    if unit:
        text = text.removesuffix(unit)
    found = _NUMBER.fullmatch(text)
    if not text or not found or not any(found[part] for part in ("oku", "man", "ones")):
        raise ParseError(f"{label}は数字で書いてください{example}。")
    if sum(len(found[part] or "") for part in ("oku", "man", "ones")) > 16:
        raise ParseError(f"{label}が大きすぎます。")
    value = int(found["oku"] or 0) * 10**8 + int(found["man"] or 0) * 10**4 + int(found["ones"] or 0)
    if len(found["ones"] or "") > 4 and found["man"] or len(found["man"] or "") > 4 and found["oku"]:
        raise ParseError(f"{label}の書き方が読めません{example}。")
    if value >= LARGEST:
        raise ParseError(f"{label}が大きすぎます。")
    return -value if found["sign"] else value
