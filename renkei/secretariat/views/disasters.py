"""The disaster HQ (災害対策本部) of the secretariat: disasters, activation, states, decisions,
requests, enquiries to the wards, counterparts, dispatches, supplies, funds and the reports."""

import datetime as dt

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from renkei.core import editing
from renkei.core.access import SECRETARIAT, access
from renkei.core.forms import posted, posted_files, status_of
from renkei.core.templatetags.renkei import wareki
from renkei.disasters import selectors, support_status
from renkei.disasters.forms import (
    AsOfForm,
    CounterpartForm,
    DeadlineForm,
    DecisionForm,
    DisasterForm,
    DispatchForm,
    EnquiryForm,
    FundForm,
    PaymentForm,
    RequestForm,
    StateForm,
    SupplyForm,
)
from renkei.disasters.models import (
    Counterpart,
    Decision,
    Disaster,
    Dispatch,
    Enquiry,
    FundContribution,
    FundRecipient,
    Supply,
    SupportRequest,
)
from renkei.disasters.services import DisasterError, coordination, disasters, support
from renkei.disasters.services.common import reach, wards

NAV = "secretariat/_nav.html"


def _page(request, form, *, title: str, save, back: str, status: int | None = None, record=None, **extra):
    """A form page of the HQ: shown, checked, saved by `save(cleaned_data)` (which returns the
    redirect); a refusal (invalid input or a DisasterError) shows the form again with a 400. A new
    record is stored once however often the form is sent; an edit of `record` that someone else
    changed meanwhile is refused with a 409 (core.editing)."""
    written, stale = editing.submit(request, form, record, save, refusals=DisasterError)
    if written is not None:
        return written
    status = stale or status
    return render(request, "form_page.html", {"form": form, "title": title, "nav": NAV, "back": back, **extra},
                  status=status or status_of(form))


def _hq(disaster) -> str:
    return reverse("secretariat:disaster", args=[disaster.pk])


@access(SECRETARIAT)
@require_safe
def disaster_list(request):
    items = Disaster.objects.annotate(
        open_requests=Count("requests", filter=~Q(requests__status__in=["done", "withdrawn"]), distinct=True),
    ).order_by("-started_on", "-pk")
    return render(request, "secretariat/disasters.html", {"disasters": items})


@access(SECRETARIAT)
def disaster_new(request):
    form = DisasterForm(posted(request))

    def save(data):
        disaster = disasters.save_disaster(actor=request.user, data=data)
        messages.success(request, f"「{disaster.name}」を登録しました。対策本部を設置すると各区に知らせます。")
        return redirect(_hq(disaster))

    return _page(request, form, title="災害を登録する", save=save, back=reverse("secretariat:disasters"))


@access(SECRETARIAT)
def disaster_edit(request, pk: int):
    disaster = get_object_or_404(Disaster, pk=pk)
    initial = {name: getattr(disaster, name) for name in disasters.DISASTER_FIELDS}
    initial["affected"] = list(disaster.affected.select_related("prefecture"))
    form = DisasterForm(posted(request), initial=initial)

    def save(data):
        disasters.save_disaster(actor=request.user, disaster=disaster, data=data)
        messages.success(request, "災害の記録を更新しました。")
        return redirect(_hq(disaster))

    return _page(request, form, title=f"{disaster}を変更する", save=save, back=_hq(disaster), record=disaster)


@access(SECRETARIAT)
@require_safe
def disaster(request, pk: int):
    """The HQ page: where the disaster stands and every piece of the coordination, in one place."""
    item = get_object_or_404(Disaster.objects.prefetch_related("affected__prefecture", "figures"), pk=pk)
    today = timezone.localdate()
    return render(request, "secretariat/disaster.html", {
        "disaster": item, "today": today, "now": timezone.now(), "state_form": StateForm(initial={"state": item.state}),
        **selectors.hq(item, today),
    })


@access(SECRETARIAT)
@require_POST
def activate(request, pk: int):
    item = get_object_or_404(Disaster, pk=pk)
    try:
        reached = disasters.activate(actor=request.user, disaster=item)
    except DisasterError as error:
        messages.error(request, str(error))
    else:
        _reached(request, "対策本部を設置し、掲示板にスレッドを作りました", reached)
    return redirect(_hq(item))


@access(SECRETARIAT)
@require_POST
def set_state(request, pk: int):
    item = get_object_or_404(Disaster, pk=pk)
    form = StateForm(request.POST)
    if form.is_valid():
        try:
            disasters.set_state(actor=request.user, disaster=item, **form.cleaned_data)
        except DisasterError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"状態を「{item.get_state_display()}」にしました。")
    else:
        messages.error(request, "状態を選んでください。")
    return redirect(_hq(item))


# --- decisions (決定, 第N報) ---

@access(SECRETARIAT)
def decision_new(request, pk: int):
    item = get_object_or_404(Disaster, pk=pk)
    initial = {"decided_on": timezone.localdate(), "corrects": request.GET.get("corrects")}
    form = DecisionForm(posted(request), posted_files(request), disaster=item, initial=initial)

    def save(data):
        pdf = data.pop("pdf", None)
        decision = disasters.save_decision(actor=request.user, disaster=item, data=data, pdf=pdf)
        messages.success(request, "決定を下書きとして保存しました。内容を確かめて確定してください。")
        return redirect("secretariat:decision", pk=decision.pk)

    return _page(request, form, title=f"決定を登録する: {item}", save=save, back=_hq(item))


@access(SECRETARIAT)
def decision(request, pk: int):
    item = get_object_or_404(Decision.objects.select_related("disaster", "corrects"), pk=pk)
    if item.is_confirmed:  # it stands as written: shown, never changed (409 to a form sent to it)
        return render(request, "secretariat/decision.html", {"decision": item},
                      status=409 if request.method == "POST" else 200)
    initial = {name: getattr(item, name) for name in disasters.DECISION_FIELDS}
    form = DecisionForm(posted(request), posted_files(request), disaster=item.disaster, initial=initial)

    def save(data):
        pdf = data.pop("pdf", None)
        disasters.save_decision(actor=request.user, disaster=item.disaster, decision=item, data=data, pdf=pdf)
        messages.success(request, "決定の下書きを保存しました。")
        return redirect("secretariat:decision", pk=item.pk)

    fixed = [("決定した機関", item.get_body_display()), ("種類", item.get_kind_display()),
             ("日付", wareki(item.decided_on)), ("件名", item.title),
             ("訂正する決定", str(item.corrects) if item.corrects_id else "（訂正ではない）")]
    return _page(request, form, title=f"決定（下書き）: {item}", save=save, back=_hq(item.disaster), record=item,
                 confirm_url=reverse("secretariat:decision_confirm", args=[item.pk]), confirm_fixed=fixed)


@access(SECRETARIAT)
@require_POST
def decision_confirm(request, pk: int):
    item = get_object_or_404(Decision, pk=pk)
    if request.POST.get("checked") != "on":  # asked once: what becomes permanent was shown beside the box
        messages.error(request, "確定する内容を確かめ、「この内容で確定します」にチェックを入れてから確定してください。")
        return redirect("secretariat:decision", pk=pk)
    try:
        item = disasters.confirm_decision(actor=request.user, decision=item)
    except DisasterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"「{item}」を確定しました。以後は変更できません。")
    return redirect("secretariat:decision", pk=pk)


# --- requests (要請) ---

@access(SECRETARIAT)
def request_new(request, pk: int):
    item = get_object_or_404(Disaster, pk=pk)
    form = RequestForm(posted(request), initial={"channel": "phone", "kind": "staff"})

    def save(data):
        filed = coordination.file_request(actor=request.user, disaster=item, data=data)
        messages.success(request, "要請を受け付けました。")
        return redirect("secretariat:request", pk=filed.pk)

    return _page(request, form, title=f"要請を受け付ける: {item}", save=save, back=_hq(item), submit="受け付ける",
                 lead="電話・FAX・メールで受けた要請を入力します。被災した会員自治体はポータルから直接登録できます。")


@access(SECRETARIAT)
@require_safe
def request_detail(request, pk: int):
    item = get_object_or_404(SupportRequest.objects.select_related("disaster", "role", "requester__prefecture",
                                                                    "filed_by"), pk=pk)
    return render(request, "secretariat/request.html", {
        "support_request": item, "balance": selectors.request_balance(item),
        "next": [(s, SupportRequest.Status(s).label) for s in SupportRequest.Status.values
                 if s in coordination.NEXT[item.status]],
        "enquiries": item.enquiries.annotate(answered=Count("answers")),
        "dispatches": item.dispatches.select_related("ward", "role"),
        "supplies": item.supplies.select_related("ward"),
    })


@access(SECRETARIAT)
@require_POST
def request_move(request, pk: int):
    item = get_object_or_404(SupportRequest, pk=pk)
    try:
        coordination.move_request(actor=request.user, request=item, status=request.POST.get("status", ""))
    except (DisasterError, ValueError) as error:
        messages.error(request, str(error) if isinstance(error, DisasterError) else "状態を選んでください。")
    else:
        messages.success(request, "要請の状態を更新しました。")
    return redirect("secretariat:request", pk=pk)


# --- enquiries to the wards (各区照会) ---

def _in_three_hours() -> dt.datetime:
    """A deadline the HQ usually gives: three hours on, on the hour."""
    return (timezone.localtime() + dt.timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)


def _reached(request, what: str, reached) -> None:
    """Say how many wards the mail reached, and name those to phone: never a count of mails not sent."""
    messages.success(request, f"{what}。" + (f"{reached.reached}区の災害時の連絡担当にメールを送りました。"
                                              if reached.reached else "メールを送れた区はありません。"))
    if reached.unreachable:
        messages.warning(request, f"{'、'.join(reached.unreachable)}（{len(reached.unreachable)}区）には災害時の連絡担当が"
                                  "登録されていないため、メールは届きません。電話で伝えてください。")

@access(SECRETARIAT)
def enquiry_new(request, pk: int):
    item = get_object_or_404(Disaster, pk=pk)
    answered = selectors.answering(item, request.GET.get("request"))
    initial = {**(selectors.enquiry_from(answered) if answered else {}), "deadline": _in_three_hours()}
    form = EnquiryForm(posted(request), disaster=item, initial=initial)

    def save(data):
        enquiry = coordination.send_enquiry(actor=request.user, disaster=item, **data)
        _reached(request, "23区に照会しました", reach(wards().values_list("code", flat=True)))
        return redirect("secretariat:enquiry", pk=enquiry.pk)

    return _page(request, form, title=f"各区に照会する: {item}", save=save, back=_hq(item), submit="23区に照会する")


@access(SECRETARIAT)
@require_safe
def enquiry(request, pk: int):
    """The 23-ward matrix: who answered what, who has not answered yet."""
    item = get_object_or_404(Enquiry.objects.select_related("disaster", "request__role"), pk=pk)
    matrix = selectors.answer_matrix(item)
    answered = [a for _, a in matrix if a is not None]
    return render(request, "secretariat/enquiry.html", {
        "enquiry": item, "matrix": matrix, "answered": len(answered), "unanswered": len(matrix) - len(answered),
        "offered": sum(a.quantity for a in answered if a.answer == "yes"),
        "yes": sum(1 for a in answered if a.answer == "yes"), "overdue": item.deadline < timezone.now(),
        "open": selectors.request_balance(item.request).open if item.request else None,
        "deadline_form": DeadlineForm(initial={"deadline": _in_three_hours()}),
    })


@access(SECRETARIAT)
@require_POST
def enquiry_remind(request, pk: int):
    item = get_object_or_404(Enquiry, pk=pk)
    try:
        reached = coordination.remind(actor=request.user, enquiry=item)
    except DisasterError as error:
        messages.error(request, str(error))
    else:
        _reached(request, "未回答の区に再度お知らせします", reached)
    return redirect("secretariat:enquiry", pk=pk)


@access(SECRETARIAT)
@require_POST
def enquiry_close(request, pk: int):
    item = get_object_or_404(Enquiry, pk=pk)
    try:
        coordination.close_enquiry(actor=request.user, enquiry=item)
    except DisasterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "照会を締め切りました。")
    return redirect("secretariat:enquiry", pk=pk)


@access(SECRETARIAT)
@require_POST
def enquiry_reopen(request, pk: int):
    """期限を延ばす: answers are taken again until the new deadline (a closed enquiry reopens)."""
    item = get_object_or_404(Enquiry, pk=pk)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["deadline"]))
        return redirect("secretariat:enquiry", pk=pk)
    try:
        coordination.reopen_enquiry(actor=request.user, enquiry=item, deadline=form.cleaned_data["deadline"])
    except DisasterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "回答期限を延ばしました。各区はこの期限まで回答できます。")
    return redirect("secretariat:enquiry", pk=pk)


# --- counterparts (対口支援) ---

@access(SECRETARIAT)
def counterpart_new(request, pk: int):
    item = get_object_or_404(Disaster, pk=pk)
    form = CounterpartForm(posted(request), initial={"valid_from": timezone.localdate()})

    def save(data):
        coordination.pair(actor=request.user, disaster=item, municipality=data["municipality"], wards_=list(data["wards"]),
                          valid_from=data["valid_from"], note=data["note"])
        messages.success(request, "対口支援の組合せを記録しました。")
        return redirect(_hq(item) + "#counterparts")

    return _page(request, form, title=f"対口支援を組む: {item}", save=save, back=_hq(item),
                 lead="同じ自治体に組合せがある場合、前の組合せは新しい開始日の前日で終わり、履歴に残ります。")


@access(SECRETARIAT)
@require_POST
def counterpart_end(request, pk: int):
    item = get_object_or_404(Counterpart, pk=pk)
    form = AsOfForm(request.POST)
    day = form.cleaned_data.get("as_of") if form.is_valid() else None
    try:
        coordination.end_pairing(actor=request.user, counterpart=item, valid_until=day or timezone.localdate())
    except DisasterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "対口支援を終了しました。")
    return redirect(_hq(item.disaster) + "#counterparts")


# --- dispatches, supplies, funds ---

def _dispatch_initial(d: Dispatch) -> dict:
    return {**{name: getattr(d, name) for name in support.DISPATCH_FIELDS},
            "cancelled": d.status == Dispatch.Status.CANCELLED}


@access(SECRETARIAT)
def dispatch_edit(request, pk: int, dispatch_pk: int | None = None):
    item = get_object_or_404(Disaster, pk=pk)
    dispatch = get_object_or_404(Dispatch, pk=dispatch_pk, disaster=item) if dispatch_pk else None
    answered = None if dispatch else selectors.answering(item, request.GET.get("request"))
    initial = _dispatch_initial(dispatch) if dispatch else selectors.dispatch_from(answered) if answered else {}
    form = DispatchForm(posted(request), disaster=item, initial=initial)

    def save(data):
        support.save_dispatch(actor=request.user, disaster=item, dispatch=dispatch, data=data)
        messages.success(request, "職員派遣を記録しました。")
        return redirect(_hq(item) + "#dispatches")

    return _page(request, form, title=f"職員派遣{'を変更する' if dispatch else 'を記録する'}: {item}", save=save,
                 back=_hq(item), record=dispatch)


@access(SECRETARIAT)
@require_POST
def dispatch_confirm(request, pk: int):
    item = get_object_or_404(Dispatch, pk=pk)
    try:
        support.confirm_dispatch(actor=request.user, dispatch=item)
    except DisasterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{item.ward.name}の派遣を確認しました。")
    return redirect(_hq(item.disaster) + "#dispatches")


@access(SECRETARIAT)
@require_POST
def supply_confirm(request, pk: int):
    item = get_object_or_404(Supply.objects.select_related("ward", "disaster"), pk=pk)
    try:
        support.confirm_supply(actor=request.user, supply=item)
    except DisasterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{item.ward.name}の物資（{item.item}）を確認しました。" + (
            "発送されると公開の数字に入ります。" if item.status == Supply.Status.OFFERED else "公開の数字に入りました。"))
    return redirect(_hq(item.disaster) + "#supplies")


@access(SECRETARIAT)
def supply_edit(request, pk: int, supply_pk: int | None = None):
    item = get_object_or_404(Disaster, pk=pk)
    supply = get_object_or_404(Supply, pk=supply_pk, disaster=item) if supply_pk else None
    initial = {name: getattr(supply, name) for name in support.SUPPLY_FIELDS} if supply else {"status": "offered"}
    form = SupplyForm(posted(request), disaster=item, initial=initial)

    def save(data):
        support.save_supply(actor=request.user, disaster=item, supply=supply, data=data)
        messages.success(request, "物資を記録しました。")
        return redirect(_hq(item) + "#supplies")

    return _page(request, form, title=f"物資{'を変更する' if supply else 'を記録する'}: {item}", save=save, back=_hq(item),
                 record=supply)


@access(SECRETARIAT)
def fund_edit(request, pk: int, fund_pk: int | None = None):
    item = get_object_or_404(Disaster, pk=pk)
    fund = get_object_or_404(FundContribution, pk=fund_pk, disaster=item) if fund_pk else None
    initial = {"kind": "recovery_fund", "share_rule": "equal"}
    if fund is not None:
        initial = {name: getattr(fund, name) for name in support.FUND_FIELDS}
        initial["recipients"] = "\n".join(f"{r.name} {r.amount_yen or ''}".strip() for r in
                                          fund.recipients.select_related("local_government__prefecture", "association"))
        if fund.share_rule == FundContribution.ShareRule.TYPED:
            initial["typed_shares"] = "\n".join(f"{s.ward.name} {s.amount_yen}" for s in fund.shares.select_related("ward"))
    form = FundForm(posted(request), disaster=item, initial=initial)

    def save(data):
        recipients, typed = data.pop("recipients"), data.pop("typed_shares") or None
        support.save_fund(actor=request.user, disaster=item, fund=fund, data=data, recipients=recipients,
                          typed_shares=typed)
        messages.success(request, "支援金を記録しました。各区の負担額を計算しました。")
        return redirect(_hq(item) + "#funds")

    return _page(request, form, title=f"支援金{'を変更する' if fund else 'を記録する'}: {item}", save=save, back=_hq(item),
                 record=fund,
                 lead="提供先の金額の合計は総額と一致させます。各区の負担額は1円単位で、合計が総額とちょうど一致するように計算します"
                      "（端数は大きい順、同じときは団体コード順）。")


@access(SECRETARIAT)
@require_safe
def fund(request, pk: int):
    item = get_object_or_404(FundContribution.objects.select_related("disaster", "decision"), pk=pk)
    shares = list(item.shares.select_related("ward"))
    for share in shares:
        share.percent = 100 * share.amount_yen / item.amount_yen if item.amount_yen else 0
    return render(request, "secretariat/fund.html", {
        "fund": item, "shares": shares, "shares_total": sum(s.amount_yen for s in shares),
        "recipients": item.recipients.select_related("local_government__prefecture", "association"),
        "payment_form": PaymentForm(initial={"on": timezone.localdate()}),
    })


@access(SECRETARIAT)
@require_POST
def payment(request, pk: int):
    recipient = get_object_or_404(FundRecipient.objects.select_related("contribution"), pk=pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            support.record_payment(actor=request.user, recipient=recipient, **form.cleaned_data)
        except DisasterError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{recipient}の支払の状況を更新しました。")
    else:
        messages.error(request, "支払の状況と日付を入力してください。")
    return redirect("secretariat:fund", pk=recipient.contribution_id)


# --- 支援の状況 (the support status as of a day) ---

@access(SECRETARIAT)
@require_safe
def report(request, pk: int):
    """As of a date: dispatches by job and by ward (派遣中, 派遣済, 予定, 計), funds by recipient,
    supplies by item; printable, and as XLSX."""
    item = get_object_or_404(Disaster, pk=pk)
    form = AsOfForm(request.GET or None)
    day = (form.cleaned_data.get("as_of") if form.is_valid() else None) or timezone.localdate()
    status = support_status.build(item, day)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(support_status.xlsx(status), content_type=support_status.XLSX)
        # Named as the clerk will look for it in the downloads folder (RFC 6266: filename* in UTF-8)
        response["Content-Disposition"] = content_disposition_header(True, f"{item.name}_支援の状況_{day:%Y%m%d}.xlsx")
        return response
    return render(request, "secretariat/disaster_report.html", {"disaster": item, "status": status, "form": form,
                                                                "day": day}, status=status_of(form))
