"""The crash drill: the app server killed (SIGKILL) again and again while the public's messages
come in; afterwards the database is intact and every message that was acknowledged is there.

Each round writes until it has its share of acknowledged messages (or a time bound), then kills;
what is asserted is only what must never happen: a lost acknowledged write, a damaged file. Run in
the suite at a small scale; `make drills` runs more rounds (CRASH_ROUNDS)."""

import http.client
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

from renkei.deploy import free_port

pytestmark = pytest.mark.drill

ROOT = Path(__file__).resolve().parents[3]
ROUNDS = int(os.environ.get("CRASH_ROUNDS", "4"))
PER_ROUND = 10  # acknowledged messages a round waits for before the kill
ROUND_BOUND = 60  # seconds a round waits for them at most


def post_inquiry(port: int, subject: str) -> int:
    """One message through the contact form, as a browser sends it; the status (0: no answer)."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/contact/")
        response = connection.getresponse()
        page = response.read().decode()
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        shown = re.search(r'name="shown" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "desk": "project", "name": "送信 者",
                                       "email": "drill@example.jp", "subject": subject, "body": "本文です。",
                                       "website": "", "shown": shown})
        connection.request("POST", "/contact/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"})
        status = connection.getresponse().status
        connection.close()
        return status
    except (OSError, AttributeError, http.client.HTTPException):
        return 0  # the server died under it: not acknowledged


@pytest.mark.once  # the embedded server on its own SQLite file, whatever database the suite runs on
@pytest.mark.skipif(sys.platform != "linux", reason="process groups and SIGKILL as on the servers")
def test_killing_the_server_loses_no_acknowledged_write(tmp_path, reference_database):
    database = tmp_path / "crash.sqlite3"
    env = {**os.environ, "RENKEI_ENV": "development", "DEBUG": "false", "ALLOWED_HOSTS": "127.0.0.1",
           "DATABASE_URL": f"sqlite:///{database}", "INQUIRY_LIMIT_PER_HOUR": "1000000",
           "MEDIA_ROOT": str(tmp_path / "media"), "LIGHT_PAGES_ROOT": str(tmp_path / "light"),
           "CONTENT_VERSION_FILE": str(tmp_path / "content-version"),
           # its own static files: collecting into var/static would pull files from under the
           # browser tests running beside it
           "STATIC_ROOT": str(tmp_path / "static"),
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    shutil.copyfile(reference_database.file, database)  # migrated, with the records (conftest.py)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],  # a fresh checkout has none
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    acknowledged, attempts = [], 0
    for round_ in range(ROUNDS):
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "renkei.server", "--port", str(port), "--workers", "1"],
                                  cwd=ROOT, env=env, start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stop, lanes = threading.Event(), []
        try:
            for _ in range(600):
                try:
                    http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/healthz")
                    break
                except OSError:
                    time.sleep(0.1)

            def send(lane: int, round_: int, port: int, stop: threading.Event):
                nonlocal attempts
                n = 0
                while not stop.is_set():
                    subject = f"r{round_}-l{lane}-{n}"
                    attempts += 1
                    if post_inquiry(port, subject) == 302:
                        acknowledged.append(subject)
                    n += 1

            lanes = [threading.Thread(target=send, args=(lane, round_, port, stop)) for lane in range(3)]
            for lane in lanes:
                lane.start()
            # Writes go on until this round has its share of acknowledged messages (or the bound
            # passes, however slow the machine), and a little longer: the kill lands at a
            # different moment of a write each round.
            wanted, bound = len(acknowledged) + PER_ROUND, time.monotonic() + ROUND_BOUND
            while len(acknowledged) < wanted and time.monotonic() < bound:
                time.sleep(0.05)
            time.sleep(round_ % 3 * 0.037)
        finally:
            os.killpg(server.pid, signal.SIGKILL)  # no goodbye: as a crash or an OOM kill
            server.wait(10)
            stop.set()
            for lane in lanes:
                lane.join(15)
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in connection.execute("SELECT subject FROM inquiries_inquiry")}
    connection.close()
    assert acknowledged, f"no message was acknowledged in {attempts} attempts: nothing to check"
    missing = [subject for subject in acknowledged if subject not in stored]
    assert missing == [], f"{len(missing)} of {len(acknowledged)} acknowledged messages are gone"
