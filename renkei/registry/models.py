import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.municipalities.models import CITY_KINDS, Kind, LocalGovernment


class Association(models.Model):
    """A body that stands for many municipalities (町村会, 市長会 …)."""

    class MembershipRule(models.TextChoices):
        TOWNS_AND_VILLAGES = "towns_and_villages", _("都道府県内の町村（町村会）")
        CITIES = "cities", _("都道府県内の市（市長会）")
        EDITED = "edited", _("個別に登録")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    prefecture = models.ForeignKey(
        LocalGovernment,
        verbose_name=_("都道府県"),
        on_delete=models.PROTECT,
        related_name="associations",
        limit_choices_to={"kind": Kind.PREFECTURE},
    )
    membership_rule = models.CharField(
        _("構成団体の決まり方"), max_length=32, choices=MembershipRule.choices
    )

    class Meta:
        verbose_name = _("団体（町村会・市長会等）")
        verbose_name_plural = _("団体（町村会・市長会等）")
        ordering = ["prefecture", "name"]

    def __str__(self) -> str:
        return self.name

    def members(self):
        """The member municipalities under the membership rule, from the reference data."""
        in_prefecture = LocalGovernment.objects.in_prefecture(self.prefecture.prefecture_code)
        if self.membership_rule == self.MembershipRule.TOWNS_AND_VILLAGES:
            return in_prefecture.filter(kind__in=[Kind.TOWN, Kind.VILLAGE])
        if self.membership_rule == self.MembershipRule.CITIES:
            return in_prefecture.filter(kind__in=CITY_KINDS)
        return LocalGovernment.objects.none()


class WideAreaAgreementQuerySet(models.QuerySet):
    def in_force_on(self, day: dt.date):
        return self.filter(signed_on__lte=day).filter(
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day)
        )


class WideAreaAgreement(models.Model):
    """広域連携協定: the 23 wards (特別区長会) with an association, signed on a date."""

    association = models.ForeignKey(
        Association, verbose_name=_("団体"), on_delete=models.PROTECT, related_name="agreements"
    )
    signed_on = models.DateField(_("締結日"), db_index=True)
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    # 協定締結団体一覧 prints, where a prefecture's 市長会 and 町村会 both signed, the
    # prefecture's total for both; kept as printed.
    printed_member_count = models.PositiveIntegerField(_("掲載された構成自治体数"), null=True, blank=True)
    source = models.ForeignKey(
        "sources.Publication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = WideAreaAgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("広域連携協定")
        verbose_name_plural = _("広域連携協定")
        ordering = ["signed_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["association", "signed_on"], name="one_agreement_a_day"),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=models.F("signed_on")),
                name="agreement_ends_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association}（{self.signed_on:%Y-%m-%d}）"


class CorporatePartnership(models.Model):
    """包括連携協定: the 23 wards with a company, signed on a date, over fields of cooperation."""

    company = models.CharField(_("企業名"), max_length=200, unique=True)
    signed_on = models.DateField(_("締結日"))
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    summary = models.TextField(_("概要"), blank=True)
    source = models.ForeignKey(
        "sources.Publication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("包括連携協定")
        verbose_name_plural = _("包括連携協定")
        ordering = ["signed_on"]

    def __str__(self) -> str:
        return self.company


class PartnershipField(models.Model):
    """One field of cooperation (連携事項) of a corporate partnership, in the printed order."""

    partnership = models.ForeignKey(
        CorporatePartnership, on_delete=models.CASCADE, related_name="fields_of_cooperation"
    )
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("連携事項"), max_length=200)

    class Meta:
        ordering = ["partnership", "position"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "position"], name="one_field_a_position")
        ]

    def __str__(self) -> str:
        return self.title


class Metric(models.TextChoices):
    EXCHANGE = "exchange_municipalities", _("各区の交流自治体")
    MEMBER = "member_municipalities", _("全国連携ホームページ会員登録自治体")
    AGREEMENT = "agreement_municipalities", _("広域連携協定締結自治体")
    TOTAL = "total", _("合計")


class PublishedFigure(models.Model):
    """A figure of 数字で見る交流自治体数の推移 as a publication printed it (None for 「-」)."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    metric = models.CharField(_("区分"), max_length=32, choices=Metric.choices)
    value = models.PositiveIntegerField(_("値"), null=True, blank=True)
    source = models.ForeignKey("sources.Publication", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("公表値")
        verbose_name_plural = _("公表値")
        ordering = ["fiscal_year", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "metric", "source"], name="one_figure_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.get_metric_display()}: {self.value}"
