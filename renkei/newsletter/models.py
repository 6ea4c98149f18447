"""全国連携NEWS: an issue, its sections, and who wants to hear of a new one.

A draft is composed from the records each time it is shown; publishing keeps what it showed
(`Issue.snapshot`), so a published issue says what it said on its day whatever changes later.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SectionKind(models.TextChoices):
    NEWS = "news", _("ニュース")
    PARTNERSHIPS = "partnerships", _("民間との連携")
    DISASTERS = "disasters", _("災害支援")
    EVENTS = "events", _("イベント")
    FIGURES = "figures", _("数字で見る交流自治体数の推移")
    AGREEMENTS = "agreements", _("協定締結団体一覧")
    JOIN = "join", _("会員登録のご案内")


# The order of the printed vol.1, which a new issue starts from.
DEFAULT_ORDER = [kind.value for kind in SectionKind]


class IssueQuerySet(models.QuerySet):
    def published(self):
        """Published by the secretariat, whether its issue date has come or not (発行予約)."""
        return self.filter(status=Issue.Status.PUBLISHED)

    def public(self, now=None):
        """What readers see: published, from its issue date on."""
        return self.published().filter(published_at__lte=now or timezone.now())


class Issue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        PUBLISHED = "published", _("発行済み")

    volume = models.PositiveSmallIntegerField(_("号（vol.）"), unique=True)
    title = models.CharField(_("題名"), max_length=60, default="全国連携NEWS")
    period_label = models.CharField(_("対象期間の呼び名"), max_length=40, help_text=_("例: 平成30年度下半期"))
    period_start = models.DateField(_("対象期間の初日"))
    period_end = models.DateField(_("対象期間の末日"))
    issued_on = models.DateField(_("発行日"))
    foreword = models.TextField(_("巻頭の言葉"), blank=True, max_length=2000)
    status = models.CharField(_("状態"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # When readers see it: the moment of publishing, or the issue date's first minute (Japan
    # time) when it was published ahead of that date (発行予約).
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    notify_subscribers = models.BooleanField(_("発行をメールで知らせる"), default=False, editable=False)
    notified_at = models.DateTimeField(_("発行を知らせた日時"), null=True, blank=True, editable=False)
    # What the published issue shows, kept as it was on its day.
    snapshot = models.JSONField(null=True, blank=True, editable=False)
    # The figures as the secretariat last previewed them, to say what changed since.
    previewed = models.JSONField(null=True, blank=True, editable=False)
    previewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    pdf = models.FileField(upload_to="newsletter/", blank=True, editable=False)
    announcement = models.OneToOneField("portal.NewsItem", on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="newsletter_issue", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-volume"]
        verbose_name = _("全国連携NEWS")
        verbose_name_plural = _("全国連携NEWS")
        constraints = [models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")),
                                              name="newsletter_period_in_order")]

    def __str__(self) -> str:
        return f"{self.title} vol.{self.volume}"

    def get_absolute_url(self) -> str:
        return reverse("newsletter:issue", kwargs={"volume": self.volume})

    def pdf_url(self) -> str:
        return reverse("newsletter:issue_pdf", kwargs={"volume": self.volume})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_scheduled(self) -> bool:
        """Published ahead of its issue date: readers see it from then (発行予約)."""
        return self.is_published and self.published_at is not None and self.published_at > timezone.now()


class Section(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("種類"), max_length=16, choices=SectionKind.choices)
    position = models.PositiveSmallIntegerField(_("順番"))
    included = models.BooleanField(_("載せる"), default=True)
    lead = models.TextField(_("リード文"), blank=True, max_length=1000)
    closing = models.TextField(_("結びの文"), blank=True, max_length=2000,
                               help_text=_("欄の記録のあとに載せる文（案内や連絡先など）"))

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["issue", "kind"], name="one_section_of_a_kind")]

    def __str__(self) -> str:
        return f"{self.issue} {self.get_kind_display()}"


class Subscription(models.Model):
    """A member who wants a mail when an issue comes out (opted in on /newsletter/)."""

    page_cache_exempt = True  # no public page shows who subscribed

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="newsletter_subscription")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.user)
