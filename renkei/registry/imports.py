"""What the registry's spreadsheets hold (取込): relations (交流), and the members of associations
whose members are listed one by one. Read and checked by renkei.core.imports; written through
the registry's services, audited record by record."""

import datetime as dt

from django.urls import reverse

from renkei.core.imports import Column, ImportKind, ImportRefused, RowError, date, one_of, several, text
from renkei.municipalities.models import LocalGovernment
from renkei.municipalities.names import Names
from renkei.registry import services
from renkei.registry.models import Association, AssociationMember, CooperationField, Relation, RelationKind


def ward(cell, lookups) -> LocalGovernment:
    return lookups.names.resolve(cell, wards_only=True)


def local_government(cell, lookups) -> LocalGovernment:
    return lookups.names.resolve(cell)


class Lookups:
    def __init__(self):
        self.names = Names(preload=True)
        self.kinds = {k.name: k for k in RelationKind.objects.all()}
        self.fields = {f.name: f for f in CooperationField.objects.all()}
        self.associations = {a.name: a for a in Association.objects.select_related("prefecture")}


def _duplicates(rows, key, existing: set, what: str) -> list[RowError]:
    """Rows recording what is already recorded, or what an earlier row of the file records."""
    errors, seen = [], {}
    for row in rows:
        found = key(row.values)
        if found in existing:
            errors.append(RowError(row.number, "自治体", f"同じ{what}がすでに登録されています（重複）。"))
        elif found in seen:
            errors.append(RowError(row.number, "自治体", f"{seen[found]}行目と重複しています。"))
        else:
            seen[found] = row.number
    return errors


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


class RelationsImport(ImportKind):
    key = "relations"
    label = "交流"
    audit_action = "registry.relations.imported"
    help = "交流は特別区・自治体・種別・開始日が必須です。分野は「、」で区切ります。"
    columns = (
        Column("ward", "特別区", ward, headers=("区", "区名"), required=True),
        Column("municipality", "自治体", local_government, required=True,
               headers=("団体", "団体名", "団体コード", "相手自治体", "交流自治体")),
        Column("kind", "種別", one_of("種別", lambda lookups: lookups.kinds), headers=("交流の種別",), required=True),
        Column("fields", "分野", several(one_of("分野", lambda lookups: lookups.fields))),
        Column("started_on", "開始日", date, headers=("締結日",), required=True),
        Column("ended_on", "終了日", date),
        Column("note", "備考", text(500)),
    )

    def lookups(self):
        return Lookups()

    def check_row(self, values, lookups):
        Relation(ward=values["ward"], municipality=values["municipality"], started_on=values["started_on"],
                 ended_on=values["ended_on"]).clean()

    def check_rows(self, rows, lookups):
        existing = set(Relation.objects.values_list("ward_id", "municipality_id", "kind_id", "started_on"))
        return _duplicates(rows, lambda v: (v["ward"].pk, v["municipality"].pk, v["kind"].pk, v["started_on"]),
                           existing, "特別区・自治体・種別・開始日の交流")

    def apply(self, rows, *, actor):
        relations = [Relation(ward_id=r["ward"], municipality_id=r["municipality"], kind_id=r["kind"],
                              started_on=_day(r["started_on"]), ended_on=_day(r["ended_on"]), note=r["note"] or "")
                     for r in rows]
        places = LocalGovernment.objects.in_bulk({r["ward"] for r in rows} | {r["municipality"] for r in rows})
        for relation in relations:  # the rules read the places' kinds: fetched once, not twice a row
            relation.ward, relation.municipality = places[relation.ward_id], places[relation.municipality_id]
        try:
            services.create_relations(actor=actor, relations=relations, fields=[r["fields"] or [] for r in rows],
                                      where=[f"{r['row']}行目" for r in rows])
        except services.RegistryError as error:
            raise ImportRefused(f"{error} 確認の後に変わったため、もう一度確認してください。") from None
        return len(relations)

    def landing(self, rows):
        return reverse("portal:relations")


class AssociationMembersImport(ImportKind):
    key = "association_members"
    label = "団体の構成自治体"
    audit_action = "registry.association_members.imported"
    help = "構成自治体を個別に登録する団体（管理画面で登録済みのもの）だけが対象です。"
    columns = (
        Column("association", "団体", one_of("団体", lambda lookups: lookups.associations,
                                             hint="先に管理画面で団体を登録してください。"),
               headers=("団体名", "協定団体名"), required=True),
        Column("local_government", "自治体", local_government, headers=("構成自治体", "団体コード"), required=True),
        Column("joined_on", "加入日", date, headers=("開始日",), required=True),
        Column("left_on", "脱退日", date, headers=("終了日",)),
    )

    def lookups(self):
        return Lookups()

    def check_row(self, values, lookups):
        AssociationMember(association=values["association"], local_government=values["local_government"],
                          joined_on=values["joined_on"], left_on=values["left_on"]).clean()

    def check_rows(self, rows, lookups):
        existing = set(AssociationMember.objects.values_list("association_id", "local_government_id", "joined_on"))
        return _duplicates(rows, lambda v: (v["association"].pk, v["local_government"].pk, v["joined_on"]), existing,
                           "団体・自治体・加入日の記録")

    def apply(self, rows, *, actor):
        associations = Association.objects.in_bulk({r["association"] for r in rows})
        places = LocalGovernment.objects.in_bulk({r["local_government"] for r in rows})
        members = [AssociationMember(association=associations[r["association"]],
                                     local_government=places[r["local_government"]],
                                     joined_on=_day(r["joined_on"]), left_on=_day(r["left_on"])) for r in rows]
        try:
            services.add_association_members(actor=actor, members=members, where=[f"{r['row']}行目" for r in rows])
        except services.RegistryError as error:
            raise ImportRefused(f"{error} 確認の後に変わったため、もう一度確認してください。") from None
        return len(members)

    def landing(self, rows):
        return reverse("portal:relations")
