"""An issue composed from the records: every section's content as plain data.

`compose(issue)` reads the registry, the statistics, the disasters and the portal for the issue's
period and returns a dict that holds only text and numbers. The web page and the PDF are both
drawn from that dict, and publishing keeps it (`Issue.snapshot`): one source, two outputs, and a
published issue that never changes. `facts(composition)` lists every printed figure by name, so
that a preview can say what changed since the last one.
"""

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone, translation

from renkei.core.dates import era_of, fiscal_year_label, fiscal_year_of, wareki
from renkei.core.desks import DESKS
from renkei.core.templatetags.renkei import date_range, yen
from renkei.disasters.models import Disaster
from renkei.newsletter.models import Issue, SectionKind
from renkei.portal.models import Event, NewsItem, Photo
from renkei.registry.models import CorporatePartnership, PartnershipField, WideAreaAgreement
from renkei.registry.selectors import covered_municipalities, member_counts
from renkei.sources.selectors import with_errata
from renkei.statistics import figures
from renkei.statistics.models import Metric

PUBLISHER = {
    "name": "特別区長会",
    "address": "〒102-0072 東京都千代田区飯田橋3-5-1 東京区政会館19階",
    "phone": "03-5210-9738",
}
FIGURE_YEARS = 4  # the print's table shows four fiscal years
NO_FIGURES = "この期間の数字はありません。"
JOIN_TEXT = (
    "特別区全国連携プロジェクトホームページは、全国自治体の皆様を対象に、会員専用のホームページを用意しております。"
    "会員登録をさせていただきますと、掲示板機能を使った東京23区との連携事業に関する情報交換や、"
    "本ホームページ上での貴自治体情報のPRが可能になります。"
)
JOIN_NOTE = "※本ホームページの登録・利用は無料です。"


def compose(issue: Issue, sections=None) -> dict:
    """The issue's content from the records as they stand (the period's records; figures as of
    the issue date). `sections` defaults to the issue's own, in their order."""
    with translation.override("ja"):
        sections = list(issue.sections.all() if sections is None else sections)
        context = _Context(issue)
        parts = []
        for section in sections:
            content = BUILDERS[section.kind](context)
            parts.append({"kind": section.kind, "heading": str(SectionKind(section.kind).label),
                          "lead": section.lead, "closing": section.closing, "included": section.included,
                          "empty": _is_empty(content), "records": _has_records(content),
                          **content})
        return {
            "volume": issue.volume,
            "title": issue.title,
            "period_label": issue.period_label,
            "period": date_range(issue.period_start, issue.period_end, False),
            "issued_on": issue.issued_on.isoformat(),
            "issued_label": wareki(issue.issued_on),
            "foreword": issue.foreword,
            "publisher": PUBLISHER,
            "composed_at": timezone.now().isoformat(timespec="seconds"),
            "sections": parts,
            "errata": context.errata,
        }


def included(composition: dict) -> list[dict]:
    return [section for section in composition["sections"] if section["included"]]


def facts(composition: dict) -> dict[str, str]:
    """Every figure the issue prints, by a name a person reads: 「数字で見る／平成30年度／合計」 → "984"."""
    result = {}
    for section in composition["sections"]:
        for name, value in section.get("facts", []):
            result[f"{section['heading']}／{name}"] = value
    return result


def changes(before: dict | None, after: dict) -> list[tuple[str, str | None, str | None]]:
    """What changed between two sets of facts: (name, before, after), in the order printed."""
    if before is None:
        return []
    names = list(after) + [name for name in before if name not in after]
    return [(name, before.get(name), after.get(name)) for name in names if before.get(name) != after.get(name)]


def _is_empty(content: dict) -> bool:
    return not any(content.get(key) for key in ("items", "rows", "highlights", "text", "message"))


def _has_records(content: dict) -> bool:
    return any(content.get(key) for key in ("items", "rows", "highlights"))


class _Context:
    def __init__(self, issue: Issue):
        self.issue = issue
        self.start, self.end, self.day = issue.period_start, issue.period_end, issue.issued_on
        self.errata = []

    def note_errata(self, records) -> None:
        """The corrections of what was printed in this issue's period: an earlier issue's errata
        are listed in that issue, not again in every later one."""
        for record in records:
            for erratum in getattr(record, "errata", []):
                if not self.start <= erratum.publication.published_on <= self.end:
                    continue
                self.errata.append({"location": erratum.location, "field": erratum.field,
                                    "printed": erratum.printed, "corrected": erratum.corrected,
                                    "reason": erratum.reason})


def _day_range(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    return (dt.datetime.combine(start, dt.time(), tzinfo=tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz))


def _photos(photos) -> list[dict]:
    return [{"src": photo.small.url, "alt": photo.alt, "caption": photo.caption,
             "width": photo.small_width, "height": photo.small_height} for photo in photos]


def _events(context: _Context) -> dict:
    photos = Prefetch("photos", queryset=Photo.objects.order_by("-in_report", "position", "pk"))
    events = (Event.objects.public(_day_range(context.day, context.day)[1])
              .filter(starts_on__gte=context.start, starts_on__lte=context.end)
              .order_by("-starts_on", "-pk").prefetch_related(photos))
    items = [{
        "series": event.series, "title": event.title, "kind": event.get_kind_display(),
        "when": _when(event.starts_on, event.ends_on), "text": event.report or event.description,
        "url": event.get_absolute_url(), "photos": _photos(list(event.photos.all())[:2]),
    } for event in events]
    return {"items": items, "facts": [(f"{item['title']}（開催日）", item["when"]) for item in items]}


def _when(start: dt.date, end: dt.date | None) -> str:
    """An event's days as the print gives them: two days in a row joined by 「・」
    (平成30年9月8日(土)・9日(日)), a longer run by 「～」."""
    if end is not None and end == start + dt.timedelta(days=1):
        return date_range(start, end).replace("～", "・")
    return date_range(start, end)


def _news(context: _Context) -> dict:
    start, end = _day_range(context.start, context.end)
    photos = Prefetch("photos", queryset=Photo.objects.order_by("position", "pk"))
    news = (NewsItem.objects.public(_day_range(context.day, context.day)[1])
            .filter(publish_at__gte=start, publish_at__lt=end, newsletter_issue__isnull=True)
            .order_by("publish_at", "pk").prefetch_related(photos))
    items = [{"title": item.title, "lead": item.lead, "text": item.body,
              "when": wareki(timezone.localdate(item.publish_at)), "url": item.get_absolute_url(),
              "photos": _photos(list(item.photos.all())[:1])} for item in news]
    return {"items": items, "facts": [(item["title"], item["when"]) for item in items]}


def _partnerships(context: _Context) -> dict:
    partnerships = (CorporatePartnership.objects.filter(signed_on__gte=context.start, signed_on__lte=context.end)
                    .order_by("signed_on", "pk")
                    .prefetch_related(Prefetch("fields_of_cooperation",
                                               queryset=PartnershipField.objects.order_by("position"))))
    items = [{"company": p.company, "signed": wareki(p.signed_on), "text": p.summary,
              "fields": [f.title for f in p.fields_of_cooperation.all()]} for p in partnerships]
    return {"items": items, "facts": [(f"{item['company']}（締結日）", item["signed"]) for item in items]}


def _increase_label(first: int, last: int) -> str:
    (era_a, year_a), (era_b, year_b) = era_of(dt.date(first, 4, 1)), era_of(dt.date(last, 4, 1))
    if era_a == era_b:
        return f"{year_a}→{year_b}年度増加数"
    return f"{fiscal_year_label(first)}→{fiscal_year_label(last)}増加数"


def _known_on(year, day: dt.date) -> bool:
    """A year's column can be printed on `day` when its 基準日 has passed, or, without one, when
    every figure in it was published by then."""
    if year.reference_date is not None:
        return year.reference_date <= day
    sources = [figure.source for figure in year.figures.values() if figure.basis == figures.PUBLISHED]
    return bool(sources) and all(source.published_on and source.published_on <= day for source in sources)


def _figures(context: _Context) -> dict:
    first_year, last_year = fiscal_year_of(context.start), min(fiscal_year_of(context.end), fiscal_year_of(context.day))
    years = [year for year in figures.table()
             if first_year <= year.fiscal_year <= last_year and _known_on(year, context.day)]
    years = years[-FIGURE_YEARS:]
    if not years:  # said in so many words: an earlier period's figures are not this issue's
        return {"rows": [], "years": [], "facts": [], "message": NO_FIGURES}
    rows, fact_list, published = [], [], False
    for row in figures.rows(years):
        cells = []
        for year, cell in zip(years, row["cells"], strict=True):
            # as the print does: "-" for none; 不明 where the number is not known
            text = "不明" if cell.value is None else f"{cell.value:,}" if cell.value else "-"
            marked = cell.basis == figures.PUBLISHED
            published = published or marked
            cells.append({"text": text, "published": marked})
            fact_list.append((f"{fiscal_year_label(year.fiscal_year)}／{row['metric'].label}", text))
        increase = ("不明" if row["increase"] is None else
                    f"+{row['increase']:,}" if row["increase"] >= 0 else f"{row['increase']:,}")
        fact_list.append((f"増加数／{row['metric'].label}", increase))
        rows.append({"label": str(row["metric"].label), "cells": cells, "increase": increase,
                     "total": row["metric"] == Metric.TOTAL})
    notes = ["＊は公表値です（その年度の数。何月何日時点の数かは示されていません）。"] if published else []
    return {"years": [year.label.removeprefix("平成").removeprefix("令和") if len(years) > 1 else year.label
                      for year in years],
            "year_titles": [year.label for year in years],
            "increase_label": _increase_label(years[0].fiscal_year, years[-1].fiscal_year),
            "rows": rows, "notes": notes, "facts": fact_list}


def _agreements(context: _Context) -> dict:
    agreements = with_errata(WideAreaAgreement.objects.filter(signed_on__lte=context.day)
                             .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=context.day))
                             .select_related("association__prefecture").order_by("signed_on", "id"))
    member_counts(agreements)
    context.note_errata(agreements)
    rows = [{"name": a.association.name, "signed": wareki(a.signed_on), "members": a.prefecture_count}
            for a in agreements]
    total = covered_municipalities(agreements).count() if agreements else 0
    fact_list = [(f"{row['name']}（{row['signed']}）", f"{row['members']:,}") for row in rows]
    fact_list.append(("合計", f"{total:,}"))
    return {"rows": rows, "total": f"{total:,}", "facts": fact_list}


def _support(disaster: Disaster) -> tuple[list[str], list[dict]]:
    """主な支援内容 as the print's table words it (【復興支援金の提供】熊本県／大分県 【職員派遣・支援物資等の
    提供】), and the highlight's numbers (● 職員の派遣数 421人（累積）, ● 23区共同での復興支援金 5,500万円)."""
    lines, amounts = [], []
    for fund in disaster.funds.all():
        names = [r.local_government.full_name if r.local_government_id else r.association.name
                 for r in fund.recipients.all()]
        if fund.amount_yen:
            joint = "23区共同の" if fund.kind == fund.Kind.DONATION else "23区共同での"
            amounts.append({"label": f"{joint}{fund.get_kind_display()}", "value": yen(fund.amount_yen)})
        if names:  # a sum given without recipients is in the highlight, as printed, not in the table
            lines.append(f"【{fund.get_kind_display()}の提供】" + "／".join(names))
    people = []
    for figure in disaster.figures.all():
        if figure.people:
            as_of = f"{wareki(figure.as_of)}現在" if figure.as_of else ""
            people.append({"label": "職員の派遣数", "value": f"{figure.people:,}人（累積）", "as_of": as_of})
    dispatched, supplied = bool(disaster.figures.all()), bool(disaster.supplies.all())
    if dispatched or supplied:
        lines.append("【職員派遣・支援物資等の提供】" if dispatched and supplied
                     else "【職員派遣】" if dispatched else "【支援物資等の提供】")
    provided = [{"label": supply.description, "value": ""} for supply in disaster.supplies.all()]
    return lines, people + amounts + provided


def _of_period(start: dt.date, end: dt.date) -> Q:
    """A disaster an issue reports: struck in its period, or with support dated in it (a fund
    decided, a confirmed dispatch on duty, a supply sent or received, a published figure's day)."""
    period = (start, end)
    on_duty = (Q(dispatches__first_day__lte=end, dispatches__confirmed_at__isnull=False)
               & (Q(dispatches__last_day__isnull=True) | Q(dispatches__last_day__gte=start)))
    return (Q(started_on__range=period) | Q(funds__decided_on__range=period) | on_duty
            | Q(figures__as_of__range=period) | Q(supply_records__shipped_on__range=period)
            | Q(supply_records__received_on__range=period))


def _disasters(context: _Context) -> dict:
    disasters = with_errata(Disaster.objects.public().with_support().filter(_of_period(context.start, context.end))
                            .distinct().order_by("started_on", "pk"))
    context.note_errata(disasters)
    rows, highlights, fact_list = [], [], []
    for disaster in disasters:
        lines, numbers = _support(disaster)
        rows.append({"when": disaster.when_label(), "name": disaster.name, "support": lines})
        if numbers:
            highlights.append({"name": disaster.name, "text": disaster.summary, "numbers": numbers})
            fact_list += [(f"{disaster.name}／{n['label']}", n["value"]) for n in numbers]
    fact_list.insert(0, ("対応した災害の数", str(len(rows))))
    return {"rows": rows, "highlights": list(reversed(highlights)), "facts": fact_list}


def _join(context: _Context) -> dict:
    # As the print gives them: whom, which number, which office (the hours are on the site's pages).
    desks = [{"subject": str(desk.subject), "office": str(desk.office), "phone": desk.phone}
             for desk in DESKS.values()]
    return {"text": JOIN_TEXT, "note": JOIN_NOTE, "desks": desks,
            "facts": [(d["subject"], d["phone"]) for d in desks]}


BUILDERS = {
    SectionKind.NEWS: _news,
    SectionKind.PARTNERSHIPS: _partnerships,
    SectionKind.DISASTERS: _disasters,
    SectionKind.EVENTS: _events,
    SectionKind.FIGURES: _figures,
    SectionKind.AGREEMENTS: _agreements,
    SectionKind.JOIN: _join,
}
