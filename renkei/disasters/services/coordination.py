from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from renkei.core import reply_addresses
from renkei.core.access import ORGANIZATION_STAFF, SECRETARIAT, allows
from renkei.core.audit import snapshot
from renkei.core.dates import wareki, wareki_time
from renkei.core.emails import queue_email
from renkei.disasters.models import Counterpart, Disaster, Enquiry, EnquiryAnswer, SupportRequest
from renkei.disasters.services import DisasterError
from renkei.disasters.services.common import Reach, assign, audit, reach, secretariat_addresses, ward_of, wards

REQUEST_FIELDS = ("requested_by", "requester", "requester_name", "channel", "kind", "role", "item", "quantity",
                  "unit", "starts_on", "ends_on", "task", "note")
ANSWER_FIELDS = ("answer", "quantity", "available_from", "contact", "note")

# Where a request may go next (受付 → 各区照会 → 調整済 → 実施中 → 完了, or 取下げ before it is done).
_S = SupportRequest.Status
NEXT = {
    _S.RECEIVED: {_S.ENQUIRING, _S.ARRANGED, _S.WITHDRAWN},
    _S.ENQUIRING: {_S.ARRANGED, _S.WITHDRAWN},
    _S.ARRANGED: {_S.IN_PROGRESS, _S.ENQUIRING, _S.WITHDRAWN},
    _S.IN_PROGRESS: {_S.DONE},
    _S.DONE: set(),
    _S.WITHDRAWN: set(),
}


def can_file_request(user, disaster: Disaster) -> bool:
    """The secretariat, or staff of a member municipality (or prefecture) the disaster struck, as
    the secretariat lists them on the disaster."""
    if allows(SECRETARIAT, user):
        return True
    if not allows(ORGANIZATION_STAFF, user) or user.is_ward_staff:
        return False
    return disaster.affected.filter(pk=user.local_government_id).exists()


@transaction.atomic
def file_request(*, actor, disaster: Disaster, data: dict) -> SupportRequest:
    """要請: what an affected municipality (or 東京都, the 調整本部, a ministry, a 市長会) asks of the
    wards. A member's staff file their own municipality's; the secretariat types in calls and faxes."""
    if not can_file_request(actor, disaster):
        raise DisasterError("この災害への要請は、被災した会員自治体の職員または事務局のみ登録できます。")
    if disaster.state == Disaster.State.CLOSED:
        raise DisasterError("終結した災害には要請を登録できません。")
    request = SupportRequest(disaster=disaster, filed_by=actor)
    assign(request, data, REQUEST_FIELDS)
    if not allows(SECRETARIAT, actor):  # a member files for itself, through the portal
        request.requested_by, request.requester, request.channel = (
            SupportRequest.From.MUNICIPALITY, actor.local_government, SupportRequest.Channel.PORTAL)
    _check_request(request)
    request.save()
    audit(actor, "disasters.request.created", request, what=str(request))
    if not allows(SECRETARIAT, actor):
        for address in secretariat_addresses():
            queue_email(to=address, name="disaster-request-filed", context={"request": request})
    return request


def _check_request(request: SupportRequest) -> None:
    if request.kind == SupportRequest.Kind.STAFF and request.role_id is None:
        raise DisasterError("職員の要請には職種を選んでください。")
    if request.kind == SupportRequest.Kind.SUPPLIES and not (request.item and request.unit):
        raise DisasterError("物資の要請には品目と単位を入力してください。")
    if request.starts_on and request.ends_on and request.ends_on < request.starts_on:
        raise DisasterError("期間の終わりが始まりより前になっています。")


@transaction.atomic
def move_request(*, actor, request: SupportRequest, status: str) -> SupportRequest:
    """The request's next step. 調整済 records whether the wards' pledges cover all of it."""
    from renkei.disasters.selectors import request_balance

    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if status not in NEXT.get(request.status, set()):
        raise DisasterError(f"「{request.get_status_display()}」から「{SupportRequest.Status(status).label}」には進めません。")
    before = assign(request, {}, ())
    request.status = status
    if status == SupportRequest.Status.ARRANGED:
        request.arranged_in_full = request_balance(request).open == 0
    request.save(update_fields=["status", "arranged_in_full"])
    audit(actor, "disasters.request.changed", request, before)
    return request


def _mail_enquiry(enquiry: Enquiry, addresses: list[str], *, reminder: bool) -> None:
    """The enquiry to each ward contact, with a reply address of their own (answering by mail)."""
    people = {u.email: u for u in get_user_model().objects.filter(email__in=addresses, is_active=True)}
    for address in addresses:
        reply = reply_addresses.for_enquiry(enquiry, people[address]) if address in people else ""
        queue_email(to=address, name="disaster-enquiry", reply_to=reply,
                    context={"enquiry": enquiry, "reminder": reminder, "reply": reply})


@transaction.atomic
def send_enquiry(*, actor, disaster: Disaster, question: str, deadline, request: SupportRequest | None = None) -> Enquiry:
    """各区照会: one question to all 23 wards with a deadline; their disaster contacts are mailed."""
    if deadline <= timezone.now():
        raise DisasterError("回答期限は今より後の日時にしてください。")
    if request is not None and request.disaster_id != disaster.pk:
        raise DisasterError("別の災害の要請は選べません。")
    enquiry = Enquiry.objects.create(disaster=disaster, request=request, question=question.strip(),
                                     deadline=deadline, sent_by=actor)
    if request is not None and request.status == SupportRequest.Status.RECEIVED:
        request.status = SupportRequest.Status.ENQUIRING
        request.save(update_fields=["status"])
    reached = reach(wards().values_list("code", flat=True))
    _mail_enquiry(enquiry, reached.addresses, reminder=False)
    audit(actor, "disasters.enquiry.created", enquiry, question=enquiry.question[:200])
    return enquiry


def answers_refused(enquiry: Enquiry) -> str | None:
    """Why a ward can no longer answer this enquiry on screen (and whom to tell instead), or None."""
    hq = enquiry.disaster.hq_contact or "事務局（対策本部）"
    if enquiry.closed_at is not None:
        return f"この照会は締め切られています。回答は{hq}に電話かメールで伝えてください。"
    if enquiry.deadline and timezone.now() > enquiry.deadline:
        return (f"回答の期限（{wareki_time(timezone.localtime(enquiry.deadline))}）を過ぎています。"
                f"回答は{hq}に電話かメールで伝えてください。")
    if enquiry.disaster.state == Disaster.State.CLOSED:
        return f"この災害の支援は終結しています。回答は{hq}に伝えてください。"
    return None


def answer_enquiry(*, actor, enquiry: Enquiry, data: dict) -> EnquiryAnswer:
    """A ward answers (or corrects its answer to) an enquiry. Only its own row is written, so
    wards answering at the same moment never collide; two staff of one ward: the later wins."""
    ward = ward_of(actor)
    if ward is None:
        raise DisasterError("照会には各区が回答します。")
    refused = answers_refused(enquiry)
    if refused:
        raise DisasterError(refused)
    if data.get("answer") == EnquiryAnswer.Answer.NO:
        data = {**data, "quantity": 0}
    for attempt in range(2):
        try:
            with transaction.atomic():
                answer = EnquiryAnswer.objects.select_for_update().filter(enquiry=enquiry, ward=ward).first()
                created = answer is None
                answer = answer or EnquiryAnswer(enquiry=enquiry, ward=ward)
                before = assign(answer, data, ANSWER_FIELDS)
                answer.answered_by = actor
                answer.save()
                audit(actor, "disasters.answer.created" if created else "disasters.answer.changed", answer, before)
                return answer
        except IntegrityError:  # a colleague's first answer landed between our read and our insert
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def remind(*, actor, enquiry: Enquiry) -> Reach:
    """Mail the wards that have not answered yet: whom the mail reached, and who must be phoned.
    Past the deadline answers are refused, so a reminder would only mislead: extend it first."""
    if enquiry.closed_at is not None:
        raise DisasterError("この照会は締め切られています。")
    if enquiry.deadline <= timezone.now():
        raise DisasterError("回答期限を過ぎているため、各区は回答できません。先に期限を延ばしてください。")
    answered = set(enquiry.answers.values_list("ward_id", flat=True))
    silent = [code for code in wards().values_list("code", flat=True) if code not in answered]
    reached = reach(silent)
    _mail_enquiry(enquiry, reached.addresses, reminder=True)
    audit(actor, "disasters.enquiry.reminded", enquiry, wards=reached.reached, unreachable=len(reached.unreachable))
    return reached


@transaction.atomic
def close_enquiry(*, actor, enquiry: Enquiry) -> Enquiry:
    if enquiry.closed_at is not None:
        raise DisasterError("この照会はすでに締め切られています。")
    enquiry.closed_at = timezone.now()
    enquiry.save(update_fields=["closed_at"])
    audit(actor, "disasters.enquiry.closed", enquiry)
    return enquiry


@transaction.atomic
def reopen_enquiry(*, actor, enquiry: Enquiry, deadline) -> Enquiry:
    """The HQ takes answers again: a new deadline, and a closed enquiry open again."""
    if deadline <= timezone.now():
        raise DisasterError("新しい回答期限は今より後の日時にしてください。")
    before = snapshot(enquiry)
    enquiry.deadline, enquiry.closed_at = deadline, None
    enquiry.save(update_fields=["deadline", "closed_at"])
    audit(actor, "disasters.enquiry.reopened", enquiry, before)
    return enquiry


@transaction.atomic
def pair(*, actor, disaster: Disaster, municipality, wards_: list, valid_from, note: str = "") -> Counterpart:
    """対口支援: pair wards with an affected municipality from a date. A pairing already running for
    that municipality ends the day before, so the history shows who supported it when."""
    if not wards_:
        raise DisasterError("担当する区を選んでください。")
    if any(not ward.is_special_ward for ward in wards_):
        raise DisasterError("担当できるのは特別区です。")
    current = (Counterpart.objects.select_for_update()
               .filter(disaster=disaster, municipality=municipality, valid_until__isnull=True).first())
    if current is not None:
        if valid_from <= current.valid_from:
            raise DisasterError(f"今の組合せは{wareki(current.valid_from)}からです。"
                                "新しい組合せはその翌日以降から始めてください。")
        current.valid_until = valid_from - timezone.timedelta(days=1)
        current.save(update_fields=["valid_until"])
        audit(actor, "disasters.counterpart.ended", current, valid_until=current.valid_until.isoformat())
    counterpart = Counterpart.objects.create(disaster=disaster, municipality=municipality, valid_from=valid_from,
                                             note=note[:200])
    counterpart.wards.set(wards_)
    audit(actor, "disasters.counterpart.created", counterpart, wards=[w.pk for w in wards_])
    return counterpart


@transaction.atomic
def end_pairing(*, actor, counterpart: Counterpart, valid_until) -> Counterpart:
    if counterpart.valid_until is not None:
        raise DisasterError("この対口支援はすでに終了しています。")
    if valid_until < counterpart.valid_from:
        raise DisasterError("終了日が開始日より前になっています。")
    counterpart.valid_until = valid_until
    counterpart.save(update_fields=["valid_until"])
    audit(actor, "disasters.counterpart.ended", counterpart, valid_until=valid_until.isoformat())
    return counterpart
