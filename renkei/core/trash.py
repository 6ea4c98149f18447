"""Deleted, not gone: the one way a record is deleted for good.

`delete()` removes an object with everything that goes with it (what the database would cascade
to, exactly as Django's admin lists it), audits the deletion, and keeps a copy of every removed row
and the files they pointed to for settings.TRASH_DAYS days (a TrashedItem). Within that time the
secretariat puts it back with `restore()`; afterwards `purge()` (manage.py purge_trash, daily from
cron) removes the copy and the files.

Code that deletes files when their row goes asks `keeps_files()` first.
"""

import contextvars
import datetime as dt
import json

from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, router, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from renkei.core import audit
from renkei.core.models import TrashedItem

_keeping_files = contextvars.ContextVar("renkei_trash_keeping_files", default=False)


class _Exact(DjangoJSONEncoder):
    """Times to the microsecond (Django's encoder keeps milliseconds), so a restored row is as it was."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class TrashError(Exception):
    """A restore that cannot be done, with a message for the person who asked."""


def keeps_files() -> bool:
    """True while a deletion keeps its files for a later restore."""
    return _keeping_files.get()


def days() -> int:
    return settings.TRASH_DAYS


def kept_until(item: TrashedItem) -> dt.datetime:
    return item.deleted_at + dt.timedelta(days=days())


def restorable(now=None):
    """Items that can still be put back, newest first."""
    now = now or timezone.now()
    return TrashedItem.objects.filter(deleted_at__gt=now - dt.timedelta(days=days()))


def _collect(obj: models.Model) -> NestedObjects:
    collector = NestedObjects(using=router.db_for_write(type(obj), instance=obj))
    collector.collect([obj])
    if collector.protected:
        raise models.ProtectedError("protected", collector.protected)
    return collector


def _files(rows) -> list[list[str]]:
    found = []
    for row in rows:
        for field in row._meta.concrete_fields:
            if isinstance(field, models.FileField):
                value = getattr(row, field.attname)
                if value:
                    found.append([row._meta.label_lower, field.name, str(value)])
    return found


@transaction.atomic
def delete(obj: models.Model, *, actor, action: str, changes=None, label: str | None = None) -> TrashedItem:
    """Delete `obj` and what cascades from it, audited as `action`, restorable for TRASH_DAYS."""
    collector = _collect(obj)
    rows = [row for model_rows in collector.model_objs.values() for row in model_rows]
    item = TrashedItem.objects.create(
        deleted_by=actor if getattr(actor, "is_authenticated", False) else None,
        deleted_by_repr=actor.get_username() if getattr(actor, "is_authenticated", False) else "system",
        action=action, kind=str(obj._meta.verbose_name), label=(label or str(obj))[:255],
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
        records=json.dumps(serializers.serialize("python", rows), cls=_Exact, ensure_ascii=False),
        files=_files(rows), count=len(rows),
    )
    audit.log_action(actor=actor, action=action, obj=obj, changes=changes or {
        name: [value, None] for name, value in audit.snapshot(obj).items()})
    token = _keeping_files.set(True)
    try:
        obj.delete()
    finally:
        _keeping_files.reset(token)
    return item


def restore(item: TrashedItem, *, actor) -> models.Model:
    """Put back every row a deletion removed, as it was; derived data (the search index, cached
    pages) follows as for a new record. Refused once the keeping time is over, or when something
    now stands in the way (the same record made again, a municipality it belonged to gone)."""
    if kept_until(item) <= timezone.now():
        raise TrashError(f"削除から{days()}日を過ぎたため、元に戻せません。")
    try:
        with transaction.atomic():
            restored = list(serializers.deserialize("python", json.loads(item.records),
                                                    handle_forward_references=True))
            for row in restored:
                row.save(save_m2m=False)  # the many-to-many rows are among the restored rows
            _check_constraints()
            for row in restored:
                # Derived data listens to saves that are not raw: tell it, as for a new record.
                post_save.send(sender=type(row.object), instance=row.object, created=True, raw=False,
                               using=DEFAULT_DB_ALIAS, update_fields=None)
            root = item.content_type.model_class()._default_manager.get(pk=item.object_id)
            audit.log_action(actor=actor, action=item.action.rsplit(".", 1)[0] + ".restored", obj=root,
                             changes={"restored_rows": [None, item.count]})
            item.delete()
    except (IntegrityError, serializers.base.DeserializationError) as error:
        raise TrashError(
            f"{item}は元に戻せません。同じものがすでに登録されているか、関係する記録が削除されています。") from error
    return root


def _check_constraints() -> None:
    """Foreign keys are checked at commit; check them now, inside the savepoint, to refuse cleanly."""
    from django.db import connection

    connection.check_constraints()


def purge(now=None) -> int:
    """Remove what has been kept longer than TRASH_DAYS, with its files (after commit)."""
    now = now or timezone.now()
    expired = list(TrashedItem.objects.filter(deleted_at__lte=now - dt.timedelta(days=days())))
    for item in expired:
        names = []
        for label, field_name, name in item.files:
            try:
                storage = apps.get_model(label)._meta.get_field(field_name).storage
            except LookupError:
                continue
            names.append((storage, name))
        with transaction.atomic():
            item.delete()
            transaction.on_commit(lambda names=names: [storage.delete(name) for storage, name in names])
    return len(expired)
