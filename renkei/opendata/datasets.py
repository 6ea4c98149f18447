"""The datasets published under /opendata/, the 団体コード first where a row is about a municipality."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_noop

from renkei.core.dates import fiscal_year_label
from renkei.disasters.models import DatePrecision, Disaster, Dispatch, FundContribution, FundRecipient
from renkei.matching.selectors import as_row, public_wishes
from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import CorporatePartnership, Relation, WideAreaAgreement
from renkei.registry.selectors import members_by_agreement
from renkei.statistics import figures
from renkei.statistics.models import Metric


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple[tuple[str, str], ...]  # (key, Japanese column name)
    rows: Callable
    source: str = "特別区全国連携プロジェクト 連携台帳"

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.columns]

    @property
    def labels(self) -> list[str]:
        return [label for _, label in self.columns]


def _iso(day):
    """A day as the cell it is: a date cell in XLSX, 2018-09-06 in CSV and JSON."""
    return day or None


def relation_rows():
    queryset = (Relation.objects.select_related("ward", "municipality__prefecture", "kind")
                .prefetch_related("fields").order_by("municipality_id", "ward_id", "started_on"))
    for r in queryset.iterator(chunk_size=2000):
        yield (r.municipality_id, r.municipality.prefecture.name, r.municipality.name, r.ward_id, r.ward.name,
               r.kind.name, "、".join(f.name for f in r.fields.all()), _iso(r.started_on), _iso(r.ended_on), r.note)


def agreement_rows():
    agreements = list(WideAreaAgreement.objects.select_related("association__prefecture").order_by("signed_on", "id"))
    prefectures = dict(LocalGovernment.objects.prefectures().values_list("code", "name"))
    covered = members_by_agreement(agreements)
    for agreement in agreements:
        for lg in covered[agreement.pk]:
            yield (lg.code, prefectures[lg.prefecture_id], lg.name, agreement.association.name,
                   _iso(agreement.signed_on), _iso(agreement.ended_on))


def statistics_rows():
    for year in figures.table():
        for metric in Metric:
            figure = year.figures[metric.value]
            yield (year.fiscal_year, fiscal_year_label(year.fiscal_year), _iso(year.reference_date), metric.value,
                   metric.label, figure.value, figure.basis, figure.source.title if figure.source else None)


def partnership_rows():
    for p in CorporatePartnership.objects.prefetch_related("fields_of_cooperation").order_by("signed_on"):
        yield (p.company, _iso(p.signed_on), _iso(p.ended_on),
               "、".join(f.title for f in p.fields_of_cooperation.all()))


def disaster_rows():
    for d in Disaster.objects.public().prefetch_related("figures").order_by("-started_on"):
        figure = next(iter(d.figures.all()), None)
        month = d.date_precision == DatePrecision.MONTH  # 平成30年7月豪雨: a month, written as one (ISO 8601)
        yield (d.pk, d.name, d.get_kind_display(), f"{d.started_on:%Y-%m}" if month else _iso(d.started_on),
               d.date_precision, _iso(d.ended_on), d.get_state_display(),
               figure.people if figure else None, _iso(figure.as_of) if figure else None)


def dispatch_rows():
    queryset = (Dispatch.objects.public()
                .select_related("disaster", "ward", "destination__prefecture", "role", "channel")
                .order_by("destination_id", "disaster_id", "first_day", "id"))
    for x in queryset.iterator(chunk_size=2000):
        yield (x.destination_id, x.destination.full_name, x.disaster.name, x.ward_id, x.ward.name, x.role.name,
               x.channel.name, x.wave, x.persons, _iso(x.first_day), _iso(x.last_day), x.phase)


def fund_rows():
    """A row per recipient; a fund whose recipients the source does not name (東日本大震災's 義援金)
    still has its row, the recipient left empty."""
    queryset = (FundContribution.objects.filter(disaster__is_drill=False).select_related("disaster")
                .prefetch_related(Prefetch("recipients", queryset=FundRecipient.objects.select_related(
                    "local_government__prefecture", "association").order_by("position")))
                .order_by("disaster__started_on", "id"))
    for fund in queryset:
        head = (fund.disaster.name, fund.get_kind_display(), fund.amount_yen)
        recipients = list(fund.recipients.all())
        for r in recipients:
            yield (r.local_government_id, r.name, *head, r.amount_yen, r.get_payment_display())
        if not recipients:
            yield (None, None, *head, None, None)


def wish_rows():
    for wish in public_wishes():
        row = as_row(wish)
        yield (row["code"], row["name"], row["title"], row["kind"], "、".join(row["offers"]), "、".join(row["seeks"]),
               "、".join(row["forms"]), "、".join(row["regions"]), "、".join(row["sizes"]), _iso(row["starts_on"]),
               _iso(row["ends_on"]), row["text"], _iso(row["updated_on"]))


def local_government_rows():
    for lg in LocalGovernment.objects.select_related("prefecture").order_by("code").iterator(chunk_size=2000):
        yield (lg.code, lg.prefecture.name, lg.name, lg.kana, lg.get_kind_display(), lg.lat, lg.lng)


DATASETS = {d.slug: d for d in (
    Dataset("relations", gettext_noop("特別区と自治体の交流"),
            gettext_noop("各区と全国の自治体の交流（友好都市、災害時相互応援協定など）。"),
            (("code", "団体コード"), ("prefecture", "都道府県名"), ("name", "団体名"), ("ward_code", "特別区コード"),
             ("ward", "特別区名"), ("kind", "種別"), ("fields", "分野"), ("started_on", "開始日"),
             ("ended_on", "終了日"), ("note", "備考")), relation_rows),
    Dataset("agreements", gettext_noop("広域連携協定の対象自治体"),
            gettext_noop("特別区長会と町村会・市長会の広域連携協定が対象とする自治体。"),
            (("code", "団体コード"), ("prefecture", "都道府県名"), ("name", "団体名"), ("association", "協定団体名"),
             ("signed_on", "締結日"), ("ended_on", "終了日")), agreement_rows),
    Dataset("statistics", gettext_noop("交流自治体数の推移"),
            gettext_noop("年度ごとの交流自治体数。根拠は記録からの集計（基準日時点）か公表値か。公表値の時点はどの資料も示していないため、基準日は空欄です。"),
            (("fiscal_year", "年度"), ("fiscal_year_label", "年度（和暦）"), ("reference_date", "基準日"),
             ("metric", "区分コード"), ("metric_label", "区分"), ("value", "値"), ("basis", "根拠"),
             ("source", "出典")), statistics_rows),
    Dataset("partnerships", gettext_noop("民間企業との包括連携協定"),
            gettext_noop("特別区長会と民間企業の包括連携協定と連携事項。"),
            (("company", "企業名"), ("signed_on", "締結日"), ("ended_on", "終了日"), ("fields", "連携事項")),
            partnership_rows),
    Dataset("disasters", gettext_noop("特別区が連携して支援した災害"),
            gettext_noop("災害と状況、公表された派遣人数（累積）と時点。訓練は含みません。"),
            (("id", "番号"), ("name", "災害名"), ("kind", "種別"), ("started_on", "発災日"),
             ("started_on_precision", "発災日の精度（day: 日まで、month: 月まで）"), ("ended_on", "発災期間の終わり"),
             ("state", "状況"), ("published_people", "派遣人数（公表値）"), ("published_as_of", "公表値の時点")),
            disaster_rows),
    Dataset("dispatches", gettext_noop("職員派遣の記録"),
            gettext_noop("各区の職員派遣（事務局が確認したもの）。派遣先の団体コードが先頭。"),
            (("code", "派遣先の団体コード"), ("destination", "派遣先"), ("disaster", "災害名"), ("ward_code", "特別区コード"),
             ("ward", "特別区名"), ("role", "職種"), ("channel", "派遣ルート"), ("wave", "第N陣"), ("persons", "人数"),
             ("first_day", "派遣開始日"), ("last_day", "派遣終了日"), ("status", "状態")), dispatch_rows),
    Dataset("funds", gettext_noop("復興支援金・義援金の提供先"),
            gettext_noop("23区共同の支援金の提供先と金額、支払の状況。"),
            (("code", "団体コード"), ("recipient", "提供先"), ("disaster", "災害名"), ("kind", "種別"),
             ("total_yen", "総額（円）"), ("amount_yen", "提供先の金額（円）"), ("payment", "支払の状況")), fund_rows),
    Dataset("wishes", gettext_noop("連携希望（公開分）"),
            gettext_noop("会員自治体・特別区が公開した、募集中の連携希望。担当者の名前は含みません。"),
            (("code", "団体コード"), ("name", "団体名"), ("title", "見出し"), ("kind", "求める交流の種別"),
             ("offers", "提供できる分野"), ("seeks", "求める分野"), ("forms", "連携の形"), ("regions", "希望する地域"),
             ("sizes", "希望する相手の規模"), ("starts_on", "期間の始め"), ("ends_on", "期間の終わり"),
             ("text", "ひとこと"), ("updated_on", "更新日")), wish_rows, source="特別区全国連携プロジェクト 連携マッチング"),
    Dataset("local-governments", gettext_noop("全国の地方公共団体"),
            gettext_noop("47都道府県と1,741市区町村の団体コード・名称・よみ・位置。"),
            (("code", "団体コード"), ("prefecture", "都道府県名"), ("name", "名称"), ("kana", "よみがな"),
             ("kind", "種別"), ("lat", "緯度"), ("lng", "経度")), local_government_rows,
            source="japancode 0.1.0（CC0 1.0、総務省 全国地方公共団体コードに基づく）"),
)}
