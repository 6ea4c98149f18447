"""The secretariat's editing of the portal: news, events, and members' events to approve."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renkei.core.access import SECRETARIAT, access
from renkei.core.pagination import paginate
from renkei.portal import services
from renkei.portal.editing import form_page
from renkei.portal.forms import NewsForm, PublishingFields, SecretariatEventForm
from renkei.portal.models import Event, NewsItem, Photo, Status


@access(SECRETARIAT)
def news_list(request):
    items = NewsItem.objects.order_by("-created_at", "-pk")
    return render(request, "portal/editor/news_list.html", {"page": paginate(request, items)})


@access(SECRETARIAT)
def news_edit(request, pk: int | None = None):
    item = get_object_or_404(NewsItem, pk=pk) if pk else None

    def save(form):
        saved = services.save_news(editor=request.user, form=form)
        messages.success(request, f"「{saved.title}」を保存しました（{saved.state_label}）。")
        return redirect("editor:news_edit", pk=saved.pk)

    return form_page(request, form_class=NewsForm, instance=item, save=save,
                     photos=item.photos.all() if item else Photo.objects.none(),
                     initial=PublishingFields.initial_for(item), template="portal/editor/news_form.html",
                     context={"item": item})


@access(SECRETARIAT)
@require_POST
def news_delete(request, pk: int):
    item = get_object_or_404(NewsItem, pk=pk)
    services.delete(editor=request.user, item=item)
    messages.success(request, f"「{item.title}」を削除しました。")
    return redirect("editor:news_list")


@access(SECRETARIAT)
def event_list(request):
    status = request.GET.get("status", "")
    events = Event.objects.select_related("organization__prefecture").order_by("-created_at", "-pk")
    if status in Status.values:
        events = events.filter(status=status)
    return render(request, "portal/editor/event_list.html", {
        "page": paginate(request, events), "status": status, "statuses": Status.choices,
        "waiting": Event.objects.filter(status=Status.SUBMITTED).count(),
    })


@access(SECRETARIAT)
def event_edit(request, pk: int | None = None):
    event = get_object_or_404(Event, pk=pk) if pk else None

    def save(form):
        saved = services.save_event(editor=request.user, form=form)
        messages.success(request, f"「{saved.title}」を保存しました（{saved.state_label}）。")
        return redirect("editor:event_edit", pk=saved.pk)

    return form_page(request, form_class=SecretariatEventForm, instance=event, save=save,
                     photos=event.photos.all() if event else Photo.objects.none(),
                     initial=PublishingFields.initial_for(event), template="portal/editor/event_form.html",
                     context={"event": event})


@access(SECRETARIAT)
@require_POST
def event_review(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.review_event(reviewer=request.user, event=event, approve=approve, note=request.POST.get("note", ""))
    except services.PortalError as error:
        messages.error(request, str(error))
        return redirect("editor:event_edit", pk=event.pk)
    done = "公開しました" if approve else "差し戻しました"
    messages.success(request, f"「{event.title}」を{done}。登録した方にメールで知らせました。")
    return redirect(reverse("editor:event_list") + "?status=submitted")


@access(SECRETARIAT)
@require_POST
def event_delete(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    services.delete(editor=request.user, item=event)
    messages.success(request, f"「{event.title}」を削除しました。")
    return redirect("editor:event_list")
