"""Walk through the public portal in a real browser, as its users would, and screenshot it.

The secretariat publishes a news item and an event with a photo; 厚真町 submits its own fair
and edits its PR page; the secretariat approves the fair; a visitor on a phone finds it on the
calendar, subscribes to the .ics feed (read back as a calendar application would), searches,
and sends an inquiry to the member-site desk, whose acknowledgement arrives by mail.

Usage: .venv/bin/python scripts/walkthrough_portal.py   (PNGs in screenshots/portal/)
"""

import base64
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from walkthrough_membership import ARGS, ROOT, Mailbox, free_port, totp_now  # noqa: E402

OUT = ROOT / "screenshots" / "portal"
PASSWORD = "Portal-Walk-2026!"
SETUP = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from renkei.testing import make_member
User = get_user_model()
make_member("015814")
User.objects.create_user(email="kikaku@town.atsuma.lg.jp", password="{password}", name="厚真 花子",
                         local_government_id="015814", is_lead=True)
admin = User.objects.create_superuser("jimukyoku@example.jp", "{password}", name="事務局 太郎")
print(TOTPDevice.objects.create(user=admin, name="app", confirmed=True).key)
"""
DESKTOP, MOBILE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def shot(page, name):
    page.screenshot(path=OUT / f"{name}.png", full_page=True)
    print(name, page.url)


def photo(path: Path, seed: int) -> Path:
    from PIL import Image, ImageDraw

    image = Image.linear_gradient("L").resize((3000, 2000)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(30):
        x, y = (seed * 97 + i * 131) % 3000, (seed * 53 + i * 71) % 2000
        draw.ellipse((x, y, x + 300, y + 200), fill=((i * 37 + seed) % 256, (i * 91) % 256, 120))
    image.save(path, "JPEG", quality=92)
    return path


def subject_of_mail_to(folder: Path, to: str, timeout: float = 15) -> str:
    import email
    from email import policy

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(folder.glob("*.log")):
            for raw in path.read_text().split("\n" + "-" * 79 + "\n"):
                message = email.message_from_string(raw.strip(), policy=policy.default) if raw.strip() else None
                if message is not None and to in (message["To"] or ""):
                    return message["Subject"]
        time.sleep(0.3)
    raise SystemExit(f"no mail for {to}")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="renkei-portal-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/db.sqlite3", "DEBUG": "false", "SITE_URL": base,
           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(work / "mail"),
           "MEDIA_ROOT": str(work / "media"), "INQUIRY_MEMBERSHIP_EMAIL": "members-desk@example.jp"}
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
            run(browser, base, secret, Mailbox(work / "mail"), work)
            browser.close()
    finally:
        server.terminate()
    print(f"screenshots in {OUT.relative_to(ROOT)}")


def new_page(browser, size=DESKTOP):
    return browser.new_context(viewport=size, locale="ja-JP").new_page()


def sign_in(page, base, email, next_url):
    page.goto(f"{base}/accounts/sign-in/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('ログイン')")


def run(browser, base, secret, mailbox, work):
    fair_day = dt.datetime.now(tz=dt.timezone(dt.timedelta(hours=9))).date() + dt.timedelta(days=20)
    month = fair_day.strftime("%Y-%m")

    secretariat = new_page(browser)
    sign_in(secretariat, base, "jimukyoku@example.jp", "/secretariat/news/new/")
    secretariat.fill("#id_token", totp_now(secret))
    secretariat.click("button:has-text('確認する')")
    secretariat.fill("#id_title", "全国連携講演会の参加者を募集します")
    secretariat.fill("#id_lead", "テーマは「関係人口」")
    secretariat.fill("#id_body", "今年度の全国連携講演会を開きます。\n\n- 会場: 東京区政会館\n- 参加費: 無料\n\n"
                                 "詳しくはイベントのページをご覧ください。")
    secretariat.set_input_files("#id_photo_1", str(photo(work / "lecture.jpg", 1)))
    secretariat.fill("#id_photo_alt_1", "昨年度の講演会の会場の様子")
    secretariat.check("input[name=publishing][value=now]")
    shot(secretariat, "01-secretariat-writes-news")
    secretariat.click("button:has-text('保存する')")
    shot(secretariat, "02-news-saved")

    secretariat.goto(base + "/secretariat/events/new/")
    secretariat.fill("#id_title", "全国連携講演会「関係人口のこれから」")
    secretariat.select_option("#id_kind", "lecture")
    secretariat.fill("#id_starts_on", fair_day.isoformat())
    secretariat.fill("#id_starts_at_time", "14:00")
    secretariat.fill("#id_ends_on", fair_day.isoformat())
    secretariat.fill("#id_ends_at_time", "16:30")
    secretariat.fill("#id_venue", "東京区政会館 20階 会議室")
    secretariat.fill("#id_organisers", "特別区長会")
    secretariat.fill("#id_description", "関係人口の創出に取り組む自治体の担当者をお招きし、事例を紹介します。")
    secretariat.fill("#id_participant_names", "北海道厚真町\n青森市")
    secretariat.set_input_files("#id_photo_1", str(photo(work / "hall.jpg", 2)))
    secretariat.fill("#id_photo_alt_1", "講演会の会場になる会議室")
    secretariat.check("input[name=publishing][value=now]")
    secretariat.click("button:has-text('保存する')")
    shot(secretariat, "03-event-saved")

    member = new_page(browser)
    sign_in(member, base, "kikaku@town.atsuma.lg.jp", "/members/events/new/")
    member.fill("#id_title", "厚真町ハスカップフェア in 東京")
    member.select_option("#id_kind", "fair")
    member.fill("#id_starts_on", fair_day.isoformat())
    member.fill("#id_starts_at_time", "10:00")
    member.fill("#id_ends_on", (fair_day + dt.timedelta(days=1)).isoformat())
    member.fill("#id_ends_at_time", "17:00")
    member.fill("#id_venue", "東京区政会館 1階エントランス")
    member.fill("#id_organisers", "厚真町")
    member.fill("#id_description", "日本一の作付面積をほこる厚真町のハスカップと、厚真米を販売します。")
    member.fill("#id_participant_names", "厚真町")
    member.set_input_files("#id_photo_1", str(photo(work / "haskap.jpg", 3)))
    member.fill("#id_photo_alt_1", "収穫したハスカップの実")
    shot(member, "04-member-submits-event")
    member.click("button:has-text('保存して事務局に送る')")
    shot(member, "05-member-event-waiting")

    member.goto(base + "/members/profile/")
    member.fill("#id_catchphrase", "ハスカップと厚真米の町")
    member.fill("#id_introduction", "厚真町は北海道の南西部、胆振地方にある町です。\n\n**ハスカップ**の作付面積は日本一です。")
    member.fill("#id_specialities", "ハスカップ\n厚真米\n厚真産の和牛")
    member.fill("#id_sights", "浜厚真海岸\n厚真ダム")
    member.fill("#id_links", "厚真町 https://www.town.atsuma.lg.jp/")
    member.fill("#id_contact", "産業経済課 0145-27-2321")
    member.set_input_files("#id_photo_1", str(photo(work / "field.jpg", 4)))
    member.fill("#id_photo_alt_1", "ハスカップ畑と厚真の山並み")
    member.click("button:has-text('保存する')")
    shot(member, "06-member-pr-page-saved")

    secretariat.goto(base + "/secretariat/events/?status=submitted")
    shot(secretariat, "07-secretariat-events-waiting")
    secretariat.click("a:has-text('厚真町ハスカップフェア')")
    secretariat.click("button:has-text('承認して公開する')")
    shot(secretariat, "08-secretariat-approved")

    for size, suffix in ((MOBILE, "mobile"), (DESKTOP, "desktop")):
        visitor = new_page(browser, size)
        visitor.goto(base + "/")
        shot(visitor, f"10-home-{suffix}")
        visitor.goto(f"{base}/events/?view=calendar&month={month}&prefecture=01")
        shot(visitor, f"11-calendar-hokkaido-{suffix}")
        visitor.click("section a:has-text('厚真町ハスカップフェア') >> nth=-1")
        shot(visitor, f"12-event-{suffix}")
        visitor.goto(base + "/local-governments/015814/")
        shot(visitor, f"13-pr-page-{suffix}")
        visitor.goto(base + "/search/?q=ハス")
        shot(visitor, f"14-search-{suffix}")

    feed = urllib.request.urlopen(base + "/events.ics?prefecture=01", timeout=10).read()  # noqa: S310 (loopback)
    summaries = [str(e["summary"]) for e in Calendar.from_ical(feed).walk("VEVENT")]
    assert "厚真町ハスカップフェア in 東京" in summaries, summaries
    print("calendar feed for 北海道:", summaries)

    visitor = new_page(browser, MOBILE)
    visitor.goto(base + "/contact/")
    visitor.check("input[name=desk][value=membership]")
    visitor.fill("#id_name", "函館 太郎")
    visitor.fill("#id_organization", "函館市 企画課")
    visitor.fill("#id_email", "kikaku@city.hakodate.lg.jp")
    visitor.fill("#id_subject", "会員登録の手順について")
    visitor.fill("#id_body", "函館市として会員登録を考えています。必要な書類はありますか。")
    shot(visitor, "15-inquiry-form-mobile")
    time.sleep(3.5)  # a person takes longer than a robot to fill the form in
    visitor.click("button:has-text('送信する')")
    shot(visitor, "16-inquiry-sent-mobile")
    print("desk mail links to", mailbox.next_link("members-desk@example.jp"))
    print("acknowledgement:", subject_of_mail_to(work / "mail", "kikaku@city.hakodate.lg.jp"))
    secretariat.goto(base + "/secretariat/inquiries/")
    shot(secretariat, "17-secretariat-inquiries")


if __name__ == "__main__":
    main()
