"""The wards' writes on one database: 92 writers (23 wards × 4 staff) and readers at once, through
the project's own services, as in the first days of a disaster.

Each writer is a process of its own (as app server threads and processes are to the database):
in turn it answers the HQ's enquiry for its ward, enters a dispatch of its ward's staff and replies
on the board's disaster thread. Readers open the disaster's public page and the board thread.
A writer waits `--think` seconds on average between writes (0: back to back). Prints writes per
second, "database is locked" and other errors, and write and read latency.

Usage: make bench-writers   (or .venv/bin/python bench/writers.py --seconds 30 --think 1)
       DATABASE_URL=postgres://… .venv/bin/python bench/writers.py   (PostgreSQL)
"""

import argparse
import datetime as dt
import multiprocessing
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(database_url: str) -> None:
    os.environ.update({"DJANGO_SETTINGS_MODULE": "renkei.settings", "RENKEI_ENV": "development", "DEBUG": "false",
                       "DATABASE_URL": database_url, "ALLOWED_HOSTS": "testserver",
                       "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"})
    import django

    django.setup()


def prepare(writers: int) -> dict:
    """The scratch database: reference data, a disaster whose HQ is set up with an open enquiry, the
    board's thread on it, and `writers` ward staff (four per ward)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from renkei.board.models import Thread
    from renkei.disasters.services import coordination
    from renkei.municipalities.models import LocalGovernment
    from renkei.testing import make_staff, sample_disaster

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference_data", verbosity=0)
    disaster = sample_disaster()
    secretariat = get_user_model().objects.filter(is_secretariat=True).first()
    enquiry = coordination.send_enquiry(actor=secretariat, disaster=disaster, question="給水車を出せますか",
                                        deadline=timezone.now() + dt.timedelta(days=1))
    wards = list(LocalGovernment.objects.special_wards().order_by("code"))
    staff = []
    for number in range(writers):
        ward = wards[number % len(wards)]
        staff.append(make_staff(ward.code, f"w{number}@{ward.code}.example.jp").pk)
    thread = Thread.objects.order_by("-pk").first()  # the one the HQ's set-up opened
    return {"disaster": disaster.pk, "enquiry": enquiry.pk, "thread": thread.pk, "staff": staff}


def writer(database_url, world, number, gate, think, results):
    setup_django(database_url)
    from django.contrib.auth import get_user_model
    from django.db import OperationalError

    from renkei.board import services as board
    from renkei.board.models import Thread
    from renkei.disasters.models import Channel, Disaster, Enquiry, Role
    from renkei.disasters.services import coordination, support
    from renkei.municipalities.models import LocalGovernment

    user = get_user_model().objects.select_related("local_government").get(pk=world["staff"][number])
    disaster = Disaster.objects.get(pk=world["disaster"])
    enquiry = Enquiry.objects.get(pk=world["enquiry"])
    thread = Thread.objects.get(pk=world["thread"])
    channel, role = Channel.objects.first(), Role.objects.first()
    destination = disaster.affected.first() or LocalGovernment.objects.get(code="015814")
    rng = random.Random(number)

    def answer(step):
        coordination.answer_enquiry(actor=user, enquiry=enquiry, data={
            "answer": "yes", "quantity": step % 5 + 1, "available_from": None, "contact": f"内線{number}",
            "note": f"{step}回目の回答"})

    def dispatch(step):
        first = dt.date(2026, 11, 22) + dt.timedelta(days=step % 20)
        support.save_dispatch(actor=user, disaster=disaster, data={
            "channel": channel, "destination": destination, "role": role, "persons": step % 3 + 1,
            "first_day": first, "last_day": first + dt.timedelta(days=6), "status": "planned"})

    def post(step):
        board.reply(author=user, thread=thread, body=f"{user.local_government.name}から {step} 回目の報告です。給水車1台、"
                                                     "職員2名を明朝出発させます。")

    actions = [answer, dispatch, post]
    for action in actions:  # warm: the first call of each path loads code, not measured
        action(-1)
    deadline = gate()
    time.sleep(rng.uniform(0, max(think, 0.5)))  # not all at the same instant
    step, times, locked, errors = 0, [], 0, []
    while time.monotonic() < deadline:
        action = actions[(number + step) % len(actions)]
        started = time.monotonic()
        try:
            action(step)
            times.append((action.__name__, (time.monotonic() - started) * 1000))
        except OperationalError as error:
            if "locked" in str(error):
                locked += 1
            else:
                errors.append(repr(error))
        except Exception as error:  # counted and shown, not hidden
            errors.append(repr(error))
        step += 1
        if think:
            time.sleep(rng.expovariate(1 / think))
    results.put({"kind": "write", "times": times, "locked": locked, "errors": errors})


def reader(database_url, world, number, gate, think, results):
    setup_django(database_url)
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(pk=world["staff"][number]))
    public = Client()
    pages = [(public, f"/disasters/{world['disaster']}/"), (client, f"/board/threads/{world['thread']}/")]
    times, errors, step = [], [], 0
    for who, url in pages:  # warm, not measured
        who.get(url)
    deadline = gate()
    while time.monotonic() < deadline:
        who, url = pages[step % len(pages)]
        started = time.monotonic()
        response = who.get(url)
        if response.status_code == 200:
            times.append(("read", (time.monotonic() - started) * 1000))
        else:
            errors.append(f"{url}: {response.status_code}")
        step += 1
        if think:
            time.sleep(random.expovariate(1 / think))
    results.put({"kind": "read", "times": times, "locked": 0, "errors": errors})


class Gate:
    """Every process starts its clock at the same moment, once all are set up."""

    def __init__(self, context, seconds):
        self.ready, self.start, self.seconds = context.Semaphore(0), context.Event(), seconds

    def __call__(self):
        self.ready.release()
        self.start.wait()
        return time.monotonic() + self.seconds


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))] if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--writers", type=int, default=92)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a writer's writes")
    parser.add_argument("--reader-think", type=float, default=0.1, help="mean seconds between a reader's pages")
    parser.add_argument("--check", action="store_true",
                        help="as a drill: exit 1 on any 'database is locked' or other error")
    parser.add_argument("--max-p99", type=float, default=None, help="with --check: the write p99 allowed, in ms")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="renkei-bench-writers-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{work}/db.sqlite3"
    os.environ["LIGHT_PAGES_ROOT"] = str(work / "light")
    os.environ["CONTENT_VERSION_FILE"] = str(work / "content-version")
    os.environ["MEDIA_ROOT"] = str(work / "media")
    setup_django(database_url)
    from django.db import connections

    world = prepare(args.writers)
    connections.close_all()

    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    gate = Gate(context, args.seconds)
    processes = [context.Process(target=writer, args=(database_url, world, n, gate, args.think, results))
                 for n in range(args.writers)]
    processes += [context.Process(target=reader, args=(database_url, world, n, gate, args.reader_think, results))
                  for n in range(args.readers)]
    for process in processes:
        process.start()
    for _ in processes:
        gate.ready.acquire()
    gate.start.set()
    collected = [results.get(timeout=120 + args.seconds) for _ in processes]
    for process in processes:
        process.join()

    writes = [ms for result in collected if result["kind"] == "write" for _name, ms in result["times"]]
    reads = [ms for result in collected if result["kind"] == "read" for _name, ms in result["times"]]
    by_action = {}
    for result in collected:
        for name, ms in result["times"] if result["kind"] == "write" else ():
            by_action.setdefault(name, []).append(ms)
    locked = sum(result["locked"] for result in collected)
    errors = [error for result in collected for error in result["errors"]]
    database = "PostgreSQL" if database_url.startswith("postgres") else "SQLite (WAL)"
    print(f"{database}: {args.writers} writers (think {args.think} s), {args.readers} readers (think {args.reader_think} s)")
    print(f"writes {len(writes)} ({len(writes) / args.seconds:.0f}/s)  'database is locked' {locked}  other errors {len(errors)}")
    print(f"write p50 {percentile(writes, 0.5):.1f} ms  p95 {percentile(writes, 0.95):.1f} ms  "
          f"p99 {percentile(writes, 0.99):.1f} ms  max {max(writes, default=float('nan')):.1f} ms")
    for name, values in sorted(by_action.items()):
        print(f"  {name:9} n={len(values):5d}  p50 {percentile(values, 0.5):7.1f} ms  p99 {percentile(values, 0.99):7.1f} ms")
    print(f"reads {len(reads)} ({len(reads) / args.seconds:.0f}/s)  p50 {percentile(reads, 0.5):.1f} ms"
          f"  p99 {percentile(reads, 0.99):.1f} ms")
    for error in sorted(set(errors))[:5]:
        print("  error:", error)
    if args.check:
        p99 = percentile(writes, 0.99)
        failed = locked or errors or not writes or (args.max_p99 is not None and p99 > args.max_p99)
        print("drill:", "FAILED" if failed else "passed")
        raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
