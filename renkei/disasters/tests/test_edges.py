"""What a tired clerk does on the worst day — pastes, clicks twice, saves again — never breaks
the record: a clear message and a 400, one record for one intention, nothing lost."""

import datetime as dt
import os
import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings

from renkei.core.models import AuditEntry
from renkei.disasters.models import Disaster
from renkei.disasters.services import support
from renkei.testing import make_staff, pasted_text, sample_disaster, sign_in, text

pytestmark = pytest.mark.django_db


def test_a_second_disaster_with_a_name_already_used_gets_the_forms_message(client, world):
    quake = sample_disaster()
    sign_in(client, world.secretariat)
    before, audited = Disaster.objects.count(), AuditEntry.objects.count()
    response = client.post("/secretariat/disasters/new/", {"name": quake.name, "kind": "earthquake",
                                                           "started_on": "令和8年11月21日"})
    assert response.status_code == 400
    assert "同じ名前の災害がすでに登録されています" in text(response)
    assert Disaster.objects.count() == before
    assert AuditEntry.objects.count() == audited
    other = Disaster.objects.exclude(pk=quake.pk).first()
    renamed = client.post(f"/secretariat/disasters/{other.pk}/edit/", {
        "name": quake.name, "kind": other.kind, "started_on": other.started_on.isoformat()})
    assert renamed.status_code == 400 and Disaster.objects.get(pk=other.pk).name == other.name


@pytest.mark.parametrize("amount", ["²", "①", "፩"])
def test_a_recipients_amount_in_digits_of_another_kind_is_refused_by_line(client, world, amount):
    quake = sample_disaster()
    sign_in(client, world.secretariat)
    response = client.post(f"/secretariat/disasters/{quake.pk}/funds/new/", {
        "kind": "recovery_fund", "amount_yen": "1000000", "recipients": f"北海道厚真町 {amount}", "share_rule": "equal"})
    assert response.status_code == 400
    assert "1行目「北海道厚真町" in text(response) and "半角か全角の数字" in text(response)
    assert quake.funds.count() == 1


def test_amounts_as_excel_and_clerks_write_them_are_read(client, world):
    quake = sample_disaster()
    sign_in(client, world.secretariat)
    response = client.post(f"/secretariat/disasters/{quake.pk}/funds/new/", {
        "kind": "donation", "amount_yen": "３０，０００，０００円", "recipients": "北海道厚真町 3,000万円",
        "share_rule": "equal"})
    assert response.status_code == 302
    fund = quake.funds.latest("pk")
    assert fund.amount_yen == 30_000_000 and fund.recipients.get().amount_yen == 30_000_000


def _hidden(response, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    assert found, f"no hidden field {name}"
    return found[1]


FUND = {"kind": "donation", "amount_yen": "1000000", "recipients": "北海道厚真町 1000000", "share_rule": "equal"}


def test_a_fund_form_sent_twice_stores_one_fund_and_answers_where_the_first_went(client, world):
    quake = sample_disaster()
    sign_in(client, world.secretariat)
    url = f"/secretariat/disasters/{quake.pk}/funds/new/"
    once = _hidden(client.get(url), "once")
    first = client.post(url, {**FUND, "once": once})
    again = client.post(url, {**FUND, "once": once})  # a double click, a reload
    assert first.status_code == again.status_code == 302 and again["Location"] == first["Location"]
    assert quake.funds.count() == 2  # the sample's own fund and this one
    assert AuditEntry.objects.filter(action="disasters.fund.created").count() == 2
    assert _hidden(client.get(url), "once") != once  # a new form, a new token
    refused = client.post(url, {**FUND, "amount_yen": "", "once": _hidden(client.get(url), "once")})
    assert refused.status_code == 400  # a refused form spends no token: corrected, it is stored
    assert client.post(url, {**FUND, "once": re.search(r'name="once" value="([^"]*)"',
                                                          refused.content.decode())[1]}).status_code == 302
    assert quake.funds.count() == 3


def test_a_stale_edit_of_a_dispatch_is_refused_with_who_changed_it_and_the_input_kept(client, world):
    quake = sample_disaster()
    dispatch = quake.dispatches.get()
    first, second = make_staff("131016", "a@city.chiyoda.lg.jp"), make_staff("131016", "b@city.chiyoda.lg.jp")
    url = f"/members/disasters/{quake.pk}/dispatches/{dispatch.pk}/"
    sign_in(client, first)
    opened = client.get(url)
    version = _hidden(opened, "version")
    other = Client()
    sign_in(other, second)
    form = {"channel": dispatch.channel_id, "destination": "北海道厚真町", "role": dispatch.role_id,
            "first_day": "2026-11-22", "last_day": "2026-11-28", "status": "done"}
    assert other.post(url, {**form, "persons": "5", "version": _hidden(other.get(url), "version")}).status_code == 302
    stale = client.post(url, {**form, "persons": "4", "version": version})
    assert stale.status_code == 409
    page = text(stale)
    assert "ほかの人がこの記録を変更しました" in page and "b@city.chiyoda.lg.jp" in page and "persons" in page
    assert 'value="4"' in stale.content.decode()  # the clerk's own input, kept
    dispatch.refresh_from_db()
    assert dispatch.persons == 5  # the other officer's change stands
    # Having looked, the clerk saves again: the form now carries the current version.
    again = client.post(url, {**form, "persons": "4", "version": _hidden(stale, "version")})
    assert again.status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.persons == 4


def test_saving_a_fund_again_keeps_its_recipients_payments_and_audits_each_change(client, world):
    quake = sample_disaster()
    fund = quake.funds.get()
    recipient = fund.recipients.get()
    support.record_payment(actor=world.secretariat, recipient=recipient, payment="paid", on=dt.date(2026, 11, 30))
    sign_in(client, world.secretariat)
    url = f"/secretariat/disasters/{quake.pk}/funds/{fund.pk}/"
    form = {"kind": "recovery_fund", "amount_yen": "20000000", "share_rule": "equal", "decided_on": "2026-11-25",
            "version": _hidden(client.get(url), "version")}
    assert client.post(url, {**form, "recipients": "北海道厚真町 20000000"}).status_code == 302
    kept = fund.recipients.get()
    assert (kept.pk, kept.payment, kept.paid_on) == (recipient.pk, "paid", dt.date(2026, 11, 30))
    # Another recipient added and the amounts moved: each change audited by itself.
    form["version"] = _hidden(client.get(url), "version")
    assert client.post(url, {**form, "recipients": "北海道厚真町 15000000\n北海道安平町 5000000"}).status_code == 302
    assert list(AuditEntry.objects.filter(action="disasters.fund_recipient.added").values_list(
        "object_repr", flat=True)) == ["北海道安平町", "北海道厚真町"]  # the new one, and the first when the fund was made
    changed = AuditEntry.objects.get(action="disasters.fund_recipient.changed")
    assert changed.changes["amount_yen"] == [20_000_000, 15_000_000]
    # A recipient already paid cannot silently vanish.
    form["version"] = _hidden(client.get(url), "version")
    refused = client.post(url, {**form, "recipients": "北海道安平町 20000000"})
    assert refused.status_code == 400 and "支出済のため、提供先から外せません" in text(refused)
    assert fund.recipients.count() == 2 and fund.recipients.filter(pk=recipient.pk, payment="paid").exists()


def _enquiry(world, quake, hours: int):
    from django.utils import timezone

    from renkei.disasters.services import coordination

    return coordination.send_enquiry(actor=world.secretariat, disaster=quake, question="保健師を派遣できますか",
                                     deadline=timezone.now() + dt.timedelta(hours=hours))


def test_an_answer_after_the_deadline_or_for_a_closed_disaster_is_refused_with_a_message(client, world):
    from django.utils import timezone

    from renkei.disasters.models import Enquiry, EnquiryAnswer

    quake = sample_disaster()
    enquiry = _enquiry(world, quake, hours=3)
    ward = make_staff("131016", "bousai@city.chiyoda.lg.jp")
    sign_in(client, ward)
    url = f"/members/disasters/enquiries/{enquiry.pk}/"
    answers = EnquiryAnswer.objects.filter(enquiry=enquiry).count()
    Enquiry.objects.filter(pk=enquiry.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))  # time passes
    late = client.post(url, {"answer": "yes", "quantity": "2"})
    assert late.status_code == 400 and "回答の期限" in text(late) and "を過ぎています" in text(late)
    # The desk says so before anyone types: 期限切れ in the list, no form on the page, whom to call instead.
    desk = client.get("/members/disasters/").content.decode()
    assert re.search(r'data-label="期限">[^<]*<strong>期限切れ</strong>', desk)
    # The number to call stands on its own line, never split from its label by a bracket at 390 px.
    assert ('<p>対策本部の連絡先: <span class="nowrap">特別区長会事務局 '
            '<a href="tel:0352109738" class="nowrap">03-5210-9738</a></span></p>') in desk
    shut = client.get(url).content.decode()
    assert "を過ぎています" in shut and 'name="answer"' not in shut and "回答は特別区長会事務局 03-5210-9738に電話" in shut
    Enquiry.objects.filter(pk=enquiry.pk).update(deadline=timezone.now() + dt.timedelta(hours=1))
    Disaster.objects.filter(pk=quake.pk).update(state=Disaster.State.CLOSED)
    closed = client.post(url, {"answer": "yes", "quantity": "2"})
    assert closed.status_code == 400 and "終結しています" in text(closed)
    assert EnquiryAnswer.objects.filter(enquiry=enquiry).count() == answers
    # The HQ reopens the disaster and gives more time: the ward's answer is taken.
    Disaster.objects.filter(pk=quake.pk).update(state=Disaster.State.SUPPORTING)
    Enquiry.objects.filter(pk=enquiry.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    hq = Client()
    sign_in(hq, world.secretariat)
    page = hq.get(f"/secretariat/disasters/enquiries/{enquiry.pk}/").content.decode()
    assert "期限を延ばして回答を受け付ける" in page and "再度知らせる" not in page  # no reminder nobody can act on
    soon = (timezone.localtime() + dt.timedelta(hours=3)).replace(minute=0)
    assert f'value="{soon:%Y-%m-%dT%H:00}"' in page  # the new deadline is offered, not an empty box
    assert re.search(r"期限 [0-9/: ]+ <strong>期限切れ</strong>", hq.get(f"/secretariat/disasters/{quake.pk}/").content.decode())
    later = timezone.localtime() + dt.timedelta(days=1)
    assert hq.post(f"/secretariat/disasters/enquiries/{enquiry.pk}/reopen/",
                   {"deadline": f"{later:%Y-%m-%d %H:%M}"}).status_code == 302
    assert AuditEntry.objects.filter(action="disasters.enquiry.reopened").exists()
    assert client.post(url, {"answer": "yes", "quantity": "2"}).status_code == 302
    assert EnquiryAnswer.objects.filter(enquiry=enquiry).count() == answers + 1


def test_a_supply_arriving_before_it_was_sent_and_a_payment_before_the_decision_are_refused(client, world):
    quake = sample_disaster()
    supply = quake.supply_records.get()
    sign_in(client, world.secretariat)
    url = f"/secretariat/disasters/{quake.pk}/supplies/{supply.pk}/"
    response = client.post(url, {"item": supply.item, "category": supply.category, "quantity": "100", "unit": "箱",
                                 "recipient": "北海道厚真町", "status": "received", "shipped_on": "2026-11-25",
                                 "received_on": "2026-11-23", "ward": supply.ward_id})
    assert response.status_code == 400 and "到着日が発送日より前" in text(response)
    supply.refresh_from_db()
    assert supply.status == "shipped"
    fund = quake.funds.get()
    fund.decided_on = dt.date(2026, 11, 25)
    fund.save()
    from renkei.disasters.services import DisasterError

    with pytest.raises(DisasterError, match="決定日"):
        support.record_payment(actor=world.secretariat, recipient=fund.recipients.get(), payment="paid",
                               on=dt.date(2026, 11, 20))


def test_a_wards_supply_is_public_only_once_the_hq_confirms_it(client, world):
    quake = sample_disaster()
    ward = make_staff("131024", "bousai@city.chuo.lg.jp")
    support.save_supply(actor=ward, disaster=quake, data={
        "item": "毛布", "category": "other", "quantity": 300, "unit": "枚",
        "recipient": quake.affected.first() or quake.supply_records.get().recipient, "status": "received"})
    supply = quake.supply_records.get(item="毛布")
    assert not supply.is_confirmed
    assert "毛布" not in text(client.get(f"/disasters/{quake.pk}/"))
    sign_in(client, world.secretariat)
    hq = client.get(f"/secretariat/disasters/{quake.pk}/").content.decode()
    row = re.search(r"中央区: 毛布</a></th>.*?</tr>", hq, re.S).group(0)  # the HQ sees it first, with 確認する
    assert "確認する" in row and "確認済み" not in row
    assert hq.index("中央区: 毛布") < hq.index("飲料水（2L）")  # waiting before the HQ's own, confirmed entry
    done = client.post(f"/secretariat/disasters/supplies/{supply.pk}/confirm/", follow=True).content.decode()
    assert "中央区の物資（毛布）を確認しました。公開の数字に入りました。" in done
    assert re.search(r"中央区: 毛布</a></th>.*?確認済み</td></tr>", done, re.S)
    assert AuditEntry.objects.filter(action="disasters.supply.confirmed", object_id=str(supply.pk)).exists()
    client.logout()
    assert "毛布" in text(client.get(f"/disasters/{quake.pk}/"))
    # Changed by the ward again: it waits for the HQ again.
    support.save_supply(actor=ward, disaster=quake, supply=supply, data={"quantity": 500})
    assert not quake.supply_records.get(pk=supply.pk).is_confirmed


def test_an_offer_is_not_yet_public_and_carries_no_shipping_date(client, world):
    quake = sample_disaster()
    ward = make_staff("131024", "bousai@city.chuo.lg.jp")
    recipient = quake.supply_records.get().recipient
    from renkei.disasters.services import DisasterError

    with pytest.raises(DisasterError, match="状態を「発送」か「到着確認」に"):
        support.save_supply(actor=ward, disaster=quake, data={
            "item": "毛布", "category": "other", "quantity": 300, "unit": "枚", "recipient": recipient,
            "status": "offered", "shipped_on": dt.date(2026, 11, 24)})
    offer = support.save_supply(actor=ward, disaster=quake, data={
        "item": "毛布", "category": "other", "quantity": 300, "unit": "枚", "recipient": recipient, "status": "offered"})
    sign_in(client, world.secretariat)
    done = text(client.post(f"/secretariat/disasters/supplies/{offer.pk}/confirm/", follow=True))
    assert "中央区の物資（毛布）を確認しました。発送されると公開の数字に入ります。" in done


def test_a_dispatch_with_no_last_day_yet_is_on_duty_until_one_is_entered(client, world):
    """A mid-term post (中長期派遣): the ward does not know the last day yet."""
    from renkei.disasters.models import Channel, Dispatch, Role
    from renkei.disasters.selectors import dispatch_counts

    quake = sample_disaster()
    ward = make_staff("131024", "bousai@city.chuo.lg.jp")
    sign_in(client, ward)
    response = client.post(f"/members/disasters/{quake.pk}/dispatches/new/", {
        "channel": Channel.objects.first().pk, "destination": "北海道厚真町", "role": Role.objects.first().pk,
        "persons": "2", "first_day": "2026-11-24", "last_day": "", "status": "on_duty"})
    assert response.status_code == 302, text(response)[-1500:]
    dispatch = Dispatch.objects.get(disaster=quake, ward_id="131024")
    assert dispatch.last_day is None
    assert "終了日未定" in text(client.get("/members/disasters/"))
    support.confirm_dispatch(actor=world.secretariat, dispatch=dispatch)
    before = dispatch_counts(quake, dt.date(2026, 11, 23)).total
    later = dispatch_counts(quake, dt.date(2026, 12, 3)).total
    assert later.on_duty - before.on_duty == 2  # on duty, although the sample's 2 have come home by then
    mine = dispatch_counts(quake, dt.date(2026, 12, 3)).by_ward["中央区"]
    assert (mine.people, mine.person_days, mine.on_duty) == (2, 2 * 10, 2)  # 11/24–12/3, both ends counted


PASTED = pasted_text()


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "6")), deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=PASTED, text_=PASTED, item=PASTED)
def test_whatever_is_pasted_into_a_disaster_a_report_or_a_supply_prints_and_opens(world, name, text_, item):
    """Any Unicode in a disaster's name, a 第N報's text and a ward's supply item, stored on this
    database: the 第N報 prints and the HQ's spreadsheet opens with the item as text."""
    import io

    from openpyxl import load_workbook

    from renkei.disasters import numbered_reports, support_status
    from renkei.disasters.services import disasters

    quake = sample_disaster() if not Disaster.objects.filter(name="令和8年胆振地方の地震（試験）").exists() \
        else Disaster.objects.get(name="令和8年胆振地方の地震（試験）")
    Disaster.objects.filter(pk=quake.pk).update(name=f"{name[:60]}{quake.pk}")
    quake.refresh_from_db()
    quake.supply_records.update(item=item[:100])
    decision = disasters.save_decision(actor=world.secretariat, disaster=quake, data={
        "body": "secretariat", "kind": "report", "decided_on": dt.date(2026, 11, 23), "title": "続報", "text": text_})
    decision = disasters.confirm_decision(actor=world.secretariat, decision=decision)
    assert numbered_reports.print_report(decision.report).startswith(b"%PDF")
    book = load_workbook(io.BytesIO(support_status.xlsx(support_status.build(quake, dt.date(2026, 11, 25)))))
    assert book["物資"]["A2"].data_type != "f"  # text (shared or inline), never a formula
    Disaster.objects.filter(pk=quake.pk).update(name="令和8年胆振地方の地震（試験）")


def test_control_characters_pasted_into_a_form_are_removed_before_it_is_stored(client, world):
    """A BEL, an ESC, a C1 control and U+FFFE pasted from a terminal or a mail are removed where
    the form comes in: the disaster is stored as the clerk meant it; line breaks and tabs stay."""
    sign_in(client, world.secretariat)
    response = client.post("/secretariat/disasters/new/", {
        "name": "令和8年\x07胆振\x1b地方の\x85地震\ufffe（貼付）", "kind": "earthquake",
        "started_on": "令和8年11月21日"})
    assert response.status_code == 302
    assert [d.name for d in Disaster.objects.all() if d.name.startswith("令和8年胆振")] == ["令和8年胆振地方の地震（貼付）"]
    from urllib.parse import urlencode

    response = client.post("/secretariat/disasters/new/", urlencode({
        "name": "令和8年\x07十勝\u0080沖の地震", "kind": "earthquake", "started_on": "令和8年11月22日"}),
        content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302 and Disaster.objects.filter(name="令和8年十勝沖の地震").exists()


def test_a_dispatchs_state_follows_its_dates_and_only_a_cancellation_is_chosen(client, world):
    """予定 stored on the day of entry went stale the day staff left and was shown beside the
    派遣中 count: the state now comes from the dates, as the counts do."""
    import time_machine
    from django.utils import timezone

    from renkei.core.editing import version_of

    quake = sample_disaster()
    ward = make_staff("131024", "bousai@city.chuo.lg.jp")
    sign_in(client, ward)
    today = timezone.localdate()
    data = {"channel": quake.dispatches.get().channel_id, "destination": "北海道厚真町",
            "role": quake.dispatches.get().role_id, "persons": "3", "first_day": f"{today + dt.timedelta(days=1)}",
            "last_day": f"{today + dt.timedelta(days=5)}"}
    assert client.post(f"/members/disasters/{quake.pk}/dispatches/new/", data).status_code == 302
    assert re.search(r"3人</a> [^<]*— 予定", client.get("/members/disasters/").content.decode())
    with time_machine.travel(today + dt.timedelta(days=2)):
        sign_in(client, ward)  # a new day's session
        assert re.search(r"3人</a> [^<]*— 派遣中", client.get("/members/disasters/").content.decode())
    with time_machine.travel(today + dt.timedelta(days=9)):
        sign_in(client, ward)
        assert re.search(r"3人</a> [^<]*— 派遣済", client.get("/members/disasters/").content.decode())
    sign_in(client, ward)
    mine = quake.dispatches.get(ward_id="131024")
    edit = client.post(f"/members/disasters/{quake.pk}/dispatches/{mine.pk}/", {**data, "cancelled": "on",
                                                                              "version": version_of(mine)})
    assert edit.status_code == 302
    assert re.search(r"3人</a> [^<]*— 中止", client.get("/members/disasters/").content.decode())


def test_a_decision_starts_with_no_body_chosen_and_is_confirmed_only_once_what_stays_is_checked(client, world):
    """What becomes permanent has no default: 決定した機関 and 種類 are chosen by the clerk; the
    confirm button shows what will stay as it is and asks once (a box to tick)."""
    from renkei.disasters.models import Decision

    quake = sample_disaster()
    sign_in(client, world.secretariat)
    url = f"/secretariat/disasters/{quake.pk}/decisions/new/"
    form = client.get(url).content.decode()
    assert re.search(r'<option value="" selected>（選んでください）</option>', form)
    blank = client.post(url, {"decided_on": "2026-11-25", "title": "第2報"})
    assert blank.status_code == 400 and Decision.objects.filter(title="第2報").count() == 0
    made = client.post(url, {"body": "chair", "kind": "report", "decided_on": "令和8年11月25日", "title": "第2報"})
    assert made.status_code == 302
    decision = Decision.objects.get(title="第2報")
    page = text(client.get(f"/secretariat/disasters/decisions/{decision.pk}/"))
    assert "次の内容がこのまま残ります" in page and decision.get_body_display() in page and 'name="checked"' in page
    unchecked = client.post(f"/secretariat/disasters/decisions/{decision.pk}/confirm/")
    assert unchecked.status_code == 302 and not Decision.objects.get(pk=decision.pk).is_confirmed
    assert "チェックを入れてから" in text(client.get(f"/secretariat/disasters/decisions/{decision.pk}/"))
    client.post(f"/secretariat/disasters/decisions/{decision.pk}/confirm/", {"checked": "on"})
    assert Decision.objects.get(pk=decision.pk).is_confirmed


def test_a_contact_typed_in_full_width_is_folded_and_every_number_is_a_tel_link(client, world):
    """０３－５２１０－９７３８ typed by the HQ is stored as 03-5210-9738 and can be tapped to call
    on the wards' desk, the public page, the light page and the 23-ward matrix."""
    from renkei.disasters.models import Disaster, Enquiry

    quake = sample_disaster()
    sign_in(client, world.secretariat)
    edit = client.get(f"/secretariat/disasters/{quake.pk}/edit/").content.decode()
    fields = dict(re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', edit))
    data = {k: v for k, v in fields.items() if k in ("name", "kind", "started_on", "summary", "version", "csrfmiddlewaretoken")}
    data.update({"hq_contact": "特別区長会事務局　防災担当　０３－５２１０－９７３８", "kind": "earthquake",
                 "affected": "北海道厚真町"})
    saved = client.post(f"/secretariat/disasters/{quake.pk}/edit/", data)
    assert saved.status_code == 302, text(saved)
    assert Disaster.objects.get(pk=quake.pk).hq_contact == "特別区長会事務局 防災担当 03-5210-9738"
    link = '<a href="tel:0352109738" class="nowrap">03-5210-9738</a>'
    assert link in client.get(f"/secretariat/disasters/{quake.pk}/").content.decode()
    ward = make_staff("131016", "bousai@city.chiyoda.lg.jp")
    desk = Client()
    sign_in(desk, ward)
    assert link in desk.get("/members/disasters/").content.decode()
    enquiry = Enquiry.objects.filter(disaster=quake).first()
    desk.post(f"/members/disasters/enquiries/{enquiry.pk}/", {"answer": "yes", "quantity": "２",
                                                             "contact": "防災課 山田 ０３（３２６４）２１１１"})
    matrix = client.get(f"/secretariat/disasters/enquiries/{enquiry.pk}/").content.decode()
    assert '防災課 山田 <a href="tel:0332642111" class="nowrap">03(3264)2111</a>' in matrix
    assert link in Client().get(f"/disasters/{quake.pk}/").content.decode()


def test_a_ward_sees_its_share_of_each_joint_fund_on_its_desk(client, world):
    """The 23 shares add up to the fund; each ward's desk shows its own, with the recipients'
    payment state (before, only the API's JSON had it)."""
    from renkei.disasters.models import FundContribution, WardShare

    quake = sample_disaster()
    fund = FundContribution.objects.get(disaster=quake)
    if not WardShare.objects.filter(contribution=fund).exists():
        for code, amount in support.ward_shares(fund.amount_yen, "equal").items():
            WardShare.objects.create(contribution=fund, ward_id=code, amount_yen=amount)
    chiyoda = WardShare.objects.get(contribution=fund, ward_id="131016")
    ward = make_staff("131016", "bousai@city.chiyoda.lg.jp")
    sign_in(client, ward)
    desk = text(client.get("/members/disasters/"))
    assert "千代田区の負担額" in desk and f"{chiyoda.amount_yen:,}円" in desk and "北海道厚真町: 決定" in desk


def test_the_hq_page_shows_the_23_wards_answers_to_the_open_enquiry(client, world):
    """At a glance, without opening the enquiry: who answered what, who has not answered yet."""
    quake = sample_disaster()
    ward = make_staff("131016", "bousai@city.chiyoda.lg.jp")
    desk = Client()
    sign_in(desk, ward)
    enquiry = quake.enquiries.first()
    desk.post(f"/members/disasters/enquiries/{enquiry.pk}/", {"answer": "yes", "quantity": "2"})
    sign_in(client, world.secretariat)
    page = client.get(f"/secretariat/disasters/{quake.pk}/").content.decode()
    grid = re.search(r'<ul class="ward-grid" aria-label="23区の回答">(.*?)</ul>', page, re.S).group(1)
    cells = re.findall(r'<li class="ward-grid__cell[^"]*">(.*?)</li>', grid)
    assert len(cells) == 23
    assert cells[0] == '<span class="ward-grid__name">千代田区</span> 対応できる（2）'
    assert sum("未回答" in cell for cell in cells) == 22


def test_the_enquiry_and_the_dispatch_forms_start_from_the_request_they_answer(client, world):
    """「この要請について23区に照会する」 opens with the question written from the request; a ward that
    answered yes records its dispatch with the destination, job, task and days already filled."""
    from renkei.disasters.models import Role

    quake = sample_disaster()
    request = quake.requests.first()  # 厚真町: 保健師 4人, 避難所の健康相談
    sign_in(client, world.secretariat)
    form = client.get(f"/secretariat/disasters/{quake.pk}/enquiries/new/", {"request": request.pk}).content.decode()
    assert "北海道厚真町から保健師4人の要請、避難所の健康相談。" in form
    assert re.search(rf'<option value="{request.pk}" selected>', form)
    ward = make_staff("131016", "bousai@city.chiyoda.lg.jp")
    desk = Client()
    sign_in(desk, ward)
    enquiry = quake.enquiries.filter(request=request).first()
    desk.post(f"/members/disasters/enquiries/{enquiry.pk}/", {"answer": "yes", "quantity": "2"})
    link = f"/members/disasters/{quake.pk}/dispatches/new/?request={request.pk}"
    assert link in desk.get("/members/disasters/").content.decode()
    page = desk.get(link).content.decode()
    assert 'value="北海道厚真町"' in page and 'value="避難所の健康相談"' in page and 'name="persons" value="4"' in page
    assert re.search(rf'<option value="{Role.objects.get(name="保健師").pk}" selected>保健師</option>', page)
    unknown = desk.get(f"/members/disasters/{quake.pk}/dispatches/new/?request=999999")  # not this disaster's
    assert unknown.status_code == 200 and 'value="北海道厚真町"' not in unknown.content.decode()


def test_disaster_mail_is_signed_by_the_hq_with_its_contact(world):
    """An enquiry comes from the HQ, not from the membership desk: its mail says so and gives the
    HQ's number; other mail keeps the desk's signature."""
    from django.utils import timezone as tz

    from renkei.core.models import OutgoingEmail
    from renkei.disasters.services import coordination

    quake = sample_disaster()
    make_staff("131016", "bousai@city.chiyoda.lg.jp").__class__.objects.filter(
        email="bousai@city.chiyoda.lg.jp").update(is_disaster_contact=True)
    coordination.send_enquiry(actor=world.secretariat, disaster=quake, question="物資を提供できますか",
                              deadline=tz.now() + dt.timedelta(hours=3))
    message = OutgoingEmail.objects.filter(kind="disaster-enquiry").latest("pk")
    assert f"特別区長会事務局（{quake.name} 対策本部）\n連絡先: 特別区長会事務局 03-5210-9738" in message.body_text
    assert "公益財団法人特別区協議会" not in message.body_text
    assert "対策本部" in message.body_html and "03-5210-9738" in message.body_html


def test_setting_up_the_hq_says_how_many_wards_the_mail_reached_and_whom_to_phone(client, world):
    from renkei.disasters.services import disasters

    ward = make_staff("131016", "bousai@city.chiyoda.lg.jp")
    ward.is_disaster_contact = True
    ward.save()
    drill = disasters.save_disaster(actor=world.secretariat, data={
        "name": "訓練の地震", "kind": "earthquake", "started_on": dt.date(2026, 12, 1), "is_drill": True})
    sign_in(client, world.secretariat)
    page = text(client.post(f"/secretariat/disasters/{drill.pk}/activate/", follow=True))
    assert "対策本部を設置し、掲示板にスレッドを作りました。1区の災害時の連絡担当にメールを送りました。" in page
    assert "（22区）には災害時の連絡担当が登録されていないため、メールは届きません。電話で伝えてください。" in page


def test_the_hq_page_shows_the_23_shares_of_each_joint_fund(client, world):
    from renkei.disasters.models import FundContribution, WardShare

    quake = sample_disaster()
    fund = FundContribution.objects.get(disaster=quake)
    if not WardShare.objects.filter(contribution=fund).exists():
        for code, amount in support.ward_shares(fund.amount_yen, "equal").items():
            WardShare.objects.create(contribution=fund, ward_id=code, amount_yen=amount)
    sign_in(client, world.secretariat)
    page = client.get(f"/secretariat/disasters/{quake.pk}/").content.decode()
    shares = re.findall(r'<li class="ward-grid__cell"><span class="ward-grid__name">([^<]+)</span> ([\d,]+)円</li>', page)
    assert len(shares) == 23 and sum(int(n.replace(",", "")) for _, n in shares) == fund.amount_yen
