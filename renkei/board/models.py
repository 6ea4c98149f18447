from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.core.dates import wareki_time
from renkei.municipalities.models import LocalGovernment


class Category(models.Model):
    """A field of the board (産業, 観光, 文化・芸術 …), kept by the secretariat."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    slug = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=100)

    class Meta:
        verbose_name = _("カテゴリ")
        verbose_name_plural = _("カテゴリ")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ThreadQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_hidden=False)


class Thread(models.Model):
    class Type(models.TextChoices):
        PROPOSAL = "proposal", _("連携提案")
        CALL = "call", _("募集")
        INFORMATION = "information", _("情報提供")
        QUESTION = "question", _("質問")

    category = models.ForeignKey(Category, verbose_name=_("カテゴリ"), on_delete=models.PROTECT, related_name="threads")
    type = models.CharField(_("種類"), max_length=16, choices=Type.choices)
    title = models.CharField(_("題名"), max_length=120)
    deadline = models.DateField(_("締切日"), null=True, blank=True)
    is_answered = models.BooleanField(_("解決済み"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(LocalGovernment, verbose_name=_("投稿団体"), on_delete=models.PROTECT,
                                     related_name="+", null=True)
    created_at = models.DateTimeField(_("作成日時"), default=timezone.now, db_index=True)
    last_posted_at = models.DateTimeField(_("最終投稿日時"), default=timezone.now, db_index=True)
    post_count = models.PositiveIntegerField(_("投稿数"), default=0)
    is_pinned = models.BooleanField(_("固定"), default=False)
    is_locked = models.BooleanField(_("ロック"), default=False)
    is_hidden = models.BooleanField(_("非表示"), default=False)

    objects = ThreadQuerySet.as_manager()

    class Meta:
        verbose_name = _("スレッド")
        verbose_name_plural = _("スレッド")
        ordering = ["-is_pinned", "-last_posted_at"]
        indexes = [models.Index(fields=["is_hidden", "-is_pinned", "-last_posted_at"]),
                   models.Index(fields=["category", "-last_posted_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("board:thread", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        """A call (募集) closes after its deadline."""
        return self.type == self.Type.CALL and self.deadline is not None and self.deadline < timezone.localdate()


class PostQuerySet(models.QuerySet):
    def visible(self):
        """The one rule for what members may read of a post (its text, history, quotes, files, in
        search, mail and lists): not deleted, not hidden by the secretariat, in a thread that is not
        hidden. Every way to a post goes through here (or `readable_by`)."""
        return self.filter(is_deleted=False, is_hidden=False, thread__is_hidden=False)

    def readable_by(self, user):
        """What `user` may open: the secretariat moderates, so it sees hidden posts too."""
        from renkei.core.access import SECRETARIAT, allows

        return self.filter(is_deleted=False) if allows(SECRETARIAT, user) else self.visible()


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(LocalGovernment, on_delete=models.PROTECT, related_name="+", null=True)
    quote = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.TextField(_("本文"))
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    is_hidden = models.BooleanField(default=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("投稿")
        verbose_name_plural = _("投稿")
        ordering = ["thread", "created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"])]

    def __str__(self) -> str:
        return f"{self.thread} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("board:post", args=[self.pk])

    @property
    def is_visible(self) -> bool:
        return not (self.is_deleted or self.is_hidden)


class PostRevision(models.Model):
    """The text a post had before an edit: edits keep a visible history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    title = models.CharField(max_length=120, blank=True)
    replaced_at = models.DateTimeField(default=timezone.now)
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["post", "-replaced_at"]

    def __str__(self) -> str:
        return f"{self.post}（{wareki_time(self.replaced_at)}）"


def attachment_path(instance, filename: str) -> str:
    return f"board/{timezone.now():%Y/%m}/{instance.token}{instance.extension}"


class Attachment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    file = models.FileField(upload_to=attachment_path)
    thumbnail = models.FileField(upload_to="board/thumbnails/", null=True, blank=True)
    name = models.CharField(_("ファイル名"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["post", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Follow(models.Model):
    """A person follows a category or a thread; their own threads are followed by default."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_follows")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="follows")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="follow_category_once",
                                    condition=models.Q(category__isnull=False)),
            models.UniqueConstraint(fields=["user", "thread"], name="follow_thread_once",
                                    condition=models.Q(thread__isnull=False)),
            models.CheckConstraint(condition=models.Q(category__isnull=True) ^ models.Q(thread__isnull=True),
                                   name="follow_one_thing"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.thread or self.category}"


class ReadMark(models.Model):
    """Up to when a person has read a thread (unread markers)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="one_read_mark")]

    def __str__(self) -> str:
        return f"{self.user} {self.thread} {self.read_at}"


class Preference(models.Model):
    """How a person wants board mail: at once, as a daily digest, or not at all."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("投稿のたびにすぐ")
        DIGEST = "digest", _("1日1回のまとめ")
        NONE = "none", _("受け取らない")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_preference")
    mode = models.CharField(_("通知メール"), max_length=16, choices=Mode.choices, default=Mode.DIGEST)
    last_visit_at = models.DateTimeField(null=True, blank=True)
    previous_visit_at = models.DateTimeField(null=True, blank=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.mode}"


class Report(models.Model):
    """A member's report of a post (通報), for the secretariat."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("理由"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.post} ({self.reporter})"
