from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from renkei.accounts.access import PUBLIC, access
from renkei.core.pagination import paginate
from renkei.disasters.models import Disaster
from renkei.portal.models import Event, NewsItem
from renkei.portal.selectors import published_statistics
from renkei.registry.models import CorporatePartnership, PartnershipField, WideAreaAgreement
from renkei.registry.selectors import covered_municipalities
from renkei.sources.selectors import errata_by_object


def _today():
    return timezone.localdate()


@access(PUBLIC)
@require_GET
def home(request):
    statistics = published_statistics()
    return render(request, "portal/home.html", {
        "events": Event.objects.order_by("-starts_on")[:3],
        "news": NewsItem.objects.all()[:3],
        "statistics": statistics,
        "latest": statistics.latest(),
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
    return render(request, "portal/stats.html", {"statistics": published_statistics()})


@access(PUBLIC)
@require_GET
def contact(request):
    return render(request, "portal/contact.html")


@access(PUBLIC)
@require_GET
def join(request):
    return render(request, "portal/join.html")
