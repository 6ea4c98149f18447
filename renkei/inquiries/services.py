"""Receiving inquiries: stored first, then mailed to the desk and acknowledged to the sender.

Spam is held back without any outside service: a field only robots fill in, a form answered
within seconds of being shown, a body full of links are kept as 保留 (no mail goes out); a
sender (by network address or by email address) gets INQUIRY_LIMIT_PER_HOUR messages an hour.
"""

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from renkei.core.audit import log_action
from renkei.core.emails import queue_email
from renkei.inquiries.models import Desk, Inquiry


class TooMany(Exception):
    """Too many inquiries from one sender within the hour."""


def desk_address(desk: str) -> str:
    return {Desk.PROJECT: settings.INQUIRY_PROJECT_EMAIL, Desk.MEMBERSHIP: settings.INQUIRY_MEMBERSHIP_EMAIL}[desk]


def sender_key(address: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def receive(*, data: dict, address: str, automated: bool, stamp: str = "") -> Inquiry:
    """Store an inquiry and mail it, or hold it (保留) when it looks automated — among others when
    the form's stamp already brought a message: a robot that read the form once and posts it again
    and again."""
    if stamp and Inquiry.objects.filter(form_stamp=stamp).exists():
        automated = True
    key = sender_key(address)
    since = timezone.now() - dt.timedelta(hours=1)
    recent = Inquiry.objects.filter(created_at__gte=since)
    limit = settings.INQUIRY_LIMIT_PER_HOUR
    if recent.filter(sender_key=key).count() >= limit or recent.filter(email__iexact=data["email"]).count() >= limit:
        raise TooMany
    inquiry = Inquiry.objects.create(
        desk=data["desk"], name=data["name"], organization=data.get("organization", ""), email=data["email"],
        subject=data["subject"], body=data["body"], sender_key=key, form_stamp=stamp[:100],
        status=Inquiry.Status.HELD if automated else Inquiry.Status.NEW,
    )
    if not automated:
        _mail(inquiry)
    return inquiry


def _mail(inquiry: Inquiry) -> None:
    queue_email(to=desk_address(inquiry.desk), name="inquiry-received", context={"inquiry": inquiry},
                reply_to=inquiry.email)
    queue_email(to=inquiry.email, name="inquiry-acknowledgement", context={"inquiry": inquiry})


@transaction.atomic
def release(*, user, inquiry: Inquiry) -> Inquiry:
    """保留の解除: a message held as suspected spam was a person's after all. It becomes 未対応,
    and the desk and the sender get the mail they would have had."""
    inquiry = Inquiry.objects.select_for_update().get(pk=inquiry.pk)
    if inquiry.status != Inquiry.Status.HELD:
        raise ValueError("保留中のお問い合わせではありません。")
    inquiry.status, inquiry.handled_by = Inquiry.Status.NEW, user
    inquiry.save(update_fields=["status", "handled_by", "updated_at"])
    log_action(actor=user, action="inquiries.inquiry.released", obj=inquiry, changes={"status": ["held", "new"]})
    _mail(inquiry)
    return inquiry


@transaction.atomic
def update(*, user, inquiry: Inquiry, status: str, note: str) -> Inquiry:
    before = {"status": inquiry.status, "note": inquiry.note}
    inquiry.status, inquiry.note, inquiry.handled_by = status, note, user
    inquiry.save()
    changes = {k: [v, getattr(inquiry, k)] for k, v in before.items() if v != getattr(inquiry, k)}
    log_action(actor=user, action="inquiries.inquiry.changed", obj=inquiry, changes=changes)
    return inquiry


HELD_DAYS = 30  # suspected spam is kept this long, for a look, then goes


@transaction.atomic
def purge(now=None) -> dict[str, int]:
    """Delete what no longer needs keeping: answered inquiries after INQUIRY_RETENTION_DAYS,
    held ones (suspected spam) after 30 days. New and in-progress ones stay whatever their age."""
    now = now or timezone.now()
    answered = Inquiry.objects.filter(status=Inquiry.Status.ANSWERED,
                                      updated_at__lt=now - dt.timedelta(days=settings.INQUIRY_RETENTION_DAYS))
    held = Inquiry.objects.filter(status=Inquiry.Status.HELD, created_at__lt=now - dt.timedelta(days=HELD_DAYS))
    counts = {"answered": answered.delete()[0], "held": held.delete()[0]}
    if any(counts.values()):
        log_action(actor=None, action="inquiries.purged", changes={k: [v, 0] for k, v in counts.items()})
    return counts
