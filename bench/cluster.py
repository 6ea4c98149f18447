"""renkei as a cluster on this machine, each figure as a share of nginx serving the same bytes.

The production shape of docs/deploy.md (renkei.deploy.LocalCluster): PostgreSQL, Redis, two app
servers that share nothing on disk (2 workers each), nginx configured by deploy/nginx/renkei.conf
in front of both. With the documented settings for several machines (REDIS_URL; the front cache
follows the shared content version), one run measures:

- the cached home page through one app server alone at 32 connections (beside nginx's defaults, as
  `make bench-http`; the rows through the cluster's nginx beside nginx keeping files open, as the
  front does);
- through the cluster's nginx, the cached home page, a disaster page and 災害モード's light page,
  at 32 and 256 connections;
- 1,000 connections on the home page through the cluster's nginx: answers other than 200;
- a publish's visibility delay: news published through machine A, then B's /news/ asked every
  millisecond until it shows (10 publishes).

Usage: make bench-cluster   (or .venv/bin/python bench/cluster.py --seconds 6 [--front-cache-pages 0])
`--front-cache-pages 0` measures the settings docs/deploy.md gave before the version was shared.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from wsgi_servers import load  # noqa: E402

from renkei.deploy import LocalCluster, fetch, free_port, publish_news, scratch_database  # noqa: E402


def raw(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        return response.read()


def measure(label, url, same, connections, seconds, rows):
    load(same, 2, connections)  # warm-up
    baseline = load(same, seconds, connections)
    load(url, 2, connections)
    result = load(url, seconds, connections)
    rows.append({"page": label, "connections": connections, "bytes": len(raw(same)), **result,
                 "nginx": baseline["rps"], "ratio": result["rps"] / baseline["rps"]})


def visibility(cluster, publishes: int) -> list[float]:
    """ms from the publish's answer (its commit done) to the first answer from B that shows it."""
    a, b = cluster.urls["a"], cluster.urls["b"]
    delays = []
    for n in range(publishes):
        title = f"クラスターで確かめるお知らせ {n}-{time.time_ns()}"
        fetch(b + "/news/")  # B holds the page in memory
        assert publish_news(a, cluster.session, title) == 302
        published = time.monotonic()
        while title not in fetch(b + "/news/")[2]:
            time.sleep(0.001)
        delays.append((time.monotonic() - published) * 1000)
    return delays


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--front-cache-pages", type=int, default=None)
    args = parser.parse_args()
    for tool in ("wrk", "nginx", "redis-server"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is needed: apt-get install {tool}")
    url = os.environ.get("POSTGRES_TEST_URL", "postgres://renkei:renkei@127.0.0.1:5432/renkei")
    work = Path(tempfile.mkdtemp(prefix="renkei-bench-cluster-"))
    work.chmod(0o755)  # nginx's workers read the files as another user
    (work / "same").mkdir()
    files_port, plain_port = free_port(), free_port()
    # The same bytes from files: as the front serves them (open files kept), for the front's
    # figures; and as nginx does by default (bench-http's baseline), for the app server alone.
    files = f"""  server {{
    listen 127.0.0.1:{files_port} backlog=4096;
    root {work}/same;
    default_type "text/html; charset=utf-8";
    open_file_cache max=100 inactive=10s;
  }}
  server {{
    listen 127.0.0.1:{plain_port} backlog=4096;
    root {work}/same;
    default_type "text/html; charset=utf-8";
  }}"""
    settings = {} if args.front_cache_pages is None else {"FRONT_CACHE_PAGES": str(args.front_cache_pages)}
    rows = []
    try:
        with scratch_database(url, "renkei_bench_cluster") as database, \
                LocalCluster(work, database, workers=args.workers, newsletter=True, extra_nginx=files,
                             nginx_workers=2, settings=settings) as cluster:
            a, front = cluster.urls["a"], cluster.url
            same = f"http://127.0.0.1:{files_port}"
            disaster = f"/disasters/{cluster.disaster_pk}/"
            for path, name in (("/", "home.html"), (disaster, "disaster.html")):
                (work / "same" / name).write_bytes(raw(a + path))
            measure("home page, cached — one app server", a + "/", f"http://127.0.0.1:{plain_port}/home.html", 32,
                    args.seconds, rows)
            for connections in (32, 256):
                measure("home page, cached — cluster's nginx", front + "/", same + "/home.html", connections,
                        args.seconds, rows)
                measure("a disaster page — cluster's nginx", front + disaster, same + "/disaster.html", connections,
                        args.seconds, rows)
            crowd = load(front + "/", args.seconds, 1000, timeout=10)
            delays = visibility(cluster, 10)
            cluster.manage("a", "disaster_mode", "on")
            (work / "same" / "light.html").write_bytes((cluster.light / "live" / "ja" / "index.html").read_bytes())
            for connections in (32, 256):
                measure("災害モード home — cluster's nginx", front + "/", same + "/light.html", connections,
                        args.seconds, rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'page':40} {'bytes':>6} {'conns':>5} {'req/s':>9} {'nginx':>9} {'ratio':>6} {'p50':>8} {'p99':>8}"
          f" {'non-2xx':>7}")
    for row in rows:
        print(f"{row['page']:40} {row['bytes']:6d} {row['connections']:5d} {row['rps']:9.0f} {row['nginx']:9.0f}"
              f" {row['ratio']:6.2f} {row['p50_ms']:6.2f}ms {row['p99_ms']:6.2f}ms {row['errors']:7d}")
    print(f"\n1,000 connections, home page through the cluster's nginx: {crowd['rps']:.0f} req/s,"
          f" {crowd['requests']} answers, {crowd['errors']} not 200 (or failed), p99 {crowd['p99_ms']:.1f} ms")
    print(f"a publish through A seen on B after: median {statistics.median(delays):.1f} ms,"
          f" max {max(delays):.1f} ms (10 publishes)")


if __name__ == "__main__":
    main()
