"""The app server: granian's WSGI interface in front of renkei.wsgi.

Chosen by `make bench-http` (bench/README.md): with the front cache and the light pages answered
before Django, granian serves a cached public page at about 0.6 of nginx on the same bytes, where
gunicorn's sync workers, closing every connection, manage under 0.1.

Each worker runs the application in a few threads (twice the processors and one: the most granian
advises). Most answers take well under a millisecond (from memory) and a rendered page a few
milliseconds of CPU, so few threads serve best: more only queue for the interpreter's lock. Under
granian's default (a thread per waiting connection) /events/ rendered at 256 connections gave a
third of the throughput, with timeouts; with 4 or 8 threads, none. Connections beyond what the
threads take wait in the kernel's backlog.

Usage: python -m renkei.server [--host 127.0.0.1] [--port 8000] [--workers 2] [--access-log]
(--access-log: a line for every request, the app's own: renkei.core.requestlog.AccessLog)
(`make serve` and the systemd unit in deploy/ run it).
"""

import argparse
import os
import sys
from pathlib import Path

from renkei.core.overload import THREADS

BLOCKING_THREADS = THREADS  # what renkei.core.overload counts on
BACKLOG = 2048  # per worker: connections the kernel holds while every worker is busy


def command(host: str, port: int, workers: int) -> list[str]:
    granian = Path(sys.executable).with_name("granian")
    start = [str(granian)] if granian.exists() else [sys.executable, "-m", "granian"]
    return [*start, "--interface", "wsgi", "--host", host, "--port", str(port), "--workers", str(workers),
            "--blocking-threads", str(BLOCKING_THREADS), "--backlog", str(BACKLOG), "--no-ws",
            "--log-level", "warning", "renkei.wsgi:application"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m renkei.server", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--access-log", action="store_true")
    args = parser.parse_args(argv)
    argv = command(args.host, args.port, args.workers)
    if args.access_log:  # the app's own (renkei.core.requestlog.AccessLog): granian's halves a cached page
        os.environ["ACCESS_LOG"] = "true"
    os.execv(argv[0], argv)  # noqa: S606 (our own arguments)


if __name__ == "__main__":
    main()
