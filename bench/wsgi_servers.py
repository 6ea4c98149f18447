"""Compare gunicorn and granian serving the home page, in one run on this machine.

Each server gets the same database, settings and worker count; wrk (Debian package) loads
`/` over loopback for a fixed time. Prints requests/s and latency for each and their ratio.
Usage: make bench   (or .venv/bin/python bench/wsgi_servers.py --seconds 15 --workers 2)
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from renkei import server

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not come up")


def server_command(name: str, port: int, workers: int) -> list[str]:
    return {
        "gunicorn": [str(BIN / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                     "--log-level", "warning", "renkei.wsgi:application"],
        "granian": server.command("127.0.0.1", port, workers),
        # as `make run` starts it: with the access log
        "make-run": [sys.executable, "-m", "renkei.server", "--port", str(port), "--workers", str(workers),
                     "--access-log"],
    }[name]


def load(url: str, seconds: int, connections: int, headers: dict | None = None, timeout: int = 2) -> dict[str, float]:
    """wrk's figures; a request unanswered after `timeout` seconds counts as an error."""
    extra = [arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")]
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", f"--timeout={timeout}s", "--latency", *extra, url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    requests = int(re.search(r"(\d+) requests in", output).group(1))

    def ms(match):
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failed = (int(errors.group(1)) if errors else 0) + (sum(int(n) for n in sockets.groups()) if sockets else 0)
    return {"rps": rps, "p50_ms": ms(p50), "p99_ms": ms(p99), "errors": failed, "requests": requests}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    database = ROOT / "var" / "bench.sqlite3"
    env = {**os.environ, "RENKEI_ENV": "development", "DEBUG": "false",
           "ALLOWED_HOSTS": "127.0.0.1", "DATABASE_URL": f"sqlite:///{database}"}
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"],
                    ["load_reference_data"], ["load_newsletter"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    results = {}
    for name in ("gunicorn", "granian"):
        port = free_port()
        process = subprocess.Popen(server_command(name, port, args.workers), cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_until_up(url)
            load(url, 3, args.connections)  # warm-up
            results[name] = load(url, args.seconds, args.connections)
        finally:
            process.terminate()
            process.wait(timeout=30)

    for name, r in results.items():
        print(f"{name:9} {r['rps']:8.1f} req/s  p50 {r['p50_ms']:6.1f} ms  p99 {r['p99_ms']:6.1f} ms"
              f"  non-2xx {r['errors']}")
    ratio = results["granian"]["rps"] / results["gunicorn"]["rps"]
    print(f"granian/gunicorn throughput ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
