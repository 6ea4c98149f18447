import datetime as dt

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from renkei.api.base import WARD_CODES, AsOf, BadRequest, Pagination, PrefectureCode, Text, WardCode, as_of_date
from renkei.municipalities.codes import is_valid_prefecture_code
from renkei.registry.models import CorporatePartnership, Relation, WideAreaAgreement
from renkei.registry.selectors import members_by_agreement
from renkei.statistics import figures
from renkei.statistics.models import Metric

router = Router(tags=["registry"])


class ErrorOut(Schema):
    detail: str


class Basis(Schema):
    exchange_municipalities: str
    member_municipalities: str
    agreement_municipalities: str
    total: str


class PublishedFor(Schema):
    """For a published figure, the fiscal year it was published for (its day is not known)."""

    exchange_municipalities: int | None
    member_municipalities: int | None
    agreement_municipalities: int | None
    total: int | None


class FiscalYearOut(Schema):
    fiscal_year: int
    label: str
    reference_date: dt.date | None = Field(description="基準日。どの資料も日付を示していない年度は null（公表値の時点は不明）")
    exchange_municipalities: int | None
    member_municipalities: int | None
    agreement_municipalities: int | None
    total: int | None
    basis: Basis


class AsOfOut(Schema):
    as_of: dt.date
    exchange_municipalities: int | None
    member_municipalities: int | None
    agreement_municipalities: int | None
    total: int | None
    basis: Basis
    published_for: PublishedFor


@router.get("/stats", response={200: list[FiscalYearOut] | AsOfOut, 400: ErrorOut},
            summary="数字で見る（年度ごと、または任意の日付）",
            description="as_of を省くと年度ごとの4区分と根拠（computed: 基準日時点で記録から集計 / "
                        "published: その年度の公表値で、時点は不明 / not_recorded: 不明）。基準日はどの資料も"
                        "示していない年度では null。as_of=YYYY-MM-DD を指定するとその日の4区分: 記録が揃って"
                        "いる区分は記録から集計、揃う前の区分はその日までに年度が終わった（または公表された）"
                        "最新の公表値で、どの年度のものかを published_for に示します。どちらもなければ null と "
                        "not_recorded。合計は3区分が同じ日（または同じ年度の公表値）のときだけ示し、日付の"
                        "異なる数からは出さず null と not_combined。")
def stats(request, as_of: AsOf = Query(None, description="この日時点（YYYY-MM-DD、1900〜2100年）")):
    if as_of is not None:
        day = as_of_date(as_of)
        found = figures.figures_on(day)
        return {"as_of": day, **{metric: figure.value for metric, figure in found.items()},
                "basis": {metric: figure.basis for metric, figure in found.items()},
                "published_for": {metric: figure.fiscal_year if figure.basis == figures.PUBLISHED else None
                                  for metric, figure in found.items()}}
    return [
        {"fiscal_year": year.fiscal_year, "label": year.label, "reference_date": year.reference_date,
         **{metric.value: year.figures[metric.value].value for metric in Metric},
         "basis": {metric.value: year.figures[metric.value].basis for metric in Metric}}
        for year in figures.table()
    ]


class MunicipalityRef(Schema):
    code: str
    name: str
    prefecture_code: str


class AgreementOut(Schema):
    association: str
    prefecture_code: str
    signed_on: dt.date
    ended_on: dt.date | None
    printed_member_count: int | None
    member_count: int
    members: list[MunicipalityRef]


@router.get("/agreements", response=list[AgreementOut], summary="広域連携協定と対象自治体")
def agreements(request):
    result = []
    agreements = list(WideAreaAgreement.objects.select_related("association__prefecture").order_by("signed_on", "id"))
    covered = members_by_agreement(agreements)
    for agreement in agreements:
        members = [{"code": lg.code, "name": lg.name, "prefecture_code": lg.code[:2]} for lg in covered[agreement.pk]]
        result.append({"association": agreement.association.name,
                       "prefecture_code": agreement.association.prefecture.prefecture_code,
                       "signed_on": agreement.signed_on, "ended_on": agreement.ended_on,
                       "printed_member_count": agreement.printed_member_count,
                       "member_count": len(members), "members": members})
    return result


class RelationOut(Schema):
    code: str
    name: str
    prefecture_code: str
    ward_code: str
    ward_name: str
    kind: str
    fields: list[str]
    started_on: dt.date
    ended_on: dt.date | None
    note: str


@router.get("/relations", response={200: list[RelationOut], 400: ErrorOut}, summary="特別区と自治体の交流",
            description="ward（特別区の団体コード）、prefecture（2桁）、kind（種別名）、as_of（その日に継続中）で絞り込めます。")
@paginate(Pagination)
def relations(request, ward: WardCode = Query(None, description="特別区の団体コード"),
              prefecture: PrefectureCode = Query(None, description="都道府県コード（01〜47の2桁）"),
              kind: Text = Query(None, description="種別名"),
              as_of: AsOf = Query(None, description="この日に継続中（YYYY-MM-DD、1900〜2100年）")):
    queryset = Relation.objects.select_related("ward", "municipality", "kind").prefetch_related("fields")
    if ward is not None:
        if ward not in WARD_CODES:
            raise BadRequest(f"ward「{ward[:10]}」は特別区の団体コード（131016〜131237）で指定してください。")
        queryset = queryset.filter(ward_id=ward)
    if prefecture is not None:
        if not is_valid_prefecture_code(prefecture):
            raise BadRequest(f"prefecture「{prefecture}」は都道府県コード（01〜47の2桁）で指定してください。")
        queryset = queryset.filter(municipality__code__startswith=prefecture)
    if kind:
        queryset = queryset.filter(kind__name=kind)
    if as_of is not None:
        queryset = queryset.in_force_on(as_of_date(as_of))
    return [
        {"code": r.municipality_id, "name": r.municipality.name, "prefecture_code": r.municipality_id[:2],
         "ward_code": r.ward_id, "ward_name": r.ward.name, "kind": r.kind.name,
         "fields": [f.name for f in r.fields.all()], "started_on": r.started_on, "ended_on": r.ended_on,
         "note": r.note}
        for r in queryset.order_by("municipality_id", "ward_id", "started_on")
    ]


class PartnershipOut(Schema):
    company: str
    signed_on: dt.date
    ended_on: dt.date | None
    fields: list[str]


@router.get("/partnerships", response=list[PartnershipOut], summary="民間企業との包括連携協定")
def partnerships(request):
    return [{"company": p.company, "signed_on": p.signed_on, "ended_on": p.ended_on,
             "fields": [f.title for f in p.fields_of_cooperation.all()]}
            for p in CorporatePartnership.objects.prefetch_related("fields_of_cooperation").order_by("signed_on")]


