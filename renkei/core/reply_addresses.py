"""The reply address a mail carries: `reply+<token>@REPLY_DOMAIN`, unique to what is answered and
to whom it was sent, signed, with an end. Lower case only (relays may fold an address's case),
under 64 characters (the local part's limit).

token = <kind><pk>-<user pk>-<last day, base 36>-<16 characters of HMAC-SHA256, base 32>
"""

import base64
import datetime as dt
import hashlib
import hmac
import re

from django.conf import settings
from django.utils import timezone

KINDS = {"e": "enquiry", "b": "thread"}
PATTERN = re.compile(r"reply\+([a-z])(\d{1,10})-(\d{1,10})-([0-9a-z]{1,8})-([a-z2-7]{16})@", re.I)
EPOCH = dt.date(2000, 1, 1)


def _mac(text: str) -> str:
    digest = hmac.new(f"{settings.SECRET_KEY}:renkei-reply".encode(), text.encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode().lower()[:16]


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def address(kind: str, pk: int, user_pk: int, until: dt.date) -> str:
    """The reply address for one person answering one record, valid through `until` (renkei.replies
    reads the replies)."""
    body = f"{kind}{pk}-{user_pk}-{_base36((until - EPOCH).days)}"
    return f"reply+{body}-{_mac(body)}@{settings.REPLY_DOMAIN}"


class Refused(Exception):
    pass


def _signed(recipient: str) -> tuple[str, int, int, dt.date] | None:
    """(kind, pk, user pk, last day) of an address the portal made; None when it made none there
    (no reply address, or one written or altered by hand)."""
    match = PATTERN.search(recipient or "")
    if match is None:
        return None
    kind, pk, user_pk, until, mac = (part.lower() for part in match.groups())
    if kind not in KINDS or not hmac.compare_digest(_mac(f"{kind}{pk}-{user_pk}-{until}"), mac):
        return None
    return KINDS[kind], int(pk), int(user_pk), EPOCH + dt.timedelta(days=int(until, 36))


def read(recipients: list[str]) -> tuple[str, int, int]:
    """(kind, pk, user pk) from the first reply address among the recipients; Refused says why not."""
    for recipient in recipients:
        if PATTERN.search(recipient or "") is None:
            continue
        signed = _signed(recipient)
        if signed is None:
            raise Refused("返信先のアドレスが正しくありません（書き換えられたか、途中で崩れました）。")
        kind, pk, user_pk, until = signed
        if until < timezone.localdate():
            raise Refused("返信先のアドレスの期限が過ぎています。ポータルから回答してください。")
        return kind, pk, user_pk
    raise Refused("返信先のアドレスが見つかりません。受け取ったメールに「返信」して送ってください。")


def for_enquiry(enquiry, user) -> str:
    """An enquiry's mail to one person: `reply+…` valid a day past the deadline; "" without REPLY_DOMAIN."""
    if not settings.REPLY_DOMAIN:
        return ""
    until = (timezone.localtime(enquiry.deadline).date() if enquiry.deadline else timezone.localdate()
             + dt.timedelta(days=13)) + dt.timedelta(days=1)
    return address("e", enquiry.pk, user.pk, until)


THREAD_DAYS = 30  # a board notification may be answered for a month


def for_thread(thread, user) -> str:
    """A board notification to one person: replying posts in the thread; "" without REPLY_DOMAIN."""
    if not settings.REPLY_DOMAIN:
        return ""
    return address("b", thread.pk, user.pk, timezone.localdate() + dt.timedelta(days=THREAD_DAYS))


def addressee(recipient: str) -> int | None:
    """The person an address was made for (their user pk), when the portal made it — whatever its
    end; None for an address written by hand. For showing whom a refused reply was meant for."""
    signed = _signed(recipient)
    return signed[2] if signed else None
