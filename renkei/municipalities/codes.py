"""団体コード (local government code): five digits and a check digit (総務省の検査数字)."""

import re

LG_CODE_RE = re.compile(r"^\d{6}$")
PREFECTURE_CODE_RE = re.compile(r"^(0[1-9]|[1-3]\d|4[0-7])$")


def check_digit(first_five: str) -> str:
    """The check digit of a five-digit code: 11 minus the weighted sum mod 11, last digit."""
    if not re.fullmatch(r"\d{5}", first_five):
        raise ValueError(f"five digits expected, got {first_five!r}")
    total = sum(int(digit) * weight for digit, weight in zip(first_five, (6, 5, 4, 3, 2), strict=True))
    return str((11 - total % 11) % 10)


def with_check_digit(first_five: str) -> str:
    return first_five + check_digit(first_five)


def is_valid_lg_code(code: str) -> bool:
    return bool(LG_CODE_RE.match(code)) and check_digit(code[:5]) == code[5]


def lg_code_error(code: str) -> str | None:
    """A Japanese message saying what is wrong with a 団体コード, or None when it is valid."""
    if not LG_CODE_RE.match(code):
        return f"団体コード「{code}」は6桁の数字で指定してください。"
    if check_digit(code[:5]) != code[5]:
        return f"団体コード「{code}」の検査数字（6桁目）が正しくありません。"
    return None


def is_valid_prefecture_code(code: str) -> bool:
    return bool(PREFECTURE_CODE_RE.match(code))
