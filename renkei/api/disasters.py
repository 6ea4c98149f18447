"""The disaster-support record as JSON: never a drill, only dispatches the secretariat confirmed.

Counting rules (as the disaster pages state them): people dispatched as of D = Σ persons of
dispatches, not cancelled, whose first day ≤ D; person-days as of D = Σ persons × days from the
first day to min(last day, D), both ends counted; on duty on D = Σ persons with first day ≤ D ≤
last day. Where the records are not complete, the published head count stands (basis: published,
with its date) and person-days and on duty are null.
"""

import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from renkei.api.base import AsOf, as_of_date, id_path
from renkei.core.dates import fiscal_year_label
from renkei.disasters import selectors
from renkei.disasters.models import Disaster

router = Router(tags=["disasters"])


class ErrorOut(Schema):
    detail: str


class Totals(Schema):
    people: int | None
    funds_yen: int | None


class DisasterOut(Schema):
    id: int
    name: str
    kind: str
    started_on: dt.date
    started_on_precision: str = Field(description="day（日まで）/ month（月まで: started_on はその月の1日）")
    ended_on: dt.date | None
    state: str
    totals: Totals


class Group(Schema):
    name: str
    people: int
    person_days: int
    on_duty: int
    planned: int


class FiscalYearGroup(Group):
    fiscal_year: int = Field(description="年度（開始する西暦年: 2026 は令和8年度）。派遣開始日の年度")


class DispatchOut(Schema):
    as_of: dt.date | None
    people: int | None
    person_days: int | None
    on_duty: int | None
    planned: int | None
    basis: str
    by_role: list[Group]
    by_ward: list[Group]
    by_fiscal_year: list[FiscalYearGroup]


class RecipientOut(Schema):
    name: str
    code: str | None
    amount_yen: int | None
    payment: str


class ShareOut(Schema):
    ward_code: str
    ward_name: str
    amount_yen: int


class FundOut(Schema):
    kind: str
    amount_yen: int | None
    decided_on: dt.date | None
    share_rule: str
    equal_percent: int | None
    recipients: list[RecipientOut]
    shares: list[ShareOut]


def _day(as_of: str | None) -> dt.date:
    if as_of is None:
        return timezone.localdate()
    return as_of_date(as_of)


def _disaster(disaster_id: int) -> Disaster:
    disaster = Disaster.objects.public().prefetch_related("figures").filter(pk=disaster_id).first()
    if disaster is None:
        raise HttpError(404, f"災害（id {disaster_id}）はありません。")
    return disaster


@router.get("/disasters", response=list[DisasterOut], summary="特別区が連携して支援した災害",
            description="訓練は含みません。totals.people は今日時点の派遣人数（記録がそろうまでは公表値）。"
                        "人数・金額が公表されていないものは null（0 ではありません）。")
def disasters(request):
    items = list(Disaster.objects.public().prefetch_related("figures", "funds").order_by("-started_on"))
    people = selectors.people_as_of(items, timezone.localdate())
    return [{"id": d.pk, "name": d.name, "kind": d.kind, "started_on": d.started_on,
             "started_on_precision": d.date_precision, "ended_on": d.ended_on,
             "state": d.state, "totals": {"people": people[d.pk], "funds_yen": _funds_yen(d)}}
            for d in items]


def _funds_yen(disaster: Disaster) -> int | None:
    """The funds' total, or null when a fund's amount is not known (the source names it without one)."""
    amounts = [f.amount_yen for f in disaster.funds.all()]
    return None if None in amounts else sum(amounts)


def _group(name, c) -> dict:
    return {"name": str(name), "people": c.people, "person_days": c.person_days, "on_duty": c.on_duty,
            "planned": c.planned}


def _groups(groups: dict) -> list[dict]:
    return [_group(name, c) for name, c in groups.items()]


@router.get("/disasters/{disaster_id}/dispatch", response={200: DispatchOut, 400: ErrorOut, 404: ErrorOut},
            summary="職員派遣の人数・延べ人日・派遣中（as_of 時点）",
            description="basis: computed（記録から計算。planned は as_of より後に始まる予定の人数）/ "
                        "published（公表値: as_of は公表の時点、延べ人日・派遣中・予定は null）/ "
                        "unknown（派遣したことだけが公表され、人数は不明: すべて null）。"
                        "公表値に日付がないとき as_of は null（日付を補いません）。")
def dispatch(request, disaster_id: int = id_path("災害の id"),
             as_of: AsOf = Query(None, description="この日時点（YYYY-MM-DD、1900〜2100年）。省くと今日")):
    day = _day(as_of)
    summary = selectors.dispatch_summary(_disaster(disaster_id), day)
    return {"as_of": summary.as_of, "people": summary.total.people, "person_days": summary.total.person_days,
            "on_duty": summary.total.on_duty, "planned": summary.total.planned, "basis": summary.basis,
            "by_role": _groups(summary.by_role), "by_ward": _groups(summary.by_ward),
            "by_fiscal_year": [{**_group(fiscal_year_label(year), counts), "fiscal_year": year}
                               for year, counts in sorted(summary.by_fiscal_year.items())]}


@router.get("/disasters/{disaster_id}/funds", response={200: list[FundOut], 400: ErrorOut, 404: ErrorOut},
            summary="支援金: 提供先と金額、各区の負担額")
def funds(request, disaster_id: int = id_path("災害の id")):
    disaster = _disaster(disaster_id)
    return [{
        "kind": fund.kind, "amount_yen": fund.amount_yen, "decided_on": fund.decided_on,
        "share_rule": fund.share_rule, "equal_percent": fund.equal_percent,
        "recipients": [{"name": r.name, "code": r.local_government_id, "amount_yen": r.amount_yen, "payment": r.payment}
                       for r in fund.recipients.all()],
        "shares": [{"ward_code": s.ward_id, "ward_name": s.ward.name, "amount_yen": s.amount_yen} for s in fund.shares.all()],
    } for fund in selectors.funds(disaster).prefetch_related("shares__ward")]
