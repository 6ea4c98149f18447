"""Moderating the members' board: reported posts, hiding, locking, moving, pinning."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from renkei.board import services
from renkei.board.models import Category, Post, Report, Thread
from renkei.core.access import SECRETARIAT, access
from renkei.core.pagination import paginate


@access(SECRETARIAT)
@require_safe
def moderation(request):
    reports = Report.objects.filter(resolved_at__isnull=True).select_related("post__thread", "reporter")
    return render(request, "secretariat/moderation.html", {"page": paginate(request, reports, 30)})


@access(SECRETARIAT)
@require_POST
def moderate_thread(request, pk: int):
    item = get_object_or_404(Thread, pk=pk)
    category = Category.objects.filter(pk=request.POST.get("category") or 0).first()
    try:
        services.moderate(moderator=request.user, thread=item, action=request.POST.get("action", ""), category=category)
    except services.BoardError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "操作しました。投稿者に通知します。")
    return redirect(item)


@access(SECRETARIAT)
@require_POST
def moderate_post(request, pk: int):
    item = get_object_or_404(Post, pk=pk)
    try:
        services.moderate(moderator=request.user, post=item, action=request.POST.get("action", ""))
    except services.BoardError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "操作しました。投稿者に通知します。")
    return redirect(item)
