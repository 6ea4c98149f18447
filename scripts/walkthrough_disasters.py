"""Walk through the disaster support in a real browser, as the HQ, the wards and a struck town would.

The secretariat registers an earthquake and sets up its HQ, types in 厚真町's call for 10 保健師 and
asks the 23 wards; every ward answers (20 through the services, 3 in the browser, one of them first
refused for want of a number); the secretariat reads the answers and the request's balance; 厚真町
files a request for blankets; a ward records a dispatch that the secretariat confirms; the
secretariat records a recovery fund shared by population; a visitor reads the public pages.
Every page at desktop and phone widths.

Usage: .venv/bin/python scripts/walkthrough_disasters.py   (PNGs in screenshots/disasters/)
"""

import base64
import datetime as dt
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
from walkthrough_membership import ARGS, ROOT, free_port, totp_now  # noqa: E402

OUT = ROOT / "screenshots" / "disasters"
PASSWORD = "Disaster-Walk-2026!"
DISASTER = "令和8年胆振地方の地震"
SETUP = """
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from renkei.municipalities.models import LocalGovernment
from renkei.testing import make_member, make_staff
User = get_user_model()
make_member("015814")
lead = make_staff("015814", "lead@town.atsuma.lg.jp", lead=True, name="厚真 花子")
lead.set_password("{password}")
lead.save()
codes = []
for ward in LocalGovernment.objects.special_wards().order_by("code"):
    user = make_staff(ward.code, f"bousai-{{ward.code}}@example.jp", lead=True, name=f"{{ward.name}} 防災担当")
    user.set_password("{password}")
    user.is_disaster_contact = True
    user.save()
    codes.append(ward.code)
print("WARDS", ",".join(codes))
admin = User.objects.create_superuser("jimukyoku@example.jp", "{password}", name="事務局 太郎")
print(TOTPDevice.objects.create(user=admin, name="app", confirmed=True).key)
"""
# 20 wards answer through the services: four can send one 保健師 each, the others cannot.
ANSWERS = """
from django.contrib.auth import get_user_model
from renkei.disasters.models import Enquiry
from renkei.disasters.services.coordination import answer_enquiry
enquiry = Enquiry.objects.get(pk={enquiry})
for i, code in enumerate("{codes}".split(",")):
    user = get_user_model().objects.get(email=f"bousai-{{code}}@example.jp")
    yes = i % 5 == 0
    answer_enquiry(actor=user, enquiry=enquiry, data={{"answer": "yes" if yes else "no", "quantity": 1 if yes else 0,
                                                      "contact": f"{{user.local_government.name}} 保健所 03-0000-0000"}})
print(enquiry.answers.count())
"""
# The outermost elements that reach past the window's right edge and are not held in by a scrolling
# box (an absolutely placed one escapes it): what makes a phone scroll sideways.
OVERFLOWING = """width => {
  const escapes = e => {
    if (e.getBoundingClientRect().right <= width + 1) return false;
    if (["absolute", "fixed"].includes(getComputedStyle(e).position)) return true;
    for (let a = e.parentElement; a; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return false;
    return true;
  };
  const found = [...document.querySelectorAll("body *")].filter(escapes);
  return found.filter(e => !found.some(o => o !== e && o.contains(e))).slice(0, 5).map(e =>
    `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${[...e.classList].map(c => "." + c).join("")}`
    + ` "${e.textContent.trim().slice(0, 20)}" (${Math.round(e.getBoundingClientRect().right)}px)`);
}"""
JST = dt.timezone(dt.timedelta(hours=9))
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


def both(page, name: str) -> None:
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        wide = page.evaluate("document.documentElement.scrollWidth")
        if wide > size["width"]:
            print(f"  ! {name}-{label}: the page is {wide}px wide, past the edge:", page.evaluate(OVERFLOWING, size["width"]))
        page.screenshot(path=OUT / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    print(name, page.url)


def new_page(browser):
    page = browser.new_context(viewport=DESKTOP, locale="ja-JP").new_page()
    page.on("response", lambda r: r.request.resource_type == "document" and r.status >= 400
            and print(f"  ! {r.status} {r.url}"))
    return page


def sign_in(page, base: str, email: str, next_url: str) -> None:
    page.goto(f"{base}/accounts/sign-in/?next={next_url}")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button:has-text('ログイン')")


def number_in(url: str, pattern: str) -> int:
    return int(re.search(pattern, url).group(1))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="renkei-disasters-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/db.sqlite3", "DEBUG": "false", "SITE_URL": base,
           "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "MEDIA_ROOT": str(work / "media")}
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v0"], ["collectstatic", "--no-input", "-v0"], ["load_reference_data"],
                    ["load_newsletter"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    lines = subprocess.run(manage + ["shell", "-c", SETUP.format(password=PASSWORD)], cwd=ROOT, env=env, check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()
    wards = next(line for line in lines if line.startswith("WARDS ")).split()[1].split(",")
    secret = base64.b32encode(bytes.fromhex(lines[-1])).decode()
    assert len(wards) == 23, wards

    def answer_in_shell(enquiry: int, codes: list[str]) -> str:
        return subprocess.run(manage + ["shell", "-c", ANSWERS.format(enquiry=enquiry, codes=",".join(codes))],
                              cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]

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
            run(browser, base, secret, wards, answer_in_shell)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"screenshots in {OUT.relative_to(ROOT)}")


def run(browser, base: str, secret: str, wards: list[str], answer_in_shell) -> None:
    now = dt.datetime.now(tz=JST)
    today = now.date()

    # 2. The secretariat registers the earthquake and sets up the HQ.
    hq = new_page(browser)
    sign_in(hq, base, "jimukyoku@example.jp", "/secretariat/disasters/new/")
    hq.fill("#id_token", totp_now(secret))
    hq.click("button:has-text('確認する')")
    hq.fill("#id_name", DISASTER)
    hq.select_option("#id_kind", "earthquake")
    hq.fill("#id_started_on", today.isoformat())
    hq.fill("#id_affected", "北海道\n北海道厚真町")
    hq.fill("#id_summary", "胆振地方中東部を震源とする地震により、厚真町で震度6強を観測しました。"
                           "住宅の倒壊と土砂崩れがあり、避難所が開設されています。")
    hq.fill("#id_hq_contact", "特別区長会事務局 防災担当 03-5210-9738")
    both(hq, "01-disaster-form")
    hq.click("form.form button:has-text('保存する')")
    disaster = number_in(hq.url, r"/disasters/(\d+)/")
    hq.click("button:has-text('対策本部を設置する')")
    print("HQ set up:", "対策本部を設置しました" in hq.content())
    both(hq, "02-hq-set-up")

    # 3. A call from 厚真町 for 10 保健師, and an enquiry about it to the 23 wards.
    hq.click("a:has-text('電話・FAXの要請を入力する')")
    hq.select_option("#id_requested_by", "municipality")
    hq.fill("#id_requester", "北海道厚真町")
    hq.fill("#id_requester_name", "保健福祉課 厚真 次郎 0145-27-2486")
    hq.select_option("#id_channel", "phone")
    hq.check("input[name=kind][value=staff]")
    hq.select_option("#id_role", label="保健師")
    hq.fill("#id_quantity", "10")
    hq.fill("#id_starts_on", (today + dt.timedelta(days=2)).isoformat())
    hq.fill("#id_ends_on", (today + dt.timedelta(days=15)).isoformat())
    hq.fill("#id_task", "避難所の健康相談、在宅の高齢者の訪問")
    both(hq, "03-request-form")
    hq.click("form.form button:has-text('受け付ける')")
    request = number_in(hq.url, r"/requests/(\d+)/")
    hq.click("a:has-text('この要請について23区に照会する')")
    hq.fill("#id_question", "厚真町から保健師10人の派遣の要請がありました（2週間、避難所の健康相談）。"
                            "派遣が可能な場合は人数と開始可能日、担当者をお知らせください。")
    hq.fill("#id_deadline", (now + dt.timedelta(hours=4)).strftime("%Y-%m-%dT%H:00"))
    print("the enquiry is about the request:", hq.eval_on_selector("#id_request", "e => e.value") == str(request))
    both(hq, "04-enquiry-form")
    hq.click("form.form button:has-text('23区に照会する')")
    enquiry = number_in(hq.url, r"/enquiries/(\d+)/")

    # 4. 20 wards answer through the services, 3 in the browser.
    print("answers after the shell:", answer_in_shell(enquiry, wards[3:]))
    for index, (code, answer, quantity) in enumerate(((wards[0], "yes", "2"), (wards[1], "yes", "1"),
                                                      (wards[2], "no", ""))):
        ward = new_page(browser)
        sign_in(ward, base, f"bousai-{code}@example.jp", "/members/disasters/")
        if index == 0:
            both(ward, "05-ward-desk-before")
        ward.click("table a[href*='/enquiries/']")
        ward.check(f"input[name=answer][value={answer}]")
        ward.fill("#id_contact", "保健予防課 山田 03-0000-0000")
        if index == 0:  # first without a number: refused
            ward.click("form.form button:has-text('回答する')")
            print("the answer without a number was refused:", "対応できる人数・数量を入力してください" in ward.content())
            both(ward, "06-ward-answer-refused")
            ward.fill("#id_available_from", (today + dt.timedelta(days=2)).isoformat())
        if quantity:
            ward.fill("#id_quantity", quantity)
        ward.click("form.form button:has-text('回答する')")
        if index == 0:
            both(ward, "07-ward-desk-answered")
            dispatcher = ward
        else:
            ward.context.close()

    # 5. The secretariat reads the 23 answers and what is left of the request.
    hq.goto(f"{base}/secretariat/disasters/enquiries/{enquiry}/")
    both(hq, "08-enquiry-matrix")
    hq.click(f"a[href='/secretariat/disasters/requests/{request}/']")
    both(hq, "09-request-balance")

    # 6. 厚真町 asks for 200 blankets.
    town = new_page(browser)
    sign_in(town, base, "lead@town.atsuma.lg.jp", "/members/disasters/")
    town.click("a:has-text('支援を要請する')")
    town.check("input[name=kind][value=supplies]")
    town.fill("#id_item", "毛布")
    town.fill("#id_quantity", "200")
    town.fill("#id_unit", "枚")
    town.fill("#id_task", "避難所（厚真町総合福祉センター）で使用、届け先も同じ")
    town.fill("#id_requester_name", "保健福祉課 厚真 花子 0145-27-2321")
    both(town, "10-town-request-form")
    town.click("form.form button:has-text('要請を送る')")
    both(town, "11-town-desk")

    # 7. The first ward records its dispatch; the secretariat confirms it.
    dispatcher.goto(base + "/members/disasters/")
    dispatcher.click("a:has-text('職員派遣を記録する')")
    dispatcher.select_option("#id_channel", label="特別区長会の共同派遣")
    dispatcher.fill("#id_destination", "北海道厚真町")
    dispatcher.select_option("#id_role", label="保健師")
    dispatcher.fill("#id_task", "避難所の健康相談")
    dispatcher.fill("#id_wave", "1")
    dispatcher.fill("#id_persons", "2")
    dispatcher.fill("#id_first_day", today.isoformat())
    dispatcher.fill("#id_last_day", (today + dt.timedelta(days=6)).isoformat())
    dispatcher.select_option("#id_status", "on_duty")
    dispatcher.select_option("#id_request", str(request))
    both(dispatcher, "12-ward-dispatch-form")
    dispatcher.click("form.form button:has-text('保存する')")
    both(dispatcher, "13-ward-desk-dispatch")
    hq.goto(f"{base}/secretariat/disasters/{disaster}/#dispatches")
    both(hq, "14-hq-dispatch-to-confirm")
    hq.click("#dispatches button:has-text('確認する')")
    print("dispatch confirmed:", "派遣を確認しました" in hq.content())
    both(hq, "15-hq-dispatch-confirmed")

    # 8. A recovery fund of 2,000万円 to 厚真町, shared by the wards' populations.
    hq.click("a:has-text('支援金を記録する')")
    hq.select_option("#id_kind", "recovery_fund")
    hq.fill("#id_amount_yen", "20000000")
    hq.fill("#id_decided_on", today.isoformat())
    hq.fill("#id_recipients", "北海道厚真町 20000000")
    hq.check("input[name=share_rule][value=population]")
    both(hq, "16-fund-form")
    hq.click("form.form button:has-text('保存する')")
    hq.click("#funds li a[href*='/disasters/funds/']")
    print("wards' shares:", hq.locator("table:has(#shares-caption) tbody tr").count(),
          hq.inner_text("#shares-caption"))
    both(hq, "17-fund")

    # 9. A visitor reads the public pages.
    visitor = new_page(browser)
    visitor.goto(base + "/")
    print("banner names the disaster:", DISASTER in visitor.inner_text(".disaster-banner"))
    both(visitor, "18-home")
    visitor.click(".disaster-banner a")
    both(visitor, "19-public-disaster")
    visitor.goto(base + "/disasters/wards/")
    both(visitor, "20-public-wards")
    visitor.goto(base + "/disasters/")
    both(visitor, "21-public-disasters")


if __name__ == "__main__":
    main()
