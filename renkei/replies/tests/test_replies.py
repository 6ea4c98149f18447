"""Answering an enquiry, or the board, by replying to a mail: real mail shapes (mails.py) handed
to receive() as the mail service does (test_smtp.py sends the same shapes over SMTP); who may; what
the sender is told; once per Message-ID; files within the board's limits."""

import datetime as dt
import re
from email.header import Header
from email.mime.text import MIMEText
from email.utils import make_msgid

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from renkei.core import reply_addresses
from renkei.core.models import AuditEntry, OutgoingEmail
from renkei.disasters.models import Enquiry, EnquiryAnswer
from renkei.disasters.services import coordination
from renkei.replies import parse
from renkei.replies.models import InboundMail
from renkei.replies.services import receive, release
from renkei.replies.tests import mails
from renkei.testing import make_secretariat, make_staff, sample_disaster, sign_in, text

CHIYODA, MINATO = "131016", "131032"

pytestmark = pytest.mark.django_db


@pytest.fixture
def enquiry(settings):
    settings.REPLY_DOMAIN = "reply.renkei.example.jp"
    disaster = sample_disaster()
    return Enquiry.objects.filter(disaster=disaster).latest("pk")


@pytest.fixture
def officer(db):
    user = make_staff(MINATO, "bousai@city.minato.tokyo.jp", name="港 防災")
    user.is_disaster_contact = True
    user.save()
    return user


def address(enquiry, user) -> str:
    return reply_addresses.for_enquiry(enquiry, user)


def thunderbird(enquiry, user, body: str, *, sender: str = "") -> bytes:
    return mails.thunderbird(address(enquiry, user), sender or user.email, body)


QUOTED = """
> 「令和8年胆振地方の地震（試験）」について、対策本部から各区への照会です。
> 回答: はい（または いいえ）
> 人数:
"""


def test_a_thunderbird_reply_in_utf_8_is_recorded_and_the_sender_told(enquiry, officer,
                                                                       django_capture_on_commit_callbacks):
    raw = thunderbird(enquiry, officer, "回答：はい\n人数：３人\n開始日：12月8日\n連絡先：防災課 ０３－３５７８－２１１１\n\n"
                                        "港区の担当です。\n" + QUOTED)
    with django_capture_on_commit_callbacks(execute=True):
        mail = receive(raw)
    assert mail.outcome == "recorded", mail.reason
    answer = EnquiryAnswer.objects.get(enquiry=enquiry, ward_id=MINATO)
    assert (answer.answer, answer.quantity, answer.available_from.month, answer.available_from.day) == ("yes", 3, 12, 8)
    assert answer.contact == "防災課 03-3578-2111" and answer.answered_by == officer  # folded, as the desk does
    entry = AuditEntry.objects.get(action="disasters.answer.by_mail")
    assert entry.changes["message_id"][1] == mail.message_id and entry.changes["by"][1] == "mail"
    told = OutgoingEmail.objects.get(kind="reply-recorded")
    assert told.to == officer.email and "人数・数量: 3" in told.body_text
    # The HQ's 23-ward matrix shows it.
    hq = Client()
    sign_in(hq, make_secretariat("hq2@example.jp"))
    matrix = hq.get(f"/secretariat/disasters/enquiries/{enquiry.pk}/").content.decode()
    assert re.search(r'<th scope="row">港区</th>\s*<td data-label="回答">対応できる</td><td class="num" '
                     r'data-label="人数・数量">3</td>', matrix)
    # The same message again (a relay's retry): recorded once.
    assert receive(raw).pk == mail.pk and InboundMail.objects.count() == 1
    assert AuditEntry.objects.filter(action="disasters.answer.by_mail").count() == 1


def test_an_outlook_reply_in_iso_2022_jp_with_the_quote_below_reads_only_what_was_typed(enquiry, officer):
    raw = mails.outlook(address(enquiry, officer), officer.email, "回答: いいえ\n備考: 今週は派遣できる保健師がいません。")
    assert b"ISO-2022-JP" in raw.upper() and "人数: 5" in raw.decode("iso-2022-jp")  # the copy below says 5
    mail = receive(raw)
    assert mail.outcome == "recorded", mail.reason
    answer = EnquiryAnswer.objects.get(enquiry=enquiry, ward_id=MINATO)
    assert answer.answer == "no" and answer.quantity == 0 and "保健師がいません" in answer.note


def test_an_iphone_reply_in_base64_and_an_html_only_reply_are_read(enquiry, officer):
    raw = mails.iphone(address(enquiry, officer), officer.email, "回答: はい\n人数: 2")
    assert b"Content-Transfer-Encoding: base64" in raw
    assert receive(raw).outcome == "recorded"
    assert EnquiryAnswer.objects.get(enquiry=enquiry, ward_id=MINATO).quantity == 2

    raw = mails.html_only(address(enquiry, officer), officer.email, "<div>回答: はい<br>人数: ４<br>開始日: 令和8年12月10日</div>"
                          "<blockquote>回答: いいえ</blockquote>")
    assert b"text/plain" not in raw
    assert receive(raw).outcome == "recorded"
    answer = EnquiryAnswer.objects.get(enquiry=enquiry, ward_id=MINATO)
    assert answer.quantity == 4 and answer.available_from == dt.date(2026, 12, 10)  # the last answer wins


def test_a_quoted_printable_reply_and_what_cannot_be_read(enquiry, officer, django_capture_on_commit_callbacks):
    raw = mails.quoted_printable(address(enquiry, officer), officer.email, "回答: たぶん\n人数: ①\n")
    assert b"Content-Transfer-Encoding: quoted-printable" in raw
    with django_capture_on_commit_callbacks(execute=True):
        mail = receive(raw)
    assert mail.outcome == "refused" and "「回答: たぶん」が読めません" in mail.reason
    assert not EnquiryAnswer.objects.filter(ward_id=MINATO).exists()
    notice = OutgoingEmail.objects.get(kind="reply-refused")
    assert notice.to == officer.email and "「はい」か「いいえ」で書いてください" in notice.body_text
    for body in (notice.body_text, notice.body_html):  # how to fix it: a filled example, not the blank form
        assert "回答: はい\n人数: 3\n開始日: 12月8日" in body and "「回答: いいえ」とだけ書けば足ります" in body
        assert "（または いいえ）" not in body


def test_who_may_answer(enquiry, officer, settings, client):
    # A forwarded mail, sent from another address: refused, the sender told, nothing written.
    assert receive(thunderbird(enquiry, officer, "回答: はい\n人数: 1", sender="someone@example.com")).outcome == "refused"
    # A token written by hand, or for another person, or past its end.
    raw = thunderbird(enquiry, officer, "回答: はい\n人数: 1").replace(b"reply+e", b"reply+x", 1)
    assert "返信先のアドレス" in receive(raw).reason
    other = make_staff(CHIYODA, "other@city.chiyoda.lg.jp")
    raw = thunderbird(enquiry, officer, "回答: はい\n人数: 1").replace(address(enquiry, officer).encode(),
                                                           address(enquiry, other).encode())
    assert receive(raw).outcome == "refused"  # from Minato's officer to Chiyoda's address
    expired = reply_addresses.address("e", enquiry.pk, officer.pk, timezone.localdate() - dt.timedelta(days=1))
    raw = thunderbird(enquiry, officer, "回答: はい\n人数: 1").replace(address(enquiry, officer).encode(), expired.encode())
    assert "期限が過ぎています" in receive(raw).reason
    # After the deadline, the desk's own rule and message.
    Enquiry.objects.filter(pk=enquiry.pk).update(deadline=timezone.now() - dt.timedelta(minutes=1))
    mail = receive(thunderbird(enquiry, officer, "回答: はい\n人数: 1"))
    assert mail.outcome == "refused" and "回答の期限" in mail.reason
    assert not EnquiryAnswer.objects.filter(ward_id=MINATO).exists()
    assert InboundMail.objects.count() == 5  # every one kept for the secretariat
    # The inbox says whom each address was made for: the forged mail's, Minato's officer.
    sign_in(client, make_secretariat("hq8@example.jp"))
    page = text(client.get("/secretariat/replies/?outcome=refused"))
    assert re.search(rf"someone@example\.com\s*<br>\s*<span class=\"flag\">宛先は 港区 港 防災（{officer.email}）あて", page)
    assert page.count(f"宛先は 港区 港 防災（{officer.email}）あて") == 1  # his own mails need no note

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/secretariat/replies/").status_code == 200
        return len(captured)

    fewer = queries()
    for _ in range(5):
        receive(thunderbird(enquiry, other, "回答: はい\n人数: 1"))
    assert queries() == fewer  # whatever the number of mails on the page


def test_a_mail_that_failed_dmarc_is_held_until_the_secretariat_releases_it(enquiry, officer, client):
    raw = thunderbird(enquiry, officer, "回答: はい\n人数: 1")
    raw = b"Authentication-Results: mx.renkei.example.jp; spf=pass; dmarc=fail header.from=city.minato.tokyo.jp\n" + raw
    mail = receive(raw)
    assert mail.outcome == "held" and not EnquiryAnswer.objects.filter(ward_id=MINATO).exists()
    secretariat = make_secretariat("hq3@example.jp")
    sign_in(client, secretariat)
    assert 'href="/secretariat/replies/"' in client.get("/secretariat/").content.decode()  # the back office's menu
    page = text(client.get("/secretariat/replies/"))
    assert "保留" in page and officer.email in page and "照会への回答" in page
    assert client.post(f"/secretariat/replies/{mail.pk}/release/").status_code == 302
    mail.refresh_from_db()
    assert mail.outcome == "recorded" and mail.released_by == secretariat
    assert EnquiryAnswer.objects.get(ward_id=MINATO).quantity == 1
    with pytest.raises(Exception, match="保留中のメールではありません"):
        release(actor=secretariat, mail=mail)


def test_the_enquiry_mail_carries_each_person_s_reply_address_and_the_form(enquiry, officer):
    coordination.remind(actor=make_secretariat("hq4@example.jp"), enquiry=enquiry)
    sent = OutgoingEmail.objects.filter(kind="disaster-enquiry", to=officer.email).latest("pk")
    assert sent.reply_to == address(enquiry, officer) and sent.reply_to.startswith("reply+e")
    assert len(sent.reply_to.split("@")[0]) <= 64
    for body in (sent.body_text, sent.body_html):  # Outlook and iPhone Mail show the HTML
        assert "回答: はい（または いいえ）" in body and "このメールに返信しても回答できます" in body
        assert "送信専用" not in body and "この区の回答として記録されます" in body
    # Without a reply domain (REPLY_DOMAIN unset), no form, and the mail says it takes no reply.
    from renkei.core.emails import render_email

    _subject, text_body, html_body = render_email("disaster-enquiry", {"enquiry": enquiry, "reply": ""})
    for body in (text_body, html_body):
        assert "このメールは送信専用です" in body and "回答: はい（または いいえ）" not in body


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers=st.text(max_size=300), body=st.text(max_size=500), junk=st.binary(max_size=300))
def test_whatever_arrives_never_crashes_nor_answers_for_a_ward(enquiry, headers, body, junk):
    for raw in (junk, headers.encode("utf-8", "replace") + b"\n\n" + body.encode("utf-8", "replace"),
                f"From: x@example.com\nTo: {body[:60]}\nMessage-ID: <{headers[:40]}>\n\n回答: はい".encode(
                    "utf-8", "replace"),
                b"From: x <a" + junk[:30] + b"@example.com>\nSubject: " + junk + b"\nMessage-ID: <" + junk[:20]
                + b">\n\n" + junk):
        assert receive(raw).outcome in ("refused", "held")
    parse.answer_from(body)
    assert not EnquiryAnswer.objects.filter(ward_id=MINATO).exists()


def test_a_message_saved_as_a_file_is_handed_in_by_receive_mail(enquiry, officer, monkeypatch):
    import io
    import sys

    from django.core.management import call_command

    raw = thunderbird(enquiry, officer, "回答: はい\n人数: ５")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("receive_mail", stdout=out)
    assert out.getvalue().startswith("記録した: <")
    assert EnquiryAnswer.objects.get(ward_id=MINATO).quantity == 5


def test_a_reply_to_a_board_notification_posts_in_the_thread(world, settings, django_capture_on_commit_callbacks):
    from renkei.board.models import Follow, Post, Preference, Thread
    from renkei.board.tasks import notify_new_post
    from renkei.testing import sample_thread

    settings.REPLY_DOMAIN = "reply.renkei.example.jp"
    thread = sample_thread()
    follower = world.other_member  # 上川町's lead: follows the thread, mail at once
    Follow.objects.create(user=follower, thread=thread)
    Preference.objects.update_or_create(user=follower, defaults={"mode": Preference.Mode.IMMEDIATE})
    notify_new_post.call(Post.objects.filter(thread=thread).order_by("pk").first().pk)
    sent = OutgoingEmail.objects.filter(kind="board-new-post", to=follower.email).latest("pk")
    assert sent.reply_to.startswith("reply+b")
    for body in (sent.body_text, sent.body_html):
        assert "このスレッドへの返信として投稿されます" in body and "添付したファイルは投稿に添付されます" in body
        assert "送信専用" not in body

    reply = MIMEText("上川町です。来月の会議で詳しくお話しします。\n\n--\n上川町 企画課\n\n"
                     "2026/12/06 10:00、renkei <noreply@example.jp>のメール:\n> 厚真町です。観光の連携先を探しています。",
                     "plain", "iso-2022-jp")
    reply["From"], reply["To"], reply["Message-ID"] = follower.email, sent.reply_to, make_msgid()
    reply["Subject"] = Header("Re: 【掲示板】観光連携の相手を探しています", "iso-2022-jp")
    before = Thread.objects.get(pk=thread.pk).post_count
    mail = receive(reply.as_bytes())
    assert mail.outcome == "recorded", mail.reason
    post = Post.objects.filter(thread=thread).latest("pk")
    assert post.author == follower and post.body == "上川町です。来月の会議で詳しくお話しします。"  # quote and signature gone
    assert Thread.objects.get(pk=thread.pk).post_count == before + 1
    assert AuditEntry.objects.filter(action="board.post.by_mail", changes__message_id__1=mail.message_id).exists()
    # An empty reply, and a locked thread: refused, told how, nothing posted.
    empty = MIMEText("> 引用だけ", "plain", "utf-8")
    empty["From"], empty["To"], empty["Message-ID"] = follower.email, sent.reply_to, make_msgid()
    with django_capture_on_commit_callbacks(execute=True):
        assert "本文が空です" in receive(empty.as_bytes()).reason
    notice = OutgoingEmail.objects.filter(kind="reply-refused").latest("pk")
    assert notice.subject.startswith("【投稿できませんでした】")
    # The notice takes the corrected reply: it answers to the same address, and says so.
    assert notice.reply_to == sent.reply_to and "このメールにそのまま返信し、引用の上に本文を書いて" in notice.body_text
    assert "掲示板に投稿できませんでした" in notice.body_text and "回答として" not in notice.body_text
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    locked = MIMEText("もう一言", "plain", "utf-8")
    locked["From"], locked["To"], locked["Message-ID"] = follower.email, sent.reply_to, make_msgid()
    assert receive(locked.as_bytes()).outcome == "refused"
    assert Post.objects.filter(thread=thread).count() == before + 1
    assert {m.about for m in InboundMail.objects.all()} == {"掲示板への返信"}


@pytest.fixture
def board_reply(world, settings):
    """A board thread, a member who follows it and the address their notification carries."""
    from renkei.testing import sample_thread

    settings.REPLY_DOMAIN = "reply.renkei.example.jp"
    thread = sample_thread()
    return thread, world.other_member, reply_addresses.for_thread(thread, world.other_member)


def test_files_attached_to_a_board_reply_are_posted_within_the_board_s_limits(board_reply):
    from renkei.board.models import Attachment, Post

    thread, member, to = board_reply
    raw = mails.outlook_html_with_files(to, member.email, "資料を添付します。\n現地の写真もどうぞ。", [
        ("上川町_観光資料.pdf", mails.PDF, "application/pdf"), ("現地.png", mails.png(640, 480), "image/png")])
    mail = receive(raw)
    assert mail.outcome == "recorded", mail.reason
    post = Post.objects.filter(thread=thread).latest("pk")
    assert post.author == member and post.body == "資料を添付します。\n現地の写真もどうぞ。\n\n上川町 企画課"
    files = {a.name: a for a in Attachment.objects.filter(post=post)}
    assert set(files) == {"上川町_観光資料.pdf", "現地.png"}  # the signature's logo is not a file
    assert files["上川町_観光資料.pdf"].content_type == "application/pdf" and files["上川町_観光資料.pdf"].size == len(mails.PDF)
    assert files["現地.png"].thumbnail and not files["上川町_観光資料.pdf"].thumbnail
    assert AuditEntry.objects.get(action="board.post.by_mail").changes["files"] == [None, 2]


@pytest.mark.parametrize(("files", "said"), [
    ([(f"{n}.pdf", mails.PDF, "application/pdf") for n in range(6)], "添付は5ファイルまでです"),
    ([("見積.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "application/pdf")], "「見積.pdf」は添付できない種類のファイルです"),
    ([("winmail.dat", b"\x78\x9f\x3e\x22" + b"\x00" * 64, "application/ms-tnef")], "winmail.dat"),
    ([("大きな写真.png", mails.PDF + b"\x00" * (10 * 1024 * 1024), "image/png")], "1ファイル10MBまで"),
])
def test_files_beyond_the_board_s_limits_refuse_the_whole_reply_and_say_why(board_reply, files, said,
                                                                            django_capture_on_commit_callbacks):
    from renkei.board.models import Attachment, Post

    thread, member, to = board_reply
    posts, stored = Post.objects.filter(thread=thread).count(), Attachment.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        mail = receive(mails.outlook_html_with_files(to, member.email, "資料です。", files))
    assert mail.outcome == "refused" and said in mail.reason
    assert Post.objects.filter(thread=thread).count() == posts and Attachment.objects.count() == stored
    notice = OutgoingEmail.objects.get(kind="reply-refused")
    assert notice.to == member.email and said in notice.body_text


def test_a_file_with_an_enquiry_answer_is_not_recorded_and_the_sender_is_told(enquiry, officer,
                                                                              django_capture_on_commit_callbacks):
    raw = mails.outlook_html_with_files(address(enquiry, officer), officer.email, "回答: はい\n人数: 2",
                                        [("派遣者名簿.pdf", mails.PDF, "application/pdf")], subject="RE: 照会")
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(raw).outcome == "recorded"
    assert EnquiryAnswer.objects.get(ward_id=MINATO).quantity == 2
    told = OutgoingEmail.objects.get(kind="reply-recorded")
    assert "添付ファイル（派遣者名簿.pdf）は回答には記録していません" in told.body_text
    assert "派遣者名簿.pdf" in told.body_html


@pytest.mark.parametrize("headers", [
    {"Auto-Submitted": "auto-replied"},  # RFC 3834: Exchange, Gmail, Thunderbird's vacation filter
    {"X-Autoreply": "yes"},  # sendmail's vacation, some Japanese groupware
    {"Precedence": "bulk"},
    {"From": "MAILER-DAEMON@mx.city.minato.tokyo.jp"},
])
def test_an_out_of_office_reply_or_a_bounce_is_kept_but_never_answered(enquiry, officer, headers, mailoutbox,
                                                                        django_capture_on_commit_callbacks):
    raw = thunderbird(enquiry, officer, "12月6日から12月8日まで不在にしております。\n急ぎの件は防災課までお願いします。")
    for name, value in headers.items():
        raw = raw.replace(f"\n{name}: ".encode(), f"\nX-Was-{name}: ".encode())
        raw = f"{name}: {value}\n".encode() + raw
    with django_capture_on_commit_callbacks(execute=True):
        mail = receive(raw)
    assert mail.outcome == "refused" and "自動で送られたメール" in mail.reason
    assert not OutgoingEmail.objects.exists() and mailoutbox == []  # no answer: no loop


def test_a_bounce_by_its_empty_envelope_sender_is_never_answered(enquiry, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mail = receive(thunderbird(enquiry, officer, "Delivery failed"), envelope_sender="<>")
    assert mail.outcome == "refused" and "配送エラー" in mail.reason and not OutgoingEmail.objects.exists()


def test_a_responder_that_does_not_say_so_gets_five_notices_an_hour_not_a_loop(enquiry, officer,
                                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(8):
            assert receive(thunderbird(enquiry, officer, f"ただいま不在です（{n}）")).outcome == "refused"
    assert OutgoingEmail.objects.filter(kind="reply-refused").count() == 5
    assert "通知は送っていません" in InboundMail.objects.order_by("pk").last().reason


def test_the_notices_say_they_are_automatic_so_responders_stay_silent(enquiry, officer, mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        receive(thunderbird(enquiry, officer, "回答: たぶん"))
        coordination.remind(actor=make_secretariat("hq5@example.jp"), enquiry=enquiry)
    kinds = {m.message()["Subject"]: m.message()["Auto-Submitted"] for m in mailoutbox if m.to == [officer.email]}
    assert sorted(kinds.values()) == ["auto-generated", "auto-replied"]  # the reminder; the refusal


def test_a_drill_s_confirmation_and_refusal_say_it_is_a_drill(enquiry, officer, django_capture_on_commit_callbacks):
    type(enquiry.disaster).objects.filter(pk=enquiry.disaster_id).update(is_drill=True)
    with django_capture_on_commit_callbacks(execute=True):
        receive(thunderbird(enquiry, officer, "回答: はい\n人数: 1"))
        receive(thunderbird(enquiry, officer, "回答: たぶん"))
    recorded, refused = OutgoingEmail.objects.get(kind="reply-recorded"), OutgoingEmail.objects.get(kind="reply-refused")
    assert recorded.subject.startswith("【訓練・回答を記録しました】")
    assert refused.subject.startswith("【訓練・回答を記録できませんでした】")
    for sent in (recorded, refused):
        assert "【訓練】これは訓練です。" in sent.body_text and "【訓練】これは訓練です。" in sent.body_html


def test_raw_8_bit_headers_are_read_as_utf_8_and_never_stop_the_mail_server(enquiry, officer):
    raw = thunderbird(enquiry, officer, "回答: はい\n人数: 2")
    raw = re.sub(rb"\nFrom: [^\n]*(\n[ \t][^\n]*)*", f"\nFrom: 港 防災 <{officer.email}>".encode(), raw, count=1)
    raw = re.sub(rb"\nSubject: [^\n]*(\n[ \t][^\n]*)*", "\nSubject: Re: 照会（港区）".encode(), raw, count=1)
    mail = receive(raw)  # the header's bytes are UTF-8 written raw, as sloppy clients send them
    assert mail.outcome == "recorded", mail.reason
    assert mail.subject == "Re: 照会（港区）" and mail.sender == officer.email
    # Bytes that are no encoding at all, in the address, the subject and the Message-ID: kept, refused.
    raw = re.sub(rb"\nFrom: [^\n]*(\n[ \t][^\n]*)*", b"\nFrom: x <bousai\xff@city.minato.tokyo.jp>", raw, count=1)
    raw = re.sub(rb"\nSubject: [^\n]*(\n[ \t][^\n]*)*", b"\nSubject: \x81\x40\xfe", raw, count=1)
    raw = re.sub(rb"\nMessage-ID: <", b"\nMessage-ID: <\xfe\xff", raw, count=1)
    mail = receive(raw)
    mail.refresh_from_db()
    assert mail.outcome == "refused" and "\ufffd" in mail.sender and mail.subject == "\ufffd@\ufffd"
    assert mail.message_id.startswith("<\ufffd\ufffd")


@pytest.mark.parametrize("typed", ["人数: -3", "人数：－３人", "人数: ‐1"])
def test_a_negative_number_is_refused_with_what_to_write(enquiry, officer, typed):
    mail = receive(thunderbird(enquiry, officer, f"回答: はい\n{typed}"))
    assert mail.outcome == "refused" and "人数・数量は0以上の数で書いてください" in mail.reason
    assert not EnquiryAnswer.objects.filter(ward_id=MINATO).exists()


def test_what_the_records_refuse_is_kept_refused_and_told_not_retried_forever(enquiry, officer, monkeypatch,
                                                                              django_capture_on_commit_callbacks):
    from django.db import IntegrityError

    from renkei.replies import services

    def refuses(**_kwargs):
        raise IntegrityError("CHECK constraint failed")

    monkeypatch.setattr(services, "answer_enquiry", refuses)
    with django_capture_on_commit_callbacks(execute=True):
        mail = receive(thunderbird(enquiry, officer, "回答: はい\n人数: 1"))
    mail.refresh_from_db()
    assert mail.outcome == "refused" and "記録できませんでした" in mail.reason and mail.answer_id is None
    assert OutgoingEmail.objects.get(kind="reply-refused").to == officer.email


def test_a_held_mail_is_checked_again_when_released(enquiry, officer, client):
    raw = b"Authentication-Results: mx; spf=softfail smtp.mailfrom=city.minato.tokyo.jp\n" + thunderbird(
        enquiry, officer, "回答: はい\n人数: 1")
    # The envelope said the reply address; the header's To was rewritten by a list on the way.
    raw = raw.replace(address(enquiry, officer).encode(), b"bousai-list@city.minato.tokyo.jp")
    mail = receive(raw, recipients=[address(enquiry, officer)])
    assert mail.outcome == "held"
    officer.is_active = False  # left the ward while it was held
    officer.save()
    mail = release(actor=make_secretariat("hq6@example.jp"), mail=mail)
    assert mail.outcome == "refused" and "返信できる担当者が見つかりません" in mail.reason
    assert not EnquiryAnswer.objects.filter(ward_id=MINATO).exists()
    officer.is_active = True
    officer.save()
    InboundMail.objects.filter(pk=mail.pk).update(outcome="held")
    assert release(actor=make_secretariat("hq7@example.jp"), mail=mail).outcome == "recorded"


@pytest.mark.parametrize(("body", "typed"), [
    # Outlook (Japanese): the header block of what it quotes.
    ("了解しました。\n\n送信日時: 2026年12月6日 10:00\n宛先: 港区\n件名: 照会\n回答: いいえ", "了解しました。"),
    # Gmail (Japanese): its attribution line, whole or wrapped before the address.
    ("承知しました。\n\n2026年12月6日(日) 10:00 renkei <noreply@example.jp>:\n\n> 回答:", "承知しました。"),
    ("承知しました。\n\n2026年12月6日(日) 10:00 renkei <\nnoreply@example.jp>:\n> 回答:", "承知しました。"),
    # The rules people draw above their signature.
    ("送ります。\n――――――\n港区 防災課", "送ります。"),
    ("送ります。\n━━━━━━━━\n港区 防災課", "送ります。"),
    ("送ります。\n＿＿＿＿＿＿\n港区 防災課", "送ります。"),
    ("送ります。\n－－－－－－\n港区 防災課", "送ります。"),
    ("送ります。\n■□■□■□\n港区 防災課", "送ります。"),
    # A date the person wrote is not a quote.
    ("2026年12月8日から派遣できます。", "2026年12月8日から派遣できます。"),
])
def test_what_mail_clients_put_below_the_reply_is_cut(body, typed):
    assert parse.typed(body) == typed


def test_an_html_reply_drops_quotes_within_quotes_and_its_footer():
    markup = ("<div>回答: できます<br>連絡先: 防災課: 内線 2111</div>"
              "<blockquote>前の照会<blockquote>その前の照会</blockquote>回答: いいえ</blockquote>"
              "<p>追記: 以上です</p><hr><p>港区役所 防災課 | 回答: いいえ</p>")
    text_body = parse._html_to_text(markup)
    assert parse.typed(text_body) == "回答: できます\n連絡先: 防災課: 内線 2111\n追記: 以上です"
    found = parse.answer_from(text_body)
    assert found.fields == {"answer": "yes", "contact": "防災課: 内線 2111"} and not found.errors


def test_an_html_reply_is_read_as_a_browser_parses_it():
    outlook = ("<html><head><style>p.MsoNormal{margin:0mm}</style><!--[if gte mso 9]><xml><o:shapedefaults "
               "v:ext=\"edit\" spidmax=\"1026\" /></xml><![endif]--></head><body lang=JA>"
               "<p class=MsoNormal>回答: はい<o:p></o:p></p><p class=MsoNormal>人数: ２&nbsp;人<o:p></o:p></p>"
               "<!-- <blockquote> in a comment quotes nothing -->"
               "<p>連絡先: 防災課 &lt;内線&gt; &amp; 夜間</p>"
               "<div style=\"border:none;border-top:solid #E1E1E1 1.0pt\"><p><b>差出人:</b> renkei<br>"
               "<b>送信日時:</b> 2026年12月6日 10:00</p></div><p>回答: いいえ</p></body></html>")
    found = parse.answer_from(parse._html_to_text(outlook))
    assert found.fields == {"answer": "yes", "quantity": 2, "contact": "防災課 <内線> & 夜間"}, found.errors
    # Gmail's quote: its attribution line, then the quote.
    gmail = ('<div dir="ltr">回答: いいえ</div><br><div class="gmail_quote"><div class="gmail_attr">'
             '2026年12月6日(日) 10:00 renkei &lt;noreply@example.jp&gt;:<br></div><blockquote class="gmail_quote">'
             "回答: はい</blockquote></div>")
    assert parse.typed(parse._html_to_text(gmail)) == "回答: いいえ"
    # Only the top of a very long body is read; a pathological one is read too, just shorter.
    long = "<p>回答: はい</p>" + "<p>" + "あ" * parse.HTML_READ + "</p><p>備考: 末尾</p>"
    assert "末尾" not in parse._html_to_text(long) and parse.answer_from(parse._html_to_text(long)).fields
    for deep in ("<div>" * 20_000 + "回答: はい", "<a " * 20_000, "<!--" * 20_000, "<style>" * 20_000):
        assert isinstance(parse._html_to_text(deep), str)


@pytest.mark.parametrize(("line", "answer"), [
    ("回答: できます", "yes"), ("回答：対応可能です", "yes"), ("回答: 対応可能", "yes"), ("回答: 可能です。", "yes"),
    ("回答: はい、対応可能です", "yes"), ("回答: はい（2名まで）", "yes"), ("回答: いいえ、できません", "no"),
    ("回答: できません。", "no"), ("回答: 不可能", "no"), ("回答: 対応できません", "no"), ("回答: ＮＯ", "no"),
    ("回答: たぶん", None), ("回答: 検討中です", None),
])
def test_the_words_people_answer_with(line, answer):
    assert parse.answer_from(line).fields.get("answer") == answer


@pytest.mark.parametrize("line", ["回答: はい（または いいえ）", "回答: はい（または）", "回答: はい／いいえ",
                                  "回答: はい いいえ"])
def test_the_form_s_line_left_as_it_came_is_not_taken_for_a_yes(line):
    found = parse.answer_from(line)
    assert "answer" not in found.fields and "どちらか一方だけを書いてください" in found.errors[0]


@pytest.mark.parametrize(("line", "field", "value"), [
    ("人数：３名", "quantity", 3), ("人数: 3人程度", "quantity", 3), ("人数: １，２００箱", "quantity", 1200),
    ("開始日: 12月8日（火）", "available_from", dt.date(2026, 12, 8)),
    ("開始日: 令和8年12月8日(火)", "available_from", dt.date(2026, 12, 8)),
    ("開始日: 12月8日から", "available_from", dt.date(2026, 12, 8)), ("開始日: 12/8～", "available_from", dt.date(2026, 12, 8)),
    ("開始日: 12月8日 9時から", "available_from", dt.date(2026, 12, 8)), ("開始日: 明日", "available_from", dt.date(2026, 12, 7)),
    ("開始日: 12月1日", "available_from", dt.date(2026, 12, 1)),  # a few days past: this year's
    ("開始日: 6月1日", "available_from", dt.date(2027, 6, 1)),  # months past: the coming one
    ("開始日: 1/10", "available_from", dt.date(2027, 1, 10)),
])
def test_numbers_and_days_as_clerks_write_them(line, field, value):
    found = parse.answer_from(f"回答: はい\n{line}", today=dt.date(2026, 12, 6))
    assert found.fields[field] == value and not found.errors


@pytest.mark.parametrize(("line", "said"), [
    ("人数: 2～3人", "1つの数で書いてください"), ("人数: ①", "「人数: 3」のように数字で"),
    ("人数: 数名", "「人数: 3」のように数字で"), ("開始日: 来週月曜", "「12月8日」や「令和8年12月8日」のように"),
    ("開始日: 2月30日", "「12月8日」や「令和8年12月8日」のように"),
])
def test_what_cannot_be_read_says_how_to_write_it(line, said):
    found = parse.answer_from(f"回答: はい\n{line}", today=dt.date(2026, 12, 6))
    assert said in " ".join(found.errors)


def test_a_value_is_kept_as_typed_whichever_colon_the_line_uses():
    phone = "防災課 ０３－３５７８－２１１１"
    for line in (f"連絡先: {phone}", f"連絡先：{phone}", f"＊ 連絡先 ： {phone}"):
        assert parse.answer_from(f"回答: はい\n{line}").fields["contact"] == phone
    assert parse.answer_from("回答：はい\n人数：３人").fields["quantity"] == 3


def test_windows_characters_in_iso_2022_jp_are_read_as_windows_wrote_them(enquiry, officer):
    from renkei.replies import charsets

    # Outlook on Windows labels its mail ISO-2022-JP and writes ① (NEC row 13, JIS 2D21) and ㈱ in it.
    body = ("回答: はい\r\n人数: 2\r\n備考: ".encode("iso-2022-jp") + b"\x1b$B-!\x1b(B"
            + "班と".encode("iso-2022-jp") + b"\x1b$B-j\x1b(B" + "の車両で向かいます".encode("iso-2022-jp") + b"\r\n")
    raw = (f"From: {officer.email}\r\nTo: {address(enquiry, officer)}\r\nSubject: RE: 照会\r\n"
           f"Message-ID: {make_msgid()}\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=\"ISO-2022-JP\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n").encode() + body
    with pytest.raises(UnicodeDecodeError):
        body.decode("iso-2022-jp")  # what Python's codec makes of it
    mail = receive(raw)
    assert mail.outcome == "recorded", mail.reason
    assert EnquiryAnswer.objects.get(ward_id=MINATO).note == "①班と㈱の車両で向かいます"
    # Against Python's own codec: every JIS X 0208 character reads the same, but the six Windows
    # maps elsewhere (〜 ‖ − ¢ £ ¬ → ～ ∥ － ￠ ￡ ￢), and half-width kana after ESC ( I.
    windows = str.maketrans("〜‖−¢£¬", "～∥－￠￡￢")
    jis = "".join(chr(c) for c in range(0xA0, 0xD800) if _encodes(chr(c))) + "".join(
        chr(c) for c in range(0xE000, 0x10000) if _encodes(chr(c)))
    assert len(jis) > 6800 and charsets.iso_2022_jp_windows(jis.encode("iso-2022-jp")) == jis.translate(windows)
    assert charsets.iso_2022_jp_windows(b"\x1b(I1\x1b(B") == "ｱ" and charsets.decode(b"\x87@", "Shift_JIS") == "①"


def _encodes(character: str) -> bool:
    try:
        character.encode("iso-2022-jp")
    except UnicodeEncodeError:
        return False
    return True


def test_the_desk_s_rules_hold_and_a_correction_by_mail_keeps_the_contact(enquiry, officer,
                                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        refused = receive(thunderbird(enquiry, officer, "回答: はい"))  # a yes needs a number, as at the desk
    assert refused.outcome == "refused" and "人数: 対応できる人数・数量を入力してください。" in refused.reason
    notice = OutgoingEmail.objects.get(kind="reply-refused")
    # The notice answers to the same address: a reply to it, corrected, is recorded.
    assert notice.reply_to == address(enquiry, officer) and "このメールにそのまま返信し" in notice.body_text
    for body in (notice.body_text, notice.body_html):  # signed by the HQ, not the project's desk
        assert f"{enquiry.disaster.name} 対策本部" in body and "この区の回答として記録されます" in body
    with django_capture_on_commit_callbacks(execute=True):
        receive(mails.thunderbird(notice.reply_to, officer.email, "回答: はい\n人数: 2\n連絡先: 防災課 内線2111"))
    assert EnquiryAnswer.objects.get(ward_id=MINATO).contact == "防災課 内線2111"
    with django_capture_on_commit_callbacks(execute=True):
        assert receive(thunderbird(enquiry, officer, "回答: はい\n人数: 4")).outcome == "recorded"
    answer = EnquiryAnswer.objects.get(ward_id=MINATO)
    assert (answer.quantity, answer.contact) == (4, "防災課 内線2111")  # not written again: kept
    told = OutgoingEmail.objects.filter(kind="reply-recorded").latest("pk")
    assert told.reply_to == address(enquiry, officer) and "このメールにそのまま返信し" in told.body_html
    assert f"{enquiry.disaster.name} 対策本部" in told.body_html and "事業推進課" not in told.body_html
