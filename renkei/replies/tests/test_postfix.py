"""Replies through a real mail server: Debian's Postfix set up as docs/deploy.md says
(deploy/postfix/), relaying the reply domain to the mail service (manage.py mail_listener, as
renkei-mail.service runs it) of an app machine, PostgreSQL behind, nginx in front for the HQ's
page. Mail is sent to Postfix with smtplib as the wards' servers would send it.

Run by `make test-topology` (CI installs postfix); it needs POSTGRES_TEST_URL and root (Postfix's
master runs as root and drops to the postfix user).
"""

import json
import os
import re
import shutil
import smtplib
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from renkei.deploy import LocalCluster, fetch, scratch_database
from renkei.replies.tests import mails

pytestmark = pytest.mark.topology

DOMAIN = "reply.renkei.example.jp"

PEOPLE = """
import json
from renkei.core import reply_addresses
from renkei.disasters.models import Enquiry
from renkei.testing import ATSUMA, KAMIKAWA, make_member, make_staff, sample_thread

enquiry = Enquiry.objects.filter(disaster__name=%r).latest("pk")
minato = make_staff("131032", "bousai@city.minato.tokyo.jp", name="港 防災")
chiyoda = make_staff("131016", "kikikanri@city.chiyoda.lg.jp", name="千代田 防災")
make_member(ATSUMA)
make_member(KAMIKAWA)
make_staff(ATSUMA, "lead@town.atsuma.lg.jp", lead=True)
kamikawa = make_staff(KAMIKAWA, "lead@town.kamikawa.lg.jp", lead=True)
thread = sample_thread()
print(json.dumps({"enquiry": enquiry.pk, "thread": thread.pk,
                  "minato": [minato.email, reply_addresses.for_enquiry(enquiry, minato)],
                  "chiyoda": [chiyoda.email, reply_addresses.for_enquiry(enquiry, chiyoda)],
                  "kamikawa": [kamikawa.email, reply_addresses.for_thread(thread, kamikawa)]}))
"""


@pytest.fixture
def database():
    url = os.environ.get("POSTGRES_TEST_URL")
    assert url, "the topology test needs PostgreSQL: set POSTGRES_TEST_URL (as .ci/run does)"
    with scratch_database(url, "renkei_mail") as database:
        yield database


@pytest.fixture
def work():
    path = Path(tempfile.mkdtemp(prefix="renkei-mail-"))
    path.chmod(0o755)  # Postfix's daemons and nginx's workers run as other users
    yield path
    shutil.rmtree(path, ignore_errors=True)


def send(port: int, sender: str, to: str, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.sendmail(sender, [to], raw)


def until(database: str, query: str, expected, params=(), timeout: float = 90):
    """The query's rows once they are `expected` (mail goes through queues: wait for it, not for a time)."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(database, autocommit=True) as connection:
        while True:
            rows = connection.execute(query, params).fetchall()
            if rows == expected or time.monotonic() > deadline:
                return rows
            time.sleep(0.1)


def test_a_reply_sent_to_postfix_is_recorded_and_the_hq_sees_it(database, work):
    with LocalCluster(work, database, machines=("a",), mail=True, settings={"REPLY_DOMAIN": DOMAIN}) as cluster:
        postfix = cluster.postfix.port
        people = json.loads(cluster.manage("a", "shell", "-c", PEOPLE % cluster.disaster).strip().splitlines()[-1])
        minato, chiyoda, kamikawa = people["minato"], people["chiyoda"], people["kamikawa"]

        # Postfix takes the reply domain only: it relays nothing else.
        with pytest.raises(smtplib.SMTPRecipientsRefused, match="Relay access denied"):
            send(postfix, minato[0], "someone@example.com", mails.thunderbird("someone@example.com", minato[0], "x"))

        send(postfix, minato[0], minato[1], mails.outlook(minato[1], minato[0], "回答: はい\n人数: ３\n開始日: 12月8日"))
        send(postfix, chiyoda[0], chiyoda[1], mails.html_only(chiyoda[1], chiyoda[0], "<p>回答: いいえ</p>"))
        send(postfix, "someone@example.com", minato[1], mails.thunderbird(minato[1], "someone@example.com", "回答: いいえ"))
        send(postfix, kamikawa[0], kamikawa[1], mails.outlook_html_with_files(
            kamikawa[1], kamikawa[0], "上川町です。資料を添付します。", [("上川町_観光.pdf", mails.PDF, "application/pdf")]))

        expected = sorted([(minato[0], "recorded"), (chiyoda[0], "recorded"), (kamikawa[0], "recorded"),
                           ("someone@example.com", "refused")])
        assert until(database, "SELECT sender, outcome FROM replies_inboundmail ORDER BY sender", expected) == expected
        with psycopg.connect(database, autocommit=True) as connection:
            answers = connection.execute("SELECT ward_id, answer, quantity, to_char(available_from, 'MM-DD') "
                                         "FROM disasters_enquiryanswer WHERE enquiry_id = %s ORDER BY ward_id",
                                         [people["enquiry"]]).fetchall()
            assert answers == [("131016", "no", 0, None), ("131032", "yes", 3, "12-08")]
            files = connection.execute("SELECT a.name FROM board_attachment a JOIN board_post p ON p.id = a.post_id "
                                       "WHERE p.thread_id = %s AND p.body = %s",
                                       [people["thread"], "上川町です。資料を添付します。\n\n上川町 企画課"]).fetchall()
            assert files == [("上川町_観光.pdf",)]
            told = connection.execute("SELECT kind, status FROM core_outgoingemail WHERE \"to\" = %s",
                                      ["someone@example.com"]).fetchall()
            assert told == [("reply-refused", "sent")]  # the forger's server is told, in Japanese

        # The HQ's 23-ward matrix, through nginx, shows the answers by mail.
        status, _headers, page = fetch(cluster.url + f"/secretariat/disasters/enquiries/{people['enquiry']}/",
                                       cookie=f"sessionid={cluster.session}")
        assert status == 200
        assert re.search(r'<th scope="row">港区</th>\s*<td data-label="回答">対応できる</td><td class="num" '
                         r'data-label="人数・数量">3</td>', page)

        # The mail service away (a restart, a crash): Postfix keeps the reply and delivers it later.
        cluster.stop(cluster.mail_service)
        send(postfix, minato[0], minato[1], mails.iphone(minato[1], minato[0], "回答: はい\n人数: 5"))
        deadline = time.monotonic() + 60
        while cluster.postfix.queued() != ["deferred"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert cluster.postfix.queued() == ["deferred"]  # kept in Postfix's queue, not bounced
        cluster.start_mail_service()
        cluster.postfix.flush()
        assert until(database, "SELECT quantity FROM disasters_enquiryanswer WHERE ward_id = '131032' "
                               "AND enquiry_id = %s", [(5,)], [people["enquiry"]]) == [(5,)]
        assert cluster.postfix.queued() == []
