"""What does answering an enquiry by mail cost, next to answering at the desk?

Builds a scratch database (SQLite file by default; DATABASE_URL selects PostgreSQL) with the
reference data, a disaster with an enquiry and a disaster contact in each of the 23 wards, starts
the mail service (renkei.replies.listener) on a loopback port, and measures, over repeated runs:
- the desk's own service (answer_enquiry): the floor;
- a reply handed to receive(): read, checked, recorded, confirmation queued;
- the same reply sent over SMTP to the service (smtplib, one connection each, as Postfix relays);
- the 23 wards' replies sent at once (23 threads) against one after the other: wall time;
- reading alone: an Outlook reply (ISO-2022-JP), Outlook's HTML with a long thread quoted below
  (about 200 KB), and HTML nested 20,000 deep.
Figures are ratios measured in the same run; absolute times are printed for orientation only.

Usage: .venv/bin/python bench/replies.py [--runs 40]
       DATABASE_URL=postgres://… .venv/bin/python bench/replies.py
"""

import argparse
import io
import logging
import os
import smtplib
import statistics as stats
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
SCRATCH = ROOT / "var" / "bench-replies.sqlite3"
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SCRATCH}")
os.environ.setdefault("REPLY_DOMAIN", "reply.renkei.example.jp")


def build():
    from django.core.management import call_command

    from renkei.disasters.models import Enquiry
    from renkei.municipalities.models import LocalGovernment
    from renkei.testing import build_world, make_staff, sample_disaster

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    build_world()
    enquiry = Enquiry.objects.filter(disaster=sample_disaster()).latest("pk")
    officers = []
    for n, ward in enumerate(LocalGovernment.objects.special_wards().order_by("code")):
        officer = make_staff(ward.code, f"bousai{n}@ward{n}.example.lg.jp", name=f"{ward.name} 防災")
        officer.is_disaster_contact = True
        officer.save()
        officers.append(officer)
    return enquiry, officers


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def send(port: int, officer, raw: bytes, to: str) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=60) as smtp:
        smtp.sendmail(officer.email, [to], raw)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    if os.environ["DATABASE_URL"].startswith("sqlite") and SCRATCH.exists():
        for path in SCRATCH.parent.glob(SCRATCH.name + "*"):
            path.unlink()  # a new database each run: the same records every time
    SCRATCH.parent.mkdir(exist_ok=True)
    import django

    django.setup()
    from django.db import connection

    from renkei.core import reply_addresses
    from renkei.deploy import free_port
    from renkei.disasters.models import EnquiryAnswer
    from renkei.disasters.services.coordination import answer_enquiry
    from renkei.replies import listener, parse
    from renkei.replies.models import InboundMail
    from renkei.replies.services import receive
    from renkei.replies.tests import mails

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line for each connection
    enquiry, officers = build()
    officer = officers[12]
    to = reply_addresses.for_enquiry(enquiry, officer)
    print(f"{connection.vendor}: 23 ward contacts, enquiry {enquiry.pk}, {args.runs} runs each")

    def desk(n: int) -> None:
        answer_enquiry(actor=officer, enquiry=enquiry, data={"answer": "yes", "quantity": n % 9 + 1,
                                                            "available_from": None, "contact": "防災課", "note": ""})

    def reply(n: int) -> bytes:
        return mails.thunderbird(to, officer.email, f"回答: はい\n人数: {n % 9 + 1}\n連絡先: 防災課\n\n> 引用")

    desk_ms = [timed(lambda n=n: desk(n)) for n in range(args.runs)]
    replies = [reply(n) for n in range(2 * args.runs)]  # written before the clock starts
    receive_ms = [timed(lambda raw=raw: receive(raw)) for raw in replies[:args.runs]]
    port = free_port()
    controller = listener.start("127.0.0.1", port)
    try:
        smtp_ms = [timed(lambda raw=raw: send(port, officer, raw, to)) for raw in replies[args.runs:]]
        kept = InboundMail.objects.filter(outcome="recorded").count()
        assert kept == 2 * args.runs, f"{kept} of {2 * args.runs} replies recorded"

        def wards(at_once: bool) -> float:
            messages = [(o, mails.thunderbird(reply_addresses.for_enquiry(enquiry, o), o.email, "回答: はい\n人数: 2"),
                         reply_addresses.for_enquiry(enquiry, o)) for o in officers]
            start = time.perf_counter()
            if at_once:
                threads = [threading.Thread(target=send, args=(port, o, raw, address)) for o, raw, address in messages]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            else:
                for o, raw, address in messages:
                    send(port, o, raw, address)
            return (time.perf_counter() - start) * 1000

        one_by_one = [wards(at_once=False) for _ in range(3)]
        at_once = [wards(at_once=True) for _ in range(3)]
        answered = EnquiryAnswer.objects.filter(enquiry=enquiry).count()
    finally:
        controller.stop()

    outlook = mails.outlook(to, officer.email, "回答: いいえ\n備考: 派遣できる保健師がいません。")
    thread_quoted = ("<p class=MsoNormal>回答: はい</p><div style='border-top:solid #E1E1E1 1.0pt'><p><b>差出人:</b> renkei</p>"
                     "</div>" + "<blockquote><p class=MsoNormal>前のメールの本文です。</p>" * 40
                     + "<table><tr><td>" + "署名と引用の続き。" * 20_000 + "</td></tr></table>" + "</blockquote>" * 40)
    deep = "<div>" * 20_000 + "回答: はい"
    read_outlook = [timed(lambda: parse.answer_from(parse.read(outlook).text)) for _ in range(args.runs)]
    read_long = [timed(lambda: parse._html_to_text(thread_quoted)) for _ in range(max(3, args.runs // 4))]
    read_deep = [timed(lambda: parse._html_to_text(deep)) for _ in range(3)]

    floor = stats.median(desk_ms)
    print(f"desk (answer_enquiry)          p50 {floor:7.1f} ms   1.00")
    print(f"reply handed to receive()      p50 {stats.median(receive_ms):7.1f} ms   "
          f"{stats.median(receive_ms) / floor:.2f} × the desk")
    print(f"reply over SMTP to the service p50 {stats.median(smtp_ms):7.1f} ms   "
          f"{stats.median(smtp_ms) / floor:.2f} × the desk")
    print(f"23 wards one by one            med {stats.median(one_by_one):7.1f} ms; at once "
          f"{stats.median(at_once):7.1f} ms ({stats.median(at_once) / stats.median(one_by_one):.2f} of it); "
          f"answers kept {answered}/23")
    base = stats.median(read_outlook)
    print(f"reading an Outlook reply       p50 {base:7.2f} ms   1.00")
    print(f"reading {len(thread_quoted) // 1000} KB of Outlook HTML  p50 {stats.median(read_long):7.2f} ms   "
          f"{stats.median(read_long) / base:.1f} × (only the first {parse.HTML_READ:,} characters are read)")
    print(f"reading HTML 20,000 deep       p50 {stats.median(read_deep):7.2f} ms   "
          f"{stats.median(read_deep) / base:.1f} ×")


if __name__ == "__main__":
    main()
