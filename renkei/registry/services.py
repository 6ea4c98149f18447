"""Writing the registry: relations (交流) and the lists behind them."""

import tomllib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from renkei.core import audit, bulk, trash
from renkei.core.audit import log_action
from renkei.municipalities.models import Kind
from renkei.registry.models import AssociationMember, CooperationField, Relation, RelationKind

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


def _check_relation(relation: Relation) -> None:
    """The relation's own rules (Relation.clean), and no second relation of the same kind from the same day."""
    try:
        relation.clean()
    except ValidationError as error:
        raise RegistryError(" ".join(error.messages)) from None
    duplicate = Relation.objects.filter(ward=relation.ward_id, municipality=relation.municipality_id,
                                        kind=relation.kind_id, started_on=relation.started_on)
    if relation.pk is not None:
        duplicate = duplicate.exclude(pk=relation.pk)
    if duplicate.exists():
        raise RegistryError(f"{relation.ward.name}と{relation.municipality.full_name}の同じ種別・開始日の交流は"
                            "すでに登録されています。")


def _created(relation: Relation, field_names: list[str]) -> dict:
    return audit.diff({}, audit.snapshot(relation)) | {"fields": [None, field_names]}


@transaction.atomic
def create_relation(*, actor, ward, municipality, kind, fields, started_on, ended_on=None, note="",
                    agreed=False) -> Relation:
    """`agreed`: both sides agreed to it (a proposal accepted), so either side's staff records it."""
    allowed = (actor.is_active and actor.local_government_id in (ward.pk, municipality.pk)) if agreed else \
        can_edit_relations_of(actor, ward)
    if not allowed:
        raise RegistryError("この区の交流は登録できません。")
    relation = Relation(ward=ward, municipality=municipality, kind=kind, started_on=started_on, ended_on=ended_on,
                        note=note)
    _check_relation(relation)
    relation.save()
    relation.fields.set(fields)
    log_action(actor=actor, action="registry.relation.created", obj=relation,
               changes=_created(relation, [f.name for f in fields]))
    return relation


@transaction.atomic
def create_relations(*, actor, relations: list[Relation], fields: list[list[int]],
                     where: list[str] | None = None) -> list[Relation]:
    """Many relations at once (an import, by the secretariat or a command): each checked and
    audited as create_relation would, written in bulk. `fields[i]` are the ids of the i-th's
    fields; `where[i]` names it in a message (「3行目」). Raises RegistryError naming the first
    that may not be written, writing nothing."""
    where = where or [f"{n}件目" for n in range(1, len(relations) + 1)]
    existing = set(Relation.objects.select_for_update().values_list("ward_id", "municipality_id", "kind_id",
                                                                     "started_on"))
    for relation, place in zip(relations, where, strict=True):
        try:
            relation.clean()
        except ValidationError as error:
            raise RegistryError(f"{place}: {' '.join(error.messages)}") from None
        if (relation.ward_id, relation.municipality_id, relation.kind_id, relation.started_on) in existing:
            raise RegistryError(f"{place}の交流（{relation}）は、すでに登録されています。")
    created = Relation.objects.bulk_create(relations, batch_size=1000)
    through = Relation.fields.through
    through.objects.bulk_create([through(relation_id=r.pk, cooperationfield_id=f)
                                 for r, ids in zip(created, fields, strict=True) for f in ids], batch_size=2000)
    names = dict(CooperationField.objects.values_list("pk", "name"))
    field_names = {r.pk: [names[f] for f in ids] for r, ids in zip(created, fields, strict=True)}
    audit.log_actions(actor=actor, action="registry.relation.created", objects=created,
                      changes=lambda r: _created(r, field_names[r.pk]))
    bulk.wrote(Relation, [r.pk for r in created])
    return created


@transaction.atomic
def add_association_members(*, actor, members: list[AssociationMember],
                            where: list[str] | None = None) -> list[AssociationMember]:
    """Members of associations whose members are listed one by one (an import), each checked
    (AssociationMember.clean) and audited. Raises RegistryError, writing nothing."""
    where = where or [f"{n}件目" for n in range(1, len(members) + 1)]
    existing = set(AssociationMember.objects.select_for_update().values_list("association_id", "local_government_id",
                                                                             "joined_on"))
    for member, place in zip(members, where, strict=True):
        try:
            member.clean()
        except ValidationError as error:
            raise RegistryError(f"{place}: {' '.join(error.messages)}") from None
        if (member.association_id, member.local_government_id, member.joined_on) in existing:
            raise RegistryError(f"{place}（{member}）は、すでに登録されています。")
    created = AssociationMember.objects.bulk_create(members, batch_size=1000)
    audit.log_actions(actor=actor, action="registry.association_member.created", objects=created,
                      changes=lambda m: audit.diff({}, audit.snapshot(m)))
    bulk.wrote(AssociationMember, [m.pk for m in created])
    return created


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
    _check_relation(relation)
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
