from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from renkei.core import reply_addresses
from renkei.core.access import SECRETARIAT, access
from renkei.core.pagination import paginate
from renkei.disasters.services import DisasterError
from renkei.replies import services
from renkei.replies.models import InboundMail


@access(SECRETARIAT)
@require_safe
def inbox(request):
    """Every mail that came in to a reply address, with its outcome; held ones can be released."""
    mails = InboundMail.objects.select_related("user__local_government").defer("raw")
    outcome = request.GET.get("outcome", "")
    if outcome in InboundMail.Outcome.values:
        mails = mails.filter(outcome=outcome)
    page = paginate(request, mails)
    meant = {mail.pk: reply_addresses.addressee(mail.recipient) for mail in page.object_list}
    people = get_user_model().objects.select_related("local_government").in_bulk({pk for pk in meant.values() if pk})
    for mail in page.object_list:  # whom the address was made for: a forged sender's mail says whose it tried
        mail.meant_for = people.get(meant[mail.pk])
    return render(request, "replies/inbox.html", {"page": page, "outcome": outcome,
                                                   "outcomes": InboundMail.Outcome.choices})


@access(SECRETARIAT)
@require_POST
def release(request, pk: int):
    mail = get_object_or_404(InboundMail, pk=pk)
    try:
        mail = services.release(actor=request.user, mail=mail)
    except DisasterError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"保留を解除しました: {mail.get_outcome_display()}。")
    return redirect("replies:inbox")
