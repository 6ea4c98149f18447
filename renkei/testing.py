"""What tests share, in one place: personas built once per test (the secretariat with its second
factor, staff of two member municipalities, ward staff; cf. healthchecks' hc/test.py), ways to sign
them in, sample records for parameterised routes, and small readers of responses and mail.

It imports no test module: tests import it.
"""

import io
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.membership.models import Member, MembershipEvent
from renkei.municipalities.models import LocalGovernment

PASSWORD = "Renkei-Test-Passw0rd!"
ATSUMA = "015814"  # 北海道厚真町
KAMIKAWA = "014575"  # 北海道上川町
CHIYODA = "131016"  # 千代田区


def load_records() -> None:
    """The reference data and the newsletter's records, as `make run` loads them."""
    from django.core.management import call_command

    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_newsletter", stdout=io.StringIO())


def make_member(code: str) -> Member:
    local_government = LocalGovernment.objects.get(code=code)
    member = Member.objects.create(local_government=local_government, joined_on=timezone.localdate())
    MembershipEvent.objects.create(member=member, kind=MembershipEvent.Kind.APPROVED, on=member.joined_on)
    return member


def make_staff(code: str, email: str, *, lead: bool = False, name: str = "担当者"):
    return get_user_model().objects.create_user(
        email=email, password=PASSWORD, name=name, is_lead=lead,
        local_government=LocalGovernment.objects.get(code=code),
    )


def make_secretariat(email: str = "jimukyoku@example.jp"):
    user = get_user_model().objects.create_user(
        email=email, password=PASSWORD, name="事務局 太郎", is_secretariat=True, is_staff=True,
        is_superuser=True,
    )
    TOTPDevice.objects.create(user=user, name="認証アプリ", confirmed=True)
    return user


def sign_in(client, user) -> None:
    """Sign in without the form; for the secretariat also pass the second factor, as the OTP
    views would. (`sign_in_with_password` goes through the sign-in page itself.)"""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()


def sign_in_with_password(client, email: str, password: str = PASSWORD, **extra):
    """Sign in through the sign-in page, as a person does; returns the page's answer."""
    return client.post("/accounts/sign-in/", {"username": email, "password": password}, **extra)


def text(response) -> str:
    """A page's HTML, to look for what it says."""
    return response.content.decode()


def get_within(client, url: str, *, queries: int, contains: str, status: int = 200, data=None):
    """GET a page in at most `queries` database queries, and check that it is the page: its status
    and a piece of what it says. Every query-count test goes through here."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    sql = "\n".join(q["sql"] for q in captured.captured_queries)
    assert len(captured) <= queries, f"{url}: {len(captured)} queries, at most {queries} expected\n{sql}"
    assert response.status_code == status, f"{url}: {response.status_code}"
    body = response.content.decode()
    assert contains in body, f"{url} does not say {contains!r}"
    return response


def count_queries(client, url: str) -> int:
    """How many queries a page takes (it must answer 200), to compare lists of 2 rows and of 20."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def link_in(message) -> str:
    """The first link of a mail, as a path on this site."""
    return re.search(r"https?://\S+", message.body).group(0).removeprefix("http://127.0.0.1:8000")


def jpeg(width=3000, height=2000, name="photo.jpg", exif=True):
    """A camera-sized JPEG upload, with a GPS tag in its metadata."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    image = Image.new("RGB", (width, height), (200, 120, 40))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x8825] = {1: "N", 2: (35.0, 41.0, 0.0)}  # GPSInfo
        data[0x010F] = "CameraMaker"
        image.save(out, "JPEG", exif=data.tobytes())
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@dataclass
class World:
    secretariat: object
    member: object  # lead contact of 厚真町
    colleague: object  # another staff member of 厚真町
    other_member: object  # lead contact of 上川町
    ward: object  # lead contact of 千代田区


def build_world() -> World:
    make_member(ATSUMA)
    make_member(KAMIKAWA)
    return World(
        secretariat=make_secretariat(),
        member=make_staff(ATSUMA, "lead@town.atsuma.lg.jp", lead=True, name="厚真 花子"),
        colleague=make_staff(ATSUMA, "staff@town.atsuma.lg.jp", name="厚真 次郎"),
        other_member=make_staff(KAMIKAWA, "lead@town.kamikawa.lg.jp", lead=True, name="上川 一郎"),
        ward=make_staff(CHIYODA, "lead@city.chiyoda.lg.jp", lead=True, name="千代田 三郎"),
    )


def sample_token(kind: str) -> str:
    """A valid link token of each kind, with the record behind it (for route samples)."""
    from renkei.membership import tokens
    from renkei.membership.models import Application, Invitation

    if kind == "verify":
        application = Application.objects.create(
            local_government=LocalGovernment.objects.get(code="012025"), department="企画課",
            contact_name="函館 太郎", phone="0138-21-3111", email="kikaku@city.hakodate.lg.jp")
        return tokens.make(tokens.VERIFY_SALT, application.pk, application.email)
    if kind == "invite":
        invitation = Invitation.objects.create(
            local_government=LocalGovernment.objects.get(code=ATSUMA), email="new@town.atsuma.lg.jp")
        return tokens.make(tokens.INVITE_SALT, invitation.pk, invitation.email)
    raise ValueError(kind)


def sample_password_link() -> dict:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    # An account of its own: a persona signing in changes its last_login, which voids its tokens.
    email = "reset@town.atsuma.lg.jp"
    user = get_user_model().objects.filter(email=email).first() or make_staff(ATSUMA, email)
    return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user)}


def pasted_text():
    """A hypothesis strategy for what people paste: any Unicode but NUL (refused at the door) and
    lone surrogates (no UTF-8 request can carry one), 1–80 characters, not only blanks."""
    from hypothesis import strategies as st

    return st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)),
                   min_size=1, max_size=80).filter(str.strip)


def sample_draft_issue():
    """全国連携NEWS vol.2, a draft for 令和元年度 (its events, news and partnerships are empty)."""
    import datetime as dt

    from renkei.newsletter import services
    from renkei.newsletter.models import Issue

    return Issue.objects.filter(volume=2).first() or services.start_issue(editor=None, data={
        "volume": 2, "title": "全国連携NEWS", "period_label": "令和元年度", "period_start": dt.date(2019, 4, 1),
        "period_end": dt.date(2020, 3, 31), "issued_on": dt.date(2020, 3, 31), "foreword": ""})


def sample_staff_pk() -> int:
    """A non-lead staff member of 厚真町."""
    user = get_user_model().objects.filter(local_government__code=ATSUMA, is_lead=False,
                                           is_active=True).first()
    return (user or make_staff(ATSUMA, "sample@town.atsuma.lg.jp")).pk


def sample_relation():
    """A relation of 千代田区 with 厚真町."""
    import datetime as dt

    from renkei.registry.models import Relation, RelationKind

    return Relation.objects.get_or_create(
        ward_id=CHIYODA, municipality_id=ATSUMA, kind=RelationKind.objects.get(name="友好都市・姉妹都市"),
        started_on=dt.date(2015, 4, 1))[0]


def sample_trashed_item():
    """千代田区's relation with 厚真町, deleted and waiting in the trash."""
    from renkei.core import trash
    from renkei.core.models import TrashedItem

    return TrashedItem.objects.first() or trash.delete(sample_relation(), actor=None,
                                                      action="registry.relation.deleted")


def sample_import_batch():
    from renkei.core.models import ImportBatch

    user = get_user_model().objects.filter(is_secretariat=True).first() or make_secretariat("import@example.jp")
    return ImportBatch.objects.create(kind="relations", filename="交流.xlsx", uploaded_by=user, total=2, rows=[],
                                      errors=[{"row": 3, "column": "開始日", "message": "日付を読み取れません。"}])


PNG_1PX = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
           b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


def sample_thread():
    """A thread of 厚真町's lead contact with an image attached, and a reply from 上川町."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from renkei.board import services
    from renkei.board.models import Category, Thread

    existing = Thread.objects.filter(title="観光連携の相手を探しています").first()
    if existing:
        return existing
    author = get_user_model().objects.get(email="lead@town.atsuma.lg.jp")
    thread = services.start_thread(
        author=author, category=Category.objects.get(slug="tourism"), type=Thread.Type.INFORMATION,
        title="観光連携の相手を探しています", body="厚真町です。**観光**の連携先を探しています。https://www.town.atsuma.lg.jp/",
        uploads=[SimpleUploadedFile("写真.png", PNG_1PX)])
    services.reply(author=get_user_model().objects.get(email="lead@town.kamikawa.lg.jp"), thread=thread,
                   body="上川町です。ぜひご一緒しましょう。")
    return thread


def sample_post():
    return sample_thread().posts.order_by("created_at", "id").first()


def sample_attachment():
    return sample_post().attachments.first()


def sample_member_event():
    """An event 厚真町 submitted, waiting for the secretariat."""
    import datetime as dt

    from renkei.portal.models import Event, Status

    event, _ = Event.objects.get_or_create(
        title="厚真町フェア in 東京", organization_id=ATSUMA,
        defaults={"kind": "fair", "starts_on": dt.date(2026, 12, 5), "ends_on": dt.date(2026, 12, 6),
                  "venue": "東京区政会館", "description": "厚真町の特産品を販売します。", "status": Status.SUBMITTED},
    )
    return event


def sample_inquiry():
    from renkei.inquiries.models import Inquiry

    inquiry, _ = Inquiry.objects.get_or_create(
        subject="会員登録について", defaults={"desk": "membership", "name": "函館 太郎", "email": "taro@example.jp",
                                        "body": "登録の方法を教えてください。", "sender_key": "x"})
    return inquiry


def sample_photo():
    """A photo of the first news item (public)."""
    from renkei.portal import photos
    from renkei.portal.models import NewsItem, Photo

    news = NewsItem.objects.order_by("pk").first()
    photo = Photo.objects.filter(news=news).first()
    if photo is None:
        large, small = photos.renditions(jpeg(800, 600))
        photo = Photo(news=news, alt="会場の様子")
        photos.attach(photo, large, small, "sample")
        photo.save()
    return photo


def sample_disaster():
    """An earthquake whose HQ is set up, striking 厚真町 (a member), with one of each record: a
    request from 厚真町, an enquiry, a dispatch and a supply of 千代田区, a fund, a confirmed
    report with a PDF, a counterpart pairing."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from renkei.disasters.models import Channel, Disaster, Role
    from renkei.disasters.services import coordination, disasters, support

    existing = Disaster.objects.filter(name="令和8年胆振地方の地震（試験）").first()
    if existing:
        return existing
    secretariat = get_user_model().objects.filter(is_secretariat=True).first() or make_secretariat("hq@example.jp")
    ward = (get_user_model().objects.filter(local_government_id=CHIYODA).first()
            or make_staff(CHIYODA, "bousai@city.chiyoda.lg.jp"))
    atsuma, chiyoda = LocalGovernment.objects.get(code=ATSUMA), LocalGovernment.objects.get(code=CHIYODA)
    disaster = disasters.save_disaster(actor=secretariat, data={
        "name": "令和8年胆振地方の地震（試験）", "kind": "earthquake", "started_on": dt.date(2026, 11, 20),
        "affected": [atsuma], "summary": "厚真町で震度6強。", "hq_contact": "特別区長会事務局 03-5210-9738"})
    disasters.activate(actor=secretariat, disaster=disaster)
    request = coordination.file_request(actor=secretariat, disaster=disaster, data={
        "requested_by": "municipality", "requester": atsuma, "channel": "phone", "kind": "staff",
        "role": Role.objects.get(name="保健師"), "quantity": 4, "task": "避難所の健康相談"})
    coordination.send_enquiry(actor=secretariat, disaster=disaster, question="保健師を派遣できますか",
                              deadline=timezone.now() + dt.timedelta(days=2), request=request)
    support.save_dispatch(actor=ward, disaster=disaster, data={
        "channel": Channel.objects.first(), "destination": atsuma, "role": Role.objects.get(name="保健師"),
        "persons": 2, "first_day": dt.date(2026, 11, 22), "last_day": dt.date(2026, 11, 28), "status": "done"})
    supply = support.save_supply(actor=ward, disaster=disaster, data={
        "item": "飲料水（2L）", "category": "water", "quantity": 100, "unit": "箱", "recipient": atsuma,
        "status": "shipped"})
    support.confirm_supply(actor=secretariat, supply=supply)  # public from now on
    support.save_fund(actor=secretariat, disaster=disaster, recipients=[(atsuma, 20_000_000)],
                      data={"kind": "recovery_fund", "amount_yen": 20_000_000, "share_rule": "equal"})
    report = disasters.save_decision(actor=secretariat, disaster=disaster, pdf=SimpleUploadedFile("r.pdf", b"%PDF-1.4 1"),
                                     data={"body": "chair", "kind": "report", "decided_on": dt.date(2026, 11, 21),
                                           "title": "特別区長会の支援について"})
    disasters.confirm_decision(actor=secretariat, decision=report)
    coordination.pair(actor=secretariat, disaster=disaster, municipality=atsuma, wards_=[chiyoda],
                      valid_from=dt.date(2026, 11, 22))
    return disaster



def poppler(tool: str) -> str:
    """The full path of one of Debian's poppler-utils (pdftotext, pdfinfo, pdffonts, pdftoppm)."""
    import shutil

    path = shutil.which(tool)
    assert path, f"{tool} is missing: apt-get install poppler-utils (make test does)"
    return path


def pdf_text(pdf: bytes) -> str:
    """What a PDF says, in the order it was written (pdftotext -raw, Debian's poppler-utils): a
    table cell that wraps stays one run of text, as a screen reader following the tags reads it."""
    import subprocess

    return subprocess.run([poppler("pdftotext"), "-raw", "-enc", "UTF-8", "-", "-"], input=pdf,  # noqa: S603 (our tool)
                          capture_output=True,
                          check=True).stdout.decode()


def pdf_info(pdf: bytes) -> dict[str, str]:
    import subprocess

    out = subprocess.run([poppler("pdfinfo"), "-"], input=pdf, capture_output=True,  # noqa: S603 (our tool)
                         check=True).stdout.decode()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


def sample_wish():
    """厚真町's wish: it seeks 観光 and offers 産業 (the route table's member persona)."""
    from renkei.matching.models import Wish
    from renkei.registry.models import CooperationField, RelationKind

    if not Member.objects.filter(local_government_id="015814").exists():
        make_member("015814")
    wish = Wish.objects.filter(body_id="015814").first()
    if wish is None:
        wish = Wish.objects.create(body_id="015814", title="ハスカップの物産展を区内で",
                                   kind=RelationKind.objects.get(name="交流事業"), text="復興の歩みを伝えたい。")
        wish.seeks.set([CooperationField.objects.get(name="観光")])
        wish.offers.set([CooperationField.objects.get(name="産業")])
    return wish


def sample_proposal():
    """千代田区's proposal to 厚真町, answering its wish (the route table's ward persona sends it)."""
    from renkei.matching.models import Proposal, Wish

    wish = sample_wish()
    proposal = Proposal.objects.filter(sender_id="131016", recipient_id="015814").first()
    if proposal is None:
        own = Wish.objects.create(body_id="131016", title="区内で物産展", kind=wish.kind)
        own.offers.set(wish.seeks.all())
        own.seeks.set(wish.offers.all())
        proposal = Proposal.objects.create(wish=own, answered_wish=wish, sender_id="131016", recipient_id="015814",
                                           kind=wish.kind, message="物産展をご一緒しませんか。")
    return proposal


def sample_inbound_mail():
    """A reply to the sample enquiry from 千代田区's officer, held (its domain failed DMARC)."""
    import datetime as dt
    from email.mime.text import MIMEText

    from renkei.core import reply_addresses
    from renkei.disasters.models import Enquiry
    from renkei.replies.models import InboundMail

    held = InboundMail.objects.filter(outcome="held").first()
    if held is not None:
        return held
    enquiry = Enquiry.objects.filter(disaster=sample_disaster()).latest("pk")
    officer = get_user_model().objects.filter(local_government_id=CHIYODA).order_by("pk").first()
    message = MIMEText("回答: はい\n人数: 2", "plain", "utf-8")
    message["From"], message["Message-ID"] = officer.email, "<sample-held@example.jp>"
    message["To"] = reply_addresses.address("e", enquiry.pk, officer.pk, timezone.localdate() + dt.timedelta(days=3))
    return InboundMail.objects.create(message_id="<sample-held@example.jp>", sender=officer.email, raw=message.as_bytes(),
                                      outcome="held", reason="送信元の認証（SPF/DMARC）に失敗しました。", user=officer)
