"""What people type, read once in one place: full-width digits, letters, hyphens and spaces are
folded to half-width (NFKC) before anything is checked, so ０１７９－２０－１１１１ and 0179-20-1111
are the same number."""

import unicodedata


class ParseError(ValueError):
    """The message says, in Japanese, what is wrong with the value."""


def normalise(text) -> str:
    """NFKC (全角英数→半角, 半角カナ→全角) and trimmed; dashes people type for hyphens become '-'."""
    text = unicodedata.normalize("NFKC", str(text or "")).strip()
    return text.translate(DASHES)


# ー (長音) is not among them: it belongs to words (センター).
DASHES = str.maketrans({"−": "-", "‐": "-", "‑": "-", "–": "-", "—": "-", "―": "-", "－": "-", "﹣": "-"})
