"""Board search over 100,000 posts of Japanese text: the gram index against a plain substring scan.

Builds a scratch database (SQLite file by default; DATABASE_URL selects PostgreSQL) with
100,000 posts written from municipal vocabulary (観光, 連携, 防災, 物産展 …), indexes them in the one
search index (core.search), then times queries of 1, 2 and 3+ characters through
`board.search.PostResults` (count + first page, as the search page does) and through the indexed
text's `LIKE '%…%'`. Prints p50/p95 per length and
the speed-up for 3+ characters.

Usage: .venv/bin/python bench/board_search.py [--posts 100000] [--queries 60]
       DATABASE_URL=postgres://… .venv/bin/python bench/board_search.py
"""

import argparse
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
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-board.sqlite3'}")

WORDS = ("観光 連携 防災 物産展 関係人口 移住 交流 地域 特産品 イベント 出展 募集 協定 支援 職員 派遣 災害 復興 文化 芸術 "
         "スポーツ 大会 自治体 特別区 東京 北海道 温泉 祭り 農産物 漁業 商店街 ふるさと納税 観光客 体験 ツアー 説明会 "
         "講演会 展示 子育て 高齢者 健康 医療 教育 学校 図書館 公園 環境 再生可能エネルギー 森林 米 りんご 日本酒 "
         "ワークショップ 意見交換 オンライン 会議 資料 お知らせ ご案内 担当 窓口 申込 締切 会場 区役所 町役場 村").split()
PARTICLES = "の を に が は と で から まで へ も".split()
ENDINGS = ("します。", "しました。", "を募集します。", "についてお知らせします。", "をご検討ください。", "です。", "ませんか。")


def sentence(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(3, 6)):
        parts.append(rng.choice(WORDS) + rng.choice(PARTICLES))
    return "".join(parts) + rng.choice(WORDS) + rng.choice(ENDINGS)


def text(rng: random.Random) -> str:
    return "".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def build(count: int, seed: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from renkei.board import search
    from renkei.board.models import Category, Post, Thread
    from renkei.core.grams import grams
    from renkei.core.models import SearchDocument
    from renkei.membership.models import Member
    from renkei.testing import make_member, make_staff

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    if Post.objects.count() >= count:
        return
    rng = random.Random(seed)
    if not Member.objects.filter(local_government_id="015814").exists():
        make_member("015814")
    from django.contrib.auth import get_user_model

    author = get_user_model().objects.filter(email="bench@town.atsuma.lg.jp").first() or make_staff(
        "015814", "bench@town.atsuma.lg.jp")
    categories = list(Category.objects.all())
    now = timezone.now()
    threads = Thread.objects.bulk_create([
        Thread(category=rng.choice(categories), type="information", title=sentence(rng)[:60], author=author,
               organization_id="015814", created_at=now, last_posted_at=now) for _ in range(count // 10)])
    if not all(t.pk for t in threads):
        threads = list(Thread.objects.all())
    batch = 5000
    for start in range(0, count, batch):
        with transaction.atomic():
            posts = []
            for _ in range(min(batch, count - start)):
                body = text(rng)
                posts.append(Post(thread=rng.choice(threads), author=author, organization_id="015814", body=body,
                                  body_html="", created_at=now))
            created = Post.objects.bulk_create(posts)
            if not all(p.pk for p in created):
                created = list(Post.objects.order_by("-pk")[:len(posts)])
            documents = SearchDocument.objects.bulk_create([SearchDocument(
                kind=search.KIND, key=str(post.pk), title="", url="", day=now.date(), text=search.normalise(post.body),
                visible_from=now) for post in created])
            if not all(d.pk for d in documents):
                documents = list(SearchDocument.objects.filter(kind=search.KIND).order_by("-pk")[:len(created)])[::-1]
            rows = [(gram, document.pk) for document in documents for gram in grams(document.text)]
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy("COPY core_searchgram (gram, document_id) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    cursor.executemany("INSERT INTO core_searchgram (gram, document_id) VALUES (%s, %s)", rows)
        print(f"  {start + len(posts):,} posts", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection

    from renkei.board import search
    from renkei.board.models import Post
    from renkei.core.models import GramCount, SearchDocument, SearchGram

    build(args.posts, args.seed)
    if not GramCount.objects.filter(kind=search.KIND).exists():  # the bulk load wrote the index directly: count it once
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO core_gramcount (kind, gram, shard, documents) "
                           "SELECT 'post', g.gram, 0, COUNT(*) FROM core_searchgram g "
                           "JOIN core_searchdocument d ON d.id = g.document_id WHERE d.kind = 'post' GROUP BY g.gram")
    with connection.cursor() as cursor:
        # After a bulk load PostgreSQL needs its visibility map for index-only scans, as
        # autovacuum would soon provide; SQLite needs statistics for its planner.
        cursor.execute("VACUUM ANALYZE core_searchgram" if connection.vendor == "postgresql" else "ANALYZE")
    rng = random.Random(args.seed + 1)
    vocabulary = [w for w in WORDS]
    by_length = {
        "1": [rng.choice(rng.choice(vocabulary)) for _ in range(args.queries)],
        "2": [w[:2] for w in rng.choices([w for w in vocabulary if len(w) >= 2], k=args.queries)],
        "3+": [w[: rng.randint(3, len(w))] for w in rng.choices([w for w in vocabulary if len(w) >= 3], k=args.queries)],
    }
    base = SearchDocument.objects.filter(kind=search.KIND)

    def page(queryset):
        list(queryset.order_by("-id")[:20])
        queryset.count()

    def page_indexed(word):
        results = search.PostResults(search.normalise(word))
        results[0:20]
        results.count()  # exact up to 3 characters; capped at 1,000 beyond

    print(f"database: {connection.vendor}; {Post.objects.count():,} posts, {SearchGram.objects.count():,} index rows")
    results = {}
    for label, words in by_length.items():
        indexed = sorted(timed(lambda w=w: page_indexed(w)) for w in words)
        scanned = sorted(timed(lambda w=w: page(base.filter(text__contains=search.normalise(w)))) for w in words)
        p95 = indexed[int(len(indexed) * 0.95) - 1]
        p95_scan = scanned[int(len(scanned) * 0.95) - 1]
        results[label] = (stats.median(indexed), p95, stats.median(scanned), p95_scan)
        print(f"{label:>3} chars: index p50 {results[label][0]:6.1f} ms  p95 {p95:6.1f} ms   |   "
              f"substring scan p50 {results[label][2]:6.1f} ms  p95 {p95_scan:6.1f} ms   "
              f"(scan/index at p50: {results[label][2] / results[label][0]:.1f}×)")


if __name__ == "__main__":
    main()
