"""Loading a publication's statements as records (全国連携NEWS vol.1).

Every record is matched on its natural key, so loading again changes nothing. Slips in the
publication are kept as errata beside the corrected record and listed in the report.
"""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from renkei.core import caching
from renkei.disasters.models import (
    DatePrecision,
    Disaster,
    DispatchFigure,
    FundContribution,
    FundRecipient,
    SupplyProvision,
)
from renkei.municipalities.models import LocalGovernment
from renkei.newsletter.compose import compose
from renkei.newsletter.models import Issue, Section
from renkei.portal.models import Event, NewsItem, Status
from renkei.registry.models import Association, CorporatePartnership, PartnershipField, WideAreaAgreement
from renkei.sources.models import Erratum, Publication
from renkei.statistics.models import Metric, PublishedFigure, RecordCoverage, StatisticsYear

NEWSLETTER_VOL1 = Path(__file__).resolve().parent / "data" / "zenkoku-renkei-news-vol1.toml"


class SourceError(ValueError):
    """The publication file names something the reference data does not know."""


@dataclass
class LoadReport:
    publication: Publication
    counts: dict[str, int] = field(default_factory=dict)
    errata: list[Erratum] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [f"出典: {self.publication.title}（{self.publication.publisher}）"]
        lines += [f"  {label}: {count}件" for label, count in self.counts.items()]
        lines.append(f"正誤: {len(self.errata)}件")
        for erratum in self.errata:
            lines.append(
                f"  [{erratum.location}] {erratum.field}: 「{erratum.printed}」→「{erratum.corrected}」"
            )
            lines.append(f"    根拠: {erratum.reason}")
        return lines


class _Resolver:
    """Finds the bodies a publication names: associations, prefectures, 「東京都大島町」."""

    def __init__(self):
        self.prefectures = {lg.name: lg for lg in LocalGovernment.objects.prefectures()}
        if len(self.prefectures) != 47:
            raise SourceError(
                "参照データ（地方公共団体）が読み込まれていません。"
                "先に load_reference_data を実行してください。"
            )

    def prefecture(self, name: str) -> LocalGovernment:
        try:
            return self.prefectures[name]
        except KeyError:
            raise SourceError(f"都道府県「{name}」が見つかりません。") from None

    def local_government(self, name: str) -> LocalGovernment:
        if name in self.prefectures:
            return self.prefectures[name]
        for prefecture_name, prefecture in self.prefectures.items():
            if name.startswith(prefecture_name):
                rest = name[len(prefecture_name):]
                match = LocalGovernment.objects.in_prefecture(prefecture.prefecture_code).filter(
                    name=rest
                ).first()
                if match:
                    return match
        raise SourceError(f"地方公共団体「{name}」が見つかりません（都道府県名から書いてください）。")

    def association(self, name: str) -> Association:
        try:
            return Association.objects.get(name=name)
        except Association.DoesNotExist:
            raise SourceError(f"団体「{name}」が見つかりません。") from None

    def body(self, name: str) -> dict:
        association = Association.objects.filter(name=name).first()
        if association:
            return {"association": association, "local_government": None}
        return {"association": None, "local_government": self.local_government(name)}


def _sync_m2m(manager, objects) -> None:
    if set(manager.all()) != set(objects):
        manager.set(objects)


def _record_errata(publication, record: models.Model, errata: list[dict], report: LoadReport):
    content_type = ContentType.objects.get_for_model(record)
    for item in errata:
        erratum, _ = Erratum.objects.update_or_create(
            publication=publication,
            content_type=content_type,
            object_id=str(record.pk),
            field=item["field"],
            defaults={
                "location": item["location"],
                "printed": item["printed"],
                "corrected": item["corrected"],
                "reason": item["reason"],
            },
        )
        report.errata.append(erratum)


@transaction.atomic
def load_publication(path: Path = NEWSLETTER_VOL1) -> LoadReport:
    """Create or update every record the publication states; all or nothing."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    resolve = _Resolver()
    publication, _ = Publication.objects.update_or_create(
        slug=data["publication"]["slug"],
        defaults={k: v for k, v in data["publication"].items() if k != "slug"},
    )
    report = LoadReport(publication=publication)

    for item in data.get("associations", []):
        Association.objects.update_or_create(
            name=item["name"],
            defaults={
                "prefecture": resolve.prefecture(item["prefecture"]),
                "membership_rule": item["rule"],
            },
        )
    report.counts["団体（町村会・市長会）"] = len(data.get("associations", []))

    for item in data.get("agreements", []):
        agreement, _ = WideAreaAgreement.objects.update_or_create(
            association=resolve.association(item["association"]),
            signed_on=item["signed_on"],
            defaults={"printed_member_count": item.get("printed_member_count"), "source": publication},
        )
        _record_errata(publication, agreement, item.get("errata", []), report)
    report.counts["広域連携協定"] = len(data.get("agreements", []))

    for item in data.get("partnerships", []):
        partnership, _ = CorporatePartnership.objects.update_or_create(
            company=item["company"],
            defaults={"signed_on": item["signed_on"], "summary": item.get("summary", ""),
                      "source": publication},
        )
        for position, title in enumerate(item.get("fields", []), start=1):
            PartnershipField.objects.update_or_create(
                partnership=partnership, position=position, defaults={"title": title}
            )
        partnership.fields_of_cooperation.filter(position__gt=len(item.get("fields", []))).delete()
    report.counts["包括連携協定"] = len(data.get("partnerships", []))

    for item in data.get("events", []):
        # Created once: afterwards the secretariat edits them (a report, photos), and a reload
        # must not undo that.
        event, created = Event.objects.get_or_create(
            title=item["title"],
            source=publication,
            defaults={
                "starts_on": item["starts_on"],
                "series": item.get("series", ""),
                "kind": item["kind"],
                "ends_on": item.get("ends_on", item["starts_on"]),
                "description": item["description"],
                "organisers": item.get("organisers", publication.publisher),
                "status": Status.PUBLISHED,
                "publish_at": _midnight(item["starts_on"]),
            },
        )
        if created:
            _sync_m2m(event.associations, [resolve.association(n) for n in item.get("associations", [])])
    report.counts["イベント"] = len(data.get("events", []))

    for item in data.get("news", []):
        former = NewsItem.objects.filter(source=publication, title__in=item.get("formerly", [])).first()
        if former is not None:  # loaded before under a title the print does not use: now as printed
            former.title, former.lead, former.body = item["title"], item.get("lead", ""), item["body"]
            former.save(update_fields=["title", "lead", "body"])
        NewsItem.objects.get_or_create(
            title=item["title"],
            source=publication,
            defaults={"lead": item.get("lead", ""), "body": item["body"], "status": Status.PUBLISHED,
                      "publish_at": _midnight(item["published_on"])},
        )
    report.counts["お知らせ"] = len(data.get("news", []))

    _load_statistics(data.get("statistics"), publication, report)
    for metric, complete_from in data.get("coverage", {}).items():
        RecordCoverage.objects.get_or_create(metric=metric, defaults={"complete_from": complete_from})

    for item in data.get("disasters", []):
        _load_disaster(item, publication, resolve, report)
    report.counts["災害"] = len(data.get("disasters", []))

    if "issue" in data:
        _load_issue(data["issue"], publication)
        report.counts["号（全国連携NEWS）"] = 1
    # Pages rendered before are replaced (new records were indexed for search as they were saved).
    caching.bump()
    return report


def _load_statistics(table: dict | None, publication, report: LoadReport) -> None:
    if not table:
        return
    days = table.get("reference_dates", [None] * len(table["fiscal_years"]))
    for fiscal_year, day in zip(table["fiscal_years"], days, strict=True):
        StatisticsYear.objects.get_or_create(fiscal_year=fiscal_year, defaults={"reference_date": day})
    count = 0
    for metric in Metric:
        for fiscal_year, printed in zip(table["fiscal_years"], table[metric.value], strict=True):
            PublishedFigure.objects.update_or_create(
                fiscal_year=fiscal_year,
                metric=metric,
                source=publication,
                defaults={"value": None if printed == "-" else int(printed)},
            )
            count += 1
    report.counts["公表値（数字で見る）"] = count


def _load_disaster(item: dict, publication, resolve: _Resolver, report: LoadReport) -> None:
    disaster, _ = Disaster.objects.update_or_create(
        name=item["name"],
        defaults={
            "kind": item["kind"],
            "started_on": item["started_on"],
            "ended_on": item.get("ended_on"),
            "date_precision": item.get("date_precision", DatePrecision.DAY),
            "summary": item.get("summary", ""),
            "source": publication,
        },
        # Where the secretariat takes it from here: set when first loaded, never reset.
        create_defaults={
            "kind": item["kind"], "started_on": item["started_on"], "ended_on": item.get("ended_on"),
            "date_precision": item.get("date_precision", DatePrecision.DAY), "summary": item.get("summary", ""),
            "source": publication, "state": item.get("state", Disaster.State.UNSTATED),
        },
    )
    for fund in item.get("funds", []):
        contribution, _ = FundContribution.objects.update_or_create(
            disaster=disaster, kind=fund["kind"], defaults={"amount_yen": fund.get("amount_yen")}
        )
        for position, name in enumerate(fund["recipients"], start=1):
            FundRecipient.objects.update_or_create(
                contribution=contribution, position=position, defaults=resolve.body(name)
            )
        contribution.recipients.filter(position__gt=len(fund["recipients"])).delete()

    if "dispatch" in item:
        spec = item["dispatch"]
        values = {"people": spec.get("people"), "as_of": spec.get("as_of"),
                  "roles": spec.get("roles", [])}
        dispatch = disaster.figures.first()
        if dispatch is None:
            dispatch = DispatchFigure.objects.create(disaster=disaster, **values)
        elif any(getattr(dispatch, k) != v for k, v in values.items()):
            DispatchFigure.objects.filter(pk=dispatch.pk).update(**values)
        _sync_m2m(dispatch.destinations,
                  [resolve.local_government(n) for n in spec.get("destinations", [])])

    for description in item.get("supplies", []):
        SupplyProvision.objects.get_or_create(disaster=disaster, description=description)
    if not disaster.affected.exists():  # the places it struck: those helped, as the newsletter names them
        affected = {r.local_government or r.association.prefecture
                    for r in FundRecipient.objects.filter(contribution__disaster=disaster).select_related(
                        "local_government", "association__prefecture")}
        affected |= {lg for figure in disaster.figures.all() for lg in figure.destinations.all()}
        disaster.affected.set(affected)
    _record_errata(publication, disaster, item.get("errata", []), report)


def _load_issue(spec: dict, publication) -> None:
    """The issue as published: composed from the records just loaded and kept as of its date. A
    reload leaves it alone unless the records file words the issue differently (a sentence of the
    print restored, say): then it is composed again, and printed again on first request."""
    fields = {k: spec[k] for k in ("title", "period_label", "period_start", "period_end", "issued_on", "foreword")}
    sections = [{"kind": section["kind"], "position": position, "included": section.get("included", True),
                 "lead": section.get("lead", ""), "closing": section.get("closing", "")}
                for position, section in enumerate(spec["sections"], start=1)]
    issue = Issue.objects.filter(volume=spec["volume"]).first()
    if issue is not None and _as_specified(issue, fields, sections):
        return
    if issue is None:
        issue = Issue(volume=spec["volume"])
    for name, value in fields.items():
        setattr(issue, name, value)
    issue.save()
    issue.sections.all().delete()
    Section.objects.bulk_create([Section(issue=issue, **section) for section in sections])
    issue.announcement = NewsItem.objects.filter(source=publication, title__contains=f"vol.{issue.volume}").first()
    issue.save(update_fields=["announcement"])  # before composing: the news section leaves it out
    issue.snapshot = compose(issue)
    issue.status, issue.published_at = Issue.Status.PUBLISHED, _midnight(issue.issued_on)
    if issue.pdf:
        issue.pdf.delete(save=False)
    issue.save()


def _as_specified(issue: Issue, fields: dict, sections: list[dict]) -> bool:
    kept = [{"kind": s.kind, "position": s.position, "included": s.included, "lead": s.lead, "closing": s.closing}
            for s in issue.sections.order_by("position")]
    return all(getattr(issue, name) == value for name, value in fields.items()) and kept == sections


def _midnight(day):
    import datetime as dt
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo("Asia/Tokyo"))
