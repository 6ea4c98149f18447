from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from renkei.accounts.access import PUBLIC, access
from renkei.core.dates import parse_iso_date
from renkei.core.errors import NotFound
from renkei.core.pagination import paginate
from renkei.disasters.models import Disaster
from renkei.municipalities.codes import is_valid_prefecture_code
from renkei.municipalities.models import LocalGovernment
from renkei.portal import calendars
from renkei.portal.models import Event, NewsItem
from renkei.registry import charts, statistics
from renkei.registry.models import CorporatePartnership, Metric, PartnershipField, WideAreaAgreement
from renkei.registry.selectors import covered_municipalities, member_counts
from renkei.sources.selectors import errata_by_object


def _today():
    return timezone.localdate()


@access(PUBLIC)
@require_GET
def home(request):
    years = statistics.table(latest=1)
    return render(request, "portal/home.html", {
        "events": Event.objects.order_by("-starts_on")[:3],
        "news": NewsItem.objects.all()[:3],
        "latest": years[-1] if years else None,
        "disasters": Disaster.objects.order_by("-started_on")[:4],
    })


@access(PUBLIC)
@require_GET
def news_list(request):
    return render(request, "portal/news_list.html", {"page": paginate(request, NewsItem.objects.all())})


@access(PUBLIC)
@require_GET
def news_detail(request, pk: int):
    return render(request, "portal/news_detail.html", {"item": get_object_or_404(NewsItem, pk=pk)})


@access(PUBLIC)
@require_GET
def event_list(request):
    today = _today()
    return render(request, "portal/event_list.html", {
        "upcoming": Event.objects.upcoming(today),
        "page": paginate(request, Event.objects.past(today)),
    })


@access(PUBLIC)
@require_GET
def event_detail(request, pk: int):
    event = get_object_or_404(
        Event.objects.prefetch_related("associations__prefecture"), pk=pk
    )
    return render(request, "portal/event_detail.html", {"event": event})


@access(PUBLIC)
@require_GET
def agreements(request):
    agreement_list = list(
        WideAreaAgreement.objects.select_related("association__prefecture").order_by("signed_on", "id")
    )
    member_counts(agreement_list)
    errata = errata_by_object(agreement_list)
    for agreement in agreement_list:
        agreement.errata = errata.get(str(agreement.pk), [])
    partnerships = CorporatePartnership.objects.prefetch_related(
        Prefetch("fields_of_cooperation", queryset=PartnershipField.objects.order_by("position"))
    )
    return render(request, "portal/agreements.html", {
        "agreements": agreement_list,
        "covered_count": covered_municipalities(agreement_list).count(),
        "partnerships": partnerships,
    })


@access(PUBLIC)
@require_GET
def stats(request):
    """数字で見る: the table by fiscal year, a chart beside it, figures for any date, and a map."""
    years = statistics.table()
    as_of, as_of_error, figures = _as_of(request.GET.get("as_of", "").strip())
    map_day = as_of or (years[-1].reference_date if years else _today())
    counts = dict(
        statistics.municipalities(map_day, Metric.TOTAL)
        .values_list("prefecture_id").annotate(n=Count("pk")).values_list("prefecture_id", "n")
    )
    names = dict(LocalGovernment.objects.prefectures().values_list("code", "name"))
    return render(request, "portal/stats.html", {
        "years": years,
        "rows": _rows(years),
        "chart": charts.bar_chart(years),
        "as_of": as_of, "as_of_error": as_of_error, "as_of_text": request.GET.get("as_of", "")[:20],
        "figures": figures,
        "map_day": map_day,
        "map": charts.prefecture_map({code[:2]: n for code, n in counts.items()},
                                     {code[:2]: name for code, name in names.items()}),
    }, status=400 if as_of_error else 200)


def _as_of(text: str):
    if not text:
        return None, None, None
    day = parse_iso_date(text)
    if day is None:
        return None, f"日付「{text[:20]}」は 2018-10-01 のように年-月-日で指定してください。", None
    return day, None, statistics.figures_as_of(day)


def _rows(years) -> list[dict]:
    """One row per figure across the years, with the increase from the first year to the last."""
    rows = []
    for metric in Metric:
        cells = [year.figures[metric.value] for year in years]
        first, last = (cells[0].value or 0, cells[-1].value or 0) if cells else (0, 0)
        rows.append({"metric": metric, "cells": cells, "increase": last - first})
    return rows


@access(PUBLIC)
@require_GET
def contact(request):
    return render(request, "portal/contact.html")


@access(PUBLIC)
@require_GET
def join(request):
    return render(request, "portal/join.html")


ICS = "text/calendar; charset=utf-8"


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@access(PUBLIC)
@require_GET
def events_ics(request):
    """Every event, for subscribing in a calendar application."""
    return _ics(calendars.calendar(Event.objects.order_by("starts_on"), "特別区全国連携プロジェクト イベント"),
                "renkei-events.ics")


@access(PUBLIC)
@require_GET
def prefecture_events_ics(request, prefecture_code: str):
    """The events in which a prefecture's associations take part."""
    if not is_valid_prefecture_code(prefecture_code):
        raise NotFound(f"都道府県コード「{prefecture_code}」は01〜47の2桁で指定してください。")
    prefecture = LocalGovernment.objects.prefectures().filter(code__startswith=prefecture_code).first()
    if prefecture is None:
        raise NotFound("この都道府県のデータはまだ読み込まれていません。")
    events = Event.objects.filter(associations__prefecture=prefecture).distinct().order_by("starts_on")
    return _ics(calendars.calendar(events, f"特別区全国連携プロジェクト イベント（{prefecture.name}）"),
                f"renkei-events-{prefecture_code}.ics")


@access(PUBLIC)
@require_GET
def event_ics(request, pk: int):
    """One event, to add to a calendar."""
    event = get_object_or_404(Event, pk=pk)
    return _ics(calendars.calendar([event], event.title), f"renkei-event-{event.pk}.ics")


@access(PUBLIC)
@require_GET
def robots(request):
    lines = ["User-agent: *", "Disallow: /board/", "Disallow: /secretariat/", "Disallow: /admin/",
             "Disallow: /accounts/", "Disallow: /members/", "Disallow: /invitations/", "Disallow: /registry/",
             f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
