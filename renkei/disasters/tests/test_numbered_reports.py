"""A disaster's 第N報: composed from its records when confirmed, kept as it read that day, shown
as a page and printed on one A4 page."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from renkei.disasters import numbered_reports
from renkei.disasters.models import Channel, Decision, Disaster, Role
from renkei.disasters.services import disasters, support
from renkei.municipalities.models import LocalGovernment
from renkei.testing import make_staff, pdf_info, pdf_text, sample_disaster, text

pytestmark = pytest.mark.django_db


def _report(world, disaster, title="特別区の対応について"):
    decision = disasters.save_decision(actor=world.secretariat, disaster=disaster, data={
        "body": "secretariat", "kind": "report", "decided_on": dt.date(2026, 11, 23), "title": title,
        "text": "本日までに保健師2人を派遣しました。\n\n次報は11月25日の予定です。"})
    return disasters.confirm_decision(actor=world.secretariat, decision=decision)


def test_a_confirmed_report_keeps_the_records_of_its_day_as_a_page_and_a_one_page_pdf(world):
    disaster = sample_disaster()  # its 第1報 was confirmed before this dispatch of 2 保健師 went in … and after
    second = _report(world, disaster)
    assert second.report_number == 2 and second.report["number"] == 2
    url = f"/disasters/{disaster.pk}/reports/2/"
    assert second.report_url() == url
    page = text(Client().get(url))
    for expected in ("令和8年胆振地方の地震（試験）に係る特別区の対応について（第2報）", "次報は11月25日の予定です。",
                     "北海道厚真町", "2,000万円", "飲料水（2L）",
                     '特別区長会事務局 <a href="tel:0352109738" class="nowrap">03-5210-9738</a>'):
        assert expected in page, expected
    response = Client().get(f"/disasters/{disaster.pk}/reports/2.pdf")
    assert response["Content-Type"] == "application/pdf"
    printed = response.content
    info = pdf_info(printed)
    assert info["Pages"] == "1" and info["Tagged"] == "yes"
    said = "".join(pdf_text(printed).split())
    assert "（第2報）" in said and "2,000万円" in said and "北海道厚真町" in said
    # More staff sent afterwards: the 第2報 still says what it said; a 第3報 says the new figure.
    ward = make_staff("131024", "bousai@city.chuo.lg.jp")
    support.save_dispatch(actor=ward, disaster=disaster, data={
        "channel": Channel.objects.first(), "destination": LocalGovernment.objects.get(code="015814"),
        "role": Role.objects.get(name="事務職員"), "persons": 5, "first_day": dt.date(2026, 11, 24),
        "last_day": dt.date(2026, 11, 30), "status": "done"})
    for dispatch in disaster.dispatches.filter(confirmed_at__isnull=True):
        support.confirm_dispatch(actor=world.secretariat, dispatch=dispatch)
    third = _report(world, disaster, "続報")
    assert second.report == Decision.objects.get(pk=second.pk).report
    assert third.report["dispatch"]["people"] != second.report["dispatch"]["people"]
    assert "事務職員" in text(Client().get(f"/disasters/{disaster.pk}/reports/3/"))
    assert "事務職員" not in text(Client().get(url))


def test_only_confirmed_reports_of_real_disasters_are_public(world):
    disaster = sample_disaster()
    draft = disasters.save_decision(actor=world.secretariat, disaster=disaster, data={
        "body": "secretariat", "kind": "report", "decided_on": dt.date(2026, 11, 24), "title": "下書き"})
    assert draft.report_number is None and draft.report is None
    assert Client().get(f"/disasters/{disaster.pk}/reports/2/").status_code == 404
    Disaster.objects.filter(pk=disaster.pk).update(is_drill=True)
    assert Client().get(f"/disasters/{disaster.pk}/reports/1/").status_code == 404
    assert Client().get(f"/disasters/{disaster.pk}/reports/1.pdf").status_code == 404


def test_a_report_with_what_people_paste_prints_once_and_is_served_as_a_file(world, monkeypatch,
                                                                             django_capture_on_commit_callbacks):
    """Pasted from mail and LINE: a bell, an escape, a non-character, Thai and emoji, in the
    disaster's name and the report's text. The report prints at confirmation and is never printed
    again; a reader who has it is answered 304."""
    disaster = sample_disaster()
    Disaster.objects.filter(pk=disaster.pk).update(name="台風🌀10号\x1b")
    decision = disasters.save_decision(actor=world.secretariat, disaster=disaster, data={
        "body": "secretariat", "kind": "report", "decided_on": dt.date(2026, 11, 23), "title": "続報🙂",
        "text": "了解しました\x07。ภาษาไทย の通訳を派遣\ufffe。"})
    with django_capture_on_commit_callbacks(execute=True):
        decision = disasters.confirm_decision(actor=world.secretariat, decision=decision)
    decision.refresh_from_db()
    assert decision.report_pdf  # printed when it was confirmed

    def printing_again(report):
        raise AssertionError("printed again")

    monkeypatch.setattr(numbered_reports, "print_report", printing_again)
    url = f"/disasters/{disaster.pk}/reports/{decision.report_number}.pdf"
    response = Client().get(url)
    assert response.status_code == 200 and response["ETag"]
    printed = response.content
    said = "".join(pdf_text(printed).split())
    assert "了解しました。ภาษาไทย" in said and "派遣〓。" in said and "台風🌀10号" in said
    assert Client().get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert Client().get(url).status_code == 200  # still the file, still not printed again


def test_a_report_confirmed_before_files_were_kept_is_printed_on_first_request_and_kept(world):
    disaster = sample_disaster()
    first = Decision.objects.get(disaster=disaster, report_number=1)
    Decision.objects.filter(pk=first.pk).update(report_pdf="")
    assert Client().get(f"/disasters/{disaster.pk}/reports/1.pdf").status_code == 200
    assert Decision.objects.get(pk=first.pk).report_pdf.name.endswith(".pdf")


def test_a_report_says_a_published_figure_has_no_date_and_counts_what_is_arranged(world):
    iburi = Disaster.objects.get(name="平成30年北海道胆振東部地震")  # 28人 printed, with no date
    report = _report(world, iburi, "平成30年の派遣について")
    page = text(Client().get(report.report_url()))
    assert "28人</strong>（累積、公表値（時点不明））" in page and "、、" not in page
    said = "".join(pdf_text(Client().get(f"/disasters/{iburi.pk}/reports/{report.report_number}.pdf").content).split())
    assert "28人（累積、公表値（時点不明））" in said
    # Staff arranged for tomorrow: 予定, beside (not inside) the staff already sent.
    disaster = sample_disaster()
    support.save_dispatch(actor=world.secretariat, disaster=disaster, data={
        "ward": LocalGovernment.objects.get(code="131024"),
        "channel": Channel.objects.first(), "destination": LocalGovernment.objects.get(code="015814"),
        "role": Role.objects.get(name="保健師"), "persons": 5, "first_day": timezone.localdate() + dt.timedelta(days=1),
        "last_day": timezone.localdate() + dt.timedelta(days=7)})
    arranged = _report(world, disaster, "派遣予定")
    assert arranged.report["dispatch"]["planned"] == "5人"
    assert arranged.report["dispatch"]["by_role"] == [["保健師", "0人", "0人", "5人"]]  # the sample 2 await the HQ
    assert "このほか予定 5人" in text(Client().get(arranged.report_url()))


def test_an_english_reader_is_told_the_report_is_a_japanese_document(client, world):
    disaster = sample_disaster()
    client.cookies["django_language"] = "en"
    page = client.get(f"/disasters/{disaster.pk}/reports/1/").content.decode()
    assert "This report was issued in Japanese" in page and '<article class="numbered-report" lang="ja">' in page
