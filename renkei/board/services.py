"""The board's actions (掲示板): post, reply, edit, delete, follow, report, moderate.

Each runs in one transaction, checks its preconditions before writing, writes the audit log and
notifies followers after commit. The search index follows the writes (signals.py).
"""

import io
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from renkei.board.models import (
    Attachment,
    Category,
    Follow,
    Post,
    PostRevision,
    Preference,
    ReadMark,
    Report,
    Thread,
)
from renkei.core import markup
from renkei.core.access import SECRETARIAT, allows
from renkei.core.audit import log_action
from renkei.core.images import too_many_pixels

MAX_BODY = 20_000  # characters
MAX_ATTACHMENT = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
ALLOWED_TYPES = {  # detected content type → extension
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.ms-powerpoint": ".ppt",
}
OFFICE_ZIP = {".docx", ".xlsx", ".pptx"}
OLE = {".doc", ".xls", ".ppt"}



class BoardError(Exception):
    """A request the board refuses; the message is shown as is."""


def render(body: str) -> str:
    """A post as typed: its single line breaks kept (mails and LINE are written so)."""
    return markup.render(body, breaks=True)


def check_text(title: str | None, body: str) -> None:
    if title is not None:
        if not title.strip():
            raise BoardError("題名を入力してください。")
        if len(title) > 120:
            raise BoardError("題名は120文字以内にしてください。")
    if not body.strip():
        raise BoardError("本文を入力してください。")
    if len(body) > MAX_BODY:
        raise BoardError(f"本文が長すぎます（{len(body):,}文字）。{MAX_BODY:,}文字以内にしてください。")
    if any(unicodedata.category(c) == "Cc" and c not in "\n\r\t" for c in body + (title or "")):
        raise BoardError("本文に使えない制御文字が含まれています。")


def safe_name(name: str) -> str:
    """The last part of a file name, without paths or control characters."""
    name = PurePath(name.replace("\\", "/")).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C").strip(" .")
    return name[:150] or "ファイル"


def check_upload(upload) -> tuple[bytes, str, str]:
    """The file's bytes, content type and extension, judged by its content, not its name."""
    if upload.size > MAX_ATTACHMENT:
        raise BoardError(f"「{safe_name(upload.name)}」は大きすぎます。1ファイル10MBまでにしてください。")
    data = upload.read()
    kind = filetype.guess(data)
    mime = kind.mime if kind else ""
    extension = ALLOWED_TYPES.get(mime)
    claimed = PurePath(safe_name(upload.name)).suffix.lower()
    if mime == "application/zip" and claimed in OFFICE_ZIP and b"[Content_Types].xml" in data[:4096 * 4]:
        extension, mime = claimed, next(m for m, e in ALLOWED_TYPES.items() if e == claimed)
    if mime == "application/x-ole-storage" and claimed in OLE:
        extension, mime = claimed, next(m for m, e in ALLOWED_TYPES.items() if e == claimed)
    if extension is None:
        raise BoardError(f"「{safe_name(upload.name)}」は添付できない種類のファイルです（PDF、画像、Office文書のみ）。"
                         "拡張子ではなく中身で判定しています。")
    return data, mime, extension


def _thumbnail(data: bytes, name: str) -> bytes | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            if too_many_pixels(image):
                raise BoardError(f"「{name}」は画素数が多すぎます（{image.width}×{image.height}）。"
                                 "4,000万画素までの画像にしてください。")
            image.thumbnail((320, 320))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=80)
            return out.getvalue()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise BoardError("画像を読み取れません。ファイルが壊れていないか確かめてください。") from None


@dataclass(frozen=True)
class Upload:
    """An attachment checked and drawn before any transaction starts: the writes that follow
    hold no lock while an image is decoded."""

    name: str
    data: bytes
    content_type: str
    extension: str
    thumbnail: bytes | None


def prepare_uploads(uploads) -> list[Upload]:
    uploads = list(uploads or [])
    if len(uploads) > MAX_ATTACHMENTS:
        raise BoardError(f"添付は{MAX_ATTACHMENTS}ファイルまでです。")
    prepared = []
    for upload in uploads:
        data, mime, extension = check_upload(upload)
        name = safe_name(upload.name)
        thumbnail = _thumbnail(data, name) if mime.startswith("image/") else None
        prepared.append(Upload(name, data, mime, extension, thumbnail))
    return prepared


def _attach(post: Post, uploads: list[Upload]) -> None:
    for upload in uploads:
        attachment = Attachment(post=post, token=secrets.token_hex(16), extension=upload.extension, name=upload.name,
                                content_type=upload.content_type, size=len(upload.data))
        attachment.file.save(f"{attachment.token}{upload.extension}", ContentFile(upload.data), save=False)
        if upload.thumbnail is not None:
            attachment.thumbnail.save(f"{attachment.token}.jpg", ContentFile(upload.thumbnail), save=False)
        attachment.save()


def _organization(user):
    return user.local_government


def start_thread(*, author, category: Category, type: str, title: str, body: str, deadline=None, uploads=()) -> Thread:
    check_text(title, body)
    if type == Thread.Type.CALL and deadline is None:
        raise BoardError("募集には締切日を入力してください。")
    uploads, body_html = prepare_uploads(uploads), render(body)
    with transaction.atomic():
        now = timezone.now()
        thread = Thread.objects.create(category=category, type=type, title=title.strip(), deadline=deadline,
                                       author=author, organization=_organization(author), created_at=now,
                                       last_posted_at=now, post_count=1)
        post = Post.objects.create(thread=thread, author=author, organization=thread.organization, body=body,
                                   body_html=body_html, created_at=now)
        _attach(post, uploads)
        Follow.objects.get_or_create(user=author, thread=thread)
        log_action(actor=author, action="board.thread.started", obj=thread,
                   changes={"title": [None, thread.title], "files": [None, len(uploads)]})
        _notify_on_commit(post)
    return thread


def _refuse_reply(thread: Thread) -> None:
    if thread.is_locked:
        raise BoardError("このスレッドはロックされているため返信できません。")
    if thread.is_hidden:
        raise BoardError("このスレッドは表示されていません。")


def reply(*, author, thread: Thread, body: str, quote: Post | None = None, uploads=()) -> Post:
    """A reply: checked, rendered and its files drawn first; then one short transaction, which
    takes the thread's row last (a moderator's lock still wins), so replies to one busy thread
    wait for each other only for the time of the counter's update."""
    _refuse_reply(thread)
    check_text(None, body)
    uploads, body_html = prepare_uploads(uploads), render(body)
    if quote is not None and quote.thread_id != thread.pk:
        quote = None
    with transaction.atomic():
        now = timezone.now()
        post = Post.objects.create(thread=thread, author=author, organization=_organization(author), body=body,
                                   body_html=body_html, quote=quote, created_at=now)
        _attach(post, uploads)
        log_action(actor=author, action="board.post.replied", obj=post, changes={"files": [None, len(uploads)]})
        counted = Thread.objects.filter(pk=thread.pk, is_locked=False, is_hidden=False).update(
            last_posted_at=Greatest("last_posted_at", Value(now)), post_count=F("post_count") + 1)
        if not counted:  # locked, hidden or gone meanwhile: nothing of the reply stays
            fresh = Thread.objects.filter(pk=thread.pk).first()
            if fresh is not None:
                _refuse_reply(fresh)
            raise BoardError("このスレッドには返信できません。")
        _notify_on_commit(post)
    return post


def can_edit(user, post: Post) -> bool:
    """Only the author, or staff of the same municipality when the author has left."""
    if post.is_deleted:
        return False
    if post.author_id == user.pk:
        return True
    return not post.author.is_active and user.local_government_id == post.organization_id


@transaction.atomic
def edit_post(*, editor, post: Post, body: str, title: str | None = None) -> Post:
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if not can_edit(editor, post):
        raise BoardError("この投稿は編集できません。")
    first = post.thread.posts.order_by("created_at", "id").first().pk == post.pk
    check_text(title if first else None, body)
    PostRevision.objects.create(post=post, body=post.body, title=post.thread.title if first else "", editor=editor)
    changed = ["body"] if post.body != body else []
    post.body, post.body_html, post.edited_at = body, render(body), timezone.now()
    if first and title is not None and title.strip() != post.thread.title:
        post.thread.title = title.strip()
        post.thread.save(update_fields=["title"])
        changed.append("title")
    post.save(update_fields=["body", "body_html", "edited_at"])
    # The earlier text stays in the post's history (PostRevision), so the entry names the fields.
    log_action(actor=editor, action="board.post.changed", obj=post, changes={"fields": [None, changed]})
    return post


@transaction.atomic
def delete_post(*, user, post: Post) -> Post:
    """A soft delete: the post shows as deleted, its text and files are no longer served."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not can_edit(user, post):
        raise BoardError("この投稿は削除できません。")
    post.is_deleted = True
    post.save(update_fields=["is_deleted"])
    log_action(actor=user, action="board.post.deleted", obj=post)
    return post


@transaction.atomic
def set_answered(*, user, thread: Thread, answered: bool) -> Thread:
    """The author of a question marks it answered (解決済み), or not."""
    if thread.type != Thread.Type.QUESTION or thread.author_id != user.pk:
        raise BoardError("解決済みにできるのは、質問した方だけです。")
    thread.is_answered = answered
    thread.save(update_fields=["is_answered"])
    log_action(actor=user, action="board.thread.changed", obj=thread, changes={"is_answered": [not answered, answered]})
    return thread


def save_preferences(*, user, mode: str) -> Preference:
    """How a member hears of new posts: each at once, a daily digest, or not by mail."""
    pref = preference(user)
    pref.mode = mode
    pref.save(update_fields=["mode"])
    return pref


def follow(user, *, thread: Thread | None = None, category: Category | None = None, on: bool = True) -> None:
    lookup = {"user": user, "thread": thread} if thread is not None else {"user": user, "category": category}
    if on:
        Follow.objects.get_or_create(**lookup)
    else:
        Follow.objects.filter(**lookup).delete()


def mark_read(user, thread: Thread) -> None:
    ReadMark.objects.update_or_create(user=user, thread=thread, defaults={"read_at": timezone.now()})


def preference(user) -> Preference:
    return Preference.objects.get_or_create(user=user)[0]


def record_visit(user) -> Preference:
    """Keep the previous visit for "new since your last visit" (a visit: the board index)."""
    pref = preference(user)
    now = timezone.now()
    if pref.last_visit_at is None or now - pref.last_visit_at > timezone.timedelta(minutes=30):
        pref.previous_visit_at = pref.last_visit_at
    pref.last_visit_at = now
    pref.save(update_fields=["last_visit_at", "previous_visit_at"])
    return pref


@transaction.atomic
def report(*, reporter, post: Post, reason: str) -> Report:
    reason = reason.strip()
    if not reason:
        raise BoardError("通報の理由を入力してください。")
    item = Report.objects.create(post=post, reporter=reporter, reason=reason[:2000])
    log_action(actor=reporter, action="board.post.reported", obj=post, changes={"reason": [None, reason[:200]]})
    return item


@transaction.atomic
def moderate(*, moderator, thread: Thread | None = None, post: Post | None = None, action: str,
             category: Category | None = None) -> None:
    """The secretariat hides, locks, moves or pins; the author is told by mail."""
    if not allows(SECRETARIAT, moderator):
        raise BoardError("この操作は事務局のみ行えます。")
    from renkei.core.emails import queue_email

    if post is not None:
        if action not in ("hide", "show"):
            raise BoardError("できない操作です。")
        post.is_hidden = action == "hide"
        post.save(update_fields=["is_hidden"])
        Report.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=timezone.now(),
                                                                           resolved_by=moderator)
        target, author = post, post.author
    else:
        changes = {"hide": {"is_hidden": True}, "show": {"is_hidden": False}, "lock": {"is_locked": True},
                   "unlock": {"is_locked": False}, "pin": {"is_pinned": True}, "unpin": {"is_pinned": False}}
        if action == "move":
            if category is None:
                raise BoardError("移動先のカテゴリを選んでください。")
            values = {"category": category}
        elif action in changes:
            values = changes[action]
        else:
            raise BoardError("できない操作です。")
        for name, value in values.items():
            setattr(thread, name, value)
        thread.save(update_fields=list(values))
        target, author = thread, thread.author
    log_action(actor=moderator, action=f"board.moderation.{action}", obj=target)
    if author.is_active and action in ("hide", "lock", "move"):
        queue_email(to=author.email, name="board-moderated", context={"target": target, "action": action,
                                                                      "user": author, "category": category})


def load_categories() -> int:
    """Add the shipped categories that are missing; the secretariat's own stay as they are."""
    import tomllib
    from pathlib import Path

    data = tomllib.loads((Path(__file__).resolve().parent / "data" / "categories.toml").read_text("utf-8"))
    return sum(Category.objects.get_or_create(slug=slug, defaults={"name": name, "position": i})[1]
               for i, (slug, name) in enumerate(data["categories"], start=1))


def load_reference_data() -> str:
    return f"掲示板のカテゴリ: 新規 {load_categories()}件"


def _notify_on_commit(post: Post) -> None:
    from renkei.board.tasks import notify_new_post

    transaction.on_commit(lambda: notify_new_post.enqueue(post.pk))
