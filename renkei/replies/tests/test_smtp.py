"""Replies sent over SMTP to the listener (make run's; Postfix hands to receive_mail the same way),
by the 23 wards at the same moment: nothing lost. A transactional test: the listener's thread has a
database connection of its own."""

import smtplib
import threading

from django.db import connection

from renkei.deploy import free_port
from renkei.disasters.models import Enquiry, EnquiryAnswer
from renkei.replies import listener
from renkei.replies.models import InboundMail
from renkei.replies.tests.test_replies import address, thunderbird
from renkei.testing import make_staff, sample_disaster


def test_replies_sent_over_smtp_by_23_wards_at_once_lose_nothing(transactional_db, settings):
    """The listener (make run's; Postfix hands to receive_mail the same way), smtplib, 23 threads."""
    settings.REPLY_DOMAIN = "reply.renkei.example.jp"
    disaster = sample_disaster()
    enquiry = Enquiry.objects.filter(disaster=disaster).latest("pk")
    from renkei.municipalities.models import LocalGovernment

    people = [make_staff(code, f"bousai-{code}@example.lg.jp") for code in
              LocalGovernment.objects.special_wards().values_list("code", flat=True)]
    port = free_port()
    controller = listener.start("127.0.0.1", port)
    try:
        def send(n, user):
            raw = thunderbird(enquiry, user, f"回答: はい\n人数: {n + 1}")
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
                smtp.sendmail(user.email, [address(enquiry, user)], raw)

        threads = [threading.Thread(target=send, args=(n, user)) for n, user in enumerate(people)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        controller.stop()
    connection.close()
    answers = dict(EnquiryAnswer.objects.filter(enquiry=enquiry).values_list("ward_id", "quantity"))
    assert len(answers) == 23 and InboundMail.objects.filter(outcome="recorded").count() == 23
    assert sorted(answers.values()) == sorted(set(answers.values()))  # each ward its own number, none lost
    for n, user in enumerate(people):
        assert answers[user.local_government_id] == n + 1
