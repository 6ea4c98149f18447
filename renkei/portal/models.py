import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.core.dates import fiscal_year_of


class Status(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SUBMITTED = "submitted", _("承認待ち")  # a member's event, waiting for the secretariat
    PUBLISHED = "published", _("公開")  # public from publish_at: before it, 公開予約
    REJECTED = "rejected", _("差し戻し")


class PublishableQuerySet(models.QuerySet):
    def public(self, now: dt.datetime | None = None):
        return self.filter(status=Status.PUBLISHED, publish_at__lte=now or timezone.now())


class Publishable(models.Model):
    """Something the public sees only once published, from its publication time on."""

    status = models.CharField(_("状態"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(_("公開日時"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def is_public(self, now: dt.datetime | None = None) -> bool:
        return self.status == Status.PUBLISHED and self.publish_at is not None and self.publish_at <= (now or timezone.now())

    @property
    def state_label(self) -> str:
        """下書き / 公開予約 / 公開 / 承認待ち / 差し戻し, as the editors' lists show it."""
        if self.status == Status.PUBLISHED and not self.is_public():
            return "公開予約"
        return self.get_status_display()


class EventQuerySet(PublishableQuerySet):
    def upcoming(self, today: dt.date):
        return self.filter(ends_on__gte=today).order_by("starts_on", "starts_at_time", "pk")

    def past(self, today: dt.date):
        return self.filter(ends_on__lt=today).order_by("-starts_on", "-pk")

    def in_prefecture(self, prefecture):
        """Events a prefecture's municipalities or associations take part in."""
        return self.filter(
            models.Q(participants__prefecture=prefecture) | models.Q(associations__prefecture=prefecture)
        ).distinct()


class Event(Publishable):
    """An event of the project or of a member: a lecture, an exhibition, a fair, a tour."""

    # What its organiser writes (the form's fields; the service's to copy).
    EDITED_FIELDS = ("title", "series", "kind", "starts_on", "starts_at_time", "ends_on", "ends_at_time", "venue",
                     "organisers", "url", "description", "report")

    class Kind(models.TextChoices):
        LECTURE = "lecture", _("講演会")
        EXHIBITION = "exhibition", _("展示")
        PROMOTION = "promotion", _("魅力発信イベント")
        FAIR = "fair", _("物産展・フェア")
        TOUR = "tour", _("ツアー・体験")
        SPORTS = "sports", _("スポーツ")
        OTHER = "other", _("その他")

    series = models.CharField(_("シリーズ"), max_length=200, blank=True)
    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種別"), max_length=16, choices=Kind.choices)
    starts_on = models.DateField(_("開始日"), db_index=True)
    ends_on = models.DateField(_("終了日"), db_index=True)
    starts_at_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    ends_at_time = models.TimeField(_("終了時刻"), null=True, blank=True)
    venue = models.CharField(_("会場"), max_length=200, blank=True)
    organisers = models.CharField(_("主催"), max_length=300, blank=True)
    url = models.URLField(_("詳しい情報のページ"), blank=True)
    description = models.TextField(_("内容"))
    report = models.TextField(_("開催報告"), blank=True)
    associations = models.ManyToManyField(
        "registry.Association", verbose_name=_("連携した団体"), blank=True, related_name="events"
    )
    participants = models.ManyToManyField(
        "municipalities.LocalGovernment", verbose_name=_("参加自治体"), blank=True, related_name="events"
    )
    # A member's own event: which municipality submitted it and who; the secretariat approves it.
    organization = models.ForeignKey(
        "municipalities.LocalGovernment", verbose_name=_("登録した団体"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="submitted_events",
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    review_note = models.CharField(_("事務局からの連絡"), max_length=500, blank=True)
    source = models.ForeignKey(
        "sources.Publication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("イベント")
        verbose_name_plural = _("イベント")
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["status", "publish_at"], name="event_public")]
        constraints = [
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

    @property
    def is_member_event(self) -> bool:
        return self.organization_id is not None


class NewsItem(Publishable):
    """お知らせ: a dated piece of news."""

    EDITED_FIELDS = ("title", "lead", "body")

    title = models.CharField(_("見出し"), max_length=200)
    lead = models.CharField(_("リード"), max_length=200, blank=True)
    body = models.TextField(_("本文"))
    source = models.ForeignKey(
        "sources.Publication", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("お知らせ")
        verbose_name_plural = _("お知らせ")
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["status", "publish_at"], name="news_public")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portal:news_detail", args=[self.pk])

    @property
    def published_on(self) -> dt.date | None:
        return timezone.localdate(self.publish_at) if self.publish_at else None


class Profile(models.Model):
    """自治体PR: what a member municipality tells Tokyo about itself."""

    EDITED_FIELDS = ("catchphrase", "introduction", "specialities", "sights", "links", "contact")

    local_government = models.OneToOneField(
        "municipalities.LocalGovernment", on_delete=models.CASCADE, primary_key=True, related_name="profile"
    )
    catchphrase = models.CharField(_("キャッチフレーズ"), max_length=80, blank=True)
    introduction = models.TextField(_("紹介文"), blank=True)
    specialities = models.TextField(_("特産品"), blank=True, help_text=_("1行に1つ"))
    sights = models.TextField(_("見どころ"), blank=True, help_text=_("1行に1つ"))
    links = models.TextField(_("リンク"), blank=True, help_text=_("1行に1つ、「名前 URL」の形で"))
    contact = models.TextField(_("問い合わせ先"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        verbose_name = _("自治体PR")
        verbose_name_plural = _("自治体PR")

    def __str__(self) -> str:
        return str(self.local_government)

    def get_absolute_url(self) -> str:
        return self.local_government.get_absolute_url()

    @property
    def has_content(self) -> bool:
        return bool(self.catchphrase or self.introduction.strip())

    @staticmethod
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    def link_list(self) -> list[tuple[str, str]]:
        """(label, url) pairs from 「名前 URL」 lines; validated when saved."""
        pairs = []
        for line in self.lines(self.links):
            label, _, url = line.rpartition(" ")
            pairs.append((label.strip() or url, url))
        return pairs


class Photo(models.Model):
    """An image of a news item, an event (or its report) or a PR page, kept in two resized forms.

    The upload itself is not kept: its metadata (camera, GPS) goes with it.
    """

    large = models.FileField(upload_to="photos/%Y/%m/")
    small = models.FileField(upload_to="photos/%Y/%m/")
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    small_width = models.PositiveIntegerField()
    small_height = models.PositiveIntegerField()
    alt = models.CharField(_("代替テキスト"), max_length=150)
    caption = models.CharField(_("キャプション"), max_length=200, blank=True)
    news = models.ForeignKey(NewsItem, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    in_report = models.BooleanField(_("開催報告の写真"), default=False)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, null=True, blank=True, related_name="photos")
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("写真")
        verbose_name_plural = _("写真")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(news__isnull=False, event__isnull=True, profile__isnull=True)
                    | models.Q(news__isnull=True, event__isnull=False, profile__isnull=True)
                    | models.Q(news__isnull=True, event__isnull=True, profile__isnull=False)
                ),
                name="photo_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.alt


class SiteMode(models.Model):
    """The public site's mode (one row): normal, 災害モード (the home and disaster pages light,
    pre-rendered to files and served before Python runs) or 訓練 (the same pages rendered for the
    secretariat to check, the public sees nothing). See renkei.portal.disaster_mode."""

    class Mode(models.TextChoices):
        OFF = "off", _("通常")
        ON = "on", _("災害モード")
        DRILL = "drill", _("訓練（事務局だけが確認）")

    mode = models.CharField(_("表示モード"), max_length=8, choices=Mode.choices, default=Mode.OFF)
    changed_at = models.DateTimeField(_("切り替えた日時"), null=True, blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("切り替えた人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("表示モード")
        verbose_name_plural = _("表示モード")

    def __str__(self) -> str:
        return str(self.get_mode_display())
