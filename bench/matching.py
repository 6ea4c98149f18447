"""連携マッチング: how well the ranking finds the partners a person expects, and how fast.

Builds a scratch database (SQLite file by default; DATABASE_URL selects PostgreSQL) with the
reference data and the newsletter's records, every municipality a member (1,741), 3–6 relations
with the wards for each (random kinds and fields, none between a pair the evaluation expects), and
3 random wishes for every municipality and ward (5,292) — the crowd the evaluation set's wishes
must stand out of. Then loads renkei/matching/data/evaluation.toml and prints, for the ranking
and two baselines (the same prefecture first; the most relations first), precision@5, its ceiling
(the share of the top 5 the expected partners could fill), recall@10; and the time of one
suggestion list (the universe read once per version of the content, then cached), p50/p95/max.

Usage: make bench-matching   (or .venv/bin/python bench/matching.py [--lists 200])
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-matching.sqlite3'}")


def build(seed: int) -> dict:
    import datetime as dt

    from django.core.management import call_command
    from django.db import transaction

    from renkei.core import caching
    from renkei.matching import evaluation
    from renkei.matching.models import REGIONS, SIZE_CHOICES, Form, Wish
    from renkei.membership.models import Member
    from renkei.municipalities.models import LocalGovernment
    from renkei.registry.models import CooperationField, Relation, RelationKind

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_newsletter", stdout=io.StringIO())
    rng = random.Random(seed)
    with transaction.atomic():
        Wish.objects.all().delete()
        Relation.objects.filter(note="bench").delete()
        wards = list(LocalGovernment.objects.special_wards().values_list("code", flat=True))
        others = list(LocalGovernment.objects.municipalities().exclude(kind="special_ward")
                      .values_list("code", flat=True))
        kinds = list(RelationKind.objects.values_list("pk", flat=True))
        fields = list(CooperationField.objects.values_list("pk", flat=True))
        forms = list(Form.objects.values_list("pk", flat=True))
        existing = set(Member.objects.values_list("local_government_id", flat=True))
        Member.objects.bulk_create([Member(local_government_id=code, joined_on=dt.date(2020, 4, 1))
                                    for code in others if code not in existing], batch_size=2000)
        wishes, pairs = evaluation.load()
        expected = {(wishes[a].body_id, wishes[b].body_id) for a, b in pairs}
        relations = []
        for code in others:
            for ward in rng.sample(wards, rng.randint(3, 6)):
                if (ward, code) not in expected:
                    relations.append(Relation(ward_id=ward, municipality_id=code, kind_id=rng.choice(kinds),
                                              started_on=dt.date(2005, 1, 1) + dt.timedelta(days=rng.randrange(7000)),
                                              note="bench"))
        created = Relation.objects.bulk_create(relations, batch_size=2000)
        if not all(r.pk for r in created):
            created = list(Relation.objects.filter(note="bench"))
        through = Relation.fields.through
        through.objects.bulk_create([through(relation_id=r.pk, cooperationfield_id=rng.choice(fields))
                                     for r in created], batch_size=5000)
    alone = {name: evaluation.measure(wishes, pairs, order) for name, order in ORDERS(evaluation)}
    with transaction.atomic():
        crowd = []
        for code in wards + others:
            for n in range(3):
                crowd.append((Wish(body_id=code, title=f"連携希望 {n + 1}", kind_id=rng.choice(kinds),
                                   regions=rng.sample(list(REGIONS), rng.randint(0, 2)),
                                   sizes=rng.sample([key for key, _ in SIZE_CHOICES], rng.randint(0, 1))),
                              rng.sample(fields, rng.randint(1, 2)), rng.sample(fields, rng.randint(1, 2)),
                              rng.sample(forms, rng.randint(1, 2))))
        saved = Wish.objects.bulk_create([w for w, *_ in crowd], batch_size=2000)
        if not all(w.pk for w in saved):
            saved = list(Wish.objects.filter(title__startswith="連携希望 ").order_by("pk"))
        for table, column, index in ((Wish.offers.through, "cooperationfield_id", 1),
                                     (Wish.seeks.through, "cooperationfield_id", 2),
                                     (Wish.forms.through, "form_id", 3)):
            table.objects.bulk_create([table(wish_id=w.pk, **{column: item})
                                       for w, row in zip(saved, crowd, strict=True) for item in row[index]],
                                      batch_size=5000)
        caching.bump()  # written in bulk: the content's version changes, as an import's would
    return {"wishes": wishes, "pairs": pairs, "relations": len(created), "crowd": len(saved), "alone": alone}


def ORDERS(evaluation):  # noqa: N802 (a table)
    return (("renkei's rules", evaluation.by_ranking), ("same prefecture", evaluation.by_prefecture),
            ("most relations", evaluation.by_relations))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lists", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2015)
    args = parser.parse_args()
    import django

    django.setup()
    from renkei.matching import evaluation, ranking
    from renkei.matching.models import Wish

    built = build(args.seed)
    wishes, pairs = built["wishes"], built["pairs"]
    started = time.perf_counter()
    u = ranking.universe()
    universe_ms = (time.perf_counter() - started) * 1000
    partners = evaluation.expected_partners(wishes, pairs)
    print(f"scratch: {len(u.municipalities):,} member municipalities, {len(u.wards)} wards, "
          f"{built['crowd']:,} random wishes and {len(wishes)} of the evaluation set, "
          f"{built['relations']:,} random relations; {len(pairs)} expected pairs over {len(partners)} wishes")
    print(f"\n{'ranking':24} {'':16} {'precision@5':>11} {'ceiling':>8} {'recall@10':>9}")
    results = {}
    for name, order in ORDERS(evaluation):
        alone = built["alone"][name]
        print(f"{name:24} {'the set alone':16} {alone.precision_at_5:11.3f} {alone.ceiling:8.3f}"
              f" {alone.recall_at_10:9.3f}")
        scores = results[name] = evaluation.measure(wishes, pairs, order)
        print(f"{'':24} {'in the crowd':16} {scores.precision_at_5:11.3f} {scores.ceiling:8.3f}"
              f" {scores.recall_at_10:9.3f}")
    misses = results["renkei's rules"].misses
    print(f"\nexpected partners not in the ranking's top 10 ({len(misses)}): {', '.join(misses) or '—'}")

    rng = random.Random(args.seed)
    pool = Wish.objects.open()
    total = pool.count()
    for side, wanted in (("a ward's wish (1,718 municipalities)", True), ("a municipality's wish (23 wards)", False)):
        chosen = list(pool.filter(body__kind="special_ward") if wanted else pool.exclude(body__kind="special_ward"))
        times = []
        for wish in rng.sample(chosen, min(args.lists, len(chosen))):
            started = time.perf_counter()
            ranking.suggestions(wish)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(f"one suggestion list for {side}, over {total:,} open wishes ({len(times)} lists): "
              f"p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, "
              f"max {times[-1]:.1f} ms")
    print(f"reading the universe, once per version of the public content: {universe_ms:.0f} ms")


if __name__ == "__main__":
    main()
