"""Joining: apply, verify the address by the link, be approved or rejected by the secretariat."""

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail

from renkei.core.models import AuditEntry, OutgoingEmail
from renkei.membership import services, tokens
from renkei.membership.models import Application, Member, MembershipEvent
from renkei.municipalities.models import LocalGovernment
from renkei.testing import ATSUMA, link_in, make_member, make_staff

pytestmark = pytest.mark.django_db

HAKODATE = "012025"


def apply(client, code=HAKODATE, **overrides):
    data = {"department": "企画部 企画課", "contact_name": "函館 太郎", "phone": "0138-21-3111",
            "email": "kikaku@city.hakodate.lg.jp", **overrides}
    return client.post(f"/join/apply/{code}/", data)


def test_search_finds_municipalities_by_name_or_kana_but_not_the_wards(client):
    page = client.get("/join/apply/", {"q": "はこだて"}).content.decode()
    assert 'href="/join/apply/012025/"' in page
    page = client.get("/join/apply/", {"q": "千代田"}).content.decode()
    assert "/join/apply/105236/" in page  # 群馬県千代田町
    assert "/join/apply/131016/" not in page  # 千代田区 hosts the project


def test_application_is_verified_by_link_then_reaches_the_secretariat(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = apply(client)
    assert response.status_code == 302 and response["Location"] == "/join/apply/sent/"
    application = Application.objects.get()
    assert application.status == Application.Status.UNVERIFIED
    assert not application.unusual_domain
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kikaku@city.hakodate.lg.jp"]
    assert "メールアドレス確認" in message.subject
    assert message.alternatives and "<a href=" in message.alternatives[0][0]

    page = client.get(link_in(message))
    assert page.status_code == 200 and "受け付けました" in page.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.PENDING and application.verified_at

    again = client.get(link_in(message))
    assert again.status_code == 400 and "確認済み" in again.content.decode()


def test_an_address_outside_lg_jp_is_flagged_not_refused(client):
    apply(client, email="taro@example.com")
    assert Application.objects.get().unusual_domain


@pytest.mark.parametrize("field,value,message", [
    ("phone", "abc", "電話番号"),
    ("email", "not-an-address", "メールアドレス"),
    ("contact_name", "", "このフィールドは必須です"),
])
def test_bad_input_is_explained_and_writes_nothing(client, field, value, message):
    response = apply(client, **{field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_a_member_cannot_apply_again_and_no_personal_data_is_revealed(client):
    make_member(ATSUMA)
    lead = make_staff(ATSUMA, "lead@town.atsuma.lg.jp", lead=True, name="厚真 花子")
    page = client.get(f"/join/apply/{ATSUMA}/").content.decode()
    assert "すでに会員です" in page and "主担当の方に招待を依頼" in page
    assert lead.name not in page and lead.email not in page
    response = apply(client, code=ATSUMA, email="other@town.atsuma.lg.jp")
    assert response.status_code == 409
    assert not Application.objects.exists()


def test_wards_cannot_apply(client):
    assert "対象ではありません" in client.get("/join/apply/131016/").content.decode()


@pytest.mark.parametrize("code", ["abc", "012026", "999999"])
def test_unknown_or_malformed_codes_are_404(client, code):
    assert client.get(f"/join/apply/{code}/").status_code == 404


def test_a_tampered_link_is_refused(client):
    application = services.submit_application(
        local_government=LocalGovernment.objects.get(code=HAKODATE), department="企画課",
        contact_name="函館 太郎", phone="0138-21-3111", email="kikaku@city.hakodate.lg.jp")
    token = tokens.make(tokens.VERIFY_SALT, application.pk, application.email)
    response = client.get(f"/join/verify/{token[:-2]}xx/")
    assert response.status_code == 400 and "リンクが正しくありません" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.UNVERIFIED


def test_the_verified_page_says_what_comes_next_and_leads_on(client):
    """The end of the visitor's part of the journey is not a dead end: next steps, the desk, links on."""
    from renkei.core.desks import DESKS

    application = services.submit_application(
        local_government=LocalGovernment.objects.get(code=HAKODATE), department="企画課",
        contact_name="函館 太郎", phone="0138-21-3111", email="kikaku@city.hakodate.lg.jp")
    token = tokens.make(tokens.VERIFY_SALT, application.pk, application.email)
    page = client.get(f"/join/verify/{token}/").content.decode()
    assert "このあとの流れ" in page and "kikaku@city.hakodate.lg.jp" in page
    assert DESKS["membership"].phone in page
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'href="/"' in main and 'href="/events/"' in main


def test_an_expired_link_is_refused(client):
    application = services.submit_application(
        local_government=LocalGovernment.objects.get(code=HAKODATE), department="企画課",
        contact_name="函館 太郎", phone="0138-21-3111", email="kikaku@city.hakodate.lg.jp")
    token = tokens.make(tokens.VERIFY_SALT, application.pk, application.email)
    with time_machine.travel(dt.timedelta(seconds=tokens.VERIFY_MAX_AGE + 60), tick=False):
        response = client.get(f"/join/verify/{token}/")
    assert response.status_code == 400 and "有効期限" in response.content.decode()


def pending_application(email="kikaku@city.hakodate.lg.jp"):
    return Application.objects.create(
        local_government=LocalGovernment.objects.get(code=HAKODATE), department="企画課",
        contact_name="函館 太郎", phone="0138-21-3111", email=email, status=Application.Status.PENDING)


def test_approval_makes_a_member_and_its_lead_contact(world, django_capture_on_commit_callbacks):
    application = pending_application()
    with django_capture_on_commit_callbacks(execute=True):
        member = services.approve_application(application_pk=application.pk, actor=world.secretariat)
    assert member.is_active and member.local_government.code == HAKODATE
    assert [e.kind for e in member.history.all()] == [MembershipEvent.Kind.APPROVED]
    lead = member.local_government.staff.get()
    assert lead.is_lead and lead.email == application.email and not lead.has_usable_password()
    assert AuditEntry.objects.filter(action="membership.application.approved", actor=world.secretariat).exists()
    assert mail.outbox[-1].to == [application.email]
    assert "/accounts/password-reset/" in mail.outbox[-1].body


def test_the_approved_applicant_sets_a_password_and_signs_in(client, world, django_capture_on_commit_callbacks):
    application = pending_application()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_application(application_pk=application.pk, actor=world.secretariat)
    link = link_in(mail.outbox[-1])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "Hakodate-2026-sea!", "new_password2": "Hakodate-2026-sea!"})
    assert response.status_code == 302
    signed_in = client.post("/accounts/sign-in/", {"username": application.email,
                                                   "password": "Hakodate-2026-sea!"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/members/"
    assert "函館市" in client.get("/members/").content.decode()


def test_an_application_cannot_be_decided_twice(world):
    application = pending_application()
    services.approve_application(application_pk=application.pk, actor=world.secretariat)
    with pytest.raises(services.MembershipError, match="すでに「承認」"):
        services.approve_application(application_pk=application.pk, actor=world.secretariat)
    with pytest.raises(services.MembershipError, match="すでに「承認」"):
        services.reject_application(application_pk=application.pk, actor=world.secretariat, reason="重複")
    assert Member.objects.filter(local_government__code=HAKODATE).count() == 1


def test_a_second_application_for_a_new_member_cannot_be_approved(world):
    first, second = pending_application(), pending_application("soumu@city.hakodate.lg.jp")
    services.approve_application(application_pk=first.pk, actor=world.secretariat)
    with pytest.raises(services.MembershipError, match="すでに会員"):
        services.approve_application(application_pk=second.pk, actor=world.secretariat)
    second.refresh_from_db()
    assert second.status == Application.Status.PENDING


def test_rejection_needs_a_reason_and_tells_the_applicant(world, django_capture_on_commit_callbacks):
    application = pending_application()
    with pytest.raises(services.MembershipError, match="理由"):
        services.reject_application(application_pk=application.pk, actor=world.secretariat, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_application(application_pk=application.pk, actor=world.secretariat,
                                    reason="公用のメールアドレスで申請してください。")
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert "公用のメールアドレスで申請してください。" in mail.outbox[-1].body
    assert AuditEntry.objects.filter(action="membership.application.rejected").exists()


def test_the_secretariat_approves_through_its_pages(client, world):
    from renkei.testing import sign_in

    application = pending_application(email="taro@example.com")
    application.unusual_domain = True
    application.save()
    sign_in(client, world.secretariat)
    listing = client.get("/secretariat/applications/").content.decode()
    assert "函館市" in listing and "通常と異なるドメイン" in listing
    response = client.post(f"/secretariat/applications/{application.pk}/approve/")
    assert response.status_code == 302
    again = client.post(f"/secretariat/applications/{application.pk}/approve/", follow=True)
    assert "すでに「承認」" in again.content.decode()


def test_the_approval_stays_when_the_mail_server_fails(world, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "renkei.membership.tests.failing_backend.FailingBackend"
    application = pending_application()
    with django_capture_on_commit_callbacks(execute=True):
        services.approve_application(application_pk=application.pk, actor=world.secretariat)
    assert Member.objects.filter(local_government__code=HAKODATE, is_active=True).exists()
    message = OutgoingEmail.objects.get(to=application.email)
    assert message.status == OutgoingEmail.Status.FAILED and "SMTP" in message.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.management import call_command

    call_command("send_emails", stdout=io.StringIO())
    message.refresh_from_db()
    assert message.status == OutgoingEmail.Status.SENT and message.attempts == 2
    assert mail.outbox[-1].to == [application.email]


def test_the_secretariat_sees_and_resends_failed_mail(client, world, settings):
    from renkei.testing import sign_in

    message = OutgoingEmail.objects.create(to="x@city.hakodate.lg.jp", subject="件名", body_text="本文",
                                           kind="test", status=OutgoingEmail.Status.FAILED,
                                           last_error="SMTPServerDisconnected: down", attempts=1)
    sign_in(client, world.secretariat)
    assert "SMTPServerDisconnected" in client.get("/secretariat/emails/").content.decode()
    assert "1" in client.get("/secretariat/").content.decode()
    client.post(f"/secretariat/emails/{message.pk}/resend/")
    message.refresh_from_db()
    assert message.status == OutgoingEmail.Status.SENT


@pytest.mark.parametrize("query", ["梼原", "檮原", "ゆすはら"])
def test_a_town_written_with_a_variant_character_is_found_either_way(client, query):
    page = client.get("/join/apply/", {"q": query}).content.decode()
    assert "/join/apply/394050/" in page and "梼原町" in page


@pytest.mark.parametrize("query", ["青森", "あおもり", "アオモリ", "ｱｵﾓﾘ"])
def test_a_municipality_finds_itself_by_name_or_reading_in_any_kana(client, query):
    page = client.get("/join/apply/", {"q": query}).content.decode()
    assert "/join/apply/022012/" in page  # 青森県青森市
