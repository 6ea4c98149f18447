"""Answers by mail: a reply to an enquiry's mail is checked and recorded as the ward's answer by the
same service as the desk (audited, one row per ward, last answer wins, the deadline's rules), and
the sender is told what was recorded, or in Japanese what could not be read and how to fix it.

Who may: only a reply to an address the portal gave (tokens.py), from the address the mail was sent
to, of an active ward staff account. Anything else is refused with a notice to the sender and kept
for the secretariat; a message whose domain failed SPF or DMARC (as the receiving server reported
it in Authentication-Results) is held until the secretariat releases it. The same Message-ID is
recorded once.
"""

import datetime as dt
import hashlib
import re

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from renkei.board import services as board
from renkei.board.models import Thread
from renkei.board.services import BoardError
from renkei.core import reply_addresses as tokens
from renkei.core.access import BOARD, allows
from renkei.core.audit import log_action
from renkei.core.emails import queue_email
from renkei.disasters.models import Enquiry, EnquiryAnswer
from renkei.disasters.services import DisasterError
from renkei.disasters.services.coordination import answer_enquiry
from renkei.replies import parse
from renkei.replies.models import InboundMail

FAILED_AUTH = re.compile(r"\b(dmarc|spf)\s*=\s*(fail|softfail)\b", re.I)


def _notify(to: str, name: str, context: dict) -> None:
    if to and "@" in to:
        queue_email(to=to, name=name, context=context)


def _plain(text: str) -> str:
    """Text a database keeps: no NUL (PostgreSQL refuses it), whatever a message carried."""
    return (text or "").replace("\x00", "")


def receive(raw: bytes, recipients=(), *, envelope_sender: str | None = None) -> InboundMail:
    """One message as the mail server handed it over (with the envelope's recipients and sender,
    when the server says them): recorded, refused or held — once."""
    incoming = parse.read(raw)
    incoming.recipients = [*recipients, *incoming.recipients]
    if envelope_sender in ("", "<>") and not incoming.automatic:
        incoming.automatic = "a bounce (empty envelope sender)"
    message_id = _plain(incoming.message_id) or f"<sha256-{hashlib.sha256(raw).hexdigest()}@renkei>"
    known = InboundMail.objects.filter(message_id=message_id).first()
    if known is not None:
        return known  # a replay: recorded once
    mail = InboundMail(message_id=message_id, sender=_plain(incoming.sender)[:254], subject=_plain(incoming.subject),
                       text=_plain(parse.typed(incoming.text))[:5000], raw=raw,
                       recipient=_plain(next((r for r in incoming.recipients if "reply+" in r.lower()), ""))[:254])
    try:
        with transaction.atomic():
            _decide(mail, incoming)
            mail.save()
    except IntegrityError:  # the same message, handed over twice at once: the other one stands
        return InboundMail.objects.get(message_id=message_id)
    return mail


def _decide(mail: InboundMail, incoming: parse.Incoming) -> None:
    if incoming.automatic:  # an out-of-office reply or a bounce: kept, never answered (no loop)
        mail.outcome = InboundMail.Outcome.REFUSED
        mail.reason = f"自動で送られたメール（不在通知・配送エラーなど: {incoming.automatic}）のため、回答として扱いません。"
        return None
    try:
        kind, pk, user_pk = tokens.read(incoming.recipients)
    except tokens.Refused as refused:
        return _refuse(mail, str(refused))
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).select_related("local_government").first()
    allowed = user is not None and (user.is_ward_staff if kind == "enquiry" else allows(BOARD, user))
    if not allowed:
        return _refuse(mail, "このアドレスから返信できる担当者が見つかりません。ポータルから操作してください。")
    if incoming.sender != user.email.lower():
        return _refuse(mail, "通知のメールを受け取ったアドレスから返信してください（転送したメールからは受け付けません）。")
    mail.user = user
    if FAILED_AUTH.search(incoming.authentication or ""):
        mail.outcome, mail.reason = InboundMail.Outcome.HELD, "送信元の認証（SPF/DMARC）に失敗したため、事務局が確認します。"
        return None
    if kind == "thread":
        return _post(mail, user, pk, incoming)
    return _record(mail, user, pk, incoming)


def _uploads(attachments: list[parse.Attached]) -> list[SimpleUploadedFile]:
    """The files of a reply as the board's form would hand them over: the board's limits apply."""
    if any(file.is_tnef for file in attachments):
        raise BoardError("添付ファイルが Outlook のリッチテキスト形式（winmail.dat）で送られたため読めません。"
                         "メールの形式を「HTML」か「テキスト」にして送り直してください。")
    return [SimpleUploadedFile(file.name, file.data, content_type=file.content_type) for file in attachments]


def _post(mail: InboundMail, user, thread_pk: int, incoming: parse.Incoming) -> None:
    """A reply to a board notification: posted in the thread as the member, quote and signature trimmed."""
    thread = Thread.objects.visible().filter(pk=thread_pk).first()
    if thread is None:
        return _refuse(mail, "このスレッドは見つかりません（削除されたか、非表示になりました）。")
    body = parse.typed(incoming.text)
    if not body:
        return _refuse(mail, "返信の本文が空です。引用の上に本文を書いて送ってください。", thread=thread)
    try:
        with transaction.atomic():
            post = board.reply(author=user, thread=thread, body=body, uploads=_uploads(incoming.attachments))
    except BoardError as error:
        return _refuse(mail, str(error), thread=thread)
    log_action(actor=user, action="board.post.by_mail", obj=post,
               changes={"message_id": [None, mail.message_id], "by": [None, "mail"],
                        "files": [None, len(incoming.attachments)]})
    mail.outcome = InboundMail.Outcome.RECORDED
    return None


def _record(mail: InboundMail, user, enquiry_pk: int, incoming: parse.Incoming) -> None:
    enquiry = Enquiry.objects.select_related("disaster").filter(pk=enquiry_pk).first()
    if enquiry is None:
        return _refuse(mail, "この照会は見つかりません。")
    found = parse.answer_from(incoming.text)
    if found.errors:
        return _refuse(mail, "\n".join(found.errors), enquiry=enquiry)
    data = {"answer": found.fields["answer"], "quantity": found.fields.get("quantity", 0),
            "available_from": found.fields.get("available_from"), "contact": found.fields.get("contact", ""),
            "note": found.fields.get("note", "")}
    try:
        with transaction.atomic():
            answer = answer_enquiry(actor=user, enquiry=enquiry, data=data)
    except DisasterError as error:
        return _refuse(mail, str(error), enquiry=enquiry)
    log_action(actor=user, action="disasters.answer.by_mail", obj=answer,
               changes={"message_id": [None, mail.message_id], "by": [None, "mail"]})
    mail.outcome, mail.answer_id = InboundMail.Outcome.RECORDED, answer.pk
    _notify(user.email, "reply-recorded", {"answer": answer, "enquiry": enquiry, "user": user,
                                           "files": [file.name for file in incoming.attachments]})
    return None


# Refusal notices to one address in an hour, at most: a responder that does not say it is one
# (no Auto-Submitted) gets a few, not a loop.
NOTICES_PER_HOUR = 5


def _refuse(mail: InboundMail, reason: str, enquiry: Enquiry | None = None, *, thread=None) -> None:
    mail.outcome, mail.reason = InboundMail.Outcome.REFUSED, reason
    recent = InboundMail.objects.filter(sender=mail.sender, outcome=InboundMail.Outcome.REFUSED,
                                        received_at__gte=timezone.now() - dt.timedelta(hours=1)).count()
    if recent >= NOTICES_PER_HOUR:
        mail.reason += f"\n（1時間に{NOTICES_PER_HOUR}通を超えたため、差出人への通知は送っていません。）"
        return None
    _notify(mail.sender, "reply-refused", {"reason": reason, "enquiry": enquiry, "thread": thread,
                                           "subject": mail.subject})
    return None


@transaction.atomic
def release(*, actor, mail: InboundMail) -> InboundMail:
    """The secretariat lets a held message through: it is read and recorded as if it had passed."""
    mail = InboundMail.objects.select_for_update().get(pk=mail.pk)
    if mail.outcome != InboundMail.Outcome.HELD:
        raise DisasterError("保留中のメールではありません。")
    incoming = parse.read(bytes(mail.raw))
    mail.released_by, mail.released_at = actor, timezone.now()
    try:
        kind, pk, _user = tokens.read(incoming.recipients)
    except tokens.Refused as refused:  # its address has expired since it was held
        _refuse(mail, str(refused))
    else:
        (_post if kind == "thread" else _record)(mail, mail.user, pk, incoming)
    mail.save()
    log_action(actor=actor, action="replies.mail.released", obj=mail, changes={"outcome": ["held", mail.outcome]})
    return mail


def answers_of(mail: InboundMail) -> EnquiryAnswer | None:
    return EnquiryAnswer.objects.filter(pk=mail.answer_id).first() if mail.answer_id else None
