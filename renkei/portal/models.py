import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from renkei.core.dates import fiscal_year_of


class EventQuerySet(models.QuerySet):
    def upcoming(self, today: dt.date):
        return self.filter(ends_on__gte=today).order_by("starts_on")

    def past(self, today: dt.date):
        return self.filter(ends_on__lt=today).order_by("-starts_on")


class Event(models.Model):
    """An event of the project: a lecture, an exhibition, a PR event."""

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("講演会")
        EXHIBITION = "exhibition", _("展示")
        PROMOTION = "promotion", _("魅力発信イベント")
        OTHER = "other", _("その他")

    series = models.CharField(_("シリーズ"), max_length=200, blank=True)
    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種別"), max_length=16, choices=Kind.choices)
    starts_on = models.DateField(_("開始日"), db_index=True)
    ends_on = models.DateField(_("終了日"), db_index=True)
    description = models.TextField(_("内容"))
    associations = models.ManyToManyField(
        "registry.Association", verbose_name=_("連携した団体"), blank=True, related_name="events"
    )
    source = models.ForeignKey(
        "sources.Publication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("イベント")
        verbose_name_plural = _("イベント")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["title", "starts_on"], name="one_event_a_day"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:event_detail", args=[self.pk])

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.starts_on)


class NewsItem(models.Model):
    """お知らせ: a dated piece of news."""

    title = models.CharField(_("見出し"), max_length=200)
    lead = models.CharField(_("リード"), max_length=200, blank=True)
    published_on = models.DateField(_("日付"), db_index=True)
    body = models.TextField(_("本文"))
    source = models.ForeignKey(
        "sources.Publication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        ordering = ["-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["title", "published_on"], name="one_news_title_a_day")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:news_detail", args=[self.pk])
