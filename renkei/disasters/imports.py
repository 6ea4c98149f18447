"""What the disasters' spreadsheets hold (取込): past dispatches and joint funds from the
secretariat's files. Read and checked by renkei.core.imports; written through the disaster
services, so each imported record is checked, confirmed and audited like one typed in, and a
disaster at 情報収集 moves to 支援中 once staff are recorded."""

import datetime as dt
from collections import defaultdict

from django.urls import reverse

from renkei.core.imports import Column, ImportKind, ImportRefused, RowError, count, date, one_of, text
from renkei.core.text import ParseError, normalise
from renkei.disasters.models import Channel, Disaster, Dispatch, FundContribution, Role
from renkei.disasters.reference import role_aliases
from renkei.disasters.selectors import RecipientNames
from renkei.disasters.services import DisasterError, support
from renkei.municipalities.models import LocalGovernment

STATUSES = {str(label): value for value, label in Dispatch.Status.choices}
FUND_KINDS = {str(label): value for value, label in FundContribution.Kind.choices}
ADD_TO_LIST = "一覧にない場合は管理画面で追加してください。"


class Lookups:
    def __init__(self):
        self.recipients = RecipientNames(preload=True)
        self.names = self.recipients.names
        self.disasters = {d.name: d for d in Disaster.objects.all()}
        self.roles = {r.name: r for r in Role.objects.all()}
        self.roles |= {alias: self.roles[name] for alias, name in role_aliases().items()
                       if name in self.roles and alias not in self.roles}
        self.channels = {c.name: c for c in Channel.objects.all()}


UNKNOWN_CHANNEL = "不明（記録なし）"


def disaster(label="災害"):
    return one_of(label, lambda lookups: lookups.disasters, hint="災害は災害名のとおりに書いてください。")


def wave(cell, lookups) -> int:
    """第3陣, 3陣 or 3."""
    typed = normalise(cell).removeprefix("第").removesuffix("陣")
    if not (typed.isascii() and typed.isdigit()) or not 1 <= int(typed) <= 999:
        raise ParseError("第N陣は数字で書いてください（例: 3 または 第3陣）。")
    return int(typed)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _hq(disaster_ids) -> str:
    """The HQ page of the one disaster the file was about (its list when it named several)."""
    ids = set(disaster_ids)
    return reverse("secretariat:disaster", args=[ids.pop()]) if len(ids) == 1 else reverse("secretariat:disasters")


class DispatchesImport(ImportKind):
    key = "dispatches"
    label = "職員派遣"
    audit_action = "disasters.dispatches.imported"
    help = ("災害は災害名のとおり、職種・派遣ルートは一覧にある名前。"
            "状態は「中止」のときだけ書きます（予定・派遣中・派遣済は日付から決まります）。"
            "取り込んだ派遣は事務局の確認済みになります。")
    columns = (
        Column("disaster", "災害", disaster(), headers=("災害名",), required=True),
        Column("ward", "特別区", lambda cell, lookups: lookups.names.resolve(cell, wards_only=True),
               headers=("区", "区名"), required=True),
        Column("role", "職種", one_of("職種", lambda lookups: lookups.roles, hint=ADD_TO_LIST), required=True),
        Column("persons", "人数", count("人数", "人"), headers=("派遣人数",), required=True),
        Column("first_day", "派遣開始日", date, headers=("開始日",), required=True),
        Column("last_day", "派遣終了日", date, headers=("終了日",), required=True),
        Column("destination", "派遣先", lambda cell, lookups: lookups.names.resolve(cell), headers=("派遣先団体コード",),
               required=True),
        # Old spreadsheets rarely say how staff were sent: a blank is recorded as 不明, not refused.
        Column("channel", "派遣ルート", one_of("派遣ルート", lambda lookups: lookups.channels, hint=ADD_TO_LIST),
               headers=("ルート",)),
        Column("status", "状態", one_of("状態", lambda lookups: STATUSES), default=Dispatch.Status.DONE,
               show=lambda value: Dispatch.Status(value).label),
        Column("wave", "第N陣", wave, headers=("陣",)),
        Column("task", "業務", text(200)),
    )

    def lookups(self):
        return Lookups()

    def check_row(self, values, lookups):
        Dispatch(**{name: values[name] for name in ("disaster", "ward", "persons", "first_day", "last_day")}).clean()

    def apply(self, rows, *, actor):
        disasters = Disaster.objects.in_bulk({r["disaster"] for r in rows})
        places = LocalGovernment.objects.in_bulk({r["ward"] for r in rows} | {r["destination"] for r in rows})
        if any(r["channel"] is None for r in rows):
            unknown = Channel.objects.get_or_create(name=UNKNOWN_CHANNEL, defaults={"position": 99})[0].pk
            rows = [{**r, "channel": r["channel"] or unknown} for r in rows]
        dispatches = [Dispatch(disaster=disasters[r["disaster"]], ward=places[r["ward"]], role_id=r["role"],
                               channel_id=r["channel"], destination=places[r["destination"]], persons=r["persons"],
                               first_day=_day(r["first_day"]), last_day=_day(r["last_day"]), status=r["status"],
                               wave=r["wave"], task=r["task"] or "") for r in rows]
        try:
            support.record_dispatches(actor=actor, dispatches=dispatches, where=[f"{r['row']}行目" for r in rows])
        except DisasterError as error:
            raise ImportRefused(str(error)) from None
        return len(dispatches)

    def landing(self, rows):
        return _hq(r["disaster"] for r in rows)


class FundsImport(ImportKind):
    key = "funds"
    label = "支援金（提供先ごと）"
    audit_action = "disasters.funds.imported"
    help = "同じ災害・種別・総額の行が1件の支援金になり、提供先の金額の合計が総額と一致する必要があります。"
    columns = (
        Column("disaster", "災害", disaster(), headers=("災害名",), required=True),
        Column("kind", "種別", one_of("種別", lambda lookups: FUND_KINDS), required=True,
               show=lambda value: FundContribution.Kind(value).label),
        Column("total", "総額", count("総額", "円"), headers=("総額（円）",), required=True),
        Column("recipient", "提供先", lambda cell, lookups: lookups.recipients.resolve(cell), required=True),
        Column("amount", "金額", count("金額", "円"), headers=("金額（円）",), required=True),
        Column("decided_on", "決定日", date),
    )

    def lookups(self):
        return Lookups()

    @staticmethod
    def _fund_of(values) -> tuple:
        return values["disaster"], values["kind"], values["total"]

    def check_rows(self, rows, lookups):
        """Rows of the same disaster, kind and total are one fund, whose recipients receive its
        total exactly (support.check_recipients, as when the fund is typed in)."""
        funds = defaultdict(list)
        for row in rows:
            funds[self._fund_of(row.values)].append(row)
        errors = []
        for (_, _, total), members in funds.items():
            try:
                support.check_recipients(total, [m.values["amount"] for m in members])
            except DisasterError as error:
                errors += [RowError(m.number, "金額", f"この支援金（{members[0].number}行目から）: {error}") for m in members]
        return errors

    def store(self, values):
        recipient = values["recipient"]
        kind = "association" if recipient._meta.model_name == "association" else "local_government"
        return super().store(values) | {"recipient": [kind, recipient.pk]}

    def apply(self, rows, *, actor):
        funds = defaultdict(list)
        for r in rows:
            funds[(r["disaster"], r["kind"], r["total"])].append(r)
        disasters = Disaster.objects.in_bulk({r["disaster"] for r in rows})
        lookups = RecipientNames()
        association = {a.pk: a for a in lookups.associations.values()}
        places = LocalGovernment.objects.in_bulk({pk for r in rows for kind, pk in [r["recipient"]]
                                                  if kind == "local_government"})
        try:
            for (disaster_id, kind, total), members in funds.items():
                decided = next((m["decided_on"] for m in members if m["decided_on"]), None)
                recipients = [((association if m["recipient"][0] == "association" else places)[m["recipient"][1]],
                               m["amount"]) for m in members]
                support.save_fund(actor=actor, disaster=disasters[disaster_id], recipients=recipients,
                                  data={"kind": kind, "amount_yen": total, "decided_on": _day(decided), "share_rule": ""})
        except DisasterError as error:
            raise ImportRefused(f"{members[0]['row']}行目からの支援金: {error}") from None
        return len(funds)

    def landing(self, rows):
        return _hq(r["disaster"] for r in rows) + "#funds"
