"""The public record of the disaster support (災害支援の状況): what the 23 wards did, from the
records — never a drill, never an unconfirmed entry."""

import datetime as dt

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_safe

from renkei.core.access import PUBLIC, SECRETARIAT, access, allows
from renkei.core.dates import date_from_query
from renkei.core.pagination import paginate
from renkei.disasters import numbered_reports, selectors
from renkei.disasters.models import Decision, Disaster
from renkei.sources.selectors import with_errata

EARLIEST = dt.date(1995, 1, 17)  # the records go back to the wards' first joint support at the earliest


def _as_of(request) -> tuple[dt.date, str | None]:
    """The day the counts are taken, from ?as_of=, with a message when it cannot be used."""
    today = timezone.localdate()
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return today, None
    day, error = date_from_query(raw, earliest=EARLIEST, latest=today)
    return (day, None) if day else (today, error)


@access(PUBLIC)
@require_safe
def disaster_list(request):
    queryset = (Disaster.objects.public().with_support()
                .with_dispatch_count()
                .order_by("-started_on"))
    page = paginate(request, queryset, per_page=30)
    page.object_list = with_errata(page.object_list)
    return render(request, "disasters/list.html", {"page": page})


@access(PUBLIC)
@require_safe
def disaster_detail(request, pk: int):
    disaster = get_object_or_404(Disaster.objects.public().with_support().prefetch_related("affected__prefecture")
                                 .with_dispatch_count(), pk=pk)
    (disaster,) = with_errata([disaster])
    day, error = _as_of(request)
    summary = selectors.dispatch_summary(disaster, day)
    return render(request, "disasters/detail.html", {
        "disaster": disaster, "summary": summary, "as_of_error": error, "day": day,
        "decisions": disaster.decisions.filter(status=Decision.Status.CONFIRMED).select_related("corrects"),
        "counterparts": disaster.counterparts.select_related("municipality__prefecture").prefetch_related("wards"),
        "supplies": selectors.supplies_by_item(disaster),
    }, status=400 if error else 200)


@access(PUBLIC)
@require_safe
def ward_matrix(request):
    """Who sent how many: the 23 wards × the disasters with dispatch records, as of a day."""
    day, error = _as_of(request)
    disasters = Disaster.objects.public().with_public_dispatches().order_by("-started_on")
    wards, columns, cells = selectors.ward_matrix(day, disasters)
    rows = [(ward, [cells.get((ward.pk, d.pk), 0) for d in columns], sum(cells.get((ward.pk, d.pk), 0)
                                                                          for d in columns)) for ward in wards]
    totals = [sum(cells.get((w.pk, d.pk), 0) for w in wards) for d in columns]
    return render(request, "disasters/wards.html", {
        "day": day, "error": error, "disasters": columns, "rows": rows, "totals": totals, "grand_total": sum(totals),
        "by_disaster": [(d, [(w, cells.get((w.pk, d.pk), 0)) for w in wards if cells.get((w.pk, d.pk))], totals[i])
                        for i, d in enumerate(columns)],
    }, status=400 if error else 200)


@access(PUBLIC)
@require_safe
def decision_pdf(request, pk: int):
    """A decision's PDF: public once confirmed, on a disaster that is not a drill; the secretariat
    sees drafts too."""
    decision = get_object_or_404(Decision.objects.select_related("disaster"), pk=pk)
    public = decision.is_confirmed and not decision.disaster.is_drill
    if not decision.pdf or not (public or allows(SECRETARIAT, request.user)):
        raise Http404
    response = FileResponse(decision.pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{decision.pk}.pdf"'
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _report(pk: int, number: int) -> Decision:
    """A confirmed 第N報 of a disaster the public sees (never a drill's)."""
    return get_object_or_404(Decision.objects.select_related("disaster"), disaster__pk=pk, report_number=number,
                             status=Decision.Status.CONFIRMED, report__isnull=False, disaster__is_drill=False)


@access(PUBLIC)
@require_safe
def report(request, pk: int, number: int):
    decision = _report(pk, number)
    return render(request, "disasters/report.html", {"decision": decision, "report": decision.report,
                                                     "disaster": decision.disaster})


@access(PUBLIC)
@require_safe
def report_pdf(request, pk: int, number: int):
    """The 第N報 as printed when it was confirmed: a file, never printed again per request. A public
    page like the others: kept by the page cache and answered from the front cache's memory, so a
    flood of readers costs the server next to nothing."""
    decision = _report(pk, number)
    etag = numbered_reports.etag(decision)
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        return unchanged
    with numbered_reports.printed(decision).open("rb") as printed:
        response = HttpResponse(printed.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="disaster-{pk}-report-{number}.pdf"'
    response["ETag"] = etag
    return response
