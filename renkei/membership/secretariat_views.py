"""The secretariat's screens (事務局): applications, members, ward accounts, the outbox."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from renkei.core.access import SECRETARIAT, access
from renkei.core.emails import deliver
from renkei.core.models import OutgoingEmail
from renkei.core.pagination import paginate
from renkei.inquiries.models import Inquiry
from renkei.membership import services
from renkei.membership.forms import NoteForm, RejectionForm
from renkei.membership.models import Application, Member
from renkei.membership.views import (
    _applicable_local_government,
    invite_action,
    make_lead_action,
    remove_action,
    staff_context,
    withdraw_action,
)
from renkei.municipalities.models import LocalGovernment
from renkei.portal.models import Event, Status


@access(SECRETARIAT)
def dashboard(request):
    return render(request, "membership/secretariat/dashboard.html", {
        "pending": Application.objects.filter(status=Application.Status.PENDING).count(),
        "members": Member.objects.active().count(),
        "failed_emails": OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED).count(),
        "events_waiting": Event.objects.filter(status=Status.SUBMITTED).count(),
        "new_inquiries": Inquiry.objects.filter(status=Inquiry.Status.NEW).count(),
    })


@access(SECRETARIAT)
def applications(request):
    status = request.GET.get("status", Application.Status.PENDING)
    if status not in Application.Status.values:
        status = Application.Status.PENDING
    queryset = Application.objects.filter(status=status).select_related(
        "local_government__prefecture").order_by("-created_at")
    return render(request, "membership/secretariat/applications.html", {
        "page": paginate(request, queryset), "status": status, "statuses": Application.Status.choices,
    })


@access(SECRETARIAT)
def application(request, pk: int):
    item = get_object_or_404(Application.objects.select_related("local_government__prefecture",
                                                                "decided_by"), pk=pk)
    return render(request, "membership/secretariat/application.html", {
        "application": item, "rejection_form": RejectionForm(),
    })


@access(SECRETARIAT)
@require_POST
def approve(request, pk: int):
    try:
        member = services.approve_application(application_pk=pk, actor=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
        return redirect("secretariat:application", pk=pk)
    messages.success(request, f"{member.local_government.full_name}の入会を承認しました。申請者にメールを送ります。")
    return redirect("secretariat:applications")


@access(SECRETARIAT)
@require_POST
def reject(request, pk: int):
    form = RejectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "却下の理由を入力してください。")
        return redirect("secretariat:application", pk=pk)
    try:
        services.reject_application(application_pk=pk, actor=request.user, reason=form.cleaned_data["reason"])
    except services.MembershipError as error:
        messages.error(request, str(error))
        return redirect("secretariat:application", pk=pk)
    messages.success(request, "申請を却下しました。申請者に理由をメールで伝えます。")
    return redirect("secretariat:applications")


@access(SECRETARIAT)
def members(request):
    queryset = Member.objects.select_related("local_government__prefecture").annotate(
        staff_count=Count("local_government__staff", filter=Q(local_government__staff__is_active=True))
    ).order_by("local_government__code")
    return render(request, "membership/secretariat/members.html", {"page": paginate(request, queryset, 50)})


@access(SECRETARIAT)
def member(request, code: str):
    """One municipality or ward: staff (invite, remove, hand over lead), membership history."""
    local_government = _applicable_local_government(code)
    context = staff_context(local_government, request.user)
    if context["member"] is not None:
        context["history"] = context["member"].history.select_related("actor")
    context["note_form"] = NoteForm()
    return render(request, "membership/secretariat/member.html", context)


@access(SECRETARIAT)
@require_POST
def resume(request, code: str):
    local_government = _applicable_local_government(code)
    try:
        services.resume(actor=request.user, local_government=local_government,
                        note=request.POST.get("note", ""))
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{local_government.full_name}の会員を再開しました。")
    return redirect("secretariat:member", code=code)


@access(SECRETARIAT)
def wards(request):
    """The 23 wards and their accounts: the secretariat creates each ward's first account."""
    ward_list = LocalGovernment.objects.special_wards().annotate(
        staff_count=Count("staff", filter=Q(staff__is_active=True)),
        lead_count=Count("staff", filter=Q(staff__is_active=True, staff__is_lead=True)),
    ).order_by("code")
    return render(request, "membership/secretariat/wards.html", {"wards": ward_list})


@access(SECRETARIAT)
def outbox(request):
    queryset = OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).order_by("-created_at")
    return render(request, "membership/secretariat/outbox.html", {"page": paginate(request, queryset, 50)})


@access(SECRETARIAT)
@require_POST
def resend(request, pk: int):
    message = get_object_or_404(OutgoingEmail, pk=pk)
    if deliver(message.pk):
        messages.success(request, f"{message.to} にメールを送信しました。")
    else:
        messages.error(
            request, f"{message.to} へのメールを送信できませんでした。メールサーバーの設定を確認してください。"
        )
    return redirect("secretariat:outbox")


invite = access(SECRETARIAT)(require_POST(invite_action))
remove = access(SECRETARIAT)(require_POST(remove_action))
make_lead = access(SECRETARIAT)(require_POST(make_lead_action))
withdraw = access(SECRETARIAT)(require_POST(withdraw_action))
