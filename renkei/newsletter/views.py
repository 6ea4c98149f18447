"""全国連携NEWS for its readers: the published issues, each as a web page and an A4 PDF."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_POST, require_safe

from renkei.core.access import ORGANIZATION_STAFF, PUBLIC, access, allows
from renkei.core.forms import posted
from renkei.newsletter import services
from renkei.newsletter.compose import included
from renkei.newsletter.forms import SubscriptionForm
from renkei.newsletter.models import Issue, Subscription


@access(PUBLIC)
@require_safe
def index(request):
    issues = Issue.objects.public().only("volume", "title", "period_label", "issued_on", "status")
    subscribed = None
    if allows(ORGANIZATION_STAFF, request.user):
        subscribed = Subscription.objects.filter(user=request.user).exists()
    return render(request, "newsletter/index.html", {"issues": issues, "subscribed": subscribed})


@access(PUBLIC)
@require_safe
def issue(request, volume: int):
    issue = get_object_or_404(Issue.objects.public(), volume=volume)
    return render(request, "newsletter/issue.html", {
        "issue": issue, "composition": issue.snapshot, "sections": included(issue.snapshot),
    })


def pdf_response(printed: bytes, volume: int, *, public: bool) -> HttpResponse:
    response = HttpResponse(printed, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="zenkoku-renkei-news-vol{volume}.pdf"'
    if not public:  # a public issue is a public page: the page cache, the front cache and nginx keep it
        response["Cache-Control"] = "private, no-store"
    return response


@access(PUBLIC)
@require_safe
def issue_pdf(request, volume: int):
    """The issue as printed when it was published: a file, with an ETag so a reader who has it is
    answered 304."""
    issue = get_object_or_404(Issue.objects.public(), volume=volume)
    # Changes when the issue is printed again (vol.1 reworded by a records file), not only when published.
    etag = f'"newsletter-{issue.volume}-{issue.updated_at.timestamp():.0f}"'
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        return unchanged
    response = pdf_response(services.pdf_bytes(issue), volume, public=True)
    response["ETag"] = etag
    return response


@access(ORGANIZATION_STAFF)
@require_POST
def subscription(request):
    form = SubscriptionForm(posted(request))
    if not form.is_valid():  # a checkbox: only a forged request gets here
        raise Http404
    wanted = services.set_subscription(user=request.user, wanted=form.cleaned_data["wanted"])
    messages.success(request, "発行のお知らせをメールでお送りします。" if wanted else "発行のお知らせのメールを止めました。")
    return redirect("newsletter:index")
