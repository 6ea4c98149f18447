"""What does the public page cache save? Renders vs cache hits vs 304 revalidations.

Builds a scratch SQLite database with the reference data and the newsletter's records, then
requests each page N times as an anonymous visitor through Django's test client (no network):
rendered every time (cache emptied before each request), served from the cache, and answered
304 to a browser that revalidates with its ETag. Prints the median of each and the ratios.

Usage: .venv/bin/python bench/page_cache.py [--requests 200]
"""

import argparse
import io
import os
import statistics as stats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-pages.sqlite3'}")
os.environ.setdefault("DEBUG", "false")

PAGES = ["/", "/stats/", "/events/?when=past", "/agreements/", "/local-governments/015814/", "/search/?q=青森"]


def timed(client, url, n, before=None, **headers) -> float:
    samples = []
    for _ in range(n):
        if before:
            before()
        start = time.perf_counter()
        response = client.get(url, **headers)
        samples.append(time.perf_counter() - start)
        assert response.status_code in (200, 304), (url, response.status_code)
    return stats.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    n = parser.parse_args().requests

    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_newsletter", stdout=io.StringIO())
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'page':32} {'render':>9} {'cached':>9} {'304':>9} {'render/cached':>14} {'render/304':>11}")
    for url in PAGES:
        client.get(url)  # warm up
        render = timed(client, url, n, before=cache.clear)
        cached = timed(client, url, n)
        etag = client.get(url)["ETag"]
        revalidated = timed(client, url, n, HTTP_IF_NONE_MATCH=etag)
        ratios = f"{render / cached:13.1f}× {render / revalidated:10.1f}×"
        print(f"{url:32} {render:8.2f}ms {cached:8.2f}ms {revalidated:8.2f}ms {ratios}")


if __name__ == "__main__":
    main()
