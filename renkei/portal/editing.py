"""The one shape of the portal's editing pages: a form with photos, shown, checked, saved."""

from django.contrib import messages
from django.shortcuts import redirect, render

from renkei.portal import services
from renkei.portal.forms import ProfileForm
from renkei.portal.models import Photo, Profile


def form_page(request, *, form_class, instance, photos, template: str, save, initial=None, context=None):
    """GET shows the form; a valid POST is handed to `save(form)`, which returns the redirect.

    An invalid POST shows the form again with its messages, status 400, having written nothing.
    """
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, instance=instance)
        form.set_photos(photos)
        if form.is_valid():
            return save(form)
    else:
        form = form_class(instance=instance, initial=initial or {})
        form.set_photos(photos)
    return render(request, template, {"form": form, **(context or {})}, status=400 if form.errors else 200)


def profile_form_page(request, lg):
    """A member's PR page, edited by its staff or by the secretariat; back to the same page."""
    saved = Profile.objects.filter(pk=lg.pk).first()

    def save(form):
        services.save_profile(editor=request.user, local_government=lg, data=form.cleaned_data)
        messages.success(request, "PRページを保存しました。公開ページに反映されています。")
        return redirect(request.path)

    return form_page(request, form_class=ProfileForm, instance=saved or Profile(local_government=lg), save=save,
                     photos=saved.photos.all() if saved else Photo.objects.none(),
                     template="portal/member/profile_form.html", context={"lg": lg})
