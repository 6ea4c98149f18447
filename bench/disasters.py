"""How do the disaster pages hold up with years of records?

Builds a scratch database (SQLite file by default; DATABASE_URL selects PostgreSQL) with the
reference data and 50 disasters × 23 wards × 200 dispatches each (230,000 confirmed dispatch
records, random jobs, destinations and periods), then measures, over repeated runs:
- the public ward × disaster matrix (/disasters/wards/): its query count and time;
- the three counts of one disaster as of a day (dispatch_counts: one query over its 4,600 rows);
- the HQ's 23-ward answer matrix of an enquiry.

Usage: .venv/bin/python bench/disasters.py [--runs 30]
       DATABASE_URL=postgres://… .venv/bin/python bench/disasters.py
"""

import argparse
import datetime as dt
import io
import os
import random
import statistics as stats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-disasters.sqlite3'}")
DISASTERS, PER_WARD = 50, 200


def build(seed: int) -> int:
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from renkei.disasters.models import Channel, Disaster, Dispatch, Role
    from renkei.municipalities.models import LocalGovernment

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    if Dispatch.objects.count() >= DISASTERS * 23 * PER_WARD:
        return Dispatch.objects.count()
    rng = random.Random(seed)
    wards = list(LocalGovernment.objects.special_wards().values_list("code", flat=True))
    places = list(LocalGovernment.objects.municipalities().exclude(kind="special_ward").values_list("code", flat=True))
    roles, channels = list(Role.objects.values_list("pk", flat=True)), list(Channel.objects.values_list("pk", flat=True))
    now = timezone.now()
    for n in range(DISASTERS):
        started = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
        disaster, _ = Disaster.objects.get_or_create(name=f"試験災害{n:02d}", defaults={
            "kind": "earthquake", "started_on": started, "state": "closed"})
        with transaction.atomic():
            rows = []
            for ward in wards:
                for _ in range(PER_WARD):
                    first = started + dt.timedelta(days=rng.randrange(720))
                    rows.append(Dispatch(disaster=disaster, ward_id=ward, channel_id=rng.choice(channels),
                                         destination_id=rng.choice(places), role_id=rng.choice(roles),
                                         persons=rng.randint(1, 5), first_day=first,
                                         last_day=first + dt.timedelta(days=rng.randint(0, 30)), status="done",
                                         confirmed_at=now))
            Dispatch.objects.bulk_create(rows, batch_size=2000)
        print(f"  {n + 1}/{DISASTERS} disasters", flush=True)
    return Dispatch.objects.count()


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from renkei.disasters import selectors
    from renkei.disasters.models import Disaster, Enquiry

    rows = build(seed=2016)
    print(f"{connection.vendor}: {rows:,} dispatch records")
    client = Client()
    client.cookies["sessionid"] = "bench"  # a session cookie: the page is rendered, not served from the cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/disasters/wards/").status_code == 200
        page_queries = len(captured)
    matrix = [timed(lambda: client.get("/disasters/wards/?as_of=2026-04-01")) for _ in range(args.runs)]
    disaster = Disaster.objects.get(name="試験災害00")
    counts = [timed(lambda: selectors.dispatch_counts(disaster, dt.date(2026, 4, 1))) for _ in range(args.runs)]
    enquiry = Enquiry.objects.filter(disaster=disaster).first() or Enquiry.objects.create(
        disaster=disaster, question="試験", deadline=django.utils.timezone.now())
    with CaptureQueriesContext(connection) as answers_captured:
        selectors.answer_matrix(enquiry)
    answers = [timed(lambda: selectors.answer_matrix(enquiry)) for _ in range(args.runs)]
    print(f"ward × disaster matrix page: {page_queries} queries, p50 {stats.median(matrix):.1f} ms, "
          f"max {max(matrix):.1f} ms")
    print(f"three counts of one disaster (4,600 records): p50 {stats.median(counts):.1f} ms, max {max(counts):.1f} ms")
    print(f"23-ward answer matrix: {len(answers_captured)} queries, p50 {stats.median(answers):.2f} ms")


if __name__ == "__main__":
    main()
