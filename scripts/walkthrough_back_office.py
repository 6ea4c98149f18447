"""Walk through the secretariat's back office in a real browser and screenshot it.

The secretariat signs in with its second factor, reads its start page, searches the audit log,
opens a member, the board's reports and the import, and sends back a member's event without a
reason (refused, with the reason asked for), deletes a news item and puts it back from 削除したもの;
every page at desktop and phone widths.

Usage: .venv/bin/python scripts/walkthrough_back_office.py   (PNGs in screenshots/back-office/)
"""

import base64
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from walkthrough_membership import ARGS, ROOT, free_port, totp_now  # noqa: E402

OUT = ROOT / "screenshots" / "back-office"
PASSWORD = "Office-Walk-2026!"
SETUP = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from renkei.board import services as board
from renkei.board.models import Category
from renkei.inquiries.models import Inquiry
from renkei.testing import make_member, make_staff, sample_member_event
User = get_user_model()
make_member("015814")
make_member("014575")
lead = make_staff("015814", "lead@town.atsuma.lg.jp", lead=True, name="厚真 花子")
other = make_staff("014575", "lead@town.kamikawa.lg.jp", lead=True, name="上川 一郎")
sample_member_event()
Inquiry.objects.create(desk="membership", name="函館 太郎", email="taro@example.jp", subject="会員登録について",
                       body="登録の方法を教えてください。", sender_key="k", status="held")
thread = board.start_thread(author=lead, category=Category.objects.get(slug="other"), type="information",
                            title="特産品の宣伝", body="ぜひお買い求めください。")
board.report(reporter=other, post=thread.posts.get(), reason="営利目的の宣伝です")
admin = User.objects.create_superuser("jimukyoku@example.jp", "{password}", name="事務局 太郎")
print(TOTPDevice.objects.create(user=admin, name="app", confirmed=True).key)
"""
PAGES = ["/secretariat/", "/secretariat/audit/?area=board", "/secretariat/members/015814/", "/secretariat/board/",
         "/secretariat/registry/import/", "/secretariat/inquiries/?status=held"]


DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def both(page, name: str) -> None:
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=OUT / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    print(name, page.url)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="renkei-office-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/db.sqlite3", "DEBUG": "false", "SITE_URL": base,
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "MEDIA_ROOT": str(work / "media")}
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v0"], ["collectstatic", "--no-input", "-v0"], ["load_reference_data"],
                    ["load_newsletter"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    key = subprocess.run(manage + ["shell", "-c", SETUP.format(password=PASSWORD)], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    secret = base64.b32encode(bytes.fromhex(key)).decode()
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
            page = browser.new_context(viewport=DESKTOP, locale="ja-JP").new_page()
            page.goto(f"{base}/accounts/sign-in/?next=/secretariat/")
            page.fill("#id_username", "jimukyoku@example.jp")
            page.fill("#id_password", PASSWORD)
            page.click("button:has-text('ログイン')")
            page.fill("#id_token", totp_now(secret))
            page.click("button:has-text('確認する')")
            for number, path in enumerate(PAGES, start=1):
                page.goto(base + path)
                both(page, f"{number:02d}")
            page.goto(base + "/secretariat/events/?status=submitted")
            page.click("table a >> nth=0")
            page.click("button:has-text('差し戻す')")
            print("the review was refused with its reason asked for:", "差し戻す理由を入力してください" in page.content())
            both(page, f"{len(PAGES) + 1:02d}-review-refused")
            # A news item deleted by mistake, then put back from 削除したもの.
            page.goto(base + "/secretariat/news/")
            title = page.inner_text("table tbody tr >> nth=0 >> a")
            page.click("table tbody tr >> nth=0 >> a")
            page.click("a.link-danger:has-text('削除')")
            both(page, f"{len(PAGES) + 2:02d}-confirm-delete")
            page.click("button.button-danger")
            page.goto(base + "/secretariat/trash/")
            both(page, f"{len(PAGES) + 3:02d}-trash")
            page.click("button:has-text('元に戻す') >> nth=0")
            back = urllib.request.urlopen(base + "/news/", timeout=5).read().decode()  # noqa: S310 (loopback)
            print("restored and public again:", title in back)
            both(page, f"{len(PAGES) + 4:02d}-restored")
            browser.close()
    finally:
        server.terminate()
    print(f"screenshots in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
