"""Walk through the board in a real browser and screenshot every step.

Two member municipalities (厚真町, 上川町) and a ward (千代田区) hold a conversation with
attachments; 上川町 follows 千代田区's call and gets the digest; 厚真町 finds the thread by a
2-character word; the secretariat hides a reported post.

Usage: .venv/bin/python scripts/walkthrough_board.py   (PNGs in screenshots/board/)
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from walkthrough_membership import ARGS, ROOT, Mailbox, free_port, totp_now  # noqa: E402

OUT = ROOT / "screenshots" / "board"
PASSWORD = "Board-Walk-2026!"
PEOPLE = {"ward": ("chiyoda@city.chiyoda.lg.jp", "131016", "千代田 一郎"),
          "atsuma": ("kikaku@town.atsuma.lg.jp", "015814", "厚真 花子"),
          "kamikawa": ("kikaku@town.kamikawa.lg.jp", "014575", "上川 次郎")}
SETUP = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from renkei.board.models import Preference
from renkei.testing import make_member
User = get_user_model()
for email, code, name in {people}:
    if code != "131016":
        make_member(code)
    user = User.objects.create_user(email=email, password="{password}", name=name, local_government_id=code, is_lead=True)
    Preference.objects.create(user=user, mode="digest")
admin = User.objects.create_superuser("jimukyoku@example.jp", "{password}", name="事務局 太郎")
device = TOTPDevice.objects.create(user=admin, name="app", confirmed=True)
print(device.key)
"""


def shot(page, name):
    page.screenshot(path=OUT / f"{name}.png", full_page=True)
    print(name, page.url)


def sign_in(page, base, email, next_url="/board/"):
    page.goto(f"{base}/accounts/sign-in/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('ログイン')")


def main() -> None:
    import base64

    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="renkei-board-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/db.sqlite3", "DEBUG": "false", "SITE_URL": base,
           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(work / "mail"),
           "MEDIA_ROOT": str(work / "media")}
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v0"], ["collectstatic", "--no-input", "-v0"], ["load_reference_data"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    key = subprocess.run(manage + ["shell", "-c", SETUP.format(people=list(PEOPLE.values()), password=PASSWORD)],
                         cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    secret = base64.b32encode(bytes.fromhex(key)).decode()
    server = subprocess.Popen([sys.executable, "-m", "renkei.server", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen(manage + ["db_worker", "--interval", "0.5"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    mailbox = Mailbox(work / "mail")
    pdf = work / "募集要項.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    png = work / "厚真町の写真.png"
    from PIL import Image

    Image.new("RGB", (640, 400), (90, 140, 200)).save(png)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            run(browser, base, mailbox, pdf, png, secret, env, manage)
            browser.close()
    finally:
        server.terminate()
        worker.terminate()
    print(f"screenshots in {OUT.relative_to(ROOT)}")


def page_for(browser, mobile=False):
    size = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
    return browser.new_context(viewport=size, locale="ja-JP").new_page()


def run(browser, base, mailbox, pdf, png, secret, env, manage):
    ward, atsuma, kamikawa, secretariat = (page_for(browser), page_for(browser), page_for(browser, mobile=True),
                                           page_for(browser))
    sign_in(ward, base, PEOPLE["ward"][0], "/board/new/")
    ward.select_option("#id_category", label="観光")
    ward.check("input[value=call]")
    ward.fill("#id_title", "物産展「東京23区から全国の魅力再発見！」出展自治体の募集")
    ward.fill("#id_deadline", "2027-01-31")
    ward.fill("#id_body",
              "千代田区で**物産展**を開きます。\n\n- 会場: 区役所1階\n- 出展料: 無料\n\n詳細は募集要項をご覧ください。")
    ward.set_input_files("#id_files", str(pdf))
    shot(ward, "01-new-call")
    ward.click("button:has-text('投稿する')")
    shot(ward, "02-call-posted")
    thread_url = ward.url

    sign_in(kamikawa, base, PEOPLE["kamikawa"][0], thread_url.removeprefix(base))
    kamikawa.click("button:has-text('このスレッドをフォローする')")
    shot(kamikawa, "03-kamikawa-follows-mobile")

    sign_in(atsuma, base, PEOPLE["atsuma"][0], thread_url.removeprefix(base))
    atsuma.click("a:has-text('引用して返信')")
    atsuma.fill("#id_body", atsuma.input_value("#id_body") + "厚真町も出展を希望します。町の写真を添付します。")
    atsuma.set_input_files("#id_files", str(png))
    atsuma.click("button:has-text('返信する')")
    shot(atsuma, "04-atsuma-replies-with-photo")

    subprocess.run(manage + ["send_board_digest"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    link = mailbox.next_link(PEOPLE["kamikawa"][0])
    kamikawa.goto(link)
    shot(kamikawa, "05-kamikawa-opens-digest-link-mobile")

    atsuma.goto(base + "/board/search/?q=物産")
    shot(atsuma, "06-search-two-characters")

    atsuma.goto(thread_url)
    atsuma.click("a:has-text('通報') >> nth=0")
    atsuma.fill("#id_reason", "テスト: 不適切な内容かどうか確認をお願いします。")
    atsuma.click("button:has-text('通報する')")

    secretariat.goto(base + "/accounts/sign-in/?next=/board/moderation/")
    secretariat.fill("#id_username", "jimukyoku@example.jp")
    secretariat.fill("#id_password", PASSWORD)
    secretariat.click("button:has-text('ログイン')")
    secretariat.fill("#id_token", totp_now(secret))
    secretariat.click("button:has-text('確認する')")
    shot(secretariat, "07-moderation-queue")
    secretariat.click("ul.results a >> nth=0")
    secretariat.click("button:has-text('非表示にする') >> nth=1")
    shot(secretariat, "08-secretariat-hid-post")
    ward.goto(thread_url)
    shot(ward, "09-ward-sees-hidden-post")


if __name__ == "__main__":
    main()
