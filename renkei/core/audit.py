"""The one audit-log mechanism: every write by a signed-in user goes through log_action.

Action codes are namespaced by app, e.g. "registry.agreement.changed".
"""

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from renkei.core.models import AuditEntry


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
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_repr=(actor.get_username() if authenticated else "system")[:255],
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        changes=changes or {},
    )


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
