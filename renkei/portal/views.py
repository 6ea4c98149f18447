from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from renkei.core.access import ORGANIZATION_STAFF, PUBLIC, SECRETARIAT, access, allows
from renkei.core.clients import client_address
from renkei.core.dates import date_from_query
from renkei.core.desks import DESKS
from renkei.core.errors import NotFound
from renkei.core.forms import posted
from renkei.core.pagination import paginate
from renkei.disasters.models import Disaster
from renkei.inquiries import services as inquiries
from renkei.inquiries.forms import InquiryForm
from renkei.municipalities.codes import is_valid_prefecture_code
from renkei.municipalities.models import LocalGovernment
from renkei.portal import calendars, filters, selectors
from renkei.portal import search as portal_search
from renkei.portal.models import Event, NewsItem, Photo
from renkei.registry.models import CorporatePartnership, PartnershipField, WideAreaAgreement
from renkei.registry.selectors import covered_municipalities, member_counts
from renkei.sources.selectors import with_errata
from renkei.statistics import charts, figures
from renkei.statistics.models import Metric


def _today():
    return timezone.localdate()


@access(PUBLIC)
@require_safe
def home(request):
    years = figures.table(latest=1)
    today = _today()
    events = list(Event.objects.public().upcoming(today)[:3]) or list(Event.objects.public().past(today)[:3])
    return render(request, "portal/home.html", {
        "profiles": selectors.recently_updated_profiles(4),
        "events": events,
        "news": NewsItem.objects.public()[:3],
        "latest": years[-1] if years else None,
        "disasters": Disaster.objects.public().order_by("-started_on")[:4],
    })


@access(PUBLIC)
@require_safe
def news_list(request):
    return render(request, "portal/news_list.html", {"page": paginate(request, NewsItem.objects.public())})


def _may_preview(user, obj) -> bool:
    """Editors see a draft, a scheduled item or a waiting event before the public does."""
    if allows(SECRETARIAT, user):
        return True
    organization = getattr(obj, "organization_id", None)
    return organization is not None and allows(ORGANIZATION_STAFF, user) and user.local_government_id == organization


@access(PUBLIC)
@require_safe
def news_detail(request, pk: int):
    item = get_object_or_404(NewsItem.objects.prefetch_related("photos"), pk=pk)
    if not item.is_public() and not _may_preview(request.user, item):
        raise Http404
    return render(request, "portal/news_detail.html", {"item": item, "preview": not item.is_public()})


@access(PUBLIC)
@require_safe
def event_list(request):
    chosen, errors = filters.read(request.GET)
    events = filters.apply(Event.objects.public(), chosen)
    context = {"chosen": chosen, "errors": errors, "kinds": Event.Kind.choices,
               "prefectures": LocalGovernment.objects.prefectures().order_by("code"),
               "ics_url": filters.ics_url(chosen)}
    if chosen.view == "calendar":
        context["calendar"] = calendars.month_grid(chosen.month or _today().replace(day=1), events)
    else:
        today = _today()
        listed = events.past(today) if chosen.when == "past" else events.upcoming(today)
        context["page"] = paginate(request, listed.prefetch_related("participants"))
    return render(request, "portal/event_list.html", context, status=400 if errors else 200)


@access(PUBLIC)
@require_safe
def event_detail(request, pk: int):
    event = get_object_or_404(
        Event.objects.select_related("organization__prefecture", "source").prefetch_related(
            "associations__prefecture", "participants__prefecture", "photos"), pk=pk
    )
    if not event.is_public() and not _may_preview(request.user, event):
        raise Http404
    photos = list(event.photos.all())
    return render(request, "portal/event_detail.html", {
        "event": event, "preview": not event.is_public(),
        "photos": [p for p in photos if not p.in_report], "report_photos": [p for p in photos if p.in_report],
    })


@access(PUBLIC)
@require_safe
def search(request):
    query = request.GET.get("q", "").strip()[:100]
    kinds = portal_search.public_kinds()
    kind = request.GET.get("kind", "")
    kind = kind if kind in dict(kinds) else ""
    # Without words, one kind is listed whole (every member's PR page, newest first).
    page = paginate(request, portal_search.find(query, kind=kind)) if query or kind else None
    if page is not None:
        for document in page:
            document.snippet = portal_search.quote(document.kind, document.text, query) if query else ""
            document.kind_label = dict(kinds)[document.kind]
    return render(request, "portal/search.html", {"query": query, "kind": kind, "page": page, "kinds": kinds})


@access(PUBLIC)
@require_safe
def agreements(request):
    agreement_list = with_errata(
        WideAreaAgreement.objects.select_related("association__prefecture").order_by("signed_on", "id"))
    member_counts(agreement_list)
    partnerships = CorporatePartnership.objects.prefetch_related(
        Prefetch("fields_of_cooperation", queryset=PartnershipField.objects.order_by("position"))
    )
    return render(request, "portal/agreements.html", {
        "agreements": agreement_list,
        "covered_count": covered_municipalities(agreement_list).count(),
        "partnerships": partnerships,
    })


@access(PUBLIC)
@require_safe
def stats(request):
    """数字で見る: the table by fiscal year, a chart beside it, figures for any date, and a map."""
    sources = figures.sources()  # read once for the table, the map and what it counts
    years = figures.table(sources=sources)
    as_of, as_of_error, as_of_figures = _as_of(request.GET.get("as_of", "").strip())
    map_day = as_of or (years[-1].reference_date if years and years[-1].reference_date else _today())
    # The map counts only what the records hold completely on its day, and says which.
    counted = figures.complete_parts(map_day, sources)
    names = dict(LocalGovernment.objects.prefectures().values_list("code", "name"))
    return render(request, "portal/stats.html", {
        "years": years,
        "rows": figures.rows(years),
        # Drawn twice: on a phone (320px and wider) its labels stay at least 12px; CSS shows one.
        "charts": [(charts.bar_chart(years), "wide"), (charts.bar_chart(years, width=320, height=260), "narrow")],
        "as_of": as_of, "as_of_error": as_of_error, "as_of_text": request.GET.get("as_of", "")[:20],
        "figures": as_of_figures,
        "map_day": map_day,
        "map_counts": [Metric(m).label for m in counted],
        "map_leaves_out": [Metric(m).label for m in figures.PARTS if m not in counted],
        "map": charts.prefecture_map(figures.by_prefecture(map_day, counted, sources.agreements),
                                     {code[:2]: name for code, name in names.items()})
        if counted else None,
    }, status=400 if as_of_error else 200)


def _as_of(text: str):
    if not text:
        return None, None, None
    day, error = date_from_query(text)
    if day is None:
        return None, error, None
    found = figures.figures_on(day)
    return day, None, [(Metric(metric).label, metric, figure) for metric, figure in found.items()]


@access(PUBLIC)
@require_http_methods(["GET", "POST"])
def contact(request):
    """The two desks, and a form that sends to the one chosen."""
    form = InquiryForm(posted(request), initial={"desk": request.GET.get("desk", "")})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                inquiry = inquiries.receive(data=form.cleaned_data, address=client_address(request),
                                            automated=form.looks_automated(), stamp=form.cleaned_data["shown"])
            except inquiries.TooMany:
                form.add_error(None, _("短い時間にたくさんのお問い合わせが送られたため、受け付けを一時止めています。"
                                       "1時間ほどしてから送ってください。お急ぎの場合はお電話でどうぞ。"))
                status = 429
            else:
                sent = reverse("portal:contact_sent")
                return redirect(f"{sent}?held=1" if inquiry.status == inquiry.Status.HELD else sent)
        else:
            status = 400
    return render(request, "portal/contact.html", {"form": form, "desks": DESKS.values()}, status=status)


@access(PUBLIC)
@require_safe
def contact_sent(request):
    return render(request, "portal/contact_sent.html", {"held": request.GET.get("held") == "1"})


@access(PUBLIC)
@require_safe
def join(request):
    return render(request, "portal/join.html")


ICS = "text/calendar; charset=utf-8"


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@access(PUBLIC)
@require_safe
def events_ics(request):
    """Every event, for subscribing in a calendar application."""
    chosen, errors = filters.read(request.GET)
    if errors:
        raise NotFound(" ".join(errors))
    events = filters.apply(Event.objects.public(), chosen).order_by("starts_on")
    return _ics(calendars.calendar(events, "特別区全国連携プロジェクト イベント"),
                "renkei-events.ics")


@access(PUBLIC)
@require_safe
def prefecture_events_ics(request, prefecture_code: str):
    """The events in which a prefecture's municipalities or associations take part."""
    if not is_valid_prefecture_code(prefecture_code):
        raise NotFound(f"都道府県コード「{prefecture_code}」は01〜47の2桁で指定してください。")
    prefecture = LocalGovernment.objects.prefectures().filter(code__startswith=prefecture_code).first()
    if prefecture is None:
        raise NotFound("この都道府県のデータはまだ読み込まれていません。")
    events = Event.objects.public().in_prefecture(prefecture).order_by("starts_on")
    return _ics(calendars.calendar(events, f"特別区全国連携プロジェクト イベント（{prefecture.name}）"),
                f"renkei-events-{prefecture_code}.ics")


@access(PUBLIC)
@require_safe
def event_ics(request, pk: int):
    """One event, to add to a calendar."""
    event = get_object_or_404(Event.objects.public(), pk=pk)
    return _ics(calendars.calendar([event], event.title), f"renkei-event-{event.pk}.ics")


@access(PUBLIC)
@require_safe
def robots(request):
    lines = ["User-agent: *", "Disallow: /board/", "Disallow: /secretariat/", "Disallow: /admin/",
             "Disallow: /accounts/", "Disallow: /members/", "Disallow: /search/", "Disallow: /invitations/",
             "Disallow: /registry/",
             f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@access(PUBLIC)
@require_safe
def photo_file(request, name: str):
    """A photo's resized form. Names are random; a photo is public once what it illustrates is."""
    path = f"photos/{name}"
    photo = (Photo.objects.filter(Q(large=path) | Q(small=path))
             .select_related("news", "event", "profile__local_government__membership").first())
    if photo is None or ".." in name:
        raise Http404
    owner = photo.news or photo.event
    if owner is not None:
        public = owner.is_public()
        allowed = public or _may_preview(request.user, owner)
    else:
        membership = getattr(photo.profile.local_government, "membership", None)
        public = allowed = membership is not None and membership.is_active
    if not allowed:
        raise Http404
    field = photo.large if photo.large.name == path else photo.small
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    # A stored form never changes (a new photo gets a new name): keep it for a year.
    response["Cache-Control"] = "public, max-age=31536000, immutable" if public else "private, no-cache"
    response["X-Content-Type-Options"] = "nosniff"
    return response
