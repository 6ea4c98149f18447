from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEntryQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Entries whose actor, action or object mentions the text."""
        text = text.strip()
        if not text:
            return self
        return self.filter(models.Q(actor_repr__icontains=text) | models.Q(object_repr__icontains=text)
                           | models.Q(action__icontains=text))

    def in_area(self, app_label: str):
        """Entries of one app's actions ("board" for board.post.deleted, …)."""
        return self.filter(action__startswith=f"{app_label}.") if app_label else self

    def between(self, since=None, until=None):
        """Entries from the start of `since` to the end of `until` (dates, Japan time)."""
        queryset = self
        if since is not None:
            queryset = queryset.filter(at__date__gte=since)
        if until is not None:
            queryset = queryset.filter(at__date__lte=until)
        return queryset


class AuditEntry(models.Model):
    """One write by a signed-in user: who, which object, which action, when, what changed."""

    at = models.DateTimeField("日時", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="実行者",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text so the entry still says who acted after the account is gone.
    actor_repr = models.CharField("実行者（記録時）", max_length=255, blank=True)
    action = models.CharField("操作", max_length=100, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name="対象の種類", null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField("対象ID", max_length=64, blank=True)
    object_repr = models.CharField("対象", max_length=255, blank=True)
    changes = models.JSONField("変更内容", default=dict, blank=True)
    # The chain (renkei.core.audit.seal): the entry's place and a hash over its content and the
    # previous entry's hash, so an entry edited or deleted afterwards is found by audit_verify.
    seq = models.PositiveBigIntegerField("連番", null=True, blank=True, unique=True)
    digest = models.CharField("ハッシュ", max_length=64, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "監査ログ"
        verbose_name_plural = "監査ログ"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"


class AuditSeal(models.Model):
    """One row: the last entry sealed into the chain (its place and hash)."""

    seq = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64, default="0" * 64)
    sealed_at = models.DateTimeField(null=True, blank=True)
    # Where the chain starts now that older entries have been purged (renkei.core.audit.purge).
    first_seq = models.PositiveBigIntegerField(default=1)
    first_previous = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = verbose_name_plural = "監査ログの封印"

    def __str__(self) -> str:
        return f"{self.seq} {self.digest[:12]}"


class OutgoingEmail(models.Model):
    """A message in the outbox: written in the same transaction as the action that sends it,
    delivered after commit, retried until it goes; failures are shown to the secretariat."""

    class Status(models.TextChoices):
        QUEUED = "queued", "送信待ち"
        SENT = "sent", "送信済み"
        FAILED = "failed", "送信失敗"

    to = models.EmailField("宛先")
    # An inquiry's sender, so that the desk answers with its mail program's reply button.
    reply_to = models.EmailField("返信先", blank=True)
    subject = models.CharField("件名", max_length=255)
    body_text = models.TextField("本文（テキスト）")
    body_html = models.TextField("本文（HTML）", blank=True)
    kind = models.CharField("種類", max_length=64)
    status = models.CharField(
        "状態", max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("試行回数", default=0)
    last_error = models.TextField("最後のエラー", blank=True)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    sent_at = models.DateTimeField("送信日時", null=True, blank=True)

    class Meta:
        verbose_name = "送信メール"
        verbose_name_plural = "送信メール"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "to", "created_at"], name="outbox_kind_to_created")]

    def __str__(self) -> str:
        return f"{self.to} {self.subject}"


class ContentVersion(models.Model):
    """Changes whenever public content changes: the key of cached public pages.

    One row. A random stamp, not a counter, so a rolled-back change never reuses a key.
    `next_due` is the next scheduled publication, when pages change without a write.
    """

    stamp = models.CharField(max_length=32)
    next_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "公開内容の版"
        verbose_name_plural = "公開内容の版"

    def __str__(self) -> str:
        return self.stamp


class TrashedItem(models.Model):
    """What one deletion removed (the object and everything that went with it), kept for
    settings.TRASH_DAYS so that the secretariat can put it back (元に戻す). See renkei.core.trash."""

    deleted_at = models.DateTimeField("削除日時", auto_now_add=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="削除した人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    deleted_by_repr = models.CharField("削除した人（記録時）", max_length=255, blank=True)
    # The action that deleted it ("portal.news.deleted"): restoring logs the same with "restored".
    action = models.CharField("操作", max_length=100)
    kind = models.CharField("種類", max_length=100)
    label = models.CharField("内容", max_length=255)
    content_type = models.ForeignKey(ContentType, verbose_name="対象の種類", on_delete=models.CASCADE)
    object_id = models.CharField("対象ID", max_length=64)
    # Django's JSON serialization of every row the deletion removed, and the files they pointed to
    # ([app_label.model, field, name]), which stay on disk until the item is purged.
    records = models.TextField("削除した記録")
    files = models.JSONField("ファイル", default=list, blank=True)
    count = models.PositiveIntegerField("記録の数", default=1)

    class Meta:
        verbose_name = "削除したもの"
        verbose_name_plural = "削除したもの"
        ordering = ["-deleted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind}「{self.label}」"


class ImportBatch(models.Model):
    """An uploaded spreadsheet, checked and waiting for the secretariat's confirmation (取込の確認).
    See renkei.core.imports."""

    class Status(models.TextChoices):
        CHECKED = "checked", "確認待ち"
        APPLIED = "applied", "取込済み"

    kind = models.CharField("内容", max_length=32)  # a key of renkei.core.imports.KINDS (relations, dispatches …)
    filename = models.CharField("ファイル名", max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("日時", auto_now_add=True)
    status = models.CharField("状態", max_length=16, choices=Status.choices, default=Status.CHECKED)
    total = models.PositiveIntegerField("行数")
    # Each valid row: {"row": its number in the file, "values": what is written, "shown": the preview's cells}.
    rows = models.JSONField("取り込む行", default=list)
    errors = models.JSONField("エラー", default=list)

    class Meta:
        verbose_name = "取込"
        verbose_name_plural = "取込"
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.filename


class SearchDocument(models.Model):
    """One thing people look for — a public page, or a post members may read — as the search sees
    it: its normalised text, indexed as grams, and from when it may be found (None: not now).
    See renkei.core.search; the apps register their kinds and keep their documents true."""

    page_cache_exempt = True  # it changes with the object it indexes, which moves the version

    kind = models.CharField(max_length=12)  # a key of renkei.core.search.KINDS
    key = models.CharField(max_length=16)  # the object's primary key
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=200)
    day = models.DateField(null=True)
    text = models.TextField()
    visible_from = models.DateTimeField(null=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="one_search_document_per_object")]

    def __str__(self) -> str:
        return self.title


class SearchGram(models.Model):
    """A 1-, 2- or 3-character gram of a document's text (renkei.core.grams)."""

    page_cache_exempt = True
    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="grams")
    gram = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gram", "document"], name="one_search_gram_per_document")]

    def __str__(self) -> str:
        return f"{self.gram}→{self.document_id}"


class GramCount(models.Model):
    """How many documents of a kind have a gram, kept with the index: an exact count for a 1- to
    3-character query, and the rarest gram of a longer one, without counting rows. A count is the
    sum of its shards: a document adds to the shard of its id, so writers at once rarely wait for
    the same row of a common gram (「の」 is in every post)."""

    page_cache_exempt = True
    kind = models.CharField(max_length=12)
    gram = models.BigIntegerField()
    shard = models.PositiveSmallIntegerField(default=0)
    documents = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["gram", "kind", "shard"], name="one_count_per_gram_kind_shard")]

    def __str__(self) -> str:
        return f"{self.kind} {self.gram}: {self.documents}"


class SubmittedForm(models.Model):
    """A creation form that was sent (its one-time token, renkei.core.editing): sent again — a
    double click, a reload, two tabs — it answers where the first one went, and stores nothing."""

    token = models.CharField(max_length=64, unique=True)
    location = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "送信済みのフォーム"

    def __str__(self) -> str:
        return self.token
