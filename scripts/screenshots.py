"""Screenshot pages of a running portal at desktop and mobile widths.

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL] [PATH ...]  (PNGs go to screenshots/)
"""

import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTHS = {"desktop": 1280, "mobile": 390}


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    paths = sys.argv[2:] or ["/"]
    out = Path("screenshots")
    out.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for label, width in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 900}, locale="ja-JP")
            for path in paths:
                page.goto(base + path)
                name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
                page.screenshot(path=out / f"{name}-{label}.png", full_page=True)
                print(out / f"{name}-{label}.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
