"""What 数字で見る counts from, beyond the registry's records: the figures as publications printed
them, each fiscal year's 基準日, and from when the registry holds every record of a figure."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class StatisticsYear(models.Model):
    """A fiscal year of 数字で見る, counted as of its reference date (基準日) where the secretariat
    sets one; without it the year shows what was published for it, its day unknown."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    reference_date = models.DateField(
        _("基準日"), null=True, blank=True,
        help_text=_("この年度の数を数える日。公表値しかない年度は空欄（公表値の時点は不明）。"))

    class Meta:
        verbose_name = _("統計の年度")
        verbose_name_plural = _("統計の年度")
        ordering = ["fiscal_year"]

    def __str__(self) -> str:
        return f"{self.fiscal_year}年度（基準日 {self.reference_date or '不明'}）"


class RecordCoverage(models.Model):
    """From which date the registry holds every record of a figure; before it, the published
    figure stands (記録が揃う前の年度は公表値)."""

    metric = models.CharField(_("区分"), max_length=32, choices=Metric.choices, unique=True)
    complete_from = models.DateField(_("記録が揃っている開始日"))

    class Meta:
        verbose_name = _("記録の整備状況")
        verbose_name_plural = _("記録の整備状況")

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.complete_from}〜"
