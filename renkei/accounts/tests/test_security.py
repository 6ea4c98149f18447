"""Sign-in, throttling, the secretariat's second factor, sessions and their audit."""

import re

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.core.models import AuditEntry
from renkei.testing import PASSWORD, make_secretariat, sign_in_with_password

pytestmark = pytest.mark.django_db


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_staff_sign_in_with_email_and_password(client, world):
    response = sign_in_with_password(client, world.member.email)
    assert response.status_code == 302 and response["Location"] == "/members/"
    assert AuditEntry.objects.filter(action="accounts.signed_in", actor=world.member).exists()


def test_a_failed_sign_in_is_explained_and_audited(client, world):
    response = sign_in_with_password(client, world.member.email, "wrong-password")
    assert "メールアドレスまたはパスワードが正しくありません" in response.content.decode()
    entry = AuditEntry.objects.get(action="accounts.sign_in_failed")
    assert entry.object_id == str(world.member.pk)


def test_sign_in_is_throttled_per_account(world, settings):
    for address in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(Client(REMOTE_ADDR=f"10.0.0.{address}"), world.member.email, "wrong")
    locked = sign_in_with_password(Client(REMOTE_ADDR="10.0.1.1"), world.member.email, PASSWORD)
    assert locked.status_code == 429
    assert "一時的に停止" in locked.content.decode() and "15分" in locked.content.decode()


def test_sign_in_is_throttled_per_address(world, settings):
    client = Client(REMOTE_ADDR="192.0.2.7")
    for n in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(client, f"nobody{n}@example.jp", "wrong")
    assert sign_in_with_password(client, world.member.email).status_code == 429
    assert sign_in_with_password(Client(REMOTE_ADDR="192.0.2.8"), world.member.email).status_code == 302


def test_the_secretariat_must_register_a_second_factor_before_any_page(client, world):
    TOTPDevice.objects.filter(user=world.secretariat).delete()
    response = sign_in_with_password(client, world.secretariat.email)
    assert response.status_code == 302
    page = client.get("/secretariat/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/two-factor/setup/")
    assert client.get("/admin/").status_code == 302  # the admin waits for it too

    setup = client.get("/accounts/two-factor/setup/")
    html = setup.content.decode()
    assert setup.status_code == 200 and "<svg" in html
    # The QR code stands where its text points to it: after 「次のQRコードを読み取って」, before
    # the fallback key and the second step.
    assert html.index("次のQRコードを読み取って") < html.index("<svg") < html.index("手入力") < html.index("6桁のコード")
    device = TOTPDevice.objects.get(user=world.secretariat, confirmed=False)
    wrong = client.post("/accounts/two-factor/setup/", {"token": "000000"})
    assert "正しくありません" in wrong.content.decode() and "少し待って" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    done = client.post("/accounts/two-factor/setup/", {"token": current_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", done.content.decode())
    assert len(codes) == 10
    assert client.get("/secretariat/").status_code == 200


def test_the_secretariat_signs_in_with_its_code(client, world):
    sign_in_with_password(client, world.secretariat.email)
    assert client.get("/secretariat/")["Location"].startswith("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user=world.secretariat)
    bad = client.post("/accounts/two-factor/", {"token": "123456"})
    assert "正しくありません" in bad.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    good = client.post("/accounts/two-factor/?next=/secretariat/applications/", {
        "token": current_code(device), "next": "/secretariat/applications/"})
    assert good.status_code == 302 and good["Location"] == "/secretariat/applications/"
    assert client.get("/secretariat/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.second_factor_verified").exists()


def test_guessing_codes_is_slowed_down(client, world):
    sign_in_with_password(client, world.secretariat.email)
    response = client.post("/accounts/two-factor/", {"token": "000000"})
    assert "少し待って" in response.content.decode()
    device = TOTPDevice.objects.get(user=world.secretariat)
    # Even the right code waits until the pause is over.
    assert client.post("/accounts/two-factor/", {"token": current_code(device)}).status_code == 400
    assert client.get("/secretariat/").status_code == 302


def test_a_recovery_code_works_once(world):
    from renkei.accounts.views import _new_recovery_codes

    codes = _new_recovery_codes(world.secretariat)
    first = Client()
    sign_in_with_password(first, world.secretariat.email)
    assert first.post("/accounts/two-factor/", {"token": codes[0]}).status_code == 302
    assert first.get("/secretariat/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    # The same code, from another browser that has not given its second factor: refused.
    second = Client()
    sign_in_with_password(second, world.secretariat.email)
    TOTPDevice.objects.get(user=world.secretariat).throttle_reset()
    again = second.post("/accounts/two-factor/", {"token": codes[0]})
    assert again.status_code == 400 and "確認コードが正しく" in again.content.decode()
    assert second.get("/secretariat/").status_code == 302
    # Another code of the set still works there, once the pause after the wrong one is over.
    for device in (*TOTPDevice.objects.filter(user=world.secretariat), *StaticDevice.objects.filter(user=world.secretariat)):
        device.throttle_reset()
    assert second.post("/accounts/two-factor/", {"token": codes[1]}).status_code == 302


def test_an_open_redirect_is_refused_after_the_second_factor(client, world):
    sign_in_with_password(client, world.secretariat.email)
    device = TOTPDevice.objects.get(user=world.secretariat)
    response = client.post("/accounts/two-factor/", {"token": current_code(device),
                                                      "next": "https://evil.example/"})
    assert response["Location"] == "/secretariat/"


def test_sessions_expire_when_idle(client, world, settings):
    sign_in_with_password(client, world.member.email)
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.get("/members/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 7200


def test_password_reset_goes_through_the_outbox(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": world.member.email})
    assert mail.outbox[-1].to == [world.member.email]
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0).removeprefix("http://127.0.0.1:8000")
    page = client.get(link, follow=True)
    assert "新しいパスワード" in page.content.decode()


def test_asking_again_and_again_sends_three_mails_an_hour_and_answers_alike(world, django_capture_on_commit_callbacks):
    """Ten requests for one account from ten clients: three mails, and every answer the same as for
    an address with no account; an hour later the owner can ask again."""
    import datetime as dt

    from django.utils import timezone

    from renkei.core.models import OutgoingEmail

    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(10):
            response = Client(REMOTE_ADDR=f"198.51.100.{n}").post("/accounts/password-reset/",
                                                                  {"email": world.member.email.upper()})
            answers.append((response.status_code, response["Location"]))
        nobody = Client().post("/accounts/password-reset/", {"email": "nobody@example.jp"})
    assert len([m for m in mail.outbox if m.to == [world.member.email]]) == 3
    assert set(answers) == {(nobody.status_code, nobody["Location"])} == {(302, "/accounts/password-reset/sent/")}
    OutgoingEmail.objects.filter(kind="password-reset").update(created_at=timezone.now() - dt.timedelta(minutes=61))
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/password-reset/", {"email": world.member.email})
    assert len([m for m in mail.outbox if m.to == [world.member.email]]) == 4


def test_secretariat_accounts_are_created_with_createsuperuser():
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("boss@example.jp", "Secret-Pass-2026", name="事務局長")
    assert user.is_secretariat and user.is_staff and user.local_government is None
    assert make_secretariat("second@example.jp").is_secretariat
