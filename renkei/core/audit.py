"""The one audit-log mechanism: every write by a signed-in user goes through log_action.

Action codes are namespaced by app, e.g. "registry.agreement.changed".
"""

import datetime as dt
import hashlib
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from renkei.core.models import AuditEntry, AuditSeal


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).isoformat()  # one form whatever zone it was read in
    return str(value)


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of an object, in a form JSON can store."""
    return {
        field.attname: _plain(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if not getattr(field, "auto_now", False)  # the time of the write itself is not a change
    }


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{"field": [old, new]} for every field whose value changed."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def log_action(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that `actor` did `action` to `obj`; `changes` maps field → [old, new]."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entry = AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_repr=(actor.get_username() if authenticated else "system")[:255],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        changes=changes or {},
    )
    transaction.on_commit(seal)  # once it is committed, into the chain
    return entry


def log_actions(*, actor, action: str, objects: list[models.Model], changes=None) -> None:
    """log_action for many objects written at once (an import): one entry each, as if each had
    been written alone, in one insert. `changes(obj)` gives an object's changes."""
    if not objects:
        return
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    content_type = ContentType.objects.get_for_model(objects[0])
    AuditEntry.objects.bulk_create([AuditEntry(
        actor=actor if authenticated else None,
        actor_repr=(actor.get_username() if authenticated else "system")[:255],
        action=action, content_type=content_type, object_id=str(obj.pk), object_repr=str(obj)[:255],
        changes=changes(obj) if changes else {},
    ) for obj in objects], batch_size=1000)
    transaction.on_commit(seal_all)


VERBS = {
    "created": "作成", "changed": "変更", "deleted": "削除", "approved": "承認", "rejected": "却下・差し戻し",
    "submitted": "承認の申請", "withdrawn": "取下げ・退会", "resumed": "再開", "verified": "確認", "invited": "招待",
    "joined": "参加", "removed": "削除", "handed_over": "引継ぎ", "imported": "取込", "loaded": "読込",
    "purged": "期限切れの削除", "reported": "通報", "replied": "返信", "started": "作成", "signed_in": "ログイン",
    "signed_out": "ログアウト", "sign_in_failed": "ログイン失敗", "second_factor_verified": "2段階認証",
    "second_factor_failed": "2段階認証の失敗", "second_factor_registered": "認証アプリの登録",
    "recovery_codes_replaced": "リカバリーコードの再発行", "hide": "非表示", "show": "再表示", "lock": "ロック",
    "unlock": "ロック解除", "move": "移動", "pin": "固定", "unpin": "固定解除", "restored": "元に戻す（復元）",
}


def describe(action: str) -> str:
    """An action code as the secretariat reads it: the app's name and the verb in Japanese
    (「掲示板: 削除」 for board.post.deleted); unknown verbs stay as written."""
    from django.apps import apps

    label, _, rest = action.partition(".")
    try:
        area = apps.get_app_config(label).verbose_name
    except LookupError:
        area = label
    verb = rest.rsplit(".", 1)[-1]
    return f"{area}: {VERBS.get(verb, verb)}"


def _content(entry: AuditEntry) -> bytes:
    """What an entry's hash covers: everything it says, not the links a deletion elsewhere may
    empty (the actor's account, the object's type): their text is kept and covered instead."""
    return json.dumps({
        "id": entry.pk, "at": entry.at.astimezone(dt.UTC).isoformat(), "actor": entry.actor_repr,
        "action": entry.action, "object_id": entry.object_id, "object": entry.object_repr, "changes": entry.changes,
    }, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def chained(previous: str, entry: AuditEntry) -> str:
    return hashlib.sha256(previous.encode() + b"\n" + _content(entry)).hexdigest()


SEAL_BATCH = 5000


def seal() -> int:
    """Chain every committed entry not yet sealed, in the order of their ids, after the last
    sealed one. One sealer at a time; a writer never waits for it (another sealer at work will
    take the new entries too). Returns how many were sealed."""
    with transaction.atomic():
        head = AuditSeal.objects.select_for_update(skip_locked=True).filter(pk=1).first()
        if head is None:
            if AuditSeal.objects.filter(pk=1).exists():
                return 0  # another sealer holds it
            head, _ = AuditSeal.objects.get_or_create(pk=1)
        pending = list(AuditEntry.objects.filter(seq__isnull=True).order_by("id")[:SEAL_BATCH])
        for entry in pending:
            head.seq += 1
            entry.seq, entry.digest = head.seq, chained(head.digest, entry)
            head.digest = entry.digest
        if pending:
            AuditEntry.objects.bulk_update(pending, ["seq", "digest"], batch_size=1000)
            head.sealed_at = timezone.now()
            head.save()
        return len(pending)


def seal_all() -> None:
    """Seal until nothing is left (an import may leave more than one seal takes)."""
    while seal() == SEAL_BATCH:
        pass


def verify() -> list[str]:
    """Walk the chain from the first entry: every problem found, in Japanese (none: intact)."""
    problems = []
    head = AuditSeal.objects.filter(pk=1).first()
    previous, expected = (head.first_previous, head.first_seq) if head else ("0" * 64, 1)
    for entry in AuditEntry.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=2000):
        if entry.seq != expected:
            problems.append(f"連番 {expected}〜{entry.seq - 1} の記録がありません（削除された可能性）。")
            previous = None
        if previous is not None and entry.digest != chained(previous, entry):
            problems.append(f"記録 {entry.pk}（連番 {entry.seq}、{entry.action}）の内容がハッシュと一致しません"
                            "（書き換えられた可能性）。")
        previous, expected = entry.digest, entry.seq + 1
    sealed = expected - 1
    if head is not None and (head.seq != sealed or (sealed >= head.first_seq and head.digest != previous)):
        problems.append(f"封印の最後（連番 {head.seq}）と記録の最後（連番 {sealed}）が一致しません（末尾が削除された可能性）。")
    old = AuditEntry.objects.filter(seq__isnull=True, at__lt=timezone.now() - dt.timedelta(hours=1)).count()
    if old:
        problems.append(f"1時間以上前の記録 {old}件がまだ封印されていません。")
    return problems


def purge(*, days: int) -> int:
    """Delete the sealed entries older than `days` (at least a year), keeping the chain verifiable
    from the first entry that stays. Returns how many were deleted."""
    if days < 365:
        raise ValueError("監査ログは1年以上保存してください（AUDIT_RETENTION_DAYS は365以上）。")
    seal()
    with transaction.atomic():
        head = AuditSeal.objects.select_for_update().get(pk=1)
        old = AuditEntry.objects.filter(seq__isnull=False, seq__gte=head.first_seq,
                                        at__lt=timezone.now() - dt.timedelta(days=days))
        last = old.order_by("-seq").values("seq", "digest").first()
        if last is None:
            return 0
        deleted, _ = AuditEntry.objects.filter(seq__isnull=False, seq__lte=last["seq"]).delete()
        head.first_seq, head.first_previous = last["seq"] + 1, last["digest"]
        head.save(update_fields=["first_seq", "first_previous"])
        return deleted
