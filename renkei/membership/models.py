import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.municipalities.models import LocalGovernment


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def active_on(self, day: dt.date):
        """Members whose latest history event on or before `day` left them a member."""
        latest = (
            MembershipEvent.objects.filter(member=models.OuterRef("pk"), on__lte=day)
            .order_by("-on", "-id")
            .values("kind")[:1]
        )
        return self.annotate(state_then=models.Subquery(latest)).filter(
            state_then__in=[MembershipEvent.Kind.APPROVED, MembershipEvent.Kind.RESUMED]
        )


class Member(models.Model):
    """A member municipality (会員自治体): joins once, may withdraw (退会) and resume."""

    local_government = models.OneToOneField(
        LocalGovernment, verbose_name=_("団体"), on_delete=models.PROTECT, related_name="membership"
    )
    is_active = models.BooleanField(_("会員"), default=True, db_index=True)
    joined_on = models.DateField(_("入会日"))

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("会員自治体")
        verbose_name_plural = _("会員自治体")
        ordering = ["local_government"]

    def __str__(self) -> str:
        return str(self.local_government)


class MembershipEvent(models.Model):
    """One step of a membership's history; statistics count members as of a date from it."""

    class Kind(models.TextChoices):
        APPROVED = "approved", _("入会承認")
        WITHDRAWN = "withdrawn", _("退会")
        RESUMED = "resumed", _("再開")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("内容"), max_length=16, choices=Kind.choices)
    on = models.DateField(_("日付"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("備考"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("会員履歴")
        verbose_name_plural = _("会員履歴")
        ordering = ["member", "on", "id"]
        indexes = [models.Index(fields=["member", "on"])]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.on}"


class Application(models.Model):
    """会員登録申請: an application to join, verified by email, decided by the secretariat."""

    page_cache_exempt = True  # not shown on public pages

    class Status(models.TextChoices):
        UNVERIFIED = "unverified", _("メール確認待ち")
        PENDING = "pending", _("審査待ち")
        APPROVED = "approved", _("承認")
        REJECTED = "rejected", _("却下")

    local_government = models.ForeignKey(
        LocalGovernment, verbose_name=_("団体"), on_delete=models.PROTECT, related_name="applications"
    )
    department = models.CharField(_("担当部署"), max_length=100)
    contact_name = models.CharField(_("担当者氏名"), max_length=100)
    phone = models.CharField(_("電話番号"), max_length=30)
    email = models.EmailField(_("メールアドレス"))
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.UNVERIFIED, db_index=True
    )
    unusual_domain = models.BooleanField(_("通常と異なるドメイン"), default=False)
    created_at = models.DateTimeField(_("申請日時"), default=timezone.now)
    verified_at = models.DateTimeField(_("メール確認日時"), null=True, blank=True)
    decided_at = models.DateTimeField(_("処理日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.TextField(_("却下の理由"), blank=True)

    class Meta:
        verbose_name = _("会員登録申請")
        verbose_name_plural = _("会員登録申請")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="rejection_has_a_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.local_government} {self.contact_name}"


class Invitation(models.Model):
    """An invitation by email to join a municipality's (or ward's) staff on the portal."""

    page_cache_exempt = True  # not shown on public pages

    local_government = models.ForeignKey(
        LocalGovernment, on_delete=models.PROTECT, related_name="invitations"
    )
    email = models.EmailField(_("メールアドレス"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    as_lead = models.BooleanField(_("主担当として招待"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("招待")
        verbose_name_plural = _("招待")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.local_government}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
