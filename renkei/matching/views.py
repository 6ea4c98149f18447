import secrets

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from renkei.core import editing
from renkei.core.access import BOARD, ORGANIZATION_STAFF, SECRETARIAT, access
from renkei.core.forms import posted
from renkei.core.pagination import paginate
from renkei.matching import ranking, services
from renkei.matching.forms import AcceptForm, DeclineForm, NoticeForm, ProposalForm, ReplyForm, RulesForm, WishForm
from renkei.matching.models import Notice, Proposal, Wish
from renkei.municipalities.models import LocalGovernment

WISH_FIELDS = ("title", "kind", "offers", "seeks", "forms", "regions", "sizes", "starts_on", "ends_on", "text",
               "is_open", "is_public")


def _wishes():
    return Wish.objects.select_related("body__prefecture", "kind").prefetch_related("offers", "seeks", "forms")


@access(ORGANIZATION_STAFF)
@require_safe
def desk(request):
    body = request.user.local_government
    proposals = Proposal.objects.select_related("sender__prefecture", "recipient__prefecture", "kind")
    notice = Notice.objects.filter(user=request.user, weekly=True).exists()
    return render(request, "matching/desk.html", {
        "body": body, "wishes": _wishes().filter(body=body),
        "received": proposals.filter(recipient=body)[:50], "sent": proposals.filter(sender=body)[:50],
        "notice_form": NoticeForm(initial={"weekly": notice}),
    })


def _save(request, wish: Wish | None):
    form = WishForm(posted(request), initial=_initial(wish))

    def write(data):
        saved = services.save_wish(actor=request.user, wish=wish, body=request.user.local_government,
                                   **{name: data[name] for name in WISH_FIELDS})
        messages.success(request, "連携希望を保存しました。" + ("合いそうな相手の候補です。" if saved.is_open else ""))
        return redirect(saved)

    response, status = editing.submit(request, form, wish, write, refusals=(services.MatchingError,))
    if response is not None:
        return response
    return render(request, "matching/wish_form.html", {"form": form, "wish": wish},
                  status=status or (400 if form.errors else 200))


def _initial(wish: Wish | None) -> dict:
    if wish is None:
        return {"is_open": True}
    return {"title": wish.title, "kind": wish.kind_id, "offers": list(wish.offers.all()),
            "seeks": list(wish.seeks.all()), "forms": list(wish.forms.all()), "regions": wish.regions,
            "sizes": wish.sizes, "starts_on": wish.starts_on, "ends_on": wish.ends_on, "text": wish.text,
            "is_open": wish.is_open, "is_public": wish.is_public}


@access(ORGANIZATION_STAFF)
def wish_new(request):
    return _save(request, None)


def _own_wish(request, pk: int) -> Wish:
    wish = get_object_or_404(_wishes(), pk=pk)
    if not services.can_keep_wishes_of(request.user, wish.body):
        raise Http404
    return wish


@access(ORGANIZATION_STAFF)
def wish_edit(request, pk: int):
    return _save(request, _own_wish(request, pk))


@access(BOARD)
@require_safe
def wish(request, pk: int):
    """A wish with its suggestions: for its body's staff (who propose from here) and the secretariat."""
    wish = get_object_or_404(_wishes(), pk=pk)
    own = services.can_keep_wishes_of(request.user, wish.body)
    if not own and not request.user.is_secretariat:
        raise Http404
    suggestions = ranking.suggestions(wish) if wish.is_open else []
    sent = {p.recipient_id: p for p in Proposal.objects.filter(wish=wish).order_by("created_at")}
    for suggestion in suggestions:  # the latest proposal to each, and a one-time token for a new one
        suggestion.proposal, suggestion.once = sent.get(suggestion.body.code), secrets.token_urlsafe(16)
    return render(request, "matching/wish.html", {
        "wish": wish, "own": own, "suggestions": suggestions,
        "form": ProposalForm(initial={"kind": wish.kind_id}),
    })


@access(ORGANIZATION_STAFF)
@require_POST
def propose(request, pk: int):
    wish = _own_wish(request, pk)
    form = ProposalForm(posted(request))

    def write(data):
        recipient = LocalGovernment.objects.filter(pk=data["recipient"]).first()
        if recipient is None:
            raise services.MatchingError("提案の相手が見つかりません。")
        answered = Wish.objects.open().filter(pk=data["answered_wish"], body=recipient).first() \
            if data.get("answered_wish") else None
        proposal = services.propose(actor=request.user, wish=wish, recipient=recipient, kind=data["kind"],
                                    fields=list(data["fields"]), message=data["message"], answered_wish=answered)
        messages.success(request, f"{recipient.name}に提案を送りました。回答はこのページと、メールでお知らせします。")
        return redirect(proposal)

    response, _status = editing.submit(request, form, None, write, refusals=(services.MatchingError,))
    if response is not None:
        return response
    errors = [str(e) for errors in form.errors.values() for e in errors]
    return render(request, "matching/propose_refused.html", {"wish": wish, "errors": errors}, status=400)


def _visible_proposal(request, pk: int) -> Proposal:
    proposal = get_object_or_404(Proposal.objects.select_related(
        "sender__prefecture", "recipient__prefecture", "kind", "wish", "relation", "decided_by"), pk=pk)
    body = request.user.local_government_id
    if not request.user.is_secretariat and body not in (proposal.sender_id, proposal.recipient_id):
        raise Http404
    return proposal


@access(BOARD)
@require_safe
def proposal(request, pk: int):
    """A proposal and its exchange: for the two sides' staff and the secretariat."""
    return _proposal_page(request, pk)


def _proposal_page(request, pk: int, forms: dict | None = None, status: int = 200, refusal: str = ""):
    proposal = _visible_proposal(request, pk)
    side = ("sender" if request.user.local_government_id == proposal.sender_id else
            "recipient" if request.user.local_government_id == proposal.recipient_id else None)
    forms = forms or {}
    return render(request, "matching/proposal.html", {
        "proposal": proposal, "side": side, "messages_sent": proposal.messages.select_related("body", "author"),
        "fields": list(proposal.fields.all()),
        "reply_form": forms.get("reply", ReplyForm()), "accept_form": forms.get("accept", AcceptForm()),
        "decline_form": forms.get("decline", DeclineForm()), "refusal": refusal,
    }, status=status)


ANSWERS = {"reply": ReplyForm, "accept": AcceptForm, "decline": DeclineForm, "withdraw": None}


@access(BOARD)
@require_POST
def answer(request, pk: int, action: str):
    if action not in ANSWERS:
        raise Http404
    item = _visible_proposal(request, pk)
    if request.user.is_secretariat and request.user.local_government_id not in (item.sender_id, item.recipient_id):
        raise Http404  # the secretariat reads the exchange; the two sides write it
    form = ANSWERS[action](posted(request)) if ANSWERS[action] else None
    if form is not None and not form.is_valid():
        return _proposal_page(request, pk, forms={action: form}, status=400)
    try:
        if action == "reply":
            services.reply(actor=request.user, proposal=item, text=form.cleaned_data["text"])
            messages.success(request, "返信を送りました。")
        elif action == "accept":
            services.accept(actor=request.user, proposal=item)
            messages.success(request, "提案を受諾しました。交流の記録に登録しました。")
        elif action == "decline":
            services.decline(actor=request.user, proposal=item, text=form.cleaned_data["text"])
            messages.success(request, "提案を辞退しました。")
        else:
            services.withdraw(actor=request.user, proposal=item)
            messages.success(request, "提案を取り下げました。")
    except services.MatchingError as error:
        return _proposal_page(request, pk, status=400, refusal=str(error))
    return redirect(item)


@access(ORGANIZATION_STAFF)
@require_POST
def notice(request):
    form = NoticeForm(posted(request))
    form.is_valid()  # a checkbox: absent means off
    weekly = bool(form.cleaned_data.get("weekly"))
    services.set_notice(user=request.user, weekly=weekly)
    messages.success(request, "週1回のお知らせを受け取ります。" if weekly else "週1回のお知らせを止めました。")
    return redirect("matching:desk")


@access(SECRETARIAT)
@require_safe
def overview(request):
    """Every wish and the flow of proposals, for the secretariat."""
    counts = Proposal.objects.aggregate(
        sent=Count("pk", filter=Q(status=Proposal.Status.SENT)),
        accepted=Count("pk", filter=Q(status=Proposal.Status.ACCEPTED)),
        declined=Count("pk", filter=Q(status=Proposal.Status.DECLINED)),
        withdrawn=Count("pk", filter=Q(status=Proposal.Status.WITHDRAWN)))
    wishes = paginate(request, _wishes().order_by("-updated_at", "-pk"))
    proposals = Proposal.objects.select_related("sender__prefecture", "recipient__prefecture", "kind")[:50]
    return render(request, "matching/overview.html", {"page": wishes, "proposals": proposals, "counts": counts,
                                                      "open_count": Wish.objects.open().count()})


@access(SECRETARIAT)
def rules(request):
    form = RulesForm(posted(request))
    if request.method == "POST" and form.is_valid():
        changed = services.set_weights(actor=request.user, weights=form.cleaned_data)
        messages.success(request, f"重みを保存しました（変更 {changed}件）。候補の順位に次の表示から反映されます。")
        return redirect("matching:rules")
    return render(request, "matching/rules.html", {"form": form}, status=400 if form.errors else 200)
