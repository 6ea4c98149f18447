"""The two desks' inquiries (お問い合わせ): by desk and status, newest first."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from renkei.core.access import SECRETARIAT, access
from renkei.core.pagination import paginate
from renkei.inquiries import services
from renkei.inquiries.models import Desk, Inquiry


@access(SECRETARIAT)
@require_safe
def inquiry_list(request):
    desk, status = request.GET.get("desk", ""), request.GET.get("status", "")
    return render(request, "secretariat/inquiry_list.html", {
        "page": paginate(request, Inquiry.objects.queue(desk=desk, status=status)), "desk": desk, "status": status,
        "desks": Desk.choices, "statuses": Inquiry.Status.choices,
    })


@access(SECRETARIAT)
@require_POST
def inquiry_release(request, pk: int):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    try:
        services.release(user=request.user, inquiry=inquiry)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "保留を解除しました。窓口と差出人にメールを送ります。")
    return redirect("secretariat:inquiry_detail", pk=pk)


@access(SECRETARIAT)
def inquiry_detail(request, pk: int):
    inquiry = get_object_or_404(Inquiry, pk=pk)
    status_code = 200
    if request.method == "POST":
        status = request.POST.get("status", "")
        note = request.POST.get("note", "")[:4000]
        if status in Inquiry.Status.values:
            services.update(user=request.user, inquiry=inquiry, status=status, note=note)
            messages.success(request, f"状態を「{inquiry.get_status_display()}」にしました。")
            return redirect("secretariat:inquiry_detail", pk=inquiry.pk)
        messages.error(request, "状態を選んでください。")
        status_code = 400
    return render(request, "secretariat/inquiry_detail.html", {
        "inquiry": inquiry, "statuses": Inquiry.Status.choices, "desk_address": services.desk_address(inquiry.desk),
    }, status=status_code)
