"""The one shape of the portal's editing pages: a form with photos, shown, checked, saved."""

from django.shortcuts import render


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
