from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from renkei.core.access import PUBLIC, access
from renkei.core.pagination import paginate
from renkei.disasters.models import Disaster
from renkei.sources.selectors import with_errata


@access(PUBLIC)
@require_safe
def disaster_list(request):
    page = paginate(request, Disaster.objects.with_support().order_by("-started_on"), per_page=30)
    page.object_list = with_errata(page.object_list)
    return render(request, "disasters/list.html", {"page": page})


@access(PUBLIC)
@require_safe
def disaster_detail(request, pk: int):
    (disaster,) = with_errata([get_object_or_404(Disaster.objects.with_support(), pk=pk)])
    return render(request, "disasters/detail.html", {"disaster": disaster})
