"""The disaster pages as the public, the wards, the members and the HQ use them."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from renkei.core.models import OutgoingEmail
from renkei.disasters.models import Disaster, Dispatch, EnquiryAnswer, SupportRequest
from renkei.disasters.services import disasters
from renkei.testing import get_within, make_staff, sample_disaster, sign_in, text

pytestmark = pytest.mark.django_db


def test_the_public_page_counts_confirmed_dispatches_as_of_a_day_and_says_how(client, world):
    quake = sample_disaster()
    page = text(client.get(quake.get_absolute_url()))  # the ward's entry is not confirmed yet: it does not count
    assert "派遣人数（累積）" in page and '<span class="figures__value">0</span>' in page
    Dispatch.objects.update(confirmed_at=timezone.now())
    client.cookies.clear()
    page = text(client.get(quake.get_absolute_url(), {"as_of": "2026-11-25"}))
    assert 'figures__value">2</span>' in page and 'figures__value">8</span>' in page  # 2 people, 11/22–11/25
    assert "中止した派遣は数えません" in page and "特別区長会の支援について" in page  # the rules, the timeline
    assert "北海道厚真町: 千代田区" in page  # the counterpart pairing


@pytest.mark.parametrize("as_of,message", [("2026-02-30", "2026年2月30日は存在しない日付です"), ("1990-01-01", "範囲外です")])
def test_a_bad_date_is_explained(client, world, as_of, message):
    response = client.get(sample_disaster().get_absolute_url(), {"as_of": as_of})
    assert response.status_code == 400 and message in response.content.decode()


def test_a_drill_never_shows_publicly(client, world):
    drill = disasters.save_disaster(actor=world.secretariat, data={
        "name": "防災の日の訓練", "kind": "earthquake", "started_on": dt.date(2026, 9, 1), "is_drill": True})
    disasters.activate(actor=world.secretariat, disaster=drill)
    assert client.get(drill.get_absolute_url()).status_code == 404
    assert "防災の日の訓練" not in text(client.get("/disasters/"))
    assert "防災の日の訓練" not in text(client.get("/"))  # no banner either
    assert "防災の日の訓練" not in client.get("/api/v1/disasters").content.decode()
    assert client.get(f"/api/v1/disasters/{drill.pk}/dispatch").status_code == 404
    assert "防災の日の訓練" not in client.get("/opendata/disasters.csv").content.decode("utf-8-sig")


def test_every_page_names_an_active_disaster_at_the_top(client, world):
    quake = sample_disaster()
    page = text(client.get("/news/"))
    assert 'class="disaster-banner"' in page and quake.get_absolute_url() in page
    disasters.set_state(actor=world.secretariat, disaster=quake, state="closed")
    assert 'class="disaster-banner"' not in text(client.get("/news/"))


def test_the_ward_matrix_counts_confirmed_people_by_ward_in_constant_queries(client, world):
    quake = sample_disaster()
    Dispatch.objects.update(confirmed_at=timezone.now())
    page = get_within(client, "/disasters/wards/", queries=6, contains="令和8年胆振地方の地震（試験）").content.decode()
    assert '<th scope="row">千代田区</th><td class="num">2</td>' in page
    assert quake.name in page


def test_an_affected_municipalitys_page_names_the_support_it_received(client):
    page = text(client.get("/local-governments/015814/"))
    assert "23区からの災害支援" in page and "平成30年北海道胆振東部地震" in page and "職員派遣 28人" in page


def test_the_api_gives_the_three_counts_and_their_basis(client, world):
    kumamoto = Disaster.objects.get(name="平成28年熊本地震")
    body = client.get(f"/api/v1/disasters/{kumamoto.pk}/dispatch").json()
    assert (body["basis"], body["people"], body["as_of"], body["person_days"]) == ("published", 421, "2018-04-01", None)
    quake = sample_disaster()
    Dispatch.objects.update(confirmed_at=timezone.now())
    body = client.get(f"/api/v1/disasters/{quake.pk}/dispatch", {"as_of": "2026-11-25"}).json()
    assert (body["basis"], body["people"], body["person_days"], body["on_duty"]) == ("computed", 2, 8, 2)
    assert body["by_ward"] == [{"name": "千代田区", "people": 2, "person_days": 8, "on_duty": 2, "planned": 0}]
    before = client.get(f"/api/v1/disasters/{quake.pk}/dispatch", {"as_of": "2026-11-21"}).json()
    assert (before["people"], before["on_duty"], before["planned"]) == (0, 0, 2)  # arranged, not begun: 予定
    assert before["by_role"] == [{"name": "保健師", "people": 0, "person_days": 0, "on_duty": 0, "planned": 2}]
    # 年度別: by the fiscal year of the first day, in the API, on the page and in the HQ's XLSX.
    dispatch = Dispatch.objects.get(disaster=quake)
    Dispatch.objects.create(disaster=quake, ward=dispatch.ward, channel=dispatch.channel, role=dispatch.role,
                            destination=dispatch.destination, persons=4, first_day=dt.date(2027, 4, 1),
                            last_day=dt.date(2027, 4, 10), confirmed_at=timezone.now())
    years = client.get(f"/api/v1/disasters/{quake.pk}/dispatch", {"as_of": "2027-04-05"}).json()["by_fiscal_year"]
    assert [(y["fiscal_year"], y["name"], y["people"], y["on_duty"]) for y in years] == [
        (2026, "令和8年度", 2, 0), (2027, "令和9年度", 4, 4)]
    page = client.get(f"/disasters/{quake.pk}/", {"as_of": "2026-11-25"}).content.decode()
    assert re.search(r'年度別.*?令和8年度</th><td class="num" data-label="人数">2</td>', page, re.S)
    sign_in(client, world.secretariat)
    report = client.get(f"/secretariat/disasters/{quake.pk}/report/", {"as_of": "2027-04-05", "format": "xlsx"})
    from urllib.parse import quote  # the file is named for the disaster, as a clerk looks for it

    assert f"filename*=utf-8''{quote(quake.name + '_支援の状況_20270405.xlsx')}" in report["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(report.content))["年度別"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=3)] == [
        ["令和8年度", 0, 0, 2, 2], ["令和9年度", 0, 4, 0, 4], ["合計", 0, 4, 2, 6]]
    client.logout()
    # The newsletter names a dispatch to 伊豆大島 without a figure: unknown, not 0.
    oshima = Disaster.objects.get(name__contains="伊豆大島")
    body = client.get(f"/api/v1/disasters/{oshima.pk}/dispatch").json()
    assert (body["basis"], body["people"], body["person_days"], body["on_duty"], body["planned"]) == (
        "unknown", None, None, None, None)
    listed = {d["id"]: d for d in client.get("/api/v1/disasters").json()}
    assert listed[oshima.pk]["totals"]["people"] is None and listed[kumamoto.pk]["totals"]["people"] == 421
    assert listed[oshima.pk]["totals"]["funds_yen"] is None  # 復興支援金 named, amount not printed
    assert listed[kumamoto.pk]["totals"]["funds_yen"] == 55_000_000
    page = text(client.get(f"/disasters/{oshima.pk}/"))
    assert "人数は公表されていません（不明）" in page and "派遣人数（累積） 0" not in page
    # No source closes these disasters: none is said to be 終結; 東日本大震災's support 「現在も続いています」.
    states = {d["name"]: d["state"] for d in client.get("/api/v1/disasters").json()}
    assert "closed" not in states.values()
    assert states["東日本大震災"] == "continuing" and states["平成28年熊本地震"] == "unstated"
    assert "終結" not in text(client.get(f"/disasters/{kumamoto.pk}/"))
    heavy_rain = Disaster.objects.get(name="平成30年7月豪雨")  # 111人, printed with no date
    page = client.get(f"/disasters/{heavy_rain.pk}/").content.decode()
    assert "累積111人（公表値（時点不明））" in page and "現在、公表値" not in page
    assert client.get(f"/api/v1/disasters/{quake.pk}/dispatch", {"as_of": "2026-13-01"}).status_code == 400
    assert client.get("/api/v1/disasters/999999/funds").json() == {"detail": "災害（id 999999）はありません。"}
    funds = client.get(f"/api/v1/disasters/{quake.pk}/funds").json()
    assert funds[0]["amount_yen"] == 20_000_000 and sum(s["amount_yen"] for s in funds[0]["shares"]) == 20_000_000


def test_a_ward_answers_on_its_own_screen_and_sees_only_its_own_records(client, world):
    quake = sample_disaster()
    enquiry = quake.enquiries.get()
    chuo = make_staff("131024", "bousai@city.chuo.lg.jp")
    sign_in(client, chuo)
    desk = text(client.get("/members/disasters/"))
    assert "未回答" in desk and quake.name in desk
    response = client.post(f"/members/disasters/enquiries/{enquiry.pk}/", {"answer": "yes", "quantity": ""})
    assert response.status_code == 400 and "対応できる人数・数量を入力してください" in response.content.decode()
    assert not EnquiryAnswer.objects.exists()
    client.post(f"/members/disasters/enquiries/{enquiry.pk}/", {"answer": "yes", "quantity": "3", "contact": "防災課"})
    assert EnquiryAnswer.objects.get().ward_id == "131024"
    chiyoda_dispatch = quake.dispatches.get()
    assert client.get(f"/members/disasters/{quake.pk}/dispatches/{chiyoda_dispatch.pk}/").status_code == 404


def test_an_affected_member_files_a_request_and_follows_what_remains(client, world):
    quake = sample_disaster()
    sign_in(client, world.member)  # 厚真町's lead contact
    response = client.post(f"/members/disasters/{quake.pk}/requests/new/", {
        "kind": "supplies", "item": "毛布", "quantity": "200", "unit": "枚", "task": "避難所",
        "requester_name": "保健福祉課 山田 0145-27-2321"})
    assert response.status_code == 302
    request = SupportRequest.objects.get(item="毛布")
    assert (request.requester_id, request.channel) == ("015814", "portal")
    assert "毛布" in text(client.get("/members/disasters/"))
    assert OutgoingEmail.objects.filter(kind="disaster-request-filed").exists()
    other = client.__class__()
    sign_in(other, world.other_member)  # 上川町: not struck
    assert other.get(f"/members/disasters/{quake.pk}/requests/new/").status_code == 403


def test_the_hq_sees_the_23_ward_matrix_in_constant_queries_and_reminds_the_silent(client, world):
    quake = sample_disaster()
    enquiry = quake.enquiries.get()
    sign_in(client, world.secretariat)
    page = get_within(client, f"/secretariat/disasters/enquiries/{enquiry.pk}/", queries=12,
                      contains="未回答の23区に再度知らせる").content.decode()
    assert page.count("<td colspan=\"5\">未回答</td>") == 23
    response = client.post(f"/secretariat/disasters/enquiries/{enquiry.pk}/remind/", follow=True)
    page = response.content.decode()
    # the world's wards have no disaster contact: no mail is claimed, the 23 are named to be phoned
    assert "メールを送れた区はありません" in page and "（23区）には災害時の連絡担当が登録されていない" in page
    assert "千代田区、中央区、港区" in page and "再度お知らせしました" not in page


def test_the_hq_page_shows_every_part_of_the_coordination(client, world):
    quake = sample_disaster()
    sign_in(client, world.secretariat)
    page = get_within(client, f"/secretariat/disasters/{quake.pk}/", queries=30, contains="要請と調整の残り").content.decode()
    for part in ("保健師を派遣できますか", "派遣の記録（確認待ちが先）", "飲料水（2L）", "復興支援金", "特別区長会の支援について",
                 "北海道厚真町 ← 千代田区", "災害時の連絡担当がいない区があります"):
        assert part in page, part
    report = client.get(f"/secretariat/disasters/{quake.pk}/report/", {"as_of": "2026-11-25", "format": "xlsx"})
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_hq_spreadsheet_keeps_a_wards_text_as_text(client, world):
    """A ward typed a formula and a control character into a supply's item: the HQ's XLSX still
    opens, and the item is text, not a live formula."""
    from openpyxl import load_workbook

    quake = sample_disaster()
    quake.supply_records.update(item='=HYPERLINK("http://example.com","水")\x07')
    sign_in(client, world.secretariat)
    report = client.get(f"/secretariat/disasters/{quake.pk}/report/", {"as_of": "2026-11-25", "format": "xlsx"})
    assert report.status_code == 200
    item = load_workbook(io.BytesIO(report.content))["物資"]["A2"]
    assert item.data_type == "s" and item.value == '=HYPERLINK("http://example.com","水")' and item.quotePrefix


def test_a_fund_that_does_not_add_up_is_refused_with_the_difference(client, world):
    quake = sample_disaster()
    sign_in(client, world.secretariat)
    response = client.post(f"/secretariat/disasters/{quake.pk}/funds/new/", {
        "kind": "recovery_fund", "amount_yen": "1000000", "recipients": "北海道厚真町 900000", "share_rule": "equal"})
    assert response.status_code == 400 and "100,000円少なく" in response.content.decode()
    assert quake.funds.count() == 1


def test_the_lists_run_a_bounded_number_of_queries(client, world):
    sample_disaster()
    sign_in(client, world.ward)
    get_within(client, "/members/disasters/", queries=16, contains="保健師を派遣できますか")
    sign_in(client, world.member)
    get_within(client, "/members/disasters/", queries=15, contains="支援を要請する")
    sign_in(client, world.secretariat)
    get_within(client, "/secretariat/disasters/", queries=12, contains="令和8年胆振地方の地震（試験）")
