"""Walk through membership in a real browser, as new users would, and screenshot every step.

Starts the portal on a fresh database with mail written to files, then: a town applies,
verifies its address, the secretariat signs in with its second factor and approves, the
applicant sets a password, invites a colleague, hands over the lead role, and leaves.

Usage: .venv/bin/python scripts/walkthrough_membership.py   (PNGs in screenshots/walkthrough/)
"""

import email
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from email import policy
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots" / "walkthrough"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SECRETARIAT = ("jimukyoku@example.jp", "Jimukyoku-Pass-2026")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    def __init__(self, folder: Path):
        self.folder = folder
        self.seen = set()

    def next_link(self, to: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for path in sorted(self.folder.glob("*.log")):
                for raw in path.read_text().split("\n" + "-" * 79 + "\n"):
                    if not raw.strip() or raw in self.seen:
                        continue
                    message = email.message_from_string(raw.strip(), policy=policy.default)
                    if to not in message["To"]:
                        continue
                    self.seen.add(raw)
                    text = message.get_body(preferencelist=("plain",)).get_content()
                    return re.search(r"https?://\S+", text).group(0)
            time.sleep(0.3)
        raise SystemExit(f"no mail for {to}")


def totp_now(secret: str) -> str:
    import base64

    from django_otp.oath import totp

    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="renkei-walk-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{work}/db.sqlite3", "DEBUG": "false",
           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "EMAIL_FILE_PATH": str(work / "mail"), "SITE_URL": base,
           "DJANGO_SUPERUSER_PASSWORD": SECRETARIAT[1]}
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "-v0"], ["collectstatic", "--no-input", "-v0"], ["load_reference_data"],
                    ["load_newsletter"],
                    ["createsuperuser", "--no-input", "--email", SECRETARIAT[0], "--name", "事務局 太郎"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen([sys.executable, "-m", "renkei.server", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    mailbox = Mailbox(work / "mail")
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)  # noqa: S310 (loopback)
                break
            except OSError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            run(browser, base, mailbox)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(f"screenshots in {OUT.relative_to(ROOT)}")


def shot(page, name: str) -> None:
    page.screenshot(path=OUT / f"{name}.png", full_page=True)
    print(name, page.url)


def run(browser, base: str, mailbox: Mailbox) -> None:
    applicant = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    applicant.goto(base + "/join/apply/")
    applicant.fill("#q", "はこだて")
    applicant.click("button:has-text('探す')")
    shot(applicant, "01-search")
    applicant.click("a:has-text('函館市')")
    applicant.fill("#id_department", "企画部 企画課")
    applicant.fill("#id_contact_name", "函館 太郎")
    applicant.fill("#id_phone", "0138-21-3111")
    applicant.fill("#id_email", "kikaku@city.hakodate.lg.jp")
    shot(applicant, "02-application-form")
    applicant.click("button:has-text('申請する')")
    shot(applicant, "03-sent")
    applicant.goto(mailbox.next_link("kikaku@city.hakodate.lg.jp"))
    shot(applicant, "04-verified")

    secretariat = browser.new_page(viewport={"width": 1280, "height": 900}, locale="ja-JP")
    secretariat.goto(base + "/secretariat/")
    secretariat.fill("#id_username", SECRETARIAT[0])
    secretariat.fill("#id_password", SECRETARIAT[1])
    secretariat.click("button:has-text('ログイン')")
    shot(secretariat, "05-second-factor-setup")
    secret = secretariat.inner_text("code.secret")
    secretariat.fill("#id_token", totp_now(secret))
    secretariat.click("button:has-text('設定する')")
    shot(secretariat, "06-recovery-codes")
    secretariat.goto(base + "/secretariat/applications/")
    shot(secretariat, "07-applications")
    secretariat.click("a:has-text('函館市')")
    shot(secretariat, "08-application")
    secretariat.click("button:has-text('承認する')")
    shot(secretariat, "09-approved")

    applicant.goto(mailbox.next_link("kikaku@city.hakodate.lg.jp"))
    applicant.fill("#id_new_password1", "Hakodate-Port-2026")
    applicant.fill("#id_new_password2", "Hakodate-Port-2026")
    applicant.click("button:has-text('設定する')")
    applicant.goto(base + "/accounts/sign-in/")
    applicant.fill("#id_username", "kikaku@city.hakodate.lg.jp")
    applicant.fill("#id_password", "Hakodate-Port-2026")
    applicant.click("button:has-text('ログイン')")
    shot(applicant, "10-my-page")
    applicant.fill("#id_email", "kouhou@city.hakodate.lg.jp")
    applicant.click("button:has-text('招待メールを送る')")
    shot(applicant, "11-invited")

    colleague = browser.new_context(viewport={"width": 390, "height": 844}, locale="ja-JP").new_page()
    colleague.goto(mailbox.next_link("kouhou@city.hakodate.lg.jp"))
    colleague.fill("#id_name", "函館 花子")
    colleague.fill("#id_password1", "Hakodate-Hill-2026")
    colleague.fill("#id_password2", "Hakodate-Hill-2026")
    shot(colleague, "12-accept-invitation-mobile")
    colleague.click("button:has-text('アカウントを作成する')")
    colleague.fill("#id_username", "kouhou@city.hakodate.lg.jp")
    colleague.fill("#id_password", "Hakodate-Hill-2026")
    colleague.click("button:has-text('ログイン')")
    shot(colleague, "13-colleague-page-mobile")

    applicant.reload()
    applicant.click("button:has-text('主担当を引き継ぐ')")
    shot(applicant, "14-handed-over")

    # April: the former lead moves to another post; the new lead removes the account.
    colleague.reload()
    colleague.click("a.link-danger:has-text('削除')")
    shot(colleague, "15-confirm-removal-mobile")
    colleague.click("button.button-danger")
    shot(colleague, "15-former-lead-removed-mobile")
    applicant.reload()
    shot(applicant, "16-former-lead-signed-out")


if __name__ == "__main__":
    main()
