"""How fast are the four figures for any date, over 20 years of dense records?

Builds a scratch database (SQLite file by default; DATABASE_URL selects PostgreSQL) with the
reference data, the newsletter's records, 3–6 relations with the wards for every municipality
started over 2005–2024 (a third of them ended), and a membership history for 60% of the
municipalities; then times `figures_as_of` for random dates and prints p50/p95/max.

Usage: .venv/bin/python bench/stats.py [--dates 300]
       DATABASE_URL=postgres://… .venv/bin/python bench/stats.py
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
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-stats.sqlite3'}")


def build(seed: int) -> tuple[int, int]:
    from django.core.management import call_command
    from django.db import transaction

    from renkei.membership.models import Member, MembershipEvent
    from renkei.municipalities.models import LocalGovernment
    from renkei.registry.models import CooperationField, Relation, RelationKind

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_newsletter", stdout=io.StringIO())
    if Relation.objects.count() > 1000:
        return Relation.objects.count(), MembershipEvent.objects.count()
    rng = random.Random(seed)
    wards = list(LocalGovernment.objects.special_wards().values_list("code", flat=True))
    others = list(LocalGovernment.objects.municipalities().exclude(kind="special_ward").values_list("code", flat=True))
    kinds = list(RelationKind.objects.values_list("pk", flat=True))
    field_ids = list(CooperationField.objects.values_list("pk", flat=True))
    relations, events, members = [], [], []
    for code in others:
        for ward in rng.sample(wards, rng.randint(3, 6)):
            start = dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(20 * 365))
            end = start + dt.timedelta(days=rng.randrange(30, 3000)) if rng.random() < 0.33 else None
            relations.append(Relation(ward_id=ward, municipality_id=code, kind_id=rng.choice(kinds),
                                      started_on=start, ended_on=end))
        if rng.random() < 0.6:
            joined = dt.date(2014, 9, 1) + dt.timedelta(days=rng.randrange(10 * 365))
            members.append((Member(local_government_id=code, joined_on=joined, is_active=True), joined))
    with transaction.atomic():
        created = Relation.objects.bulk_create(relations, batch_size=2000)
        through = Relation.fields.through
        if all(r.pk for r in created):
            through.objects.bulk_create([through(relation_id=r.pk, cooperationfield_id=rng.choice(field_ids))
                                         for r in created], batch_size=5000)
        saved = Member.objects.bulk_create([m for m, _ in members], batch_size=2000)
        saved = {m.local_government_id: m for m in Member.objects.all()} if not all(m.pk for m in saved) else {
            m.local_government_id: m for m in saved}
        for member, joined in members:
            member = saved[member.local_government_id]
            events.append(MembershipEvent(member=member, kind="approved", on=joined))
            if rng.random() < 0.1:
                left = joined + dt.timedelta(days=rng.randrange(60, 1500))
                events.append(MembershipEvent(member=member, kind="withdrawn", on=left))
                if rng.random() < 0.5:
                    events.append(MembershipEvent(member=member, kind="resumed", on=left + dt.timedelta(days=200)))
        MembershipEvent.objects.bulk_create(events, batch_size=5000)
    return Relation.objects.count(), MembershipEvent.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dates", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2014)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection

    from renkei.statistics import figures

    relations, events = build(args.seed)
    rng = random.Random(args.seed + 1)
    days = [dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(21 * 365)) for _ in range(args.dates)]
    figures.figures_as_of(days[0])  # warm the connection and caches
    timings = []
    for day in days:
        start = time.perf_counter()
        figures.figures_as_of(day)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    table_start = time.perf_counter()
    figures.table()
    table_ms = (time.perf_counter() - table_start) * 1000
    print(f"database: {connection.vendor}; {relations:,} relations, {events:,} membership events")
    print(f"figures_as_of over {len(days)} random dates: p50 {stats.median(timings):.1f} ms, "
          f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms")
    print(f"the table by fiscal year (figures.table): {table_ms:.1f} ms")


if __name__ == "__main__":
    main()
