from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.municipalities.codes import lg_code_error


def validate_lg_code(value: str) -> None:
    message = lg_code_error(value)
    if message:
        raise ValidationError(message)


class Kind(models.TextChoices):
    PREFECTURE = "prefecture", _("都道府県")
    DESIGNATED_CITY = "designated_city", _("政令指定都市")
    CITY = "city", _("市")
    SPECIAL_WARD = "special_ward", _("特別区")
    TOWN = "town", _("町")
    VILLAGE = "village", _("村")


MUNICIPAL_KINDS = (Kind.DESIGNATED_CITY, Kind.CITY, Kind.SPECIAL_WARD, Kind.TOWN, Kind.VILLAGE)
CITY_KINDS = (Kind.DESIGNATED_CITY, Kind.CITY)


class LocalGovernmentQuerySet(models.QuerySet):
    def prefectures(self):
        return self.filter(kind=Kind.PREFECTURE)

    def municipalities(self):
        return self.exclude(kind=Kind.PREFECTURE)

    def special_wards(self):
        return self.filter(kind=Kind.SPECIAL_WARD)

    def in_prefecture(self, prefecture_code: str):
        # The first two digits of every 団体コード are its prefecture's.
        return self.filter(code__startswith=prefecture_code)

    def by_code(self, code: str) -> "LocalGovernment":
        """The one named by a 団体コード typed in a URL; a 404 saying what is wrong otherwise."""
        from renkei.core.errors import NotFound

        error = lg_code_error(code)
        if error:
            raise NotFound(error)
        found = self.filter(code=code).first()
        if found is None:
            raise NotFound(f"団体コード「{code}」の地方公共団体はありません。")
        return found

    def search(self, text: str):
        """Partial match on name or kana (hiragana; katakana input, half-width too, is folded)."""
        from renkei.core.text import normalise

        text = katakana_to_hiragana(normalise(text))
        if not text:
            return self
        return self.filter(models.Q(name__contains=text) | models.Q(kana__contains=text))


def katakana_to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


class LocalGovernment(models.Model):
    """A prefecture or municipality of Japan (地方公共団体), keyed by its 団体コード."""

    code = models.CharField(
        _("団体コード"), max_length=6, primary_key=True, validators=[validate_lg_code]
    )
    name = models.CharField(_("名称"), max_length=32)
    kana = models.CharField(_("よみがな"), max_length=64)
    kind = models.CharField(_("種別"), max_length=16, choices=Kind.choices)
    # A prefecture's own row points at itself, so every row has one.
    prefecture = models.ForeignKey(
        "self",
        verbose_name=_("都道府県"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        limit_choices_to={"kind": Kind.PREFECTURE},
    )
    lat = models.FloatField(_("緯度"))
    lng = models.FloatField(_("経度"))

    objects = LocalGovernmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("地方公共団体")
        verbose_name_plural = _("地方公共団体")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["prefecture", "kind"]),
            models.Index(fields=["kind"]),
            models.Index(fields=["kana"]),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:local_government", args=[self.code])

    @property
    def prefecture_code(self) -> str:
        return self.code[:2]

    @property
    def is_prefecture(self) -> bool:
        return self.kind == Kind.PREFECTURE

    @property
    def is_special_ward(self) -> bool:
        return self.kind == Kind.SPECIAL_WARD

    @property
    def full_name(self) -> str:
        """北海道厚真町; a prefecture is its own full name."""
        if self.is_prefecture:
            return self.name
        return f"{self.prefecture.name}{self.name}"
