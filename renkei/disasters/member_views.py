"""The wards' and the members' disaster pages (/members/disasters/, 「災害支援の窓口」 on screen):
a ward answers the HQ's enquiries and enters its own dispatches and supplies; an affected member
files its requests."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from renkei.core import editing
from renkei.core.access import ORGANIZATION_STAFF, WARD_STAFF, access
from renkei.core.dates import wareki, wareki_time
from renkei.core.forms import posted, status_of
from renkei.disasters import selectors
from renkei.disasters.forms import AnswerForm, DispatchForm, MemberRequestForm, SupplyForm
from renkei.disasters.models import Disaster, Dispatch, Enquiry, Supply
from renkei.disasters.services import DisasterError, coordination, support

HOME = "disaster_members:home"


def _page(request, form, *, title: str, save, lead: str = "", record=None, **extra):
    """As the HQ's form pages: a new record stored once however often it is sent, a stale edit of
    `record` refused with a 409 that says who changed it (core.editing)."""
    written, status = editing.submit(request, form, record, save, refusals=DisasterError)
    if written is not None:
        return written
    return render(request, "form_page.html", {"form": form, "title": title, "lead": lead, "back": reverse(HOME),
                                              "back_label": "災害支援の窓口へ", **extra}, status=status or status_of(form))


@access(ORGANIZATION_STAFF)
@require_safe
def home(request):
    """What a ward or a member has to do for the disasters the HQ is working on."""
    user = request.user
    active = Disaster.objects.active().order_by("-activated_at")
    context = {"disasters": active, "now": timezone.now()}
    if user.is_ward_staff:
        work = selectors.ward_work(user.local_government, active)
        context.update(enquiries=work.enquiries, dispatches=work.dispatches, supplies=work.supplies,
                       shares=work.shares)
    else:
        context["affecting"], context["requests"] = selectors.member_work(user.local_government, active)
    return render(request, "disasters/members.html", context)


@access(WARD_STAFF)
def answer(request, pk: int):
    enquiry = get_object_or_404(Enquiry.objects.select_related("disaster", "request__role"), pk=pk)
    mine = enquiry.answers.filter(ward=request.user.local_government).first()
    initial = {name: getattr(mine, name) for name in coordination.ANSWER_FIELDS} if mine else {}
    form = AnswerForm(posted(request), initial=initial)

    def save(data):
        coordination.answer_enquiry(actor=request.user, enquiry=enquiry, data=data)
        messages.success(request, "回答しました。期限までは何度でも直せます。")
        return redirect(HOME)

    facts = [("災害", enquiry.disaster.name), ("回答期限", wareki_time(enquiry.deadline)),
             ("照会", enquiry.question)]
    if enquiry.request is not None:
        r = enquiry.request
        facts.append(("要請", f"{r.requester.full_name if r.requester else r.requester_name}: {r.what} "
                              f"{r.quantity}{r.unit_label}"
                              + (f"（{wareki(r.starts_on, weekday=True)}〜{wareki(r.ends_on, weekday=True)}）"
                                 if r.starts_on and r.ends_on else "")
                              + (f" {r.task}" if r.task else "")))
    if mine is not None:
        facts.append(("送った回答", f"{mine.get_answer_display()}"
                                    + (f"（{mine.quantity}{enquiry.request.unit_label if enquiry.request else ''}）"
                                       if mine.answer == "yes" else "")))
    return _page(request, form, title=f"照会に回答する（{request.user.local_government.name}）", save=save,
                 facts=facts, submit="回答する", shut=coordination.answers_refused(enquiry))


def _own_disaster(pk: int) -> Disaster:
    disaster = get_object_or_404(Disaster, pk=pk)
    if not disaster.is_active:
        raise PermissionDenied("対策本部が設置されていない災害です。")
    return disaster


@access(WARD_STAFF)
def dispatch_edit(request, pk: int, dispatch_pk: int | None = None):
    disaster = _own_disaster(pk)
    ward = request.user.local_government
    # Another ward's dispatch is not found, whatever its number.
    dispatch = get_object_or_404(Dispatch, pk=dispatch_pk, disaster=disaster, ward=ward) if dispatch_pk else None
    answered = None if dispatch else selectors.answering(disaster, request.GET.get("request"))
    initial = ({**{name: getattr(dispatch, name) for name in support.DISPATCH_FIELDS},
                "cancelled": dispatch.status == Dispatch.Status.CANCELLED} if dispatch
               else selectors.dispatch_from(answered) if answered else {})
    form = DispatchForm(posted(request), disaster=disaster, ward=ward, initial=initial)

    def save(data):
        support.save_dispatch(actor=request.user, disaster=disaster, dispatch=dispatch, data=data)
        messages.success(request, "派遣を記録しました。事務局が確認すると公開の数字に入ります。")
        return redirect(HOME)

    return _page(request, form, title=f"職員派遣（{ward.name}）: {disaster.name}", save=save, record=dispatch)


@access(WARD_STAFF)
def supply_edit(request, pk: int, supply_pk: int | None = None):
    disaster = _own_disaster(pk)
    ward = request.user.local_government
    supply = get_object_or_404(Supply, pk=supply_pk, disaster=disaster, ward=ward) if supply_pk else None
    initial = {name: getattr(supply, name) for name in support.SUPPLY_FIELDS} if supply else {"status": "offered"}
    form = SupplyForm(posted(request), disaster=disaster, ward=ward, initial=initial)

    def save(data):
        support.save_supply(actor=request.user, disaster=disaster, supply=supply, data=data)
        messages.success(request, "物資を記録しました。事務局が確認すると公開の数字に入ります。")
        return redirect(HOME)

    return _page(request, form, title=f"物資（{ward.name}）: {disaster.name}", save=save, record=supply)


@access(ORGANIZATION_STAFF)
def request_new(request, pk: int):
    disaster = _own_disaster(pk)
    if not coordination.can_file_request(request.user, disaster):
        raise PermissionDenied("この災害への要請は、被災した自治体として登録された会員の職員が行えます。"
                               "登録されていない場合は事務局にお電話ください。")
    form = MemberRequestForm(posted(request), initial={"kind": "staff"})

    def save(data):
        coordination.file_request(actor=request.user, disaster=disaster, data=data)
        messages.success(request, "要請を送りました。特別区長会事務局が各区と調整します。")
        return redirect(HOME)

    return _page(request, form, title=f"支援を要請する: {disaster.name}", save=save, submit="要請を送る",
                 lead="必要な職員（職種・人数・期間・業務）または物資（品目・数量・単位）をお知らせください。")
