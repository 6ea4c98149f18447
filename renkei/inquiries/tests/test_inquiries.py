"""The two inquiry desks: the right address, a stored status, an acknowledgement, spam held back."""

import re
import secrets
import time

import pytest
import time_machine
from django.core import signing

from renkei.core.models import AuditEntry, OutgoingEmail
from renkei.inquiries.models import Inquiry
from renkei.testing import get_within, sign_in

pytestmark = pytest.mark.django_db


def shown_seconds_ago(seconds: int) -> str:
    """The form's signed stamp, as if the form had been shown `seconds` ago."""
    with time_machine.travel(time.time() - seconds, tick=False):
        return signing.TimestampSigner(salt="inquiry-form").sign(secrets.token_urlsafe(12))  # a showing of its own


@pytest.fixture
def clock():
    """The clock stands still (a busy machine takes no time between showing the form and posting
    it) and moves on only when the test says so: `clock.shift(seconds)`."""
    with time_machine.travel(time.time(), tick=False) as traveller:
        yield traveller


def data(**overrides):
    return {"desk": "membership", "name": "函館 太郎", "organization": "函館市 企画課", "email": "taro@city.hakodate.lg.jp",
            "subject": "手順の質問", "body": "登録の手順を教えてください。", "website": "",
            "shown": shown_seconds_ago(30), **overrides}


@pytest.mark.parametrize("desk,address", [("project", "project@example.jp"), ("membership", "members@example.jp")])
def test_each_desk_gets_its_own_mail_and_the_sender_an_acknowledgement(client, settings, desk, address):
    settings.INQUIRY_PROJECT_EMAIL, settings.INQUIRY_MEMBERSHIP_EMAIL = "project@example.jp", "members@example.jp"
    response = client.post("/contact/", data(desk=desk))
    assert response.status_code == 302 and response["Location"] == "/contact/sent/"
    inquiry = Inquiry.objects.get()
    assert inquiry.desk == desk and inquiry.status == Inquiry.Status.NEW
    to_desk = OutgoingEmail.objects.get(to=address, subject__contains="手順の質問")
    assert to_desk.reply_to == "taro@city.hakodate.lg.jp"  # the desk answers with "reply"
    ack = OutgoingEmail.objects.get(to="taro@city.hakodate.lg.jp")
    assert f"受付番号 {inquiry.pk}" in ack.subject and "登録の手順" in ack.body_text


@pytest.mark.parametrize("overrides", [
    lambda: {"website": "https://spam.example/"},  # the field people do not see
    lambda: {"shown": shown_seconds_ago(0)},  # sent the moment the form was shown
    lambda: {"shown": "forged"},
    lambda: {"body": " ".join(["http://spam.example/"] * 6)},
])
def test_spam_is_held_back_without_mail_and_without_promising_any(client, clock, overrides):
    response = client.post("/contact/", data(**overrides()))
    assert response.status_code == 302 and response["Location"] == "/contact/sent/?held=1"
    assert Inquiry.objects.get().status == Inquiry.Status.HELD
    assert not OutgoingEmail.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "確認のメールは自動では送られません" in page and "確認のメールをお送りしました" not in page


def test_one_showing_of_the_form_sends_one_message(client, clock):
    """A robot that read the form once and posts it five times: the first is received, the other
    four are held, without mail."""
    stamp = shown_seconds_ago(30)
    for n in range(5):
        response = client.post("/contact/", data(shown=stamp, subject=f"質問{n}"))
        assert response.status_code == 302
    statuses = list(Inquiry.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [Inquiry.Status.NEW] + [Inquiry.Status.HELD] * 4
    assert OutgoingEmail.objects.count() == 2  # the first one's: to the desk and to the sender
    assert response["Location"] == "/contact/sent/?held=1"
    person = client.__class__(REMOTE_ADDR="192.0.2.44")  # someone else, with the form as they are shown it
    fresh = re.search(r'name="shown" value="([^"]+)"', person.get("/contact/").content.decode()).group(1)
    clock.shift(1.1)  # a person takes longer than a second
    sent = person.post("/contact/", data(shown=fresh, email="hanako@city.hakodate.lg.jp", subject="別の質問"))
    assert sent["Location"] == "/contact/sent/"


def test_a_person_who_autofills_and_pastes_is_not_held(client):
    response = client.post("/contact/", data(shown=shown_seconds_ago(2)))
    assert response["Location"] == "/contact/sent/"
    assert Inquiry.objects.get().status == Inquiry.Status.NEW and OutgoingEmail.objects.count() == 2


def test_the_secretariat_sees_a_held_message_and_releases_it(client, world):
    client.post("/contact/", data(shown="forged"))
    inquiry = Inquiry.objects.get()
    sign_in(client, world.secretariat)
    assert "保留中のお問い合わせ" in client.get("/secretariat/").content.decode()
    assert "手順の質問" in client.get("/secretariat/inquiries/?status=held").content.decode()
    client.post(f"/secretariat/inquiries/{inquiry.pk}/release/")
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.NEW
    assert set(OutgoingEmail.objects.values_list("to", flat=True)) == {"taro@city.hakodate.lg.jp",
                                                                       settings_address("membership")}
    assert AuditEntry.objects.filter(action="inquiries.inquiry.released").exists()


def settings_address(desk: str) -> str:
    from renkei.inquiries.services import desk_address

    return desk_address(desk)


def test_one_sender_is_limited_per_hour(client, settings):
    settings.INQUIRY_LIMIT_PER_HOUR = 3
    for i in range(3):
        assert client.post("/contact/", data(email=f"p{i}@example.jp")).status_code == 302
    response = client.post("/contact/", data(email="p9@example.jp"))
    assert response.status_code == 429 and "1時間ほどしてから" in response.content.decode()
    assert Inquiry.objects.count() == 3
    other = client.__class__(REMOTE_ADDR="192.0.2.9")
    assert other.post("/contact/", data(email="p0@example.jp")).status_code == 302  # another sender, same limit per address
    assert other.post("/contact/", data(email="p0@example.jp")).status_code == 302
    assert other.post("/contact/", data(email="p0@example.jp")).status_code == 429  # p0 has sent 3 in the hour


@pytest.mark.parametrize("overrides,message", [
    ({"body": "あ" * 4001}, "4000"), ({"email": "not-an-address"}, "メールアドレス"), ({"desk": "other"}, "選択"),
    ({"subject": ""}, "必須"),
])
def test_bad_input_gets_a_message_and_writes_nothing(client, overrides, message):
    response = client.post("/contact/", data(**overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Inquiry.objects.exists() and not OutgoingEmail.objects.exists()


def test_the_secretariat_tracks_the_status(client, world):
    client.post("/contact/", data())
    inquiry = Inquiry.objects.get()
    sign_in(client, world.secretariat)
    page = client.get("/secretariat/inquiries/?status=new").content.decode()
    assert "手順の質問" in page
    client.post(f"/secretariat/inquiries/{inquiry.pk}/", {"status": "answered", "note": "電話で回答"})
    inquiry.refresh_from_db()
    assert inquiry.status == "answered" and inquiry.handled_by == world.secretariat
    entry = AuditEntry.objects.get(action="inquiries.inquiry.changed")
    assert entry.changes["status"] == ["new", "answered"]
    assert "手順の質問" not in client.get("/secretariat/inquiries/?status=new").content.decode()
    response = client.post(f"/secretariat/inquiries/{inquiry.pk}/", {"status": "bogus"}, follow=True)
    assert "状態を選んでください" in response.content.decode()
    member = client.__class__()
    sign_in(member, world.member)
    assert member.get(f"/secretariat/inquiries/{inquiry.pk}/").status_code == 403


def test_the_inquiry_list_runs_a_constant_number_of_queries(client, world):
    for i in range(15):
        Inquiry.objects.create(desk="project", name="x", email=f"{i}@example.jp", subject=f"件名{i}", body="b",
                               sender_key="k")
    sign_in(client, world.secretariat)
    get_within(client, "/secretariat/inquiries/", queries=12, contains="件名14")


def test_a_desk_can_be_chosen_from_its_card(client):
    import re

    page = client.get("/contact/?desk=project").content.decode()
    radios = dict(re.findall(r'<input type="radio" name="desk" value="(\w+)"([^>]*)>', page))
    assert "checked" in radios["project"] and "checked" not in radios["membership"]


def test_old_answered_and_held_inquiries_are_purged(settings):
    import datetime as dt
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    settings.INQUIRY_RETENTION_DAYS = 365
    now = timezone.now()

    def make(subject, status, days_ago):
        inquiry = Inquiry.objects.create(desk="project", name="x", email="x@example.jp", subject=subject, body="b",
                                         sender_key="k", status=status)
        Inquiry.objects.filter(pk=inquiry.pk).update(created_at=now - dt.timedelta(days=days_ago),
                                                     updated_at=now - dt.timedelta(days=days_ago))

    make("古い回答済み", "answered", 400)
    make("新しい回答済み", "answered", 100)
    make("古い保留", "held", 40)
    make("新しい保留", "held", 10)
    make("古い未対応", "new", 900)
    make("古い対応中", "in_progress", 900)
    out = StringIO()
    call_command("purge_inquiries", stdout=out)
    assert "回答済み 1件、保留 1件" in out.getvalue()
    assert set(Inquiry.objects.values_list("subject", flat=True)) == {"新しい回答済み", "新しい保留", "古い未対応", "古い対応中"}
    assert AuditEntry.objects.get(action="inquiries.purged").changes == {"answered": [1, 0], "held": [1, 0]}
