"""Destructive actions confirm on their own page (the Django admin's delete confirmation is the
model): a GET shows what will go and that it cannot be undone; only the POST from that page acts."""

from django.shortcuts import render


def confirmation(request, *, title: str, what: str, action: str, cancel: str, consequences=(), carry=()):
    return render(request, "confirm_delete.html", {
        "title": title, "what": what, "action": action, "cancel": cancel, "consequences": list(consequences),
        "carry": list(carry),
    })
