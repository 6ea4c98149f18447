"""Writing the registry: relations (交流) and the lists behind them."""

import tomllib
from pathlib import Path

from django.db import transaction

from renkei.core import audit, trash
from renkei.core.audit import log_action
from renkei.municipalities.models import Kind
from renkei.registry import imports
from renkei.registry.models import CooperationField, ImportBatch, Relation, RelationKind

LISTS = Path(__file__).resolve().parent / "data" / "lists.toml"


@transaction.atomic
def load_reference_lists(path: Path = LISTS) -> tuple[int, int]:
    """Add the shipped relation kinds and fields that are missing; never changes the secretariat's."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    kinds = sum(RelationKind.objects.get_or_create(name=name, defaults={"position": i})[1]
                for i, name in enumerate(data["relation_kinds"], start=1))
    fields = sum(CooperationField.objects.get_or_create(name=name, defaults={"position": i})[1]
                 for i, name in enumerate(data["fields"], start=1))
    return kinds, fields


class RegistryError(Exception):
    """A change the registry refuses; the message is shown as is."""


def load_reference_data() -> str:
    kinds, fields = load_reference_lists()
    return f"交流の種別: 新規 {kinds}件, 分野: 新規 {fields}件"


def can_edit_relations_of(actor, ward) -> bool:
    """The secretariat keeps every relation; ward staff keep their own ward's."""
    if actor.is_secretariat:
        return True
    return actor.is_active and actor.local_government_id == ward.pk and ward.kind == Kind.SPECIAL_WARD


def _check_relation(*, ward, municipality, started_on, ended_on, kind, exclude_pk=None):
    if ward.kind != Kind.SPECIAL_WARD:
        raise RegistryError(f"{ward.full_name}は特別区ではありません。")
    if municipality.kind == Kind.SPECIAL_WARD:
        raise RegistryError("交流の相手は特別区以外の自治体を指定してください。")
    if ended_on is not None and ended_on <= started_on:
        raise RegistryError("終了日は開始日より後の日付にしてください。")
    duplicate = Relation.objects.filter(ward=ward, municipality=municipality, kind=kind, started_on=started_on)
    if exclude_pk is not None:
        duplicate = duplicate.exclude(pk=exclude_pk)
    if duplicate.exists():
        raise RegistryError(f"{ward.name}と{municipality.full_name}の同じ種別・開始日の交流はすでに登録されています。")


@transaction.atomic
def create_relation(*, actor, ward, municipality, kind, fields, started_on, ended_on=None, note="") -> Relation:
    if not can_edit_relations_of(actor, ward):
        raise RegistryError("この区の交流は登録できません。")
    _check_relation(ward=ward, municipality=municipality, started_on=started_on, ended_on=ended_on, kind=kind)
    relation = Relation.objects.create(ward=ward, municipality=municipality, kind=kind, started_on=started_on,
                                       ended_on=ended_on, note=note)
    relation.fields.set(fields)
    log_action(actor=actor, action="registry.relation.created", obj=relation,
               changes=audit.diff({}, audit.snapshot(relation)) | {"fields": [None, [f.name for f in fields]]})
    return relation


@transaction.atomic
def update_relation(*, actor, relation: Relation, **values) -> Relation:
    relation = Relation.objects.select_for_update().get(pk=relation.pk)
    if not can_edit_relations_of(actor, relation.ward) or (
        "ward" in values and not can_edit_relations_of(actor, values["ward"])):
        raise RegistryError("この区の交流は変更できません。")
    fields = values.pop("fields", None)
    before = audit.snapshot(relation)
    before_fields = sorted(f.name for f in relation.fields.all())
    for name, value in values.items():
        setattr(relation, name, value)
    _check_relation(ward=relation.ward, municipality=relation.municipality, started_on=relation.started_on,
                    ended_on=relation.ended_on, kind=relation.kind, exclude_pk=relation.pk)
    relation.save()
    changes = audit.diff(before, audit.snapshot(relation))
    if fields is not None:
        relation.fields.set(fields)
        after_fields = sorted(f.name for f in fields)
        if after_fields != before_fields:
            changes["fields"] = [before_fields, after_fields]
    log_action(actor=actor, action="registry.relation.changed", obj=relation, changes=changes)
    return relation


@transaction.atomic
def delete_relation(*, actor, relation: Relation) -> None:
    if not can_edit_relations_of(actor, relation.ward):
        raise RegistryError("この区の交流は削除できません。")
    trash.delete(relation, actor=actor, action="registry.relation.deleted")


# --- Imports (取込): a file is checked and kept as a batch, then written on confirmation ---

def check_import(*, actor, kind: str, filename: str, data: bytes) -> ImportBatch:
    """Read and check every row of an uploaded file, writing nothing to the registry: the rows
    and their errors (by row and column) are kept as a batch for the secretariat to look at.

    Raises imports.ImportRefused when the file as a whole cannot be read.
    """
    if len(data) > imports.MAX_BYTES:
        raise imports.ImportRefused(f"ファイルが大きすぎます（{len(data) // 1024 // 1024}MB）。10MBまでにしてください。")
    checked = imports.KINDS[kind].check(imports.read_table(filename, data))
    errors = [{"row": e.row, "column": e.column, "message": e.message} for e in checked.errors]
    return ImportBatch.objects.create(kind=kind, filename=filename[:255], uploaded_by=actor, total=checked.total,
                                      rows=checked.rows, errors=errors)


@transaction.atomic
def apply_import(*, actor, batch_pk: int) -> tuple[ImportBatch, int]:
    """Write a checked batch in one transaction (all rows or none) and mark it applied; returns
    the batch and how many records were written. Raises imports.ImportRefused."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch_pk)
    if batch.status != ImportBatch.Status.CHECKED or batch.errors or not batch.rows:
        raise imports.ImportRefused("この取込は実行できません（エラーがあるか、取込済みです）。")
    count = imports.KINDS[batch.kind].apply(batch.rows, actor=actor, filename=batch.filename)
    batch.status = ImportBatch.Status.APPLIED
    batch.save(update_fields=["status"])
    return batch, count
