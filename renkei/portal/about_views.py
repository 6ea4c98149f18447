"""The pages every Japanese public site has: privacy, terms of use, the accessibility policy
with the results of the last axe run, and a sitemap a person can read."""

import datetime as dt

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from renkei.core.access import PUBLIC, access
from renkei.core.desks import DESKS
from renkei.inquiries.services import HELD_DAYS
from renkei.portal import accessibility

# The day the privacy policy and the terms were last changed; shown on both pages.
REVISED_ON = dt.date(2026, 12, 2)


@access(PUBLIC)
@require_safe
def privacy(request):
    return render(request, "portal/privacy.html", {
        "revised_on": REVISED_ON,
        "inquiry_days": settings.INQUIRY_RETENTION_DAYS,
        "held_days": HELD_DAYS,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "desk": DESKS["membership"],
    })


@access(PUBLIC)
@require_safe
def terms(request):
    return render(request, "portal/terms.html", {"revised_on": REVISED_ON})


@access(PUBLIC)
@require_safe
def accessibility_policy(request):
    return render(request, "portal/accessibility.html", {"report": accessibility.report()})


@access(PUBLIC)
@require_safe
def accessibility_results(request):
    report = accessibility.report()
    groups = [
        {"id": "public", "title": _("公開ページ"), "pages": report["public_pages"]},
        {"id": "members", "title": _("会員サイト・事務局の画面"), "pages": report["member_pages"]},
    ]
    return render(request, "portal/accessibility_results.html", {"report": report, "groups": groups})


@access(PUBLIC)
@require_safe
def sitemap(request):
    return render(request, "portal/sitemap.html")


@access(PUBLIC)
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico before reading the page's <link rel="icon">."""
    return HttpResponsePermanentRedirect(staticfiles_storage.url("img/favicon.ico"))
