"""The disasters' past records from the secretariat's spreadsheets: dispatches and joint funds.

They go through the registry's import (check every row, show the errors by row and column, write
all or nothing on confirmation), and through `manage.py import_dispatches`.
"""

import datetime as dt
from collections import defaultdict

from django.db import transaction

from renkei.core import bulk
from renkei.core.audit import log_action
from renkei.core.dates import parse_date
from renkei.core.text import ParseError, normalise
from renkei.disasters.models import Channel, Disaster, Dispatch, FundContribution, FundRecipient, Role
from renkei.municipalities.models import LocalGovernment
from renkei.registry import imports
from renkei.registry.imports import Checked, ImportKind, ImportRefused, Lookup, RowError, columns_of

DISPATCH_COLUMNS = {
    "災害": "disaster", "災害名": "disaster",
    "特別区": "ward", "区": "ward", "区名": "ward",
    "職種": "role",
    "人数": "persons", "派遣人数": "persons",
    "派遣開始日": "first_day", "開始日": "first_day",
    "派遣終了日": "last_day", "終了日": "last_day",
    "派遣先": "destination", "派遣先団体コード": "destination",
    "派遣ルート": "channel", "ルート": "channel",
    "状態": "status",
    "第N陣": "wave", "陣": "wave",
    "業務": "task",
}
DISPATCH_REQUIRED = ("disaster", "ward", "role", "persons", "first_day", "last_day", "destination", "channel")
DISPATCH_LABELS = {"disaster": "災害", "ward": "特別区", "role": "職種", "persons": "人数", "first_day": "派遣開始日",
                   "last_day": "派遣終了日", "destination": "派遣先", "channel": "派遣ルート", "status": "状態",
                   "wave": "第N陣", "task": "業務"}
DISPATCH_HEADER = "災害, 特別区, 職種, 人数, 派遣開始日, 派遣終了日, 派遣先, 派遣ルート, 状態"
STATUSES = {str(label): value for value, label in Dispatch.Status.choices}


def _rows(table, columns):
    for number, raw in enumerate(table[1:], start=2):
        cells = {name: (raw[i] if i < len(raw) else None) for i, name in columns.items()}
        if all(c is None or normalise(c) == "" for c in cells.values()):
            continue
        yield number, cells


def _count(value, label: str) -> int:
    text = normalise(value).replace(",", "").removesuffix("人").removesuffix("円")
    if not text.isdigit() or int(text) < 1:
        raise ParseError(f"{label}は1以上の整数で書いてください（「{normalise(value)[:20]}」）。")
    return int(text)


def _named(lookup: dict, value, label: str):
    name = normalise(value)
    if name not in lookup:
        known = "、".join(list(lookup)[:12])
        raise ParseError(f"{label}「{name[:30]}」はありません（{known} など。一覧にない場合は管理画面で追加してください）。"
                         if name else f"{label}が空欄です。")
    return lookup[name]


def check_dispatches(table: list[list]) -> Checked:
    columns = columns_of(table, DISPATCH_COLUMNS, DISPATCH_REQUIRED, DISPATCH_LABELS, DISPATCH_HEADER)
    lookup = Lookup()
    disasters = {d.name: d for d in Disaster.objects.all()}
    roles = {r.name: r for r in Role.objects.all()}
    channels = {c.name: c for c in Channel.objects.all()}
    result = Checked()
    for number, cells in _rows(table, columns):
        result.total += 1
        errors, values = [], {}

        def fail(name, message, errors=errors, number=number):
            errors.append(RowError(number, DISPATCH_LABELS[name], message))

        for name, cell in cells.items():
            if isinstance(cell, imports.Formula):
                fail(name, "数式は取り込めません。値に変換してから保存してください。")
        if errors:
            result.errors += errors
            continue
        for name, label, table_ in (("disaster", "災害", disasters), ("role", "職種", roles),
                                    ("channel", "派遣ルート", channels)):
            try:
                values[name] = _named(table_, cells.get(name), label).pk
            except ParseError as error:
                fail(name, str(error))
        for name, ward in (("ward", True), ("destination", False)):
            try:
                values[name] = lookup.local_government(cells.get(name), ward=ward, ward_allowed=True).pk
            except ParseError as error:
                fail(name, str(error))
        try:
            values["persons"] = _count(cells.get("persons"), "人数")
        except ParseError as error:
            fail("persons", str(error))
        days = {}
        for name in ("first_day", "last_day"):
            try:
                days[name] = parse_date(cells.get(name))
                if days[name] is None:
                    fail(name, f"{DISPATCH_LABELS[name]}が空欄です。")
            except ParseError as error:
                fail(name, str(error))
                days[name] = None
        if days.get("first_day") and days.get("last_day") and days["last_day"] < days["first_day"]:
            fail("last_day", "派遣終了日が派遣開始日より前です。")
        status = normalise(cells.get("status")) or "派遣済"
        if status not in STATUSES:
            fail("status", f"状態「{status[:20]}」はありません（{'、'.join(STATUSES)}のいずれか）。")
        wave = normalise(cells.get("wave")).removeprefix("第").removesuffix("陣")
        if wave and not wave.isdigit():
            fail("wave", "第N陣は数字で書いてください（例: 3 または 第3陣）。")
        if errors:
            result.errors += errors
            continue
        result.rows.append({"row": number, **values, "first_day": days["first_day"].isoformat(),
                            "last_day": days["last_day"].isoformat(), "status": STATUSES[status],
                            "wave": int(wave) if wave else None, "task": normalise(cells.get("task"))[:200]})
    if result.total == 0:
        raise ImportRefused("取り込む行がありません（1行目は列名、2行目からデータ）。")
    return result


@transaction.atomic
def apply_dispatches(rows: list[dict], *, actor, filename: str) -> int:
    """Write checked dispatch rows, confirmed (they are the secretariat's own records)."""
    from django.utils import timezone

    now = timezone.now()
    created = Dispatch.objects.bulk_create([
        Dispatch(disaster_id=r["disaster"], ward_id=r["ward"], role_id=r["role"], channel_id=r["channel"],
                 destination_id=r["destination"], persons=r["persons"], first_day=dt.date.fromisoformat(r["first_day"]),
                 last_day=dt.date.fromisoformat(r["last_day"]), status=r["status"], wave=r["wave"], task=r["task"],
                 entered_by=actor if getattr(actor, "is_authenticated", False) else None, confirmed_at=now,
                 confirmed_by=actor if getattr(actor, "is_authenticated", False) else None)
        for r in rows], batch_size=1000)
    log_action(actor=actor, action="disasters.dispatches.imported", obj=None,
               changes={"file": [None, filename], "rows": [None, len(created)]})
    bulk.wrote(Dispatch, [d.pk for d in created if d.pk])
    return len(created)


def _preview_dispatches(rows: list[dict]) -> list[dict]:
    lgs = LocalGovernment.objects.select_related("prefecture").in_bulk(
        {r["ward"] for r in rows} | {r["destination"] for r in rows})
    roles = Role.objects.in_bulk()
    return [{"row": r["row"], "first": lgs[r["ward"]].name, "municipality": lgs[r["destination"]].full_name,
             "kind": f"{roles[r['role']].name} {r['persons']}人", "start": r["first_day"], "end": r["last_day"]}
            for r in rows]


FUND_COLUMNS = {"災害": "disaster", "災害名": "disaster", "種別": "kind", "総額": "total", "総額（円）": "total",
                "提供先": "recipient", "金額": "amount", "金額（円）": "amount", "決定日": "decided_on"}
FUND_REQUIRED = ("disaster", "kind", "total", "recipient", "amount")
FUND_LABELS = {"disaster": "災害", "kind": "種別", "total": "総額", "recipient": "提供先", "amount": "金額",
               "decided_on": "決定日"}
FUND_HEADER = "災害, 種別, 総額, 提供先, 金額, 決定日"
FUND_KINDS = {str(label): value for value, label in FundContribution.Kind.choices}


def check_funds(table: list[list]) -> Checked:
    """One row per recipient; rows of the same disaster, kind and total are one fund, whose
    recipients' amounts must add up to its total."""
    from renkei.registry.models import Association

    columns = columns_of(table, FUND_COLUMNS, FUND_REQUIRED, FUND_LABELS, FUND_HEADER)
    lookup = Lookup()
    disasters = {d.name: d for d in Disaster.objects.all()}
    associations = {a.name: a for a in Association.objects.all()}
    result, groups = Checked(), defaultdict(list)
    for number, cells in _rows(table, columns):
        result.total += 1
        errors, values = [], {"row": number}

        def fail(name, message, errors=errors, number=number):
            errors.append(RowError(number, FUND_LABELS[name], message))

        try:
            values["disaster"] = _named(disasters, cells.get("disaster"), "災害").pk
        except ParseError as error:
            fail("disaster", str(error))
        try:
            values["kind"] = _named(FUND_KINDS, cells.get("kind"), "種別")
        except ParseError as error:
            fail("kind", str(error))
        for name, label in (("total", "総額"), ("amount", "金額")):
            try:
                values[name] = _count(cells.get(name), label)
            except ParseError as error:
                fail(name, str(error))
        name = normalise(cells.get("recipient"))
        if name in associations:
            values["association"] = associations[name].pk
        else:
            try:
                values["local_government"] = lookup.local_government(name, ward=False, ward_allowed=True).pk
            except ParseError as error:
                fail("recipient", str(error))
        try:
            decided = parse_date(cells.get("decided_on"))
            values["decided_on"] = decided.isoformat() if decided else None
        except ParseError as error:
            fail("decided_on", str(error))
        if errors:
            result.errors += errors
        else:
            groups[(values["disaster"], values["kind"], values["total"])].append(values)
    for (_, _, total), members in groups.items():
        given = sum(m["amount"] for m in members)
        if given != total:
            gap = total - given
            result.errors.append(RowError(members[-1]["row"], "金額", f"この支援金（{members[0]['row']}行目から）の提供先の金額の"
                                          f"合計が総額より{abs(gap):,}円{'少なく' if gap > 0 else '多く'}なっています。"))
        else:
            result.rows += members
    if result.total == 0:
        raise ImportRefused("取り込む行がありません（1行目は列名、2行目からデータ）。")
    return result


@transaction.atomic
def apply_funds(rows: list[dict], *, actor, filename: str) -> int:
    """Write the checked funds and their recipients; returns how many funds."""
    groups = defaultdict(list)
    for r in rows:
        groups[(r["disaster"], r["kind"], r["total"])].append(r)
    for (disaster, kind, total), members in groups.items():
        decided = next((m["decided_on"] for m in members if m["decided_on"]), None)
        fund = FundContribution.objects.create(disaster_id=disaster, kind=kind, amount_yen=total,
                                               decided_on=dt.date.fromisoformat(decided) if decided else None)
        FundRecipient.objects.bulk_create([
            FundRecipient(contribution=fund, position=i, amount_yen=m["amount"], local_government_id=m.get("local_government"),
                          association_id=m.get("association")) for i, m in enumerate(members, start=1)])
    log_action(actor=actor, action="disasters.funds.imported", obj=None,
               changes={"file": [None, filename], "funds": [None, len(groups)]})
    bulk.wrote(FundContribution, [])
    return len(groups)


def _preview_funds(rows: list[dict]) -> list[dict]:
    from renkei.registry.models import Association

    lgs = LocalGovernment.objects.select_related("prefecture").in_bulk({r.get("local_government") for r in rows} - {None})
    associations = Association.objects.in_bulk({r.get("association") for r in rows} - {None})
    disasters = Disaster.objects.in_bulk({r["disaster"] for r in rows})
    return [{"row": r["row"], "first": disasters[r["disaster"]].name,
             "municipality": lgs[r["local_government"]].full_name if r.get("local_government")
             else associations[r["association"]].name,
             "kind": f"{FundContribution.Kind(r['kind']).label} {r['amount']:,}円", "start": r["decided_on"] or "",
             "end": ""} for r in rows]


KINDS = (
    ImportKind("dispatches", "職員派遣", DISPATCH_HEADER, check_dispatches, apply_dispatches, _preview_dispatches,
               ("特別区", "派遣先", "職種・人数", "派遣開始日", "派遣終了日")),
    ImportKind("funds", "支援金（提供先ごと）", FUND_HEADER, check_funds, apply_funds, _preview_funds,
               ("災害", "提供先", "種別・金額", "決定日", None)),
)
