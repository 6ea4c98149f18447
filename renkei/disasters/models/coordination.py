from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renkei.core.dates import wareki
from renkei.disasters.models.disasters import Disaster
from renkei.disasters.models.lists import Role
from renkei.municipalities.models import LocalGovernment


class SupportRequest(models.Model):
    """A request for help (要請): staff (職種, persons, period, task) or supplies (item, quantity, unit).

    From an affected municipality (its staff file it, or the secretariat types in a call or a fax),
    東京都, 総務省's 調整本部, a ministry or a 市長会. What the wards pledged is read from their
    answers to the enquiries about it; what remains open is the difference.
    """

    page_cache_exempt = True  # the HQ's and the wards' working records: not on public pages

    class Kind(models.TextChoices):
        STAFF = "staff", _("職員")
        SUPPLIES = "supplies", _("物資")

    class From(models.TextChoices):
        MUNICIPALITY = "municipality", _("被災自治体")
        TOKYO = "tokyo", _("東京都")
        COORDINATION = "coordination", _("総務省 応援職員派遣調整本部")
        MINISTRY = "ministry", _("省庁")
        MAYORS = "mayors", _("市長会・町村会")
        OTHER = "other", _("その他")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("ポータル")
        PHONE = "phone", _("電話")
        FAX = "fax", _("FAX")
        EMAIL = "email", _("メール")

    class Status(models.TextChoices):
        RECEIVED = "received", _("受付")
        ENQUIRING = "enquiring", _("各区照会")
        ARRANGED = "arranged", _("調整済")
        IN_PROGRESS = "in_progress", _("実施中")
        DONE = "done", _("完了")
        WITHDRAWN = "withdrawn", _("取下げ")

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="requests")
    requested_by = models.CharField(_("要請元の種類"), max_length=16, choices=From.choices)
    requester = models.ForeignKey(LocalGovernment, verbose_name=_("要請元の自治体"), on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+")
    requester_name = models.CharField(_("要請元（担当部署など）"), max_length=100, blank=True)
    channel = models.CharField(_("受付の方法"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("種類"), max_length=8, choices=Kind.choices)
    role = models.ForeignKey(Role, verbose_name=_("職種"), on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    item = models.CharField(_("品目"), max_length=100, blank=True)
    quantity = models.PositiveIntegerField(_("人数・数量"))
    unit = models.CharField(_("単位"), max_length=20, blank=True)
    starts_on = models.DateField(_("期間（から）"), null=True, blank=True)
    ends_on = models.DateField(_("期間（まで）"), null=True, blank=True)
    task = models.TextField(_("業務・用途"), blank=True)
    status = models.CharField(_("状態"), max_length=12, choices=Status.choices, default=Status.RECEIVED)
    arranged_in_full = models.BooleanField(_("全量を調整済み"), null=True, blank=True)
    received_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(_("備考"), blank=True)

    class Meta:
        verbose_name = _("要請")
        verbose_name_plural = _("要請")
        ordering = ["disaster", "-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="request_asks_for_something"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(starts_on__isnull=True)
                                   | Q(ends_on__gte=models.F("starts_on")), name="request_period_in_order"),
        ]

    def __str__(self) -> str:
        what = self.role.name if self.kind == self.Kind.STAFF and self.role_id else self.item
        who = self.requester or self.requester_name or self.get_requested_by_display()
        return f"{who}: {what} {self.quantity}{self.unit_label}"

    @property
    def what(self) -> str:
        return str(self.role) if self.kind == self.Kind.STAFF else self.item

    @property
    def unit_label(self) -> str:
        return "人" if self.kind == self.Kind.STAFF else self.unit


class Enquiry(models.Model):
    """A question the HQ sends to all 23 wards (各区照会): can you send, what do you hold, who is
    your contact; answered by each ward on its own screen before a deadline."""

    page_cache_exempt = True  # the HQ's and the wards' working records: not on public pages

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="enquiries")
    request = models.ForeignKey(SupportRequest, verbose_name=_("関係する要請"), on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="enquiries")
    question = models.TextField(_("照会の内容"))
    deadline = models.DateTimeField(_("回答期限"))
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_at = models.DateTimeField(_("締切済み"), null=True, blank=True)

    class Meta:
        verbose_name = _("各区照会")
        verbose_name_plural = _("各区照会")
        ordering = ["disaster", "-sent_at", "-id"]

    def __str__(self) -> str:
        return self.question[:40]


class EnquiryAnswer(models.Model):
    """One ward's answer to an enquiry. Each ward writes only its own row, so 23 wards answering in
    the same minute never wait for one another or overwrite each other."""

    page_cache_exempt = True  # the HQ's and the wards' working records: not on public pages

    class Answer(models.TextChoices):
        YES = "yes", _("対応できる")
        NO = "no", _("対応できない")

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="answers")
    ward = models.ForeignKey(LocalGovernment, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("回答"), max_length=4, choices=Answer.choices)
    quantity = models.PositiveIntegerField(_("人数・数量"), default=0)
    available_from = models.DateField(_("いつから"), null=True, blank=True)
    contact = models.CharField(_("担当者・連絡先"), max_length=200, blank=True)
    note = models.TextField(_("備考"), blank=True)
    answered_at = models.DateTimeField(auto_now=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("照会への回答")
        verbose_name_plural = _("照会への回答")
        ordering = ["enquiry", "ward_id"]
        constraints = [models.UniqueConstraint(fields=["enquiry", "ward"], name="one_answer_per_ward")]

    def __str__(self) -> str:
        return f"{self.ward_id}: {self.get_answer_display()}"


class Counterpart(models.Model):
    """Wards paired with an affected municipality to support it (対口支援), from a date, possibly
    until one. A change of pairing ends one row and starts another, so the history stays."""

    disaster = models.ForeignKey(Disaster, on_delete=models.CASCADE, related_name="counterparts")
    municipality = models.ForeignKey(LocalGovernment, verbose_name=_("支援先の自治体"), on_delete=models.PROTECT,
                                     related_name="+")
    wards = models.ManyToManyField(LocalGovernment, verbose_name=_("担当する区"), related_name="+")
    valid_from = models.DateField(_("開始日"))
    valid_until = models.DateField(_("終了日"), null=True, blank=True)
    note = models.CharField(_("備考（決めた機関など）"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("対口支援")
        verbose_name_plural = _("対口支援")
        ordering = ["disaster", "municipality_id", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                                   name="counterpart_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.full_name}（{wareki(self.valid_from)}から）"
