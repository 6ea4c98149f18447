"""The audit log (監査ログ), searchable: who did what to which record, and when."""

from django.apps import apps
from django.shortcuts import render
from django.views.decorators.http import require_safe

from renkei.core.access import SECRETARIAT, access
from renkei.core.dates import date_from_query
from renkei.core.models import AuditEntry
from renkei.core.pagination import paginate

AREAS = ("accounts", "membership", "portal", "registry", "board", "inquiries", "disasters", "sources", "municipalities")


@access(SECRETARIAT)
@require_safe
def audit_log(request):
    params = request.GET
    text, area = params.get("q", "").strip()[:100], params.get("area", "")
    errors, days = [], {}
    for name, label in (("since", "開始日"), ("until", "終了日")):
        raw = params.get(name, "").strip()
        days[name], error = date_from_query(raw) if raw else (None, "")
        if error:
            errors.append(f"{label}: {error}")
    areas = [(label, apps.get_app_config(label).verbose_name) for label in AREAS]
    if area not in dict(areas):
        area = ""
    entries = AuditEntry.objects.matching(text).in_area(area).between(days["since"], days["until"])
    page = paginate(request, entries.select_related("content_type").order_by("-at", "-id"), 50)
    return render(request, "secretariat/audit_log.html", {
        "page": page, "q": text, "area": area, "areas": areas, "since": params.get("since", "")[:20],
        "until": params.get("until", "")[:20], "errors": errors,
    }, status=400 if errors else 200)
