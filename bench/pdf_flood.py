"""A flood on a public 第N報 PDF: does a ward's disaster page stay quick, can staff still sign in?

One run: a scratch database (reference data, the newsletter's records, a disaster with a
confirmed 第1報), the app server as `make run` starts it (granian, 2 workers). First a signed-in
member opens /members/disasters/ every 0.2 s on an idle server (p50), then again while wrk keeps
50 connections on /disasters/<id>/reports/1.pdf, and an anonymous visitor opens the sign-in page
every 0.2 s. Prints the member's p50 under the flood as a ratio of the idle p50, and the sign-in
page's answers — twice: with wrk competing for this machine's CPUs as it comes, and with wrk at
nice 19, which stands for clients that bring their own machines (the server's work for the flood
still counts; the load generator's does not).
Usage: make bench-pdf-flood   (or .venv/bin/python bench/pdf_flood.py --seconds 10)
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
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from public_load import member  # noqa: E402
from wsgi_servers import ROOT, free_port, server_command, wait_until_up  # noqa: E402

SETUP = """
from django.test import Client
from renkei.testing import make_member, make_staff, sample_disaster
make_member("015814")
disaster = sample_disaster()
client = Client()
client.force_login(make_staff("015814", "bench@example.jp"))
print(disaster.pk, client.cookies["sessionid"].value)
"""
DESK = "/members/disasters/"


def sign_in_page(url: str, statuses: list[int], stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback)
                response.read()
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
        except OSError:
            statuses.append(0)
        time.sleep(0.2)


def timed(base: str, session: str, seconds: float, flood: list[str] | None = None) -> tuple[list[float], list[int], str]:
    timings, statuses, stop = [], [], threading.Event()
    threads = [threading.Thread(target=member, args=(base + DESK, session, timings, stop)),
               threading.Thread(target=sign_in_page, args=(base + "/accounts/sign-in/", statuses, stop))]
    for thread in threads:
        thread.start()
    output = ""
    if flood:
        output = subprocess.run(flood, capture_output=True, text=True, check=True).stdout
    else:
        time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    return sorted(timings), statuses, output


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    work = Path(tempfile.mkdtemp(prefix="renkei-bench-pdf-"))
    env = {**os.environ, "RENKEI_ENV": "development", "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": f"sqlite:///{work}/db.sqlite3", "LIGHT_PAGES_ROOT": str(work / "light"),
           "CONTENT_VERSION_FILE": str(work / "content-version"), "MEDIA_ROOT": str(work / "media")}
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"],
                    ["load_reference_data"], ["load_newsletter"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    pk, session = subprocess.run(manage + ["shell", "-c", SETUP], cwd=ROOT, env=env, check=True,
                                 capture_output=True, text=True).stdout.split()[-2:]
    port = free_port()
    app = subprocess.Popen(server_command("granian", port, 2), cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz")
        pdf = f"{base}/disasters/{pk}/reports/1.pdf"
        with urllib.request.urlopen(pdf, timeout=60) as response:  # noqa: S310 (loopback) — printed once, if not yet
            size = len(response.read())
        idle, idle_sign_in, _ = timed(base, session, args.seconds)
        wrk = ["wrk", "-t2", "-c50", f"-d{args.seconds}s", "--timeout=30s", "--latency", pdf]
        floods = {"wrk beside the server": timed(base, session, args.seconds, wrk),
                  "wrk at nice 19 (clients on their own machines)": timed(base, session, args.seconds,
                                                                          ["nice", "-n", "19", *wrk])}
    finally:
        app.terminate()
        app.wait(timeout=30)
    p50 = idle[len(idle) // 2]
    print(f"第1報 PDF ({size:,} bytes); member's {DESK} idle p50 {p50:.1f} ms (n={len(idle)}), "
          f"sign-in page idle {idle_sign_in.count(200)}/{len(idle_sign_in)} answered 200")
    for label, (flood, flood_sign_in, output) in floods.items():
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        under = flood[len(flood) // 2]
        print(f"{label}, 50 connections: {rps:,.0f} req/s, non-2xx {int(non_2xx.group(1)) if non_2xx else 0}; "
              f"member p50 {under:.1f} ms (n={len(flood)}): ratio {under / p50:.2f}; "
              f"sign-in page {flood_sign_in.count(200)}/{len(flood_sign_in)} answered 200")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
