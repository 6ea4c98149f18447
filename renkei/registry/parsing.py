"""Reading what people type or paste from Excel: local governments by code or name, and dates
in the forms Japanese offices write them (2018-04-01, 2018/4/1, 平成30年4月1日, H30.4.1, 令和元年5月1日)."""

import datetime as dt
import re
import unicodedata

from renkei.core.dates import ERAS
from renkei.municipalities.codes import check_digit, lg_code_error
from renkei.municipalities.models import Kind, LocalGovernment, katakana_to_hiragana

ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
ERA_BY_NAME = {era.name: era for era in ERAS}


class ParseError(ValueError):
    """The message says, in Japanese, what is wrong with the value."""


def normalise(text) -> str:
    """Full-width digits and letters to half-width, spaces trimmed (NFKC)."""
    return unicodedata.normalize("NFKC", str(text or "")).strip()


def parse_date(value) -> dt.date | None:
    """A date from a cell; None for an empty cell. Raises ParseError with a Japanese message."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = normalise(value).replace(" ", "")
    if not text:
        return None
    try:
        return _parse_date_text(text)
    except ValueError:
        raise ParseError(f"日付「{text[:20]}」を読み取れません（例: 2018-04-01、平成30年4月1日）。") from None


def _parse_date_text(text: str) -> dt.date:
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if match:
        return dt.date(*map(int, match.groups()))
    match = re.fullmatch(r"(明治|大正|昭和|平成|令和|[MTSHRmtshr])(元|\d{1,2})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?", text)
    if match:
        era_text, year_text, month, day = match.groups()
        era = ERA_BY_NAME[ERA_LETTERS.get(era_text.upper(), era_text)]
        era_year = 1 if year_text == "元" else int(year_text)
        result = dt.date(era.first_year + era_year - 1, int(month), int(day))
        following = [e for e in ERAS if e.since > era.since]
        if result < era.since or (following and result >= min(e.since for e in following)):
            raise ValueError("outside the era")
        return result
    raise ValueError(text)


def resolve_local_government(value, *, wards_only: bool = False) -> LocalGovernment:
    """A local government from a 団体コード (6 digits, or 5 without the check digit) or a name
    (厚真町, 北海道厚真町, あつまちょう). Raises ParseError naming the problem."""
    text = normalise(value)
    if not text:
        raise ParseError("団体が空欄です。")
    if text.isdigit():
        code = text + check_digit(text) if len(text) == 5 else text
        error = lg_code_error(code)
        if error:
            raise ParseError(error)
        lg = LocalGovernment.objects.select_related("prefecture").filter(code=code).first()
        if lg is None:
            raise ParseError(f"団体コード「{code}」の地方公共団体はありません。")
        return _check_kind(lg, wards_only)
    candidates = _by_name(text)
    if wards_only:
        candidates = [lg for lg in candidates if lg.kind == Kind.SPECIAL_WARD]
    if not candidates:
        raise ParseError(f"「{text[:30]}」という{'特別区' if wards_only else '地方公共団体'}は見つかりません。")
    if len(candidates) > 1:
        names = "、".join(lg.full_name for lg in candidates[:5])
        raise ParseError(f"「{text[:30]}」は複数あります（{names}）。都道府県名から書くか団体コードで指定してください。")
    return _check_kind(candidates[0], wards_only)


def _by_name(text: str) -> list[LocalGovernment]:
    queryset = LocalGovernment.objects.select_related("prefecture")
    kana = katakana_to_hiragana(text)
    exact = list(queryset.filter(name=text)) or list(queryset.filter(kana=kana))
    if exact:
        return exact
    for prefecture in LocalGovernment.objects.prefectures():
        if text.startswith(prefecture.name) and len(text) > len(prefecture.name):
            rest = text[len(prefecture.name):]
            return list(queryset.filter(code__startswith=prefecture.prefecture_code, name=rest))
    return []


def _check_kind(lg: LocalGovernment, wards_only: bool) -> LocalGovernment:
    if wards_only and lg.kind != Kind.SPECIAL_WARD:
        raise ParseError(f"{lg.full_name}は特別区（東京23区）ではありません。")
    return lg
