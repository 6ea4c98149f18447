"""The task worker, kept running: `python -m renkei.worker` starts `manage.py db_worker` and starts
it again whenever it stops (a crash, an out-of-memory kill), waiting a little longer each time it
stops quickly, so that queued mail and notifications are never left waiting for a person to
notice. `make run` uses it; in production systemd does the same (deploy/systemd/renkei-worker.service).
"""

import argparse
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, str(ROOT / "manage.py"), "db_worker"]
STEADY = 60  # seconds: a worker that ran this long stopped by accident, not in a crash loop


def supervise(command: list[str], *, restarts: int | None = None, pause: float = 1.0, most: float = 30.0) -> int:
    """Run `command`, again each time it stops, `restarts` times (None: for ever). Returns how
    many times it was started again."""
    started_again, wait = 0, pause
    stopping, child = False, None

    def stop(signum, frame):
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.terminate()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            began = time.monotonic()
            child = subprocess.Popen(command, cwd=ROOT)  # noqa: S603 (our own command)
            code = child.wait()
            if stopping or (restarts is not None and started_again >= restarts):
                return started_again
            wait = pause if time.monotonic() - began > STEADY else min(wait * 2, most)
            print(f"renkei.worker: the worker stopped (exit {code}); starting it again in {wait:.0f} s",
                  file=sys.stderr, flush=True)
            time.sleep(wait)
            started_again += 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    supervise(COMMAND)


if __name__ == "__main__":
    main()
