from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InboundMail(models.Model):
    """A mail that came in to a reply address, and what became of it: never dropped silently."""

    class Outcome(models.TextChoices):
        RECORDED = "recorded", _("記録した")
        REFUSED = "refused", _("受け付けなかった")
        HELD = "held", _("保留（事務局が確認）")

    message_id = models.CharField(max_length=255, unique=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sender = models.CharField(_("差出人"), max_length=254)
    recipient = models.CharField(_("宛先"), max_length=254, blank=True)
    subject = models.CharField(_("件名"), max_length=200, blank=True)
    text = models.TextField(_("本文（読み取った部分）"), blank=True)
    raw = models.BinaryField()
    outcome = models.CharField(_("結果"), max_length=16, choices=Outcome.choices)
    reason = models.TextField(_("理由"), blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answer_id = models.PositiveIntegerField(null=True, blank=True)  # the EnquiryAnswer written
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("受信したメール")
        verbose_name_plural = _("受信したメール")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.sender}: {self.subject}"

    @property
    def about(self) -> str:
        """What the address it came to was for (renkei.core.reply_addresses: e = enquiry, b = board)."""
        kind = self.recipient.lower().removeprefix("reply+")[:1] if self.recipient.lower().startswith("reply+") else ""
        return {"e": "照会への回答", "b": "掲示板への返信"}.get(kind, "宛先不明")
