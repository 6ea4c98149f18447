"""The disaster-support actions: what each writes, who may, and what it refuses."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renkei.board.models import Thread
from renkei.core.models import AuditEntry, OutgoingEmail
from renkei.disasters.models import (
    Channel,
    Counterpart,
    Decision,
    Disaster,
    EnquiryAnswer,
    FundContribution,
    Role,
    StateChange,
    SupportRequest,
)
from renkei.disasters.services import DisasterError, coordination, disasters, support
from renkei.municipalities.models import LocalGovernment
from renkei.testing import make_staff

pytestmark = pytest.mark.django_db
ATSUMA, CHIYODA, CHUO = "015814", "131016", "131024"


def lg(code):
    return LocalGovernment.objects.get(code=code)


@pytest.fixture
def quake(world):
    return disasters.save_disaster(actor=world.secretariat, data={
        "name": "令和8年十勝沖地震", "kind": "earthquake", "started_on": dt.date(2026, 11, 20),
        "affected": [lg("010006"), lg(ATSUMA)], "summary": "震度6強。", "is_drill": False})


def staff_request(world, quake, quantity=10, **extra):
    data = {"requested_by": "municipality", "requester": lg(ATSUMA), "channel": "phone", "kind": "staff",
            "role": Role.objects.get(name="保健師"), "quantity": quantity, "task": "避難所の健康相談", **extra}
    return coordination.file_request(actor=world.secretariat, disaster=quake, data=data)


def test_a_disaster_starts_collecting_and_each_state_change_is_kept(world, quake):
    assert quake.state == Disaster.State.COLLECTING and list(quake.affected.values_list("code", flat=True)) == [
        "010006", ATSUMA]
    disasters.set_state(actor=world.secretariat, disaster=quake, state="supporting", note="各区が派遣を開始")
    history = list(StateChange.objects.filter(disaster=quake).values_list("state", "by", "note"))
    assert history == [("collecting", world.secretariat.pk, "登録"), ("supporting", world.secretariat.pk, "各区が派遣を開始")]
    assert AuditEntry.objects.filter(action="disasters.disaster.changed", object_id=str(quake.pk),
                                     changes__state=["collecting", "supporting"]).exists()
    with pytest.raises(DisasterError, match="すでに"):
        disasters.set_state(actor=world.secretariat, disaster=quake, state="supporting")


def test_activation_mails_every_wards_contact_and_opens_a_board_thread(world, quake, django_capture_on_commit_callbacks):
    world.ward.is_disaster_contact = True
    world.ward.save()
    chuo = make_staff(CHUO, "bousai@city.chuo.lg.jp")
    chuo.is_disaster_contact = True
    chuo.save()
    make_staff(CHUO, "other@city.chuo.lg.jp")  # not a contact: not mailed
    disasters.activate(actor=world.secretariat, disaster=quake)
    mailed = set(OutgoingEmail.objects.filter(kind="disaster-activated").values_list("to", flat=True))
    assert mailed == {world.ward.email, "bousai@city.chuo.lg.jp"}
    thread = Thread.objects.get(category__slug="disaster")
    assert "令和8年十勝沖地震" in thread.title and "【訓練】" not in thread.title
    assert Disaster.objects.active().filter(pk=quake.pk).exists()
    with pytest.raises(DisasterError, match="すでに設置"):
        disasters.activate(actor=world.secretariat, disaster=quake)


def test_a_drill_behaves_the_same_and_says_so_on_the_board(world):
    drill = disasters.save_disaster(actor=world.secretariat, data={
        "name": "防災の日訓練", "kind": "earthquake", "started_on": dt.date(2026, 9, 1), "is_drill": True})
    disasters.activate(actor=world.secretariat, disaster=drill)
    assert Thread.objects.get(category__slug="disaster").title.startswith("【訓練】")
    assert not Disaster.objects.public().filter(pk=drill.pk).exists()


def test_reports_are_numbered_per_disaster_when_confirmed_and_never_edited_after(world, quake):
    other = disasters.save_disaster(actor=world.secretariat, data={
        "name": "別の災害", "kind": "typhoon", "started_on": dt.date(2026, 10, 1)})
    def report(disaster, title):
        return disasters.save_decision(actor=world.secretariat, disaster=disaster, data={
            "body": "chair", "kind": "report", "decided_on": dt.date(2026, 11, 21), "title": title})
    first, second, elsewhere = report(quake, "第1報"), report(quake, "続報"), report(other, "別の報告")
    statement = disasters.save_decision(actor=world.secretariat, disaster=quake, data={
        "body": "chair", "kind": "statement", "decided_on": dt.date(2026, 11, 21), "title": "会長声明"})
    for decision in (second, statement, first, elsewhere):
        disasters.confirm_decision(actor=world.secretariat, decision=decision)
    numbers = {d.title: d.report_number for d in Decision.objects.all()}
    assert numbers == {"続報": 1, "会長声明": None, "第1報": 2, "別の報告": 1}
    first.refresh_from_db()
    with pytest.raises(DisasterError, match="確定した決定は変更できません"):
        disasters.save_decision(actor=world.secretariat, disaster=quake, decision=first, data={"title": "書き換え"})
    correction = disasters.save_decision(actor=world.secretariat, disaster=quake, data={
        "body": "chair", "kind": "report", "decided_on": dt.date(2026, 11, 22), "title": "訂正", "corrects": first})
    assert correction.corrects == first and first.corrections.get() == correction


def test_a_decision_keeps_its_pdf(world, quake):
    decision = disasters.save_decision(actor=world.secretariat, disaster=quake, pdf=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"),
                                       data={"body": "general_meeting", "kind": "resolution",
                                             "decided_on": dt.date(2026, 11, 25), "title": "復興支援金の拠出"})
    assert decision.pdf.name.startswith("decisions/") and decision.pdf.read() == b"%PDF-1.4 x"


def test_an_affected_member_files_its_own_request_and_others_cannot(world, quake):
    request = coordination.file_request(actor=world.member, disaster=quake, data={
        "kind": "supplies", "item": "飲料水（2L）", "quantity": 500, "unit": "箱", "requested_by": "tokyo"})
    assert (request.requested_by, request.requester_id, request.channel) == ("municipality", ATSUMA, "portal")
    assert OutgoingEmail.objects.filter(kind="disaster-request-filed", to=world.secretariat.email).exists()
    with pytest.raises(DisasterError, match="被災した会員自治体"):
        coordination.file_request(actor=world.other_member, disaster=quake, data={
            "kind": "supplies", "item": "毛布", "quantity": 5, "unit": "枚"})
    with pytest.raises(DisasterError, match="被災した会員自治体"):
        coordination.file_request(actor=world.ward, disaster=quake, data={
            "kind": "supplies", "item": "毛布", "quantity": 5, "unit": "枚"})


def test_the_remainder_of_a_request_is_what_the_wards_have_not_pledged(world, quake):
    from renkei.disasters.selectors import request_balance

    request = staff_request(world, quake, quantity=10)
    enquiry = coordination.send_enquiry(actor=world.secretariat, disaster=quake, question="保健師を派遣できますか",
                                        deadline=timezone.now() + dt.timedelta(hours=6), request=request)
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.ENQUIRING
    chuo = make_staff(CHUO, "bousai@city.chuo.lg.jp")
    coordination.answer_enquiry(actor=world.ward, enquiry=enquiry, data={"answer": "yes", "quantity": 4})
    coordination.answer_enquiry(actor=chuo, enquiry=enquiry, data={"answer": "yes", "quantity": 2})
    balance = request_balance(request)
    assert (balance.asked, balance.pledged, balance.open) == (10, 6, 4)
    coordination.move_request(actor=world.secretariat, request=request, status="arranged")
    request.refresh_from_db()
    assert request.status == "arranged" and request.arranged_in_full is False
    with pytest.raises(DisasterError, match="には進めません"):
        coordination.move_request(actor=world.secretariat, request=request, status="done")


def test_a_ward_answers_for_itself_and_changes_its_answer(world, quake):
    enquiry = coordination.send_enquiry(actor=world.secretariat, disaster=quake, question="物資の在庫は",
                                        deadline=timezone.now() + dt.timedelta(hours=6))
    coordination.answer_enquiry(actor=world.ward, enquiry=enquiry, data={"answer": "yes", "quantity": 3})
    coordination.answer_enquiry(actor=world.ward, enquiry=enquiry, data={"answer": "no", "quantity": 3})
    answer = EnquiryAnswer.objects.get()
    assert (answer.ward_id, answer.answer, answer.quantity) == (CHIYODA, "no", 0)
    with pytest.raises(DisasterError, match="各区が回答"):
        coordination.answer_enquiry(actor=world.secretariat, enquiry=enquiry, data={"answer": "yes", "quantity": 1})
    with pytest.raises(DisasterError, match="特別区の職員"):
        coordination.answer_enquiry(actor=world.member, enquiry=enquiry, data={"answer": "yes", "quantity": 1})


def test_a_reminder_goes_to_the_wards_that_have_not_answered(world, quake):
    world.ward.is_disaster_contact = True
    world.ward.save()
    chuo = make_staff(CHUO, "bousai@city.chuo.lg.jp")
    chuo.is_disaster_contact = True
    chuo.save()
    enquiry = coordination.send_enquiry(actor=world.secretariat, disaster=quake, question="照会",
                                        deadline=timezone.now() + dt.timedelta(hours=6))
    coordination.answer_enquiry(actor=world.ward, enquiry=enquiry, data={"answer": "no"})
    OutgoingEmail.objects.all().delete()
    reached = coordination.remind(actor=world.secretariat, enquiry=enquiry)
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["bousai@city.chuo.lg.jp"]
    assert reached.reached == 1 and len(reached.unreachable) == 21 and "中央区" not in reached.unreachable
    assert "千代田区" not in reached.unreachable  # it answered: not reminded at all


def test_a_ward_the_mail_cannot_reach_is_named_with_a_number_to_phone(world, quake):
    """港区 has staff but no disaster contact: the HQ is told to phone it, and at which number."""
    minato = make_staff("131032", "kikaku@city.minato.lg.jp", lead=True)
    minato.phone = "03-3578-2111"
    minato.save()
    reached = coordination.remind(actor=world.secretariat, enquiry=coordination.send_enquiry(
        actor=world.secretariat, disaster=quake, question="照会", deadline=timezone.now() + dt.timedelta(hours=6)))
    assert "港区（03-3578-2111）" in reached.unreachable and "新宿区" in reached.unreachable


def test_no_reminder_once_the_deadline_has_passed(world, quake):
    enquiry = coordination.send_enquiry(actor=world.secretariat, disaster=quake, question="照会",
                                        deadline=timezone.now() + dt.timedelta(hours=1))
    OutgoingEmail.objects.all().delete()
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        with pytest.raises(DisasterError, match="期限を延ばして"):
            coordination.remind(actor=world.secretariat, enquiry=enquiry)
    assert not OutgoingEmail.objects.exists()


def test_a_new_pairing_ends_the_one_before_and_the_history_stays(world, quake):
    first = coordination.pair(actor=world.secretariat, disaster=quake, municipality=lg(ATSUMA), wards_=[lg(CHIYODA)],
                              valid_from=dt.date(2026, 11, 22))
    coordination.pair(actor=world.secretariat, disaster=quake, municipality=lg(ATSUMA),
                      wards_=[lg(CHUO), lg("131032")], valid_from=dt.date(2026, 12, 1), note="調整本部の決定")
    first.refresh_from_db()
    assert first.valid_until == dt.date(2026, 11, 30)
    assert [sorted(c.wards.values_list("code", flat=True)) for c in Counterpart.objects.all()] == [
        [CHIYODA], [CHUO, "131032"]]
    with pytest.raises(DisasterError, match="翌日以降"):
        coordination.pair(actor=world.secretariat, disaster=quake, municipality=lg(ATSUMA), wards_=[lg(CHIYODA)],
                          valid_from=dt.date(2026, 11, 30))
    with pytest.raises(DisasterError, match="特別区"):
        coordination.pair(actor=world.secretariat, disaster=quake, municipality=lg("012025"), wards_=[lg(ATSUMA)],
                          valid_from=dt.date(2026, 12, 1))


def dispatch_data(**extra):
    return {"channel": Channel.objects.first(), "destination": lg(ATSUMA), "role": Role.objects.get(name="保健師"),
            "persons": 2, "first_day": dt.date(2026, 11, 22), "last_day": dt.date(2026, 11, 28),
            **extra}


def test_ward_staff_enter_their_own_wards_dispatches_which_wait_for_confirmation(world, quake):
    dispatch = support.save_dispatch(actor=world.ward, disaster=quake, data=dispatch_data(ward=lg(CHUO)))
    assert dispatch.ward_id == CHIYODA and not dispatch.is_confirmed  # their own ward, whatever was sent
    support.confirm_dispatch(actor=world.secretariat, dispatch=dispatch)
    chuo = make_staff(CHUO, "bousai@city.chuo.lg.jp")
    with pytest.raises(DisasterError, match="ほかの区"):
        support.save_dispatch(actor=chuo, disaster=quake, dispatch=dispatch, data=dispatch_data(persons=9))
    dispatch = support.save_dispatch(actor=world.ward, disaster=quake, dispatch=dispatch, data=dispatch_data(persons=3))
    assert dispatch.persons == 3 and not dispatch.is_confirmed  # a change goes back for confirmation
    by_secretariat = support.save_dispatch(actor=world.secretariat, disaster=quake, data=dispatch_data(ward=lg(CHUO)))
    assert by_secretariat.ward_id == CHUO and by_secretariat.is_confirmed


@pytest.mark.parametrize("overrides,message", [
    ({"last_day": dt.date(2026, 11, 21)}, "派遣終了日が派遣開始日より前"),
    ({"persons": 0}, "1人以上"),
])
def test_a_bad_dispatch_is_refused_and_writes_nothing(world, quake, overrides, message):
    from renkei.disasters.models import Dispatch

    with pytest.raises(DisasterError, match=message):
        support.save_dispatch(actor=world.secretariat, disaster=quake, data=dispatch_data(ward=lg(CHUO), **overrides))
    assert not Dispatch.objects.exists()


def test_the_three_counts_follow_the_stated_rules(world, quake):
    from renkei.disasters.selectors import dispatch_counts

    def send(persons, first, last, ward=CHIYODA, cancelled=False, role="保健師"):
        support.save_dispatch(actor=world.secretariat, disaster=quake, data=dispatch_data(
            ward=lg(ward), persons=persons, first_day=first, last_day=last, cancelled=cancelled,
            role=Role.objects.get(name=role)))

    send(2, dt.date(2026, 11, 22), dt.date(2026, 11, 28))                  # 7 days
    send(3, dt.date(2026, 11, 25), dt.date(2026, 12, 5), ward=CHUO, role="事務職員")
    send(5, dt.date(2026, 11, 23), dt.date(2026, 11, 30), cancelled=True)  # never counts
    send(1, dt.date(2026, 12, 10), dt.date(2026, 12, 20))                  # not yet begun on 11/30
    counts = dispatch_counts(quake, dt.date(2026, 11, 30))
    assert (counts.total.people, counts.total.person_days, counts.total.on_duty) == (5, 2 * 7 + 3 * 6, 3)
    assert counts.by_role["事務職員"].people == 3 and counts.by_ward["千代田区"].person_days == 14
    later = dispatch_counts(quake, dt.date(2026, 12, 31))
    assert (later.total.people, later.total.person_days, later.total.on_duty) == (6, 14 + 33 + 11, 0)
    assert later.by_fiscal_year == {2026: later.total}
    assert dispatch_counts(quake, dt.date(2026, 11, 21)).total.people == 0


def test_a_fund_must_add_up_and_its_shares_add_up_exactly_under_every_rule(world, quake):
    def fund(rule, **extra):
        return support.save_fund(actor=world.secretariat, disaster=quake, recipients=[(lg("010006"), 55_000_000)],
                                 data={"kind": "recovery_fund", "amount_yen": 55_000_000, "share_rule": rule, **extra},
                                 typed_shares=extra.pop("typed", None))
    for rule, extra in (("equal", {}), ("population", {}), ("mixed", {"equal_percent": 50})):
        shares = dict(fund(rule, **extra).shares.values_list("ward_id", "amount_yen"))
        assert len(shares) == 23 and sum(shares.values()) == 55_000_000, rule
    equal = FundContribution.objects.filter(share_rule="equal").get().shares
    assert equal.get(ward_id=CHIYODA).amount_yen == 2_391_305 and equal.get(ward_id="131237").amount_yen == 2_391_304
    with pytest.raises(DisasterError, match="1,000,000円少なく"):
        support.save_fund(actor=world.secretariat, disaster=quake, recipients=[(lg("010006"), 54_000_000)],
                          data={"kind": "recovery_fund", "amount_yen": 55_000_000, "share_rule": "equal"})
    codes = list(LocalGovernment.objects.special_wards().values_list("code", flat=True))
    typed = dict.fromkeys(codes, 2_000_000)
    with pytest.raises(DisasterError, match="少なく"):
        support.save_fund(actor=world.secretariat, disaster=quake, recipients=[], typed_shares=typed,
                          data={"kind": "donation", "amount_yen": 55_000_000, "share_rule": "typed"})
    assert quake.funds.count() == 3


def test_payments_move_one_step_at_a_time(world, quake):
    fund = support.save_fund(actor=world.secretariat, disaster=quake, recipients=[(lg("010006"), 1000)],
                             data={"kind": "recovery_fund", "amount_yen": 1000, "share_rule": "equal"})
    recipient = fund.recipients.get()
    with pytest.raises(DisasterError, match="順に"):
        support.record_payment(actor=world.secretariat, recipient=recipient, payment="received", on=dt.date(2026, 12, 1))
    support.record_payment(actor=world.secretariat, recipient=recipient, payment="paid", on=dt.date(2026, 12, 1))
    support.record_payment(actor=world.secretariat, recipient=recipient, payment="received", on=dt.date(2026, 12, 3))
    recipient.refresh_from_db()
    assert (recipient.payment, recipient.paid_on, recipient.received_on) == ("received", dt.date(2026, 12, 1),
                                                                             dt.date(2026, 12, 3))


def test_the_newsletters_figures_stand_until_the_records_are_complete(world):
    from renkei.disasters.selectors import dispatch_summary

    kumamoto = Disaster.objects.prefetch_related("figures").get(name="平成28年熊本地震")
    summary = dispatch_summary(kumamoto, dt.date(2026, 1, 1))
    assert (summary.basis, summary.total.people, summary.as_of) == ("published", 421, dt.date(2018, 4, 1))
    kumamoto.dispatch_records_complete = True
    assert dispatch_summary(kumamoto, dt.date(2026, 1, 1)).basis == "computed"


def test_the_first_confirmed_dispatch_moves_the_disaster_to_supporting(world, quake):
    dispatch = support.save_dispatch(actor=world.ward, disaster=quake, data=dispatch_data())
    quake.refresh_from_db()
    assert quake.state == "collecting"  # a ward's entry waits for the secretariat
    support.confirm_dispatch(actor=world.secretariat, dispatch=dispatch)
    quake.refresh_from_db()
    assert quake.state == "supporting"
    assert StateChange.objects.filter(disaster=quake, state="supporting", note="最初の職員派遣を確認").exists()
