from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Desk(models.TextChoices):
    """The newsletter's two desks, each with its own address (INQUIRY_*_EMAIL)."""

    PROJECT = "project", _("特別区全国連携プロジェクトについて")
    MEMBERSHIP = "membership", _("会員サイト・会員登録について")


class InquiryQuerySet(models.QuerySet):
    def queue(self, *, desk: str = "", status: str = ""):
        """The secretariat's queue, newest first, narrowed to a desk and a status when they are
        known values (anything else shows everything)."""
        queryset = self
        if desk in Desk.values:
            queryset = queryset.filter(desk=desk)
        if status in Inquiry.Status.values:
            queryset = queryset.filter(status=status)
        return queryset.order_by("-created_at", "-id")


class Inquiry(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("未対応")
        HELD = "held", _("保留（迷惑メールの疑い）")
        IN_PROGRESS = "in_progress", _("対応中")
        ANSWERED = "answered", _("回答済み")

    desk = models.CharField(_("窓口"), max_length=16, choices=Desk.choices)
    name = models.CharField(_("お名前"), max_length=60)
    organization = models.CharField(_("所属"), max_length=100, blank=True)
    email = models.EmailField(_("メールアドレス"))
    subject = models.CharField(_("件名"), max_length=100)
    body = models.TextField(_("お問い合わせ内容"))
    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.NEW)
    # A keyed hash of the sender's network address: enough to count, not to identify.
    sender_key = models.CharField(max_length=64, db_index=True)
    # The contact form's signed stamp it came with: one showing of the form sends one message.
    form_stamp = models.CharField(max_length=100, blank=True, db_index=True)
    note = models.TextField(_("対応メモ"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("お問い合わせ")
        verbose_name_plural = _("お問い合わせ")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["desk", "status", "-created_at"], name="inquiry_queue"),
                   models.Index(fields=["email", "created_at"], name="inquiry_by_email")]

    def __str__(self) -> str:
        return f"{self.get_desk_display()}: {self.subject}"
