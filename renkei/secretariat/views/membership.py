"""Applications (会員登録申請), member municipalities and their staff, the wards' accounts."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from renkei.core.access import SECRETARIAT, access
from renkei.core.pagination import paginate
from renkei.membership import services, staff_actions
from renkei.membership.forms import NoteForm, RejectionForm
from renkei.membership.models import Application, Member
from renkei.membership.views import staff_context
from renkei.municipalities.models import LocalGovernment


@access(SECRETARIAT)
@require_safe
def applications(request):
    status = request.GET.get("status", Application.Status.PENDING)
    if status not in Application.Status.values:
        status = Application.Status.PENDING
    queryset = Application.objects.filter(status=status).select_related(
        "local_government__prefecture").order_by("-created_at")
    return render(request, "secretariat/applications.html", {
        "page": paginate(request, queryset), "status": status, "statuses": Application.Status.choices,
    })


@access(SECRETARIAT)
@require_safe
def application(request, pk: int):
    item = get_object_or_404(Application.objects.select_related("local_government__prefecture",
                                                                "decided_by"), pk=pk)
    return render(request, "secretariat/application.html", {
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
    item = get_object_or_404(Application.objects.select_related("local_government__prefecture", "decided_by"), pk=pk)
    form = RejectionForm(request.POST)
    if form.is_valid():
        try:
            services.reject_application(application_pk=pk, actor=request.user, reason=form.cleaned_data["reason"])
        except services.MembershipError as error:
            messages.error(request, str(error))
            return redirect("secretariat:application", pk=pk)
        messages.success(request, "申請を却下しました。申請者に理由をメールで伝えます。")
        return redirect("secretariat:applications")
    return render(request, "secretariat/application.html", {"application": item, "rejection_form": form}, status=400)


@access(SECRETARIAT)
@require_safe
def members(request):
    queryset = Member.objects.select_related("local_government__prefecture").annotate(
        staff_count=Count("local_government__staff", filter=Q(local_government__staff__is_active=True))
    ).order_by("local_government__code")
    return render(request, "secretariat/members.html", {"page": paginate(request, queryset, 50)})


def _local_government(code: str) -> LocalGovernment:
    return LocalGovernment.objects.select_related("prefecture").by_code(code)


@access(SECRETARIAT)
@require_safe
def member(request, code: str):
    """One municipality or ward: staff (invite, remove, hand over lead), membership history."""
    return _member_page(request, _local_government(code))


def _member_page(request, local_government, status: int = 200, **forms):
    context = staff_context(local_government, request.user)
    if context["member"] is not None:
        context["history"] = context["member"].history.select_related("actor")
    context["note_form"] = NoteForm()
    context.update(forms)
    return render(request, "secretariat/member.html", context, status=status)


def _back(code: str) -> str:
    return reverse("secretariat:member", kwargs={"code": code})


@access(SECRETARIAT)
@require_POST
def invite(request, code: str):
    local_government = _local_government(code)
    return staff_actions.invite(request, local_government, back=_back(code),
                                page=lambda **forms: _member_page(request, local_government, **forms))


@access(SECRETARIAT)
@require_http_methods(["GET", "POST"])
def remove(request, code: str, user_pk: int):
    action = staff_actions.confirm_remove if request.method == "GET" else staff_actions.remove
    return action(request, _local_government(code), user_pk, back=_back(code))


@access(SECRETARIAT)
@require_POST
def make_lead(request, code: str, user_pk: int):
    return staff_actions.make_lead(request, _local_government(code), user_pk, back=_back(code))


@access(SECRETARIAT)
@require_POST
def disaster_contact(request, code: str, user_pk: int):
    return staff_actions.disaster_contact(request, _local_government(code), user_pk, back=_back(code))


@access(SECRETARIAT)
@require_POST
def withdraw(request, code: str):
    local_government = _local_government(code)
    return staff_actions.withdraw(request, local_government, back=_back(code), done=_back(code),
                                  page=lambda **forms: _member_page(request, local_government, **forms))


@access(SECRETARIAT)
@require_POST
def resume(request, code: str):
    local_government = _local_government(code)
    try:
        services.resume(actor=request.user, local_government=local_government, note=request.POST.get("note", ""))
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{local_government.full_name}の会員を再開しました。")
    return redirect("secretariat:member", code=code)


@access(SECRETARIAT)
@require_safe
def wards(request):
    """The 23 wards and their accounts: the secretariat creates each ward's first account."""
    ward_list = LocalGovernment.objects.special_wards().annotate(
        staff_count=Count("staff", filter=Q(staff__is_active=True)),
        lead_count=Count("staff", filter=Q(staff__is_active=True, staff__is_lead=True)),
    ).order_by("code")
    return render(request, "secretariat/wards.html", {"wards": ward_list})
