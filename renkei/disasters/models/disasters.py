from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.core import dates
from renkei.municipalities.models import LocalGovernment


class DatePrecision(models.TextChoices):
    DAY = "day", _("日")
    MONTH = "month", _("月")


def publicly_counted(through: str = "") -> Q:
    """What the public, the API and open data count of the dispatches (Dispatch.objects.public):
    confirmed by the secretariat, not cancelled (中止), never a drill's. `through` reaches the
    dispatches from another model (「dispatches__」 from a disaster)."""
    return (Q(**{f"{through}confirmed_at__isnull": False, f"{through}disaster__is_drill": False})
            & ~Q(**{f"{through}status": "cancelled"}))


class DisasterQuerySet(models.QuerySet):
    def public(self):
        """What the public, the API and open data see: never a drill (訓練)."""
        return self.filter(is_drill=False)

    def active(self):
        """Disasters the wards are working on now (対策本部 set up, not ended)."""
        return self.filter(activated_at__isnull=False).exclude(state=Disaster.State.CLOSED)

    def with_dispatch_count(self):
        """Each with `public_dispatches`: how many of its dispatches the public counts."""
        return self.annotate(public_dispatches=models.Count("dispatches", filter=publicly_counted("dispatches__")))

    def with_public_dispatches(self):
        """Only those with a dispatch the public counts."""
        return self.filter(publicly_counted("dispatches__")).distinct()

    def with_support(self):
        return self.prefetch_related(
            "funds__recipients__local_government__prefecture",
            "funds__recipients__association",
            "figures__destinations__prefecture",
            "supplies",
        )


class Disaster(models.Model):
    """A disaster the 23 wards supported together (特別区が連携して対応した災害)."""

    class Kind(models.TextChoices):
        EARTHQUAKE = "earthquake", _("地震")
        TYPHOON = "typhoon", _("台風")
        HEAVY_RAIN = "heavy_rain", _("豪雨・大雨")
        LANDSLIDE = "landslide", _("土砂災害")
        VOLCANO = "volcano", _("火山")
        SNOW = "snow", _("雪害")
        OTHER = "other", _("その他")

    class State(models.TextChoices):
        COLLECTING = "collecting", _("情報収集")
        SUPPORTING = "supporting", _("支援中")
        CONTINUING = "continuing", _("継続支援（中長期）")
        CLOSED = "closed", _("終結")
        # Loaded from a publication that does not say whether support ended: 終結 is not claimed.
        UNSTATED = "unstated", _("記載なし")

    name = models.CharField(_("災害名"), max_length=100, unique=True)
    kind = models.CharField(_("種別"), max_length=16, choices=Kind.choices)
    started_on = models.DateField(_("発災日"), db_index=True)
    ended_on = models.DateField(_("発災期間の終わり"), null=True, blank=True)
    date_precision = models.CharField(
        _("日付の精度"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    summary = models.TextField(_("被害の概要"), blank=True)
    affected = models.ManyToManyField(LocalGovernment, verbose_name=_("被災した都道府県・市区町村"), blank=True,
                                      related_name="disasters_affecting")
    state = models.CharField(_("状態"), max_length=16, choices=State.choices, default=State.COLLECTING)
    is_drill = models.BooleanField(_("訓練"), default=False,
                                   help_text=_("訓練の災害は公開ページ・API・オープンデータに出ません。"))
    activated_at = models.DateTimeField(_("対策本部の設置"), null=True, blank=True)
    hq_contact = models.CharField(_("対策本部の連絡先"), max_length=200, blank=True)
    # Once the registry holds every dispatch of the disaster, computed figures replace the published ones.
    dispatch_records_complete = models.BooleanField(_("派遣の記録がすべてそろっている"), default=False)
    source = models.ForeignKey(
        "sources.Publication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DisasterQuerySet.as_manager()

    class Meta:
        verbose_name = _("災害")
        verbose_name_plural = _("災害")
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["is_drill", "-started_on"], name="disaster_public_list")]

    def __str__(self) -> str:
        return f"{self.name}（訓練）" if self.is_drill else self.name

    def get_absolute_url(self) -> str:
        return reverse("disasters:detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.activated_at is not None and self.state != self.State.CLOSED

    def when_label(self) -> str:
        """発災時期 as printed: 平成30年7月 (a month), 平成28年4月14日～16日, 平成30年9月6日."""
        from renkei.core.templatetags.renkei import date_range

        if self.date_precision == DatePrecision.MONTH:
            return dates.wareki_month(self.started_on)
        return date_range(self.started_on, self.ended_on, False)


class StateChange(models.Model):
    """A disaster's move to a state (情報収集 → 支援中 → 継続支援 → 終結), when and by whom."""

    page_cache_exempt = True  # the disaster's own state is what public pages show

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="state_changes")
    state = models.CharField(_("状態"), max_length=16, choices=Disaster.State.choices)
    at = models.DateTimeField(_("日時"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("状態の変更")
        verbose_name_plural = _("状態の変更")
        ordering = ["disaster", "at", "id"]

    def __str__(self) -> str:
        return f"{self.disaster} → {self.get_state_display()}"


class Decision(models.Model):
    """What a body decided or announced on a disaster (決定): a 申し合わせ, a 会長声明, a 第N報.

    Confirmed (確定), it is never edited again: a correction is a new decision naming it.
    """

    class Body(models.TextChoices):
        GENERAL_MEETING = "general_meeting", _("特別区長会総会")
        CHAIR = "chair", _("特別区長会会長")
        MANAGERS = "managers", _("防災担当課長会")
        SECRETARIAT = "secretariat", _("特別区長会事務局")
        OTHER = "other", _("その他")

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", _("申し合わせ")
        STATEMENT = "statement", _("会長声明")
        REPORT = "report", _("報告（第N報）")
        RESOLUTION = "resolution", _("決定")
        OTHER = "other", _("その他")

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        CONFIRMED = "confirmed", _("確定")

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="decisions")
    body = models.CharField(_("決定した機関"), max_length=20, choices=Body.choices)
    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices)
    decided_on = models.DateField(_("日付"))
    title = models.CharField(_("件名"), max_length=200)
    text = models.TextField(_("内容"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="decisions/", blank=True)
    report_number = models.PositiveSmallIntegerField(_("第N報"), null=True, blank=True)
    corrects = models.ForeignKey("self", verbose_name=_("訂正する決定"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="corrections")
    status = models.CharField(_("状態"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # A report (第N報) as it read when confirmed: kept, whatever the records say later.
    report = models.JSONField(null=True, blank=True, editable=False)
    # That report printed, once (renkei.disasters.numbered_reports.printed).
    report_pdf = models.FileField(upload_to="disasters/reports/", blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("決定")
        verbose_name_plural = _("決定")
        ordering = ["disaster", "decided_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["disaster", "report_number"], condition=Q(report_number__isnull=False),
                                    name="one_report_number_per_disaster"),
        ]

    def __str__(self) -> str:
        number = f"第{self.report_number}報 " if self.report_number else ""
        return f"{number}{self.title}"

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED

    def report_url(self) -> str:
        return reverse("disasters:report", kwargs={"pk": self.disaster_id, "number": self.report_number})


class DispatchFigure(models.Model):
    """A published head count of the staff the wards sent (職員派遣の公表値): cumulative, as of a
    date, with its source. It stands until the disaster's dispatch records are complete."""

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="figures")
    people = models.PositiveIntegerField(_("派遣人数（累積）"), null=True, blank=True)
    as_of = models.DateField(_("時点"), null=True, blank=True)
    roles = models.JSONField(_("職種"), default=list, blank=True)
    destinations = models.ManyToManyField(LocalGovernment, verbose_name=_("派遣先"), blank=True)

    class Meta:
        verbose_name = _("職員派遣の公表値")
        verbose_name_plural = _("職員派遣の公表値")
        ordering = ["disaster", "id"]

    def __str__(self) -> str:
        return f"{self.disaster} 職員派遣"


class SupplyProvision(models.Model):
    """Relief supplies as a source describes them (支援物資の提供), before item-by-item records."""

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="supplies")
    description = models.CharField(_("内容"), max_length=200)

    class Meta:
        verbose_name = _("支援物資（記述）")
        verbose_name_plural = _("支援物資（記述）")
        ordering = ["disaster", "id"]

    def __str__(self) -> str:
        return self.description
