from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.municipalities.models import LocalGovernment


class DatePrecision(models.TextChoices):
    DAY = "day", _("日")
    MONTH = "month", _("月")


class DisasterQuerySet(models.QuerySet):
    def with_support(self):
        return self.prefetch_related(
            "funds__recipients__local_government__prefecture",
            "funds__recipients__association",
            "dispatches__destinations__prefecture",
            "supplies",
        )


class Disaster(models.Model):
    """A disaster the 23 wards supported together (特別区が連携して対応した災害)."""

    class Kind(models.TextChoices):
        EARTHQUAKE = "earthquake", _("地震")
        TYPHOON = "typhoon", _("台風")
        HEAVY_RAIN = "heavy_rain", _("豪雨・大雨")
        LANDSLIDE = "landslide", _("土砂災害")

    name = models.CharField(_("災害名"), max_length=100, unique=True)
    kind = models.CharField(_("種別"), max_length=16, choices=Kind.choices)
    started_on = models.DateField(_("発災日"), db_index=True)
    ended_on = models.DateField(_("発災期間の終わり"), null=True, blank=True)
    date_precision = models.CharField(
        _("日付の精度"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    summary = models.TextField(_("概要"), blank=True)
    source = models.ForeignKey(
        "sources.Publication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DisasterQuerySet.as_manager()

    class Meta:
        verbose_name = _("災害")
        verbose_name_plural = _("災害")
        ordering = ["-started_on"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("disasters:detail", args=[self.pk])


class FundContribution(models.Model):
    """Money the 23 wards gave together: 復興支援金, or 義援金 (East Japan)."""

    class Kind(models.TextChoices):
        RECOVERY_FUND = "recovery_fund", _("復興支援金")
        DONATION = "donation", _("義援金")

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="funds")
    kind = models.CharField(_("種別"), max_length=16, choices=Kind.choices)
    amount_yen = models.PositiveBigIntegerField(_("金額（円）"), null=True, blank=True)

    class Meta:
        verbose_name = _("支援金")
        verbose_name_plural = _("支援金")
        ordering = ["disaster", "id"]

    def __str__(self) -> str:
        return f"{self.disaster} {self.get_kind_display()}"


class FundRecipient(models.Model):
    """Who received a contribution: a local government, or an association (岩手県市長会)."""

    contribution = models.ForeignKey(
        FundContribution, on_delete=models.CASCADE, related_name="recipients"
    )
    position = models.PositiveSmallIntegerField()
    local_government = models.ForeignKey(
        LocalGovernment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    association = models.ForeignKey(
        "registry.Association", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["contribution", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(local_government__isnull=False, association__isnull=True)
                | models.Q(local_government__isnull=True, association__isnull=False),
                name="recipient_is_one_body",
            )
        ]

    def __str__(self) -> str:
        return str(self.local_government or self.association)

    @property
    def body(self):
        return self.local_government or self.association


class StaffDispatch(models.Model):
    """Staff the wards sent (職員派遣): a cumulative head count as of a date, by job."""

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="dispatches")
    people = models.PositiveIntegerField(_("派遣人数（累積）"), null=True, blank=True)
    as_of = models.DateField(_("時点"), null=True, blank=True)
    roles = models.JSONField(_("職種"), default=list, blank=True)
    destinations = models.ManyToManyField(LocalGovernment, verbose_name=_("派遣先"), blank=True)

    class Meta:
        verbose_name = _("職員派遣")
        verbose_name_plural = _("職員派遣")
        ordering = ["disaster", "id"]

    def __str__(self) -> str:
        return f"{self.disaster} 職員派遣"


class SupplyProvision(models.Model):
    """Relief supplies sent (支援物資の提供)."""

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="supplies")
    description = models.CharField(_("内容"), max_length=200)

    class Meta:
        verbose_name = _("支援物資")
        verbose_name_plural = _("支援物資")
        ordering = ["disaster", "id"]

    def __str__(self) -> str:
        return self.description
