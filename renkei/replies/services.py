"""Answers by mail: a reply to an enquiry's mail is checked and recorded as the ward's answer by the
same service as the desk (audited, one row per ward, last answer wins, the deadline's rules), and
the sender is told what was recorded, or in Japanese what could not be read and how to fix it; a
reply to a board notification is posted in the thread by the board's own service.

Who may: only a reply to an address the portal gave (renkei/core/reply_addresses.py), whose From
is the address the mail was sent to, of an active staff account allowed to do it (a ward's staff
for an enquiry, a member for the board). Anything else is refused with a notice to the sender and
kept for the secretariat; a message whose domain failed SPF or DMARC (as the receiving server
reported it in Authentication-Results) is held until the secretariat releases it, and checked again
then. The same Message-ID is recorded once.
"""

import datetime as dt
import hashlib
import logging
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
from renkei.disasters.forms import AnswerForm
from renkei.disasters.models import Enquiry, EnquiryAnswer
from renkei.disasters.services import DisasterError
from renkei.disasters.services.coordination import answer_enquiry
from renkei.replies import parse
from renkei.replies.models import InboundMail

logger = logging.getLogger(__name__)

FAILED_AUTH = re.compile(r"\b(dmarc|spf)\s*=\s*(fail|softfail)\b", re.I)


def _notify(to: str, name: str, context: dict, *, reply_to: str = "") -> None:
    if to and "@" in to:
        queue_email(to=to, name=name, context=context, reply_to=reply_to)


def receive(raw: bytes, recipients=(), *, envelope_sender: str | None = None) -> InboundMail:
    """One message as the mail server handed it over (with the envelope's recipients and sender,
    when the server says them): recorded, refused or held — once."""
    incoming = parse.read(raw)
    incoming.recipients = [*recipients, *incoming.recipients]
    if envelope_sender in ("", "<>") and not incoming.automatic:
        incoming.automatic = "a bounce (empty envelope sender)"
    message_id = incoming.message_id or f"<sha256-{hashlib.sha256(raw).hexdigest()}@renkei>"
    known = InboundMail.objects.filter(message_id=message_id).first()
    if known is not None:
        return known  # a replay: recorded once
    mail = InboundMail(message_id=message_id, sender=incoming.sender[:254], subject=incoming.subject,
                       text=parse.typed(incoming.text)[:5000], raw=raw,
                       recipient=next((r for r in incoming.recipients if "reply+" in r.lower()), "")[:254])
    try:
        with transaction.atomic():
            _decide(mail, incoming)
            mail.save()
    except IntegrityError:
        known = InboundMail.objects.filter(message_id=message_id).first()
        if known is not None:  # the same message, handed over twice at once: the other one stands
            return known
        # Something the records refused that the reading let through: kept, and the sender told.
        logger.exception("a reply could not be recorded: %s", message_id)
        mail.pk, mail.user, mail.answer_id = None, None, None
        with transaction.atomic():
            _refuse(mail, "この返信は記録できませんでした。ポータルから回答するか、事務局に連絡してください。")
            mail.save()
    return mail


def _decide(mail: InboundMail, incoming: parse.Incoming, *, released: bool = False) -> None:
    """Who may, then what it says: every check a reply passes, for a new one and for one the
    secretariat releases (which passes all but the sender's SPF/DMARC, which it was held for)."""
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
    if not released and FAILED_AUTH.search(incoming.authentication or ""):
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
        return _refuse(mail, "返信の本文が空です。引用の上に本文を書いて送ってください。", thread=thread,
                       reply=mail.recipient)
    try:
        with transaction.atomic():
            post = board.reply(author=user, thread=thread, body=body, uploads=_uploads(incoming.attachments))
    except BoardError as error:
        return _refuse(mail, str(error), thread=thread, reply=mail.recipient)
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
        return _refuse(mail, "\n".join(found.errors), enquiry=enquiry, reply=mail.recipient)
    data, errors = _checked(found.fields, EnquiryAnswer.objects.filter(enquiry=enquiry, ward_id=user.local_government_id).first())
    if errors:
        return _refuse(mail, "\n".join(errors), enquiry=enquiry, reply=mail.recipient)
    try:
        with transaction.atomic():
            answer = answer_enquiry(actor=user, enquiry=enquiry, data=data)
    except DisasterError as error:  # past the deadline, or closed: a reply again would not help
        return _refuse(mail, str(error), enquiry=enquiry)
    log_action(actor=user, action="disasters.answer.by_mail", obj=answer,
               changes={"message_id": [None, mail.message_id], "by": [None, "mail"]})
    mail.outcome, mail.answer_id = InboundMail.Outcome.RECORDED, answer.pk
    _notify(user.email, "reply-recorded", {"answer": answer, "enquiry": enquiry, "user": user, "reply": mail.recipient,
                                           "files": [file.name for file in incoming.attachments]},
            reply_to=mail.recipient)  # a correction may be a reply to the confirmation
    return None


def _checked(fields: dict, previous: EnquiryAnswer | None) -> tuple[dict, list[str]]:
    """What a mail says, held to the desk's own form (a number with a yes, the bounds, a phone
    number folded to half width); a 連絡先 not written again stays as it was."""
    contact = fields.get("contact") or (previous.contact if previous else "")
    form = AnswerForm(data={"answer": fields["answer"], "quantity": fields.get("quantity", ""),
                            "available_from": fields["available_from"].isoformat() if fields.get("available_from") else "",
                            "contact": contact, "note": fields.get("note", "")})
    if form.is_valid():
        return form.cleaned_data, []
    labels = {"quantity": "人数", "available_from": "開始日", "contact": "連絡先", "note": "備考", "answer": "回答"}
    return {}, [f"{labels.get(name, name)}: {message}" for name, messages in form.errors.items() for message in messages]


# Refusal notices to one address in an hour, at most: a responder that does not say it is one
# (no Auto-Submitted) gets a few, not a loop.
NOTICES_PER_HOUR = 5


def _refuse(mail: InboundMail, reason: str, enquiry: Enquiry | None = None, *, thread=None, reply: str = "") -> None:
    """Refused and kept; the sender told why (a few times an hour at most). `reply`: the address
    the refused reply came to, when its person sent it — the notice takes a corrected reply too."""
    mail.outcome, mail.reason = InboundMail.Outcome.REFUSED, reason
    recent = InboundMail.objects.filter(sender=mail.sender, outcome=InboundMail.Outcome.REFUSED,
                                        received_at__gte=timezone.now() - dt.timedelta(hours=1)).count()
    if recent >= NOTICES_PER_HOUR:
        mail.reason += f"\n（1時間に{NOTICES_PER_HOUR}通を超えたため、差出人への通知は送っていません。）"
        return None
    _notify(mail.sender, "reply-refused", {"reason": reason, "enquiry": enquiry, "thread": thread,
                                           "subject": mail.subject, "reply": reply}, reply_to=reply)
    return None


@transaction.atomic
def release(*, actor, mail: InboundMail) -> InboundMail:
    """The secretariat lets a held message through: checked again as it was when it came (its
    address, the account behind it now, what it says) and recorded or refused."""
    mail = InboundMail.objects.select_for_update().get(pk=mail.pk)
    if mail.outcome != InboundMail.Outcome.HELD:
        raise DisasterError("保留中のメールではありません。")
    incoming = parse.read(bytes(mail.raw))
    incoming.recipients = [mail.recipient, *incoming.recipients]  # the envelope's, as it was kept
    mail.released_by, mail.released_at, mail.user = actor, timezone.now(), None
    _decide(mail, incoming, released=True)
    mail.save()
    log_action(actor=actor, action="replies.mail.released", obj=mail, changes={"outcome": ["held", mail.outcome]})
    return mail


def answers_of(mail: InboundMail) -> EnquiryAnswer | None:
    return EnquiryAnswer.objects.filter(pk=mail.answer_id).first() if mail.answer_id else None
