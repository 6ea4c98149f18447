"""What people type, read once in one place: full-width digits, letters, hyphens and spaces are
folded to half-width (NFKC) before anything is checked, so ０１７９－２０－１１１１ and 0179-20-1111
are the same number."""

import unicodedata


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


# 異体字 of place names, as people may type them, to the form the reference data uses. NFKC
# leaves these alone (they are separate characters, not compatibility forms).
VARIANTS = str.maketrans({"檮": "梼", "﨑": "崎", "髙": "高", "德": "徳", "邊": "辺", "邉": "辺"})

# ー (長音) is not among them: it belongs to words (センター).
DASHES = str.maketrans({"−": "-", "‐": "-", "‑": "-", "–": "-", "—": "-", "―": "-", "－": "-", "﹣": "-"})
