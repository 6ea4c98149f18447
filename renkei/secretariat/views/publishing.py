"""Publishing on the portal: news (お知らせ), events, members' events to approve, PR pages."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from renkei.core.access import SECRETARIAT, access
from renkei.core.confirm import confirmation
from renkei.core.pagination import paginate
from renkei.municipalities.models import LocalGovernment
from renkei.portal import services
from renkei.portal.editing import form_page, profile_form_page
from renkei.portal.forms import NewsForm, PublishingFields, ReviewForm, SecretariatEventForm
from renkei.portal.models import Event, NewsItem, Photo, Status


@access(SECRETARIAT)
@require_safe
def news_list(request):
    items = NewsItem.objects.order_by("-created_at", "-pk")
    return render(request, "secretariat/news_list.html", {"page": paginate(request, items)})


@access(SECRETARIAT)
def news_edit(request, pk: int | None = None):
    item = get_object_or_404(NewsItem, pk=pk) if pk else None

    def save(form):
        saved = services.save_news(editor=request.user, item=item, data=form.cleaned_data)
        messages.success(request, f"「{saved.title}」を保存しました（{saved.state_label}）。")
        return redirect("secretariat:news_edit", pk=saved.pk)

    return form_page(request, form_class=NewsForm, instance=item, save=save,
                     photos=item.photos.all() if item else Photo.objects.none(),
                     initial=PublishingFields.initial_for(item), template="secretariat/news_form.html",
                     context={"item": item})


@access(SECRETARIAT)
@require_http_methods(["GET", "POST"])
def news_delete(request, pk: int):
    item = get_object_or_404(NewsItem, pk=pk)
    if request.method == "GET":
        return confirmation(request, title="お知らせを削除する", what=f"「{item.title}」（{item.state_label}）を削除します。",
                            consequences=["公開ページ・検索・フィードから消え、添付の写真も一緒に削除されます。"],
                            action="削除する", cancel=reverse("secretariat:news_edit", args=[item.pk]),
                            restorable=True)
    services.delete(editor=request.user, item=item)
    messages.success(request, f"「{item.title}」を削除しました。{settings.TRASH_DAYS}日間は「削除したもの」から元に戻せます。")
    return redirect("secretariat:news_list")


@access(SECRETARIAT)
@require_safe
def event_list(request):
    status = request.GET.get("status", "")
    events = Event.objects.select_related("organization__prefecture").order_by("-created_at", "-pk")
    if status in Status.values:
        events = events.filter(status=status)
    return render(request, "secretariat/event_list.html", {
        "page": paginate(request, events), "status": status, "statuses": Status.choices,
        "waiting": Event.objects.filter(status=Status.SUBMITTED).count(),
    })


@access(SECRETARIAT)
def event_edit(request, pk: int | None = None):
    event = get_object_or_404(Event, pk=pk) if pk else None

    def save(form):
        saved = services.save_event(editor=request.user, event=event, data=form.cleaned_data)
        messages.success(request, f"「{saved.title}」を保存しました（{saved.state_label}）。")
        return redirect("secretariat:event_edit", pk=saved.pk)

    return _event_page(request, event, save=save)


def _event_page(request, event, *, save=None, review_form=None, status: int = 200):
    if status != 200:  # the event shown again beside a refused review, as saved
        form = SecretariatEventForm(instance=event, initial=PublishingFields.initial_for(event))
        form.set_photos(event.photos.all())
        return render(request, "secretariat/event_form.html", {"form": form, "event": event,
                                                               "review_form": review_form}, status=status)
    return form_page(request, form_class=SecretariatEventForm, instance=event, save=save,
                     photos=event.photos.all() if event else Photo.objects.none(),
                     initial=PublishingFields.initial_for(event), template="secretariat/event_form.html",
                     context={"event": event, "review_form": ReviewForm()})


@access(SECRETARIAT)
@require_POST
def event_review(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _event_page(request, event, review_form=form, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.review_event(reviewer=request.user, event=event, approve=approve, note=form.cleaned_data["note"])
    except services.PortalError as error:
        messages.error(request, str(error))
        return redirect("secretariat:event_edit", pk=event.pk)
    done = "公開しました" if approve else "差し戻しました"
    messages.success(request, f"「{event.title}」を{done}。登録した方にメールで知らせました。")
    return redirect(reverse("secretariat:event_list") + "?status=submitted")


@access(SECRETARIAT)
@require_http_methods(["GET", "POST"])
def event_delete(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    if request.method == "GET":
        return confirmation(request, title="イベントを削除する", what=f"「{event.title}」（{event.state_label}）を削除します。",
                            consequences=["公開ページ・カレンダー・検索から消え、写真と開催報告も削除されます。"]
                            + (["登録した会員自治体には知らされません。"] if event.organization_id else []),
                            action="削除する", cancel=reverse("secretariat:event_edit", args=[event.pk]),
                            restorable=True)
    services.delete(editor=request.user, item=event)
    messages.success(request, f"「{event.title}」を削除しました。{settings.TRASH_DAYS}日間は「削除したもの」から元に戻せます。")
    return redirect("secretariat:event_list")


@access(SECRETARIAT)
def profile_edit(request, code: str):
    """Any member's PR page, for when its staff cannot (or ask the secretariat to)."""
    lg = get_object_or_404(LocalGovernment.objects.select_related("prefecture", "membership"), code=code)
    if getattr(lg, "membership", None) is None:
        raise PermissionDenied("会員ではない自治体にはPRページがありません。")
    return profile_form_page(request, lg)
