"""Publishing on the portal: news, events (the secretariat's and members'), PR pages.

Each action takes the cleaned data of its form (the model's EDITED_FIELDS, the publishing
choice, the photos), runs in one transaction and writes the audit log with the changed fields.
"""

import secrets

from django.db import transaction
from django.utils import timezone

from renkei.core import trash
from renkei.core.access import ORGANIZATION_STAFF, SECRETARIAT, allows
from renkei.core.audit import diff, log_action, snapshot
from renkei.core.emails import queue_email
from renkei.portal import photos
from renkei.portal.models import Event, NewsItem, Photo, Profile, Status


class PortalError(Exception):
    """A request refused with a message for the person who made it."""


def _publishing(obj, data) -> None:
    choice = data.get("publishing")
    if choice == "draft":
        obj.status, obj.publish_at = Status.DRAFT, None
    elif choice == "now":
        keep = obj.status == Status.PUBLISHED and obj.is_public()
        obj.status, obj.publish_at = Status.PUBLISHED, obj.publish_at if keep else timezone.now()
    elif choice == "scheduled":
        obj.status, obj.publish_at = Status.PUBLISHED, data["publish_at"]
    # "keep": a member's waiting event corrected by the secretariat stays as it is


def _photos(data, **owner) -> list[str]:
    """Add the form's new photos and remove the ticked ones; what changed, for the audit log."""
    changed = []
    for photo in data.get("remove_photos") or []:
        photo.delete()  # its files go after commit (signals.photo_deleted)
        changed.append(f"写真削除: {photo.alt}")
    for (large, small), alt, caption in data.get("new_photos") or []:
        photo = Photo(alt=alt, caption=caption, **owner)
        photos.attach(photo, large, small, secrets.token_hex(8))
        photo.save()
        changed.append(f"写真追加: {photo.alt}")
    return changed


def _assign(obj, data: dict) -> None:
    for name in obj.EDITED_FIELDS:
        if name in data:
            setattr(obj, name, data[name])


def _log(actor, action: str, obj, before: dict | None, extra: list[str] = ()) -> None:
    changes = diff(before or {}, snapshot(obj))
    if extra:
        changes["photos"] = [None, list(extra)]
    log_action(actor=actor, action=action, obj=obj, changes=changes)


@transaction.atomic
def save_news(*, editor, data: dict, item: NewsItem | None = None) -> NewsItem:
    """Write a news item (お知らせ): a draft, scheduled (公開予約) or published."""
    item = item or NewsItem()
    before = snapshot(NewsItem.objects.get(pk=item.pk)) if item.pk else None
    _assign(item, data)
    _publishing(item, data)
    item.save()
    extra = _photos(data, news=item)
    _log(editor, "portal.news.changed" if before else "portal.news.created", item, before, extra)
    return item


@transaction.atomic
def delete(*, editor, item: NewsItem | Event) -> None:
    """Delete a news item or an event, audited and restorable for TRASH_DAYS (core.trash); photos
    cascade (their files stay until the trash is purged), the search document with them (signals.removed)."""
    kind = "news" if isinstance(item, NewsItem) else "event"
    trash.delete(item, actor=editor, action=f"portal.{kind}.deleted", changes={"title": [item.title, None]},
                 label=item.title)


@transaction.atomic
def save_event(*, editor, data: dict, event: Event | None = None, organization=None) -> Event:
    """The secretariat's save (with publishing), or a member's (submitted for approval, 承認待ち)."""
    event = event or Event()
    before = snapshot(Event.objects.get(pk=event.pk)) if event.pk else None
    _assign(event, data)
    if organization is not None:
        if event.pk and event.organization_id != organization.pk:
            raise PortalError("このイベントは貴団体が登録したものではありません。")
        event.organization = organization
        event.submitted_by = event.submitted_by or editor
        # Every change by a member goes back to the secretariat before the public sees it.
        event.status, event.publish_at = Status.SUBMITTED, None
    else:
        _publishing(event, data)
    event.save()
    event.participants.set(data.get("participant_names") or [])
    extra = _photos(data, event=event, in_report=data.get("in_report", False))
    if organization is not None:
        action = "portal.event.submitted"
    else:
        action = "portal.event.changed" if before else "portal.event.created"
    _log(editor, action, event, before, extra)
    if organization is not None:
        _tell_secretariat(event)
    return event


def _tell_secretariat(event: Event) -> None:
    from renkei.accounts.models import User

    for address in User.objects.filter(is_secretariat=True, is_active=True).values_list("email", flat=True):
        queue_email(to=address, name="portal-event-submitted", context={"event": event})


@transaction.atomic
def review_event(*, reviewer, event: Event, approve: bool, note: str = "") -> Event:
    """The secretariat publishes a member's event, or sends it back with a reason."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != Status.SUBMITTED:
        raise PortalError("このイベントは承認待ちではありません（ほかの方が先に処理した可能性があります）。")
    if not approve and not note.strip():
        raise PortalError("差し戻す理由を入力してください。登録した団体にそのまま送られます。")
    before = snapshot(event)
    event.status = Status.PUBLISHED if approve else Status.REJECTED
    event.publish_at = timezone.now() if approve else None
    event.review_note = note.strip()[:500]
    event.save()
    _log(reviewer, "portal.event.approved" if approve else "portal.event.rejected", event, before)
    if event.submitted_by_id and event.submitted_by.is_active:
        queue_email(to=event.submitted_by.email, name="portal-event-reviewed", context={"event": event, "approved": approve})
    return event


@transaction.atomic
def withdraw_event(*, user, event: Event) -> None:
    """A member takes its own event down (it stays in the history, hidden)."""
    before = snapshot(event)
    event.status, event.publish_at = Status.DRAFT, None
    event.save()
    _log(user, "portal.event.withdrawn", event, before)


@transaction.atomic
def save_profile(*, editor, local_government, data: dict) -> Profile:
    """Write a member municipality's PR page (自治体PR)."""
    profile = Profile.objects.filter(pk=local_government.pk).first()
    before = snapshot(profile) if profile is not None else None
    profile = profile or Profile(local_government=local_government)
    _assign(profile, data)
    profile.updated_by = editor
    profile.save()
    extra = _photos(data, profile=profile)
    _log(editor, "portal.profile.changed" if before else "portal.profile.created", profile, before, extra)
    return profile


def can_edit_profile(user, local_government) -> bool:
    if allows(SECRETARIAT, user):
        return True
    return allows(ORGANIZATION_STAFF, user) and not user.is_ward_staff and user.local_government_id == local_government.pk
