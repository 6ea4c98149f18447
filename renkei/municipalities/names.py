"""Local governments as clerks write or paste them: a 団体コード (6 digits, or 5 without the check
digit) or a name (厚真町, 北海道厚真町, あつまちょう, アツマチョウ, full width too). One reading,
one set of messages, for the forms and the spreadsheet imports alike."""

from django.db.models import Q

from renkei.core.text import ParseError, name_key, normalise
from renkei.municipalities.codes import check_digit, lg_code_error
from renkei.municipalities.models import Kind, LocalGovernment, katakana_to_hiragana


class Names:
    """Finds local governments by code, name, full name or reading.

    A form asks for one or two and looks each up in the database; an import of thousands of rows
    (`Names(preload=True)`) reads all 1,788 once and finds each in memory.
    """

    def __init__(self, *, preload: bool = False):
        self._by_code = self._by_name = None
        if preload:
            self._by_code, self._by_name = {}, {}
            for lg in LocalGovernment.objects.select_related("prefecture"):
                self._by_code[lg.code] = lg
                for key in {name_key(lg.name), name_key(lg.full_name), lg.kana}:
                    self._by_name.setdefault(key, []).append(lg)

    def _by_code_of(self, code: str) -> LocalGovernment | None:
        if self._by_code is not None:
            return self._by_code.get(code)
        return LocalGovernment.objects.select_related("prefecture").filter(code=code).first()

    def _named(self, text: str) -> list[LocalGovernment]:
        kana = katakana_to_hiragana(text)
        if self._by_name is not None:
            return self._by_name.get(name_key(text)) or self._by_name.get(kana) or []
        # Official names write both ケ (袖ケ浦市) and ヶ (鶴ヶ島市): either finds the one it names.
        spellings = Q(name=text) | Q(name=text.replace("ヶ", "ケ")) | Q(name=text.replace("ケ", "ヶ"))
        found = list(LocalGovernment.objects.select_related("prefecture").filter(spellings | Q(kana=kana)))
        if found:
            return found
        for prefecture in LocalGovernment.objects.prefectures():  # 北海道厚真町: a prefecture, then a name
            if text.startswith(prefecture.name) and len(text) > len(prefecture.name):
                rest = text[len(prefecture.name):]
                return list(LocalGovernment.objects.select_related("prefecture").filter(
                    Q(name=rest) | Q(name=rest.replace("ヶ", "ケ")) | Q(name=rest.replace("ケ", "ヶ")),
                    code__startswith=prefecture.prefecture_code))
        return []

    def resolve(self, value, *, wards_only: bool = False) -> LocalGovernment:
        """The one local government the text names; ParseError saying what is wrong otherwise.
        With `wards_only`, a name shared with a special ward means the ward."""
        text = normalise(value)
        if not text:
            raise ParseError("空欄です。")
        if text.isdigit():
            code = text + check_digit(text) if len(text) == 5 else text
            error = lg_code_error(code)
            if error:
                raise ParseError(error)
            lg = self._by_code_of(code)
            if lg is None:
                raise ParseError(f"団体コード「{code}」の地方公共団体はありません。")
            found = [lg]
        else:
            found = self._named(text)
        if wards_only and len(found) > 1:
            found = [lg for lg in found if lg.kind == Kind.SPECIAL_WARD] or found
        if not found:
            raise ParseError(f"「{text[:30]}」という{'特別区' if wards_only else '地方公共団体'}は見つかりません。")
        if len(found) > 1:
            names = "、".join(lg.full_name for lg in found[:5])
            raise ParseError(f"「{text[:30]}」は複数あります（{names}）。都道府県名から書くか団体コードで指定してください。")
        if wards_only and found[0].kind != Kind.SPECIAL_WARD:
            raise ParseError(f"{found[0].full_name}は特別区（東京23区）ではありません。")
        return found[0]


def resolve_local_government(value, *, wards_only: bool = False) -> LocalGovernment:
    """One local government from what a person typed, looked up in the database."""
    return Names().resolve(value, wards_only=wards_only)


def spoken(lg: LocalGovernment) -> list[str]:
    """The names a place is found by: its full name and its reading in hiragana and in katakana
    (あおもり, アオモリ, ｱｵﾓﾘ all find 青森)."""
    return [lg.full_name, lg.kana, "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in lg.kana)]
