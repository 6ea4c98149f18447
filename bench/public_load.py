"""The public site under load, each figure as a share of nginx serving the very same bytes.

One run on this machine: a scratch database (reference data, the newsletter's records, a disaster
with its HQ set up), then for each app server (gunicorn, granian; 2 workers each, as `make run`):

- the home page from the cache, and an uncached page (/events/ with a session cookie, rendered);
- 災害モード's light home page through the app server alone (`make run`), and through nginx
  configured by deploy/nginx/renkei.conf in front of it (the documented production front);

each at 32 and 256 connections (wrk, Debian package), beside nginx serving the same bytes from a
file. Prints requests/s, the ratio to nginx, p50/p99 and errors.
Usage: make bench-http   (or .venv/bin/python bench/public_load.py --seconds 8)
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from wsgi_servers import ROOT, free_port, load, server_command, wait_until_up  # noqa: E402

from renkei.deploy import nginx_site  # noqa: E402

SETUP = """
from django.test import Client
from renkei.testing import make_member, make_staff, sample_disaster
make_member("015814")
sample_disaster()
client = Client()
client.force_login(make_staff("015814", "bench@example.jp"))
print(client.cookies["sessionid"].value)
"""

# Counts what the server answered under overload: shed (503, as designed) apart from failures.
STATUSES = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) shed = 0; failed = 0 end
function response(status, headers, body)
  if status == 503 then shed = shed + 1 elseif status >= 400 then failed = failed + 1 end
end
function done(summary, latency, requests)
  local s, f = 0, 0
  for _, t in ipairs(threads) do s = s + t:get("shed"); f = f + t:get("failed") end
  io.write(string.format("shed %d failed %d socket %d\\n", s, f, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""
# Each request asks for a page the cache cannot hold yet: a new query string.
NEW_QUERY = """
local counter = 0
function request()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. counter .. "-" .. math.random(1000000000))
end
"""


def nginx_conf(work: Path, *, files_port: int, front_port: int, app_port: int, light: Path) -> Path:
    """nginx: one server with the same bytes as files, one as deploy/nginx/renkei.conf describes it
    (without TLS, on loopback, with this run's paths and app server)."""
    site = nginx_site(front_port=front_port, app_ports=[app_port], light=light, static=ROOT / "var" / "static")
    conf = work / "nginx.conf"
    conf.write_text(f"""worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 8192; }}
http {{
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  server {{
    listen 127.0.0.1:{files_port} backlog=4096;
    root {work}/same;
    default_type "text/html; charset=utf-8";
    index index.html;
  }}
{site}
}}
""")
    return conf


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
        return response.read()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--servers", default="gunicorn,granian")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is needed: apt-get install {tool}")

    work = Path(tempfile.mkdtemp(prefix="renkei-bench-http-"))
    work.chmod(0o755)  # nginx's workers read the files as another user
    light = work / "light"
    env = {**os.environ, "RENKEI_ENV": "development", "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": f"sqlite:///{work}/db.sqlite3", "LIGHT_PAGES_ROOT": str(light),
           "CONTENT_VERSION_FILE": str(work / "content-version"), "MEDIA_ROOT": str(work / "media")}
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"],
                    ["load_reference_data"], ["load_newsletter"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    member_session = subprocess.run(manage + ["shell", "-c", SETUP], cwd=ROOT, env=env, check=True,
                                    capture_output=True, text=True).stdout.split()[-1]
    (work / "statuses.lua").write_text(STATUSES)
    (work / "statuses-new-query.lua").write_text(STATUSES + NEW_QUERY)
    overloads = []

    rows = []
    for name in args.servers.split(","):
        app_port, files_port, front_port = free_port(), free_port(), free_port()
        subprocess.run(manage + ["disaster_mode", "off"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        app = subprocess.Popen(server_command(name, app_port, args.workers), cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        conf = nginx_conf(work, files_port=files_port, front_port=front_port, app_port=app_port, light=light)
        nginx = None
        try:
            base = f"http://127.0.0.1:{app_port}"
            wait_until_up(base + "/healthz")
            cases = []
            (work / "same").mkdir(exist_ok=True)
            home = fetch(base + "/")
            (work / "same" / "home.html").write_bytes(home)
            cases.append(("home page, cached", base + "/", "/home.html", {}))
            events = fetch(base + "/events/")
            (work / "same" / "events.html").write_bytes(events)
            cases.append(("/events/, rendered (session cookie)", base + "/events/", "/events.html",
                          {"Cookie": "sessionid=bench"}))
            nginx = subprocess.Popen(["nginx", "-c", str(conf), "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
            wait_until_up(f"http://127.0.0.1:{files_port}/home.html")
            for label, url, same, headers in cases:
                rows += measure(name, label, url, f"http://127.0.0.1:{files_port}{same}", headers, args.seconds)
            if name == "granian":  # the server `make run` uses
                overloads += overload(base, work, member_session, args.seconds * 2)
            subprocess.run(manage + ["disaster_mode", "on"], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            (work / "same" / "light.html").write_bytes((light / "live" / "ja" / "index.html").read_bytes())
            same = f"http://127.0.0.1:{files_port}/light.html"
            rows += measure(name, "災害モード home, app server alone", base + "/", same, {}, args.seconds)
            rows += measure(name, "災害モード home, nginx front", f"http://127.0.0.1:{front_port}/", same, {},
                            args.seconds)
        finally:
            if nginx is not None:
                nginx.terminate()
                nginx.wait(timeout=30)
            app.terminate()
            app.wait(timeout=30)

    print(f"{'server':9} {'page':38} {'bytes':>6} {'conns':>5} {'req/s':>9} {'nginx':>9} {'ratio':>6}"
          f" {'p50':>8} {'p99':>8} {'errors':>6}")
    for row in rows:
        print(f"{row['server']:9} {row['page']:38} {row['bytes']:6d} {row['connections']:5d}"
              f" {row['rps']:9.0f} {row['nginx']:9.0f}"
              f" {row['ratio']:6.2f} {row['p50_ms']:6.2f}ms {row['p99_ms']:6.2f}ms {row['errors']:6d}")
    if overloads:
        print(f"\nOverload, 1,000 connections (granian), while a signed-in member opens {MEMBER_PAGE} again and again:")
        print(f"{'public load':38} {'req/s':>9} {'p99':>9} {'shed 503':>8} {'failed':>6} {'member p50':>10}"
              f" {'member p99':>10} {'member max':>10} {'member n':>8}")
        for row in overloads:
            print(f"{row['page']:38} {row['rps']:9.0f} {row['p99_ms']:7.0f}ms {row['shed']:8d} {row['failed']:6d}"
                  f" {row['member_p50']:8.0f}ms {row['member_p99']:8.0f}ms {row['member_max']:8.0f}ms {row['member_n']:8d}")
    shutil.rmtree(work, ignore_errors=True)


MEMBER_PAGE = "/members/"


def member(url: str, session: str, timings: list[float], stop: threading.Event) -> None:
    """A signed-in member opening a page every 0.2 s: each answer's time in ms (inf: none)."""
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"})  # noqa: S310 (loopback)
    while not stop.is_set():
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
                response.read()
                assert response.url == url, response.url  # signed in: not sent to the sign-in page
            timings.append((time.monotonic() - started) * 1000)
        except OSError:
            timings.append(float("inf"))
        time.sleep(0.2)


def overload(base: str, work: Path, member_session: str, seconds: int) -> list[dict]:
    """1,000 connections on a public page, a signed-in member's page timed beside them."""
    rows = []
    for page, url, script in (("home page, cached", base + "/", "statuses.lua"),
                              ("/events/?n=…, a new page each time", base + "/events/?n=", "statuses-new-query.lua")):
        timings, stop = [], threading.Event()
        thread = threading.Thread(target=member, args=(base + MEMBER_PAGE, member_session, timings, stop))
        thread.start()
        output = subprocess.run(["wrk", "-t2", "-c1000", f"-d{seconds}s", "--timeout=30s", "--latency",
                                 "-s", str(work / script), url], capture_output=True, text=True, check=True).stdout
        stop.set()
        thread.join()
        shed, failed, sockets = (int(n) for n in re.search(r"shed (\d+) failed (\d+) socket (\d+)", output).groups())
        p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
        value, unit = float(p99.group(1)), p99.group(2)
        timings.sort()
        rows.append({"page": page, "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
                     "p99_ms": value / 1000 if unit == "us" else value * 1000 if unit == "s" else value,
                     "shed": shed, "failed": failed + sockets, "member_n": len(timings),
                     "member_p50": timings[len(timings) // 2], "member_p99": timings[int(len(timings) * 0.99)],
                     "member_max": timings[-1]})
    return rows


def measure(server: str, page: str, url: str, same: str, headers: dict, seconds: int) -> list[dict]:
    rows = []
    size = len(fetch(same))
    for connections in (32, 256):
        load(same, 2, connections)  # warm-up
        baseline = load(same, seconds, connections)
        load(url, 2, connections, headers)
        result = load(url, seconds, connections, headers)
        rows.append({"server": server, "page": page, "connections": connections, **result, "bytes": size,
                     "nginx": baseline["rps"], "ratio": result["rps"] / baseline["rps"]})
    return rows


if __name__ == "__main__":
    main()
