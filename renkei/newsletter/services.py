"""Writing the newsletter: starting an issue, its sections, checking it, publishing it, and who
hears of it. Every write is one transaction with one audit entry; printing happens before it."""

import copy
import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from renkei.core import pdf
from renkei.core.audit import log_action
from renkei.core.emails import queue_email
from renkei.newsletter.compose import compose, facts, included
from renkei.newsletter.models import DEFAULT_ORDER, Issue, Section, SectionKind, Subscription
from renkei.portal import services as portal_services


class NewsletterError(Exception):
    """A request refused with a message for the person who made it."""


def _record_sections() -> list[str]:
    return [kind for kind in DEFAULT_ORDER if kind != SectionKind.JOIN]


@transaction.atomic
def start_issue(*, editor, data: dict) -> Issue:
    """A new draft with every section, in the print's order, filled from the period's records."""
    if Issue.objects.filter(volume=data["volume"]).exists():
        raise NewsletterError(f"vol.{data['volume']} はすでにあります。別の号数を指定してください。")
    issue = Issue(created_by=editor, **{k: data[k] for k in ("volume", "title", "period_label", "period_start",
                                                               "period_end", "issued_on", "foreword") if k in data})
    sections = [Section(kind=kind, position=position) for position, kind in enumerate(DEFAULT_ORDER, start=1)]
    composition = compose(issue, sections)
    if not any(section["records"] for section in composition["sections"] if section["kind"] in _record_sections()):
        raise NewsletterError(
            f"{composition['period']}には、載せられる記録（イベント・お知らせ・協定・災害支援など）が一件もありません。"
            "対象期間を見直してください。")
    issue.save()
    for section in sections:
        section.issue = issue
    Section.objects.bulk_create(sections)
    log_action(actor=editor, action="newsletter.issue.created", obj=issue,
               changes={"volume": [None, issue.volume], "period": [None, composition["period"]]})
    return issue


def _refuse_if_published(issue: Issue) -> None:
    if issue.is_published:
        raise NewsletterError(f"vol.{issue.volume} は発行済みです。発行した号は変更できません。")


@transaction.atomic
def save_issue(*, editor, issue: Issue, data: dict, sections: list[dict]) -> Issue:
    """The issue's own fields and, for each section, its place, whether it is printed, its lead and
    its closing words."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _refuse_if_published(issue)
    changes = {}
    for name in ("title", "period_label", "period_start", "period_end", "issued_on", "foreword"):
        if name in data and getattr(issue, name) != data[name]:
            changes[name] = [str(getattr(issue, name)), str(data[name])]
            setattr(issue, name, data[name])
    issue.save()
    by_kind = {section.kind: section for section in issue.sections.all()}
    for item in sections:
        section = by_kind[item["kind"]]
        for name in ("position", "included", "lead", "closing"):
            if getattr(section, name) != item[name]:
                changes[f"{section.kind}.{name}"] = [getattr(section, name), item[name]]
                setattr(section, name, item[name])
        section.save()
    log_action(actor=editor, action="newsletter.issue.changed", obj=issue, changes=changes)
    return issue


@transaction.atomic
def mark_checked(*, editor, issue: Issue) -> Issue:
    """Keep the figures as they read now, so the next look says what changed since."""
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _refuse_if_published(issue)
    issue.previewed = facts(compose(issue))
    issue.previewed_at = timezone.now()
    issue.save(update_fields=["previewed", "previewed_at", "updated_at"])
    log_action(actor=editor, action="newsletter.issue.checked", obj=issue)
    return issue


LAYOUT = Path(__file__).resolve().parent / "print" / "newsletter.typ"


def print_issue(composition: dict) -> bytes:
    """The A4 PDF of a composition: the sections it prints, with the photos still kept."""
    data = copy.deepcopy({**composition, "sections": included(composition)})
    images = {}
    for section in data["sections"]:
        for item in section.get("items", []):
            for photo in item.get("photos", []):
                name = photo["src"].removeprefix(settings.MEDIA_URL)
                if photo["src"].startswith(settings.MEDIA_URL) and default_storage.exists(name):
                    with default_storage.open(name, "rb") as handle:
                        images[f"media/{name}"] = handle.read()
                    photo["file"] = f"media/{name}"
    return pdf.render(LAYOUT, data, images=images)


def goes_public(issued_on, now=None):
    """When readers see an issue published now: at once, or from the first minute of its issue
    date in Japan when that is still ahead (発行予約)."""
    now = now or timezone.now()
    first_minute = dt.datetime.combine(issued_on, dt.time(), tzinfo=timezone.get_default_timezone())
    return max(now, first_minute)


def publish(*, editor, issue: Issue, notify: bool) -> Issue:
    """Freeze the issue as it reads now and print it; readers see it, the news announces it and
    the members who asked are mailed from its issue date (at once when that has come)."""
    _refuse_if_published(issue)
    composition = compose(issue)
    empty = [section["heading"] for section in included(composition) if section["empty"]]
    if empty:
        raise NewsletterError("次の欄には対象期間の記録がありません。載せないようにするか、期間を見直してください: "
                              + "、".join(empty))
    printed = print_issue(composition)  # seconds of work: before the transaction, never inside it
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        _refuse_if_published(issue)
        now = timezone.now()
        issue.snapshot = composition
        issue.status = Issue.Status.PUBLISHED
        issue.published_at = goes_public(issue.issued_on, now)
        issue.notify_subscribers = notify
        issue.pdf.save(f"vol-{issue.volume}.pdf", ContentFile(printed), save=False)
        scheduled = issue.published_at > now
        issue.announcement = portal_services.save_news(editor=editor, data={
            "title": f"{issue.title} vol.{issue.volume}（{issue.period_label}）を発行しました",
            "lead": issue.period_label,
            "body": f"{issue.title} vol.{issue.volume}を発行しました。ウェブページとPDFでご覧いただけます。\n"
                    f"{issue.get_absolute_url()}",
            "publishing": "scheduled" if scheduled else "now", "publish_at": issue.published_at,
        })
        issue.save()
        log_action(actor=editor, action="newsletter.issue.published", obj=issue,
                   changes={"status": ["draft", "published"], "published_at": [None, issue.published_at.isoformat()],
                            "notify": [None, notify], "pdf_bytes": [None, len(printed)]})
        if notify and not scheduled:
            transaction.on_commit(lambda: announce.enqueue(), robust=True)
    return issue


def announce_due(now=None) -> int:
    """Mail the members who asked about every issue whose date has come, once; returns how many
    mails were queued. Run by the worker when an issue goes public, and daily (renkei-daily)."""
    mailed = 0
    with transaction.atomic():
        due = (Issue.objects.public(now).filter(notify_subscribers=True, notified_at__isnull=True)
               .select_for_update())
        for issue in due:
            count = _notify(issue)
            issue.notified_at = now or timezone.now()
            issue.save(update_fields=["notified_at", "updated_at"])
            log_action(actor=None, action="newsletter.issue.announced", obj=issue, changes={"mailed": [None, count]})
            mailed += count
    return mailed


@task()
def announce() -> int:
    """announce_due, as queued work (the worker runs it)."""
    return announce_due()


def announce_pending(stamp: str = "") -> None:
    """When public content changes (a scheduled issue's date has come, say): mail about any
    issue now due, by the worker, off the request."""
    if Issue.objects.public().filter(notify_subscribers=True, notified_at__isnull=True).exists():
        transaction.on_commit(lambda: announce.enqueue(), robust=True)


def next_issue(now):
    """The next moment an issue published ahead of its date goes public (for the page cache)."""
    return Issue.objects.published().filter(published_at__gt=now).order_by("published_at").values_list(
        "published_at", flat=True).first()


def _notify(issue: Issue) -> int:
    subscriptions = Subscription.objects.filter(user__is_active=True).select_related("user")
    for subscription in subscriptions:
        queue_email(to=subscription.user.email, name="newsletter-published",
                    context={"issue": issue, "user": subscription.user})
    return len(subscriptions)


def pdf_bytes(issue: Issue) -> bytes:
    """The printed issue: the file kept at publication, or printed now from what is kept."""
    if issue.is_published and issue.pdf:
        with issue.pdf.open("rb") as handle:
            return handle.read()
    if not issue.is_published:
        return print_issue(compose(issue))
    printed = print_issue(issue.snapshot)  # an issue published without its file (vol.1, loaded): kept now
    name = default_storage.save(f"newsletter/vol-{issue.volume}.pdf", ContentFile(printed))
    Issue.objects.filter(pk=issue.pk, pdf="").update(pdf=name)
    return printed


@transaction.atomic
def set_subscription(*, user, wanted: bool) -> bool:
    if wanted:
        _, created = Subscription.objects.get_or_create(user=user)
        changed = created
    else:
        changed = Subscription.objects.filter(user=user).delete()[0] > 0
    if changed:
        log_action(actor=user, action="newsletter.subscribed" if wanted else "newsletter.unsubscribed", obj=user)
    return wanted
