"""全国連携NEWS for the secretariat (/secretariat/newsletter/): start an issue, write its words,
look at it as it will print, publish it."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from renkei.core.access import SECRETARIAT, access
from renkei.core.forms import posted, status_of
from renkei.core.templatetags.renkei import wareki_time
from renkei.newsletter import services
from renkei.newsletter.compose import changes, compose, facts, included
from renkei.newsletter.forms import IssueForm, positions_error, section_forms
from renkei.newsletter.models import Issue, Subscription
from renkei.newsletter.views import pdf_response


@access(SECRETARIAT)
@require_safe
def issue_list(request):
    return render(request, "newsletter/editing/list.html", {"issues": Issue.objects.all()})


def _next_volume() -> int:
    last = Issue.objects.order_by("-volume").values_list("volume", flat=True).first()
    return (last or 0) + 1


@access(SECRETARIAT)
@require_http_methods(["GET", "POST"])
def issue_new(request):
    form = IssueForm(posted(request), initial={"volume": _next_volume()})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.start_issue(editor=request.user, data=form.cleaned_data)
        except services.NewsletterError as refusal:
            error = str(refusal)
        else:
            messages.success(request, f"vol.{issue.volume} の下書きを作りました。各欄のリード文を書いてください。")
            return redirect("newsletter_editing:edit", volume=issue.volume)
    return render(request, "newsletter/editing/new.html", {"form": form, "error": error},
                  status=400 if error else status_of(form))


@access(SECRETARIAT)
@require_http_methods(["GET", "POST"])
def issue_edit(request, volume: int):
    issue = get_object_or_404(Issue, volume=volume)
    if issue.is_published:
        refused = request.method == "POST"
        return render(request, "newsletter/editing/published.html", {
            "issue": issue, "error": f"vol.{issue.volume} は発行済みです。発行した号は変更できません。" if refused else None,
        }, status=400 if refused else 200)
    form = IssueForm(posted(request), editing=True, initial=IssueForm.initial_for(issue))
    sections = section_forms(issue, posted(request))
    error = None
    if request.method == "POST":
        if form.is_valid() and all(f.is_valid() for _, f in sections):
            error = positions_error(sections)
            if error is None:
                services.save_issue(editor=request.user, issue=issue, data=form.cleaned_data, sections=[
                    {"kind": section.kind, **f.cleaned_data} for section, f in sections])
                messages.success(request, f"vol.{issue.volume} を保存しました。")
                return redirect("newsletter_editing:edit", volume=issue.volume)
    composition = compose(issue)
    now = facts(composition)
    status = 400 if error else status_of(form, *(f for _, f in sections))
    return render(request, "newsletter/editing/edit.html", {
        "issue": issue, "form": form, "error": error,
        "rows": [(section, f, part) for (section, f), part in zip(sections, composition["sections"], strict=True)],
        "changed": changes(issue.previewed, now), "composition": composition,
    }, status=status)


@access(SECRETARIAT)
@require_safe
def issue_preview(request, volume: int):
    """The draft as its readers will see it, from the records as they stand now."""
    issue = get_object_or_404(Issue, volume=volume)
    composition = issue.snapshot if issue.is_published else compose(issue)
    return render(request, "newsletter/issue.html", {
        "issue": issue, "composition": composition, "sections": included(composition), "preview": True,
    })


@access(SECRETARIAT)
@require_safe
def issue_preview_pdf(request, volume: int):
    issue = get_object_or_404(Issue, volume=volume)
    return pdf_response(services.pdf_bytes(issue), volume, public=False)


@access(SECRETARIAT)
@require_POST
def issue_checked(request, volume: int):
    issue = get_object_or_404(Issue, volume=volume)
    try:
        services.mark_checked(editor=request.user, issue=issue)
    except services.NewsletterError as refusal:
        messages.error(request, str(refusal))
        return redirect("newsletter_editing:edit", volume=volume)
    messages.success(request, "今の数字を確認済みとして記録しました。これから記録が変わると、ここに表示されます。")
    return redirect("newsletter_editing:edit", volume=volume)


@access(SECRETARIAT)
@require_http_methods(["GET", "POST"])
def issue_publish(request, volume: int):
    """Asked first on its own page; the POST from it publishes (printing takes a few seconds)."""
    issue = get_object_or_404(Issue, volume=volume)
    if issue.is_published:
        return redirect("newsletter_editing:edit", volume=volume)
    error = None
    if request.method == "POST":
        try:
            issue = services.publish(editor=request.user, issue=issue, notify=request.POST.get("notify") == "on")
        except services.NewsletterError as refusal:
            error = str(refusal)
        else:
            if issue.is_scheduled:  # readers see it from its date: the secretariat sees it here until then
                messages.success(request, f"vol.{issue.volume} を発行予約しました。{wareki_time(issue.published_at)}に公開され、"
                                          "お知らせとメールもそのときに出ます。")
                return redirect("newsletter_editing:edit", volume=volume)
            messages.success(request, f"vol.{issue.volume} を発行しました。")
            return redirect(issue.get_absolute_url())
    return render(request, "newsletter/editing/publish.html", {
        "issue": issue, "error": error, "subscribers": Subscription.objects.filter(user__is_active=True).count(),
    }, status=400 if error else 200)
