"""How long does 全国連携NEWS vol.1 take to build, and how big is it?

Builds a scratch SQLite database with the reference data and the newsletter's records, then,
over repeated runs in one process: composes vol.1 from the records (the draft's path), prints
the composition to PDF (Typst), and does both as `manage.py newsletter build --fresh` does. It
also prints a 第N報 (one page). Figures are medians, and shares of the issue's budgets (10 s a
build, 2 MB a PDF): absolute times are noisy on a shared machine.

Usage: .venv/bin/python bench/newsletter.py [--runs 10]
"""

import argparse
import io
import os
import statistics as stats
import subprocess  # nosec B404
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-newsletter.sqlite3'}")
BUDGET_SECONDS, BUDGET_BYTES = 10.0, 2_000_000


def timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return stats.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    runs = parser.parse_args().runs
    database = Path(os.environ["DATABASE_URL"].removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_newsletter", stdout=io.StringIO())

    from renkei.disasters import numbered_reports
    from renkei.newsletter import services
    from renkei.newsletter.compose import compose
    from renkei.newsletter.models import Issue

    issue = Issue.objects.get(volume=1)
    first_started = time.perf_counter()
    services.print_issue(compose(issue))
    first = time.perf_counter() - first_started
    compose_time, composition = timed(lambda: compose(issue), runs)
    print_time, printed = timed(lambda: services.print_issue(composition), runs)
    build_time, _ = timed(lambda: services.print_issue(compose(issue)), runs)
    pages = next(line.split()[-1] for line in subprocess.run(  # nosec B603 B607
        ["pdfinfo", "-"], input=printed, capture_output=True, check=True).stdout.decode().splitlines()
        if line.startswith("Pages:"))
    report = {"number": 1, "title": "令和8年の地震に係る特別区の対応について（第1報）", "subject": "",
              "issuer": "特別区長会事務局",
              "issued_label": "令和8年11月21日 18時00分", "text": "本日、対策本部を設置しました。",
              "disaster": {"name": "令和8年の地震", "when": "令和8年11月20日", "state": "支援中", "summary": "",
                           "affected": ["北海道厚真町"], "hq": "令和8年11月20日 20時00分", "contact": "03-5210-9738"},
              "dispatch": {"people": "12人", "as_of": "令和8年11月21日現在", "basis": "記録から集計", "on_duty": "12人",
                           "person_days": "12人日", "by_role": [["保健師", "12人", "12人"]]},
              "funds": [], "supplies": []}
    report_time, report_pdf = timed(lambda: numbered_reports.print_report(report), runs)

    print(f"全国連携NEWS vol.1, {runs} runs each, medians")
    print(f"  compose from the records   {compose_time * 1000:7.1f} ms")
    print(f"  print (Typst)              {print_time * 1000:7.1f} ms   (first print in the process: {first * 1000:.0f} ms)")
    print(f"  build (compose + print)    {build_time * 1000:7.1f} ms   = {build_time / BUDGET_SECONDS:.3f} of the 10 s budget")
    print(f"  PDF                        {len(printed):,} bytes, {pages} pages = {len(printed) / BUDGET_BYTES:.3f} of 2 MB")
    print(f"第N報 (one page)              {report_time * 1000:7.1f} ms, {len(report_pdf):,} bytes")


if __name__ == "__main__":
    main()
