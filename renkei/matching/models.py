"""連携マッチング: wishes to partner (連携希望), the proposals they lead to, and the ranking's rules.

A wish belongs to a body (a ward, or a member municipality) and says what it offers and seeks
(the registry's cooperation fields), the forms it has in mind, the regions and sizes it prefers,
a period and a short text. Wards are matched with municipalities (the registry's relations are
between the two). A proposal goes from one body to the other; accepted, it records a relation.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import CooperationField, Relation, RelationKind

# The regions (地方) a wish may prefer, by the first two digits of a 団体コード.
REGIONS = {
    "hokkaido": (_("北海道"), range(1, 2)),
    "tohoku": (_("東北"), range(2, 8)),
    "kanto": (_("関東"), range(8, 15)),
    "chubu": (_("中部"), range(15, 24)),
    "kinki": (_("近畿"), range(24, 31)),
    "chugoku": (_("中国"), range(31, 36)),
    "shikoku": (_("四国"), range(36, 40)),
    "kyushu": (_("九州・沖縄"), range(40, 48)),
}
REGION_CHOICES = [(key, label) for key, (label, _codes) in REGIONS.items()]


def region_of(code: str) -> str:
    prefecture = int(code[:2])
    return next(key for key, (_label, codes) in REGIONS.items() if prefecture in codes)


# Sizes a wish may prefer: the kinds of municipality (the reference data holds no population).
SIZE_CHOICES = [("designated_city", _("政令指定都市")), ("city", _("市")), ("special_ward", _("特別区")),
                ("town", _("町")), ("village", _("村"))]


class Form(models.Model):
    """A form a partnership takes (物産展・アンテナショップ, 職員交流 …); the secretariat extends the list."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("連携の形")
        verbose_name_plural = _("連携の形")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class WishQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_open=True)


class Wish(models.Model):
    """連携希望: what a body offers and seeks, and the partner it has in mind."""

    body = models.ForeignKey(LocalGovernment, verbose_name=_("団体"), on_delete=models.PROTECT, related_name="wishes")
    title = models.CharField(_("見出し"), max_length=100)
    kind = models.ForeignKey(RelationKind, verbose_name=_("求める交流の種別"), on_delete=models.PROTECT,
                             related_name="+")
    offers = models.ManyToManyField(CooperationField, verbose_name=_("提供できる分野"), blank=True, related_name="+")
    seeks = models.ManyToManyField(CooperationField, verbose_name=_("求める分野"), blank=True, related_name="+")
    forms = models.ManyToManyField(Form, verbose_name=_("連携の形"), blank=True, related_name="+")
    regions = models.JSONField(_("希望する地域"), default=list, blank=True)
    sizes = models.JSONField(_("希望する相手の規模"), default=list, blank=True)
    starts_on = models.DateField(_("期間の始め"), null=True, blank=True)
    ends_on = models.DateField(_("期間の終わり"), null=True, blank=True)
    text = models.TextField(_("ひとこと"), max_length=800, blank=True)
    is_open = models.BooleanField(_("募集中"), default=True)
    is_public = models.BooleanField(_("公開する"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = WishQuerySet.as_manager()

    class Meta:
        verbose_name = _("連携希望")
        verbose_name_plural = _("連携希望")
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["is_open", "body"]), models.Index(fields=["body", "is_public"])]
        constraints = [models.CheckConstraint(
            condition=models.Q(ends_on__isnull=True) | models.Q(starts_on__isnull=True)
            | models.Q(ends_on__gte=models.F("starts_on")), name="wish_period_in_order")]

    def __str__(self) -> str:
        return f"{self.body}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("matching:wish", args=[self.pk])

    @property
    def region_names(self) -> list[str]:
        return [str(REGIONS[key][0]) for key in self.regions if key in REGIONS]

    @property
    def size_names(self) -> list[str]:
        names = dict(SIZE_CHOICES)
        return [str(names[key]) for key in self.sizes if key in names]


class Proposal(models.Model):
    """連携の提案: one body proposes to another, from a suggestion; the other accepts, declines or
    replies. Accepted, it records the relation in the registry (`relation`)."""

    class Status(models.TextChoices):
        SENT = "sent", _("回答待ち")
        ACCEPTED = "accepted", _("受諾")
        DECLINED = "declined", _("辞退")
        WITHDRAWN = "withdrawn", _("取り下げ")

    wish = models.ForeignKey(Wish, verbose_name=_("提案した側の連携希望"), on_delete=models.PROTECT,
                             related_name="proposals")
    answered_wish = models.ForeignKey(Wish, verbose_name=_("相手の連携希望"), on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="proposals_received")
    sender = models.ForeignKey(LocalGovernment, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(LocalGovernment, on_delete=models.PROTECT, related_name="+")
    kind = models.ForeignKey(RelationKind, verbose_name=_("交流の種別"), on_delete=models.PROTECT, related_name="+")
    fields = models.ManyToManyField(CooperationField, verbose_name=_("分野"), blank=True, related_name="+")
    message = models.TextField(_("メッセージ"), max_length=2000)
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.SENT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    relation = models.OneToOneField(Relation, verbose_name=_("登録した交流"), on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="proposal")

    page_cache_exempt = True  # seen by the two sides alone; the relation it records is the registry's

    class Meta:
        verbose_name = _("連携の提案")
        verbose_name_plural = _("連携の提案")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "status"]), models.Index(fields=["sender", "status"])]

    def __str__(self) -> str:
        return f"{self.sender} → {self.recipient}（{self.kind}）"

    def get_absolute_url(self) -> str:
        return reverse("matching:proposal", args=[self.pk])

    @property
    def ward(self) -> LocalGovernment:
        return self.sender if self.sender.is_special_ward else self.recipient

    @property
    def municipality(self) -> LocalGovernment:
        return self.recipient if self.sender.is_special_ward else self.sender


class ProposalMessage(models.Model):
    """A reply in a proposal's exchange."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="messages")
    body = models.ForeignKey(LocalGovernment, on_delete=models.PROTECT, null=True, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("本文"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    page_cache_exempt = True

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.text[:20]}"


class Rule(models.Model):
    """One rule of the ranking and its weight: the one settings table the secretariat tunes."""

    key = models.CharField(max_length=32, unique=True)
    weight = models.SmallIntegerField(_("重み（点）"))

    class Meta:
        verbose_name = _("マッチングの規則")
        verbose_name_plural = _("マッチングの規則")
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}: {self.weight}"


class Notice(models.Model):
    """A member who asked for the weekly digest of new wishes that fit theirs."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matching_notice")
    weekly = models.BooleanField(default=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    page_cache_exempt = True

    def __str__(self) -> str:
        return f"{self.user_id}: {'weekly' if self.weekly else 'off'}"
