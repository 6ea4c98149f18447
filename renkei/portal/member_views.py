"""Members' own content: their events (approved by the secretariat) and their PR page.

The secretariat's side of both is in the back office (renkei.secretariat)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from renkei.core.access import ORGANIZATION_STAFF, access
from renkei.core.pagination import paginate
from renkei.portal import services
from renkei.portal.editing import form_page, profile_form_page
from renkei.portal.forms import EventForm
from renkei.portal.models import Event, Photo


def _organization(request):
    return request.user.local_government


@access(ORGANIZATION_STAFF)
@require_safe
def event_list(request):
    events = Event.objects.filter(organization=_organization(request)).order_by("-created_at", "-pk")
    return render(request, "portal/member/event_list.html", {"page": paginate(request, events)})


@access(ORGANIZATION_STAFF)
def event_edit(request, pk: int | None = None):
    organization = _organization(request)
    # Another municipality's event is not found, whatever its number.
    event = get_object_or_404(Event, pk=pk, organization=organization) if pk else None

    def save(form):
        saved = services.save_event(editor=request.user, event=event, data=form.cleaned_data, organization=organization)
        messages.success(request, f"「{saved.title}」を登録しました。事務局が確認してから公開されます。")
        return redirect("contrib:event_list")

    return form_page(request, form_class=EventForm, instance=event, save=save,
                     photos=event.photos.all() if event else Photo.objects.none(),
                     template="portal/member/event_form.html", context={"event": event})


@access(ORGANIZATION_STAFF)
@require_POST
def event_withdraw(request, pk: int):
    event = get_object_or_404(Event, pk=pk, organization=_organization(request))
    services.withdraw_event(user=request.user, event=event)
    messages.success(request, f"「{event.title}」を非公開にしました。")
    return redirect("contrib:event_list")


@access(ORGANIZATION_STAFF)
def profile_edit(request):
    if request.user.is_ward_staff:
        raise PermissionDenied("PRページは会員自治体のページです。特別区のページはありません。")
    return profile_form_page(request, _organization(request))
