from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.disasters.models.coordination import SupportRequest
from renkei.disasters.models.disasters import Decision, Disaster, publicly_counted
from renkei.disasters.models.lists import Channel, Role
from renkei.municipalities.models import LocalGovernment


class DispatchQuerySet(models.QuerySet):
    def counted(self):
        """The dispatches that count: not cancelled (中止)."""
        return self.exclude(status=Dispatch.Status.CANCELLED)

    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def public(self):
        """What the public counts (publicly_counted): confirmed, not cancelled, not a drill's."""
        return self.filter(publicly_counted())


class Dispatch(models.Model):
    """Staff one ward sent (職員派遣): a wave (第N陣) of persons of one job, to one place, from a
    first day to a last day. Ward staff enter their own ward's; the secretariat confirms them."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("予定")
        ON_DUTY = "on_duty", _("派遣中")
        DONE = "done", _("派遣済")
        CANCELLED = "cancelled", _("中止")

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="dispatches")
    ward = models.ForeignKey(LocalGovernment, verbose_name=_("派遣した区"), on_delete=models.PROTECT, related_name="+")
    channel = models.ForeignKey(Channel, verbose_name=_("派遣ルート"), on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(SupportRequest, verbose_name=_("要請"), on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="dispatches")
    destination = models.ForeignKey(LocalGovernment, verbose_name=_("派遣先"), on_delete=models.PROTECT,
                                    related_name="dispatches_received")
    role = models.ForeignKey(Role, verbose_name=_("職種"), on_delete=models.PROTECT, related_name="+")
    task = models.CharField(_("業務"), max_length=200, blank=True)
    wave = models.PositiveSmallIntegerField(_("第N陣"), null=True, blank=True)
    PERSONS_MAX = 10_000  # one record; the form and the import ask clean()
    persons = models.PositiveIntegerField(_("人数"))
    first_day = models.DateField(_("派遣開始日"))
    # None: not decided yet (a mid-term post): on duty until it is entered (終了日未定).
    last_day = models.DateField(_("派遣終了日"), null=True, blank=True)
    status = models.CharField(_("状態"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    confirmed_at = models.DateTimeField(_("事務局の確認"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    objects = DispatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("職員派遣")
        verbose_name_plural = _("職員派遣")
        ordering = ["disaster", "first_day", "ward_id", "id"]
        indexes = [models.Index(fields=["disaster", "first_day"], name="dispatch_by_day"),
                   models.Index(fields=["ward", "disaster"], name="dispatch_by_ward")]
        constraints = [
            models.CheckConstraint(condition=Q(persons__gt=0), name="dispatch_sends_someone"),
            models.CheckConstraint(condition=Q(last_day__gte=models.F("first_day")), name="dispatch_days_in_order"),
        ]

    def __str__(self) -> str:
        wave = f"第{self.wave}陣 " if self.wave else ""
        return f"{self.ward_id} {wave}{self.role} {self.persons}人"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    def phase_on(self, day) -> str:
        """Where the dispatch stands on a day, from its dates: 予定 before its first day, 派遣中 up to
        its last day (or until one is entered), 派遣済 after; 中止 is the only state a person sets."""
        if self.status == self.Status.CANCELLED:
            return self.Status.CANCELLED
        if self.first_day > day:
            return self.Status.PLANNED
        if self.last_day is None or day <= self.last_day:
            return self.Status.ON_DUTY
        return self.Status.DONE

    @property
    def phase(self) -> str:
        """Today's state, as a label (a stored 予定 goes stale the day staff leave; this does not)."""
        return self.Status(self.phase_on(timezone.localdate())).label

    def settle_status(self) -> None:
        """The stored status follows the dates as of today, unless the dispatch was called off."""
        if self.status != self.Status.CANCELLED:
            self.status = self.phase_on(timezone.localdate())

    def clean(self):
        """A ward's staff, at least one person, a last day not before the first, and a request of
        the same disaster: the rules the forms, the import and the services all ask here (the
        database's constraints are the net)."""
        errors = {}
        if self.ward_id and not self.ward.is_special_ward:
            errors["ward"] = f"{self.ward.full_name}は特別区（東京23区）ではありません。"
        if self.persons is not None and self.persons < 1:
            errors["persons"] = "人数は1人以上にしてください。"
        elif self.persons is not None and self.persons > self.PERSONS_MAX:
            errors["persons"] = f"人数は{self.PERSONS_MAX:,}人までです。分けて記録してください。"
        if self.first_day and self.last_day and self.last_day < self.first_day:
            errors["last_day"] = "派遣終了日が派遣開始日より前になっています。"
        if self.request_id and self.disaster_id and self.request.disaster_id != self.disaster_id:
            errors["request"] = "別の災害の要請は選べません。"
        if errors:
            raise ValidationError(errors)


class Supply(models.Model):
    """Supplies one ward offered or sent (物資): 申出 → 発送 → 到着確認."""

    class Category(models.TextChoices):
        FOOD = "food", _("食料")
        WATER = "water", _("飲料水")
        HYGIENE = "hygiene", _("衛生用品")
        BEDDING = "bedding", _("寝具・毛布")
        MEDICAL = "medical", _("医薬品・医療資材")
        EQUIPMENT = "equipment", _("資機材")
        OTHER = "other", _("その他")

    class Status(models.TextChoices):
        OFFERED = "offered", _("申出")
        SHIPPED = "shipped", _("発送")
        RECEIVED = "received", _("到着確認")

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="supply_records")
    ward = models.ForeignKey(LocalGovernment, verbose_name=_("提供した区"), on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(SupportRequest, verbose_name=_("要請"), on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="supplies")
    item = models.CharField(_("品目"), max_length=100)
    category = models.CharField(_("分類"), max_length=12, choices=Category.choices)
    quantity = models.PositiveIntegerField(_("数量"))
    unit = models.CharField(_("単位"), max_length=20)
    recipient = models.ForeignKey(LocalGovernment, verbose_name=_("送り先"), on_delete=models.PROTECT,
                                  related_name="supplies_received")
    status = models.CharField(_("状態"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    shipped_on = models.DateField(_("発送日"), null=True, blank=True)
    received_on = models.DateField(_("到着日"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # A ward's entry is public once the secretariat has confirmed it, like a dispatch.
    confirmed_at = models.DateTimeField(_("事務局の確認"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("物資")
        verbose_name_plural = _("物資")
        ordering = ["disaster", "ward_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="supply_is_something")]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity}{self.unit}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class FundContribution(models.Model):
    """Money the 23 wards gave together: 復興支援金, or 義援金 (East Japan), shared among the wards
    by a stated rule and paid to its recipients."""

    class Kind(models.TextChoices):
        RECOVERY_FUND = "recovery_fund", _("復興支援金")
        DONATION = "donation", _("義援金")

    class ShareRule(models.TextChoices):
        NONE = "", _("（記録なし）")
        EQUAL = "equal", _("均等割")
        POPULATION = "population", _("人口割")
        MIXED = "mixed", _("均等割と人口割の組合せ")
        TYPED = "typed", _("各区の額を入力")

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="funds")
    kind = models.CharField(_("種別"), max_length=16, choices=Kind.choices)
    amount_yen = models.PositiveBigIntegerField(_("金額（円）"), null=True, blank=True)
    decision = models.ForeignKey(Decision, verbose_name=_("決定"), on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    decided_on = models.DateField(_("決定日"), null=True, blank=True)
    share_rule = models.CharField(_("各区の負担の決め方"), max_length=12, choices=ShareRule.choices, blank=True,
                                  default=ShareRule.NONE)
    equal_percent = models.PositiveSmallIntegerField(_("均等割の割合（%）"), null=True, blank=True)

    class Meta:
        verbose_name = _("支援金")
        verbose_name_plural = _("支援金")
        ordering = ["disaster", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(equal_percent__isnull=True) | Q(equal_percent__lte=100),
                                   name="equal_percent_is_a_percentage"),
        ]

    def __str__(self) -> str:
        return f"{self.disaster} {self.get_kind_display()}"

    @property
    def population_percent(self) -> int | None:
        return None if self.equal_percent is None else 100 - self.equal_percent


class FundRecipient(models.Model):
    """Who received a contribution — a local government, or an association (岩手県市長会) — how
    much, and where its payment stands (決定 → 支出済 → 受領確認)."""

    class Payment(models.TextChoices):
        DECIDED = "decided", _("決定")
        PAID = "paid", _("支出済")
        RECEIVED = "received", _("受領確認")

    contribution = models.ForeignKey(FundContribution, on_delete=models.CASCADE, related_name="recipients")
    position = models.PositiveSmallIntegerField()
    local_government = models.ForeignKey(
        LocalGovernment, on_delete=models.PROTECT, null=True, blank=True, related_name="funds_received"
    )
    association = models.ForeignKey(
        "registry.Association", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount_yen = models.PositiveBigIntegerField(_("金額（円）"), null=True, blank=True)
    payment = models.CharField(_("支払の状況"), max_length=10, choices=Payment.choices, default=Payment.DECIDED)
    paid_on = models.DateField(_("支出日"), null=True, blank=True)
    received_on = models.DateField(_("受領確認日"), null=True, blank=True)

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
        return self.name

    @property
    def body(self):
        return self.local_government or self.association

    @property
    def name(self) -> str:
        """As every page, report and file names it: 熊本県益城町, 岩手県市長会."""
        return self.local_government.full_name if self.local_government_id else self.association.name


class WardShare(models.Model):
    """One ward's share of a joint fund, in whole yen; the shares add up to the fund exactly."""

    contribution = models.ForeignKey(FundContribution, on_delete=models.CASCADE, related_name="shares")
    ward = models.ForeignKey(LocalGovernment, on_delete=models.PROTECT, related_name="+")
    amount_yen = models.PositiveBigIntegerField(_("負担額（円）"))

    class Meta:
        verbose_name = _("各区の負担額")
        verbose_name_plural = _("各区の負担額")
        ordering = ["contribution", "ward_id"]
        constraints = [models.UniqueConstraint(fields=["contribution", "ward"], name="one_share_per_ward")]

    def __str__(self) -> str:
        return f"{self.ward_id} {self.amount_yen:,}円"
