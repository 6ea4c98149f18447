"""Replies sent over SMTP to the mail service (the listener Postfix relays the reply domain to, and
make run's): every mail shape, the envelope's recipient, a database away (451: the sender's server
keeps the message), the 23 wards at the same moment. Transactional tests: the listener's thread has
a database connection of its own."""

import smtplib
import threading
from unittest import mock

import pytest
from django.db import connection

from renkei.core import reply_addresses
from renkei.deploy import free_port
from renkei.disasters.models import Enquiry, EnquiryAnswer
from renkei.replies import listener
from renkei.replies.models import InboundMail
from renkei.replies.tests import mails
from renkei.replies.tests.test_replies import address, thunderbird
from renkei.testing import build_world, make_staff, sample_disaster, sample_thread


@pytest.fixture
def service():
    port = free_port()
    controller = listener.start("127.0.0.1", port)
    yield port
    controller.stop()
    connection.close()


def send(port: int, sender: str, recipients: list[str], raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.sendmail(sender, recipients, raw)


def test_every_mail_shape_sent_over_smtp_is_read_as_it_was_typed(transactional_db, settings, service):
    from renkei.board.models import Post

    settings.REPLY_DOMAIN = "reply.renkei.example.jp"
    enquiry = Enquiry.objects.filter(disaster=sample_disaster()).latest("pk")
    world = build_world()
    wards = {code: make_staff(code, f"bousai-{code}@example.lg.jp") for code in ("131016", "131024", "131032",
                                                                                  "131041", "131059")}
    shapes = [("131016", mails.thunderbird, "回答: はい\n人数: ３人\n\n> 回答: いいえ", ("yes", 3)),
              ("131024", mails.outlook, "回答: いいえ\n備考: 派遣できる職員がいません。", ("no", 0)),
              ("131032", mails.iphone, "回答：はい\n人数：2", ("yes", 2)),
              ("131041", mails.quoted_printable, "回答: はい\n人数: 4\n開始日: 令和8年12月10日", ("yes", 4)),
              ("131059", mails.html_only, "<div>回答: はい<br>人数: ５</div><blockquote>回答: いいえ</blockquote>",
               ("yes", 5))]
    for code, shape, typed, _expected in shapes:
        user = wards[code]
        send(service, user.email, [address(enquiry, user)], shape(address(enquiry, user), user.email, typed))
    thread = sample_thread()
    to = reply_addresses.for_thread(thread, world.other_member)
    send(service, world.other_member.email, [to], mails.outlook_html_with_files(
        to, world.other_member.email, "資料を添付します。", [("資料.pdf", mails.PDF, "application/pdf")]))
    connection.close()
    answers = {ward: (answer, quantity) for ward, answer, quantity in
               EnquiryAnswer.objects.filter(enquiry=enquiry).values_list("ward_id", "answer", "quantity")}
    assert answers == {code: expected for code, _shape, _typed, expected in shapes}
    post = Post.objects.filter(thread=thread).latest("pk")
    assert post.author == world.other_member and [a.name for a in post.attachments.all()] == ["資料.pdf"]
    assert InboundMail.objects.filter(outcome="recorded").count() == 6


def test_the_envelope_s_recipient_is_read_when_the_headers_do_not_name_it(transactional_db, settings, service):
    """A reply whose client put the reply address in Bcc, or a relay that rewrote To: the address
    the mail server delivered to decides."""
    settings.REPLY_DOMAIN = "reply.renkei.example.jp"
    enquiry = Enquiry.objects.filter(disaster=sample_disaster()).latest("pk")
    user = make_staff("131032", "bousai@city.minato.tokyo.jp")
    raw = mails.thunderbird("防災課 <bousai-all@city.minato.tokyo.jp>", user.email, "回答: はい\n人数: 7")
    send(service, user.email, [address(enquiry, user)], raw)
    connection.close()
    assert EnquiryAnswer.objects.get(enquiry=enquiry, ward_id="131032").quantity == 7


def test_a_database_away_is_answered_451_so_the_sending_server_keeps_the_message(transactional_db, settings,
                                                                                 service):
    settings.REPLY_DOMAIN = "reply.renkei.example.jp"
    enquiry = Enquiry.objects.filter(disaster=sample_disaster()).latest("pk")
    user = make_staff("131032", "bousai@city.minato.tokyo.jp")
    raw = mails.thunderbird(address(enquiry, user), user.email, "回答: はい\n人数: 1")
    from django.db import OperationalError

    with mock.patch("renkei.replies.listener.receive", side_effect=OperationalError("connection refused")):
        with pytest.raises(smtplib.SMTPDataError) as refused:
            send(service, user.email, [address(enquiry, user)], raw)
    assert refused.value.smtp_code == 451  # temporary: Postfix keeps it and tries again (not a bounce)
    send(service, user.email, [address(enquiry, user)], raw)  # the retry, the database back
    connection.close()
    assert EnquiryAnswer.objects.get(enquiry=enquiry, ward_id="131032").quantity == 1


def test_replies_sent_over_smtp_by_23_wards_at_once_lose_nothing(transactional_db, settings, service):
    """The listener (make run's, and the one Postfix relays to in production), smtplib, 23 threads."""
    settings.REPLY_DOMAIN = "reply.renkei.example.jp"
    disaster = sample_disaster()
    enquiry = Enquiry.objects.filter(disaster=disaster).latest("pk")
    from renkei.municipalities.models import LocalGovernment

    people = [make_staff(code, f"bousai-{code}@example.lg.jp") for code in
              LocalGovernment.objects.special_wards().values_list("code", flat=True)]
    def reply(n, user):
        send(service, user.email, [address(enquiry, user)], thunderbird(enquiry, user, f"回答: はい\n人数: {n + 1}"))

    threads = [threading.Thread(target=reply, args=(n, user)) for n, user in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    connection.close()
    answers = dict(EnquiryAnswer.objects.filter(enquiry=enquiry).values_list("ward_id", "quantity"))
    assert len(answers) == 23 and InboundMail.objects.filter(outcome="recorded").count() == 23
    assert sorted(answers.values()) == sorted(set(answers.values()))  # each ward its own number, none lost
    for n, user in enumerate(people):
        assert answers[user.local_government_id] == n + 1
