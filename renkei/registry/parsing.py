"""Reading local governments as people type or paste them from Excel: by 団体コード or by name
(dates are read by renkei.core.dates.parse_date)."""

from renkei.core.text import ParseError, normalise
from renkei.municipalities.codes import check_digit, lg_code_error
from renkei.municipalities.models import Kind, LocalGovernment, katakana_to_hiragana


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
