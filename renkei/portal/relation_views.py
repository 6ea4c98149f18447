"""The public list of the relations between the wards and municipalities (/relations/): the
registry's records, filtered, with 数字で見る's note while the records are not all kept."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from renkei.core.access import PUBLIC, WARD_STAFF_OR_SECRETARIAT, access, allows
from renkei.core.pagination import paginate
from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import RelationKind
from renkei.registry.selectors import filtered_relations
from renkei.statistics.figures import exchange_records_note


@access(PUBLIC)
@require_safe
def relation_list(request):
    queryset, errors, values = filtered_relations(request.GET)
    page = paginate(request, queryset, per_page=50)
    query = "&".join(f"{k}={v}" for k, v in values.items())
    return render(request, "portal/relations.html", {
        "page": page, "errors": errors, "values": values, "query": query,
        "wards": LocalGovernment.objects.special_wards().order_by("code"),
        "prefectures": LocalGovernment.objects.prefectures(),
        "kinds": RelationKind.objects.all(),
        "can_edit": allows(WARD_STAFF_OR_SECRETARIAT, request.user),
        "records_note": exchange_records_note(timezone.localdate()),
    }, status=400 if errors else 200)
