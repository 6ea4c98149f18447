"""The secretariat's start page: what waits today, and the way to every daily task."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from renkei.board.models import Report
from renkei.core import queue, trash
from renkei.core.access import SECRETARIAT, access
from renkei.core.models import ImportBatch, OutgoingEmail
from renkei.disasters.models import Disaster
from renkei.inquiries.models import Inquiry
from renkei.membership.models import Application, Member
from renkei.portal.models import Event, Status


@access(SECRETARIAT)
@require_safe
def dashboard(request):
    return render(request, "secretariat/dashboard.html", {
        "pending": Application.objects.filter(status=Application.Status.PENDING).count(),
        "active_disasters": list(Disaster.objects.active().order_by("-activated_at")),
        "members": Member.objects.active().count(),
        "events_waiting": Event.objects.filter(status=Status.SUBMITTED).count(),
        "new_inquiries": Inquiry.objects.filter(status=Inquiry.Status.NEW).count(),
        "held_inquiries": Inquiry.objects.filter(status=Inquiry.Status.HELD).count(),
        "open_reports": Report.objects.filter(resolved_at__isnull=True).count(),
        "imports_waiting": ImportBatch.objects.filter(status=ImportBatch.Status.CHECKED).count(),
        "failed_emails": OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).count(),
        "trash_days": trash.days(),
        "queue": queue.health(),
    })
