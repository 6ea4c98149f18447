"""The secretariat's inquiry queue: by desk and status, newest first."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from renkei.core.access import SECRETARIAT, access
from renkei.core.pagination import paginate
from renkei.inquiries import services
from renkei.inquiries.models import Desk, Inquiry


@access(SECRETARIAT)
def inquiry_list(request):
    desk, status = request.GET.get("desk", ""), request.GET.get("status", "")
    inquiries = Inquiry.objects.all()
    if desk in Desk.values:
        inquiries = inquiries.filter(desk=desk)
    if status in Inquiry.Status.values:
        inquiries = inquiries.filter(status=status)
    return render(request, "inquiries/list.html", {
        "page": paginate(request, inquiries), "desk": desk, "status": status,
        "desks": Desk.choices, "statuses": Inquiry.Status.choices,
    })


@access(SECRETARIAT)
def inquiry_detail(request, pk: int):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    if request.method == "POST":
        status = request.POST.get("status", "")
        note = request.POST.get("note", "")[:4000]
        if status not in Inquiry.Status.values:
            messages.error(request, "状態を選んでください。")
        else:
            services.update(user=request.user, inquiry=inquiry, status=status, note=note)
            messages.success(request, f"状態を「{inquiry.get_status_display()}」にしました。")
            return redirect("inquiries:detail", pk=inquiry.pk)
    return render(request, "inquiries/detail.html", {
        "inquiry": inquiry, "statuses": Inquiry.Status.choices, "desk_address": services.desk_address(inquiry.desk),
    })
