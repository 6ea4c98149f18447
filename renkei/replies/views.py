from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

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
    return render(request, "replies/inbox.html", {"page": paginate(request, mails), "outcome": outcome,
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
