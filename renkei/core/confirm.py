"""Destructive actions confirm on their own page (the Django admin's delete confirmation is the
model): a GET shows what will go and whether it can be undone (a deletion kept in the trash can, for
TRASH_DAYS); only the POST from that page acts."""

from django.conf import settings
from django.shortcuts import render


def confirmation(request, *, title: str, what: str, action: str, cancel: str, consequences=(), carry=(),
                 restorable: bool = False):
    return render(request, "confirm_delete.html", {
        "title": title, "what": what, "action": action, "cancel": cancel, "consequences": list(consequences),
        "carry": list(carry), "restorable_days": settings.TRASH_DAYS if restorable else None,
    })
