"""A newcomer's first minutes, in a real browser, screenshotted at 1280 and 390 px.

A clerk of 北海道厚真町 comes to the home page, finds 会員登録 in the menu, reads how to join,
searches for the town in half-width katakana (ｱﾂﾏ), types the phone number in full-width digits
and applies; the confirmation mail arrives as a readable file under the mail folder and its link
confirms the address. A visitor on a phone then reads the disaster record, the figures for a date
typed in 和暦, the agreements, the privacy policy and the site map.

Usage: .venv/bin/python scripts/walkthrough_newcomer.py   (PNGs in screenshots/newcomer/)
"""

import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from walkthrough_membership import ARGS, ROOT, free_port  # noqa: E402

OUT = ROOT / "screenshots" / "newcomer"
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def shot(page, name: str) -> None:
    page.screenshot(path=OUT / f"{name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport, f"{name}: the page is {width}px wide on a {viewport}px screen"
    print(name, page.url)


def link_in_mail(folder: Path, to: str, timeout: float = 15) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            if f"To: {to}" in text:
                return re.search(r"https?://\S+", text.split("\n\n", 1)[1]).group(0)
        time.sleep(0.3)
    raise SystemExit(f"no mail for {to}")


def open_menu(page, size: str) -> None:
    if size == "phone":
        page.click("details.site-menu > summary")


def join(browser, base: str, mail: Path, size: str, query: str, town: str, email: str) -> None:
    page = browser.new_context(viewport=SIZES[size], locale="ja-JP").new_page()
    page.goto(base + "/")
    shot(page, f"01-home-{size}")
    open_menu(page, size)
    page.click("nav.site-nav >> text=会員登録" if size == "desktop" else "details.site-menu nav >> text=会員登録")
    shot(page, f"02-join-{size}")
    page.click("text=会員登録を申請する（無料）")
    page.fill("#q", query)
    page.press("#q", "Enter")
    shot(page, f"03-search-{size}")
    page.click(f"text={town}")
    page.fill("#id_department", "企画課")
    page.fill("#id_contact_name", "連携 花子")
    page.fill("#id_phone", "０１４５－２７－２３２１")
    page.fill("#id_email", email)
    shot(page, f"04-apply-{size}")
    page.click("button:has-text('申請する')")
    shot(page, f"05-sent-{size}")
    page.goto(link_in_mail(mail, email))
    shot(page, f"06-verified-{size}")
    page.context.close()


def read(browser, base: str, size: str) -> None:
    page = browser.new_context(viewport=SIZES[size], locale="ja-JP").new_page()
    page.goto(base + "/disasters/")
    shot(page, f"10-disasters-{size}")
    page.click("text=平成28年熊本地震")
    shot(page, f"11-disaster-{size}")
    page.goto(base + "/stats/")
    page.fill("#as_of", "2018-10-01")
    page.click("button:has-text('集計する')")
    shot(page, f"12-stats-{size}")
    page.goto(base + "/stats/?as_of=" + "平成30年10月1日")
    assert "平成30年度の公表値" in page.content()
    page.goto(base + "/agreements/")
    shot(page, f"13-agreements-{size}")
    page.goto(base + "/privacy/")
    shot(page, f"14-privacy-{size}")
    page.goto(base + "/sitemap/")
    shot(page, f"15-sitemap-{size}")
    page.context.close()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="renkei-newcomer-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    mail = work / "mail"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/db.sqlite3", "DEBUG": "false", "SITE_URL": base,
           "EMAIL_BACKEND": "", "EMAIL_FILE_PATH": str(mail)}
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v0"], ["collectstatic", "--no-input", "-v0"], ["load_reference_data"],
                    ["load_newsletter"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen([sys.executable, "-m", "renkei.server", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            join(browser, base, mail, "desktop", "ｱﾂﾏ", "北海道厚真町", "kikaku@town.atsuma.lg.jp")
            join(browser, base, mail, "phone", "あおもり", "青森県青森市", "kikaku@city.aomori.lg.jp")
            read(browser, base, "phone")
            read(browser, base, "desktop")
            browser.close()
    finally:
        server.terminate()
    print(f"screenshots in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
