"""The outbox (送信メール): mail not yet delivered, with a button to send again."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from renkei.core.access import SECRETARIAT, access
from renkei.core.emails import deliver
from renkei.core.models import OutgoingEmail
from renkei.core.pagination import paginate


@access(SECRETARIAT)
@require_safe
def outbox(request):
    queryset = OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.SENT).order_by("-created_at")
    return render(request, "secretariat/outbox.html", {"page": paginate(request, queryset, 50)})


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
