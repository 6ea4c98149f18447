"""A believable set of people and work on a scratch database, so every screen can be seen.

`make demo` runs it on var/demo.sqlite3 after the reference data and the newsletter's records:
the secretariat (with its authenticator key printed), 千代田区's staff, two member municipalities
with staff, a board thread with replies, a member's event waiting for approval, an application
waiting for a decision, a held inquiry and a disaster drill. Everything goes through the same
services the screens use. `--code` prints the secretariat's current six-digit code.
"""

import base64
import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.board import services as board
from renkei.board.models import Category, Thread
from renkei.disasters.models import Role
from renkei.disasters.services import coordination, disasters
from renkei.inquiries import services as inquiries
from renkei.membership import services as membership
from renkei.membership import tokens
from renkei.municipalities.models import LocalGovernment
from renkei.portal import services as portal

SECRETARIAT = "jimukyoku@demo.renkei.example.jp"


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = "会員・職員・掲示板・承認待ちなどの見本を、空のデータベースに作ります（make demo）。"

    def add_arguments(self, parser):
        parser.add_argument("--code", action="store_true", help="事務局の認証コード（6桁）を表示します。")

    def handle(self, *args, code=False, **options):
        User = get_user_model()
        if code:
            device = TOTPDevice.objects.filter(user__email=SECRETARIAT, confirmed=True).first()
            if device is None:
                raise CommandError("見本のデータがありません。先に make demo を実行してください。")
            self.stdout.write(_code(device))
            return
        if User.objects.exists():
            raise CommandError("このデータベースにはすでにアカウントがあります。見本は空のデータベースにだけ作ります"
                               "（make demo は var/demo.sqlite3 を作り直します）。")
        password = secrets.token_urlsafe(9)
        with transaction.atomic():
            people = self._people(User, password)
            self._work(people)
        device = TOTPDevice.objects.get(user=people["secretariat"])
        secret = base64.b32encode(device.bin_key).decode()
        lines = [
            "見本のデータを作りました。どのアカウントもパスワードは同じです。",
            f"  パスワード: {password}",
            f"  事務局: {SECRETARIAT}",
            f"    2段階認証: 認証アプリにキー {secret} を登録するか、make demo-code で今のコードを表示",
        ]
        for label, user in (("千代田区", people["ward"]), ("港区", people["minato"]), ("新宿区", people["shinjuku"]),
                            ("厚真町（主担当）", people["atsuma"]),
                            ("厚真町", people["atsuma_colleague"]), ("青森市（主担当）", people["aomori"])):
            lines.append(f"  {label}: {user.email}")
        lines.append("  承認待ち: 会員登録の申請（弘前市）、イベント（厚真町）／ 保留中のお問い合わせ 1件")
        lines.append("  災害対応の訓練: 厚真町が被災、保健師3人の要請と23区への照会（3区が回答できます）")
        self.stdout.write("\n".join(lines))

    def _people(self, User, password):
        secretariat = User.objects.create_user(
            email=SECRETARIAT, password=password, name="事務局 花子", is_secretariat=True, is_staff=True,
            is_superuser=True, department="特別区長会事務局 調査第1課")
        TOTPDevice.objects.create(user=secretariat, name="認証アプリ", confirmed=True)
        ward = User.objects.create_user(
            email="bousai@city.chiyoda.demo.example.jp", password=password, name="千代田 三郎", is_lead=True,
            is_disaster_contact=True, local_government=LocalGovernment.objects.get(code="131016"),
            department="防災課")
        people = {"secretariat": secretariat, "ward": ward}
        # Two more wards with their disaster contacts: an enquiry is answered by several wards.
        for key, code, name, email in (("minato", "131032", "港 四郎", "bousai@city.minato.demo.example.jp"),
                                       ("shinjuku", "131041", "新宿 五子", "bousai@city.shinjuku.demo.example.jp")):
            people[key] = User.objects.create_user(
                email=email, password=password, name=name, is_lead=True, is_disaster_contact=True,
                local_government=LocalGovernment.objects.get(code=code), department="防災課")
        # Two municipalities join as a clerk would: apply, confirm the address, and be approved.
        for key, code, name, email, phone in (
            ("atsuma", "015814", "厚真 花子", "kikaku@town.atsuma.demo.example.jp", "0145-27-2321"),
            ("aomori", "022012", "青森 一郎", "kikaku@city.aomori.demo.example.jp", "017-734-1111"),
        ):
            application = membership.submit_application(
                local_government=LocalGovernment.objects.get(code=code), department="企画課",
                contact_name=name, phone=phone, email=email)
            membership.verify_application(tokens.make(tokens.VERIFY_SALT, application.pk, application.email))
            membership.approve_application(application_pk=application.pk, actor=secretariat)
            user = User.objects.get(email=email)
            user.set_password(password)
            user.save(update_fields=["password"])
            people[key] = user
        people["atsuma_colleague"] = User.objects.create_user(
            email="kankou@town.atsuma.demo.example.jp", password=password, name="厚真 次郎",
            local_government=people["atsuma"].local_government, department="観光課")
        return people

    def _work(self, people):
        secretariat, atsuma, aomori, ward = (people[k] for k in ("secretariat", "atsuma", "aomori", "ward"))
        thread = board.start_thread(
            author=atsuma, category=Category.objects.get(slug="tourism"), type=Thread.Type.CALL,
            title="冬の観光物産展に出展する区を募集します",
            body="厚真町です。来年2月に東京区政会館で物産展を開きます。**共催していただける区**を募集します。",
            deadline=timezone.localdate() + dt.timedelta(days=30))
        board.reply(author=aomori, thread=thread,
                    body="青森市です。同じ時期に出展を考えています。合同での開催はいかがでしょうか。")
        board.reply(author=ward, thread=thread, body="千代田区です。区の施設での告知に協力できます。")
        board.start_thread(
            author=aomori, category=Category.objects.get(slug="disaster"), type=Thread.Type.QUESTION,
            title="災害時の相互応援協定のひな形はありますか",
            body="青森市です。特別区との応援協定を検討しています。参考になるひな形があれば教えてください。")
        portal.save_event(editor=atsuma, organization=atsuma.local_government, data={
            "title": "厚真町フェア in 東京", "kind": "fair",
            "starts_on": timezone.localdate() + dt.timedelta(days=21),
            "ends_on": timezone.localdate() + dt.timedelta(days=22), "venue": "東京区政会館 1階",
            "organisers": "厚真町", "description": "厚真町の特産品（ハスカップ、厚真米）を販売します。"})
        waiting = membership.submit_application(
            local_government=LocalGovernment.objects.get(code="022021"), department="観光政策課",
            contact_name="弘前 桜子", phone="0172-35-1111", email="kankou@city.hirosaki.demo.example.jp")
        membership.verify_application(tokens.make(tokens.VERIFY_SALT, waiting.pk, waiting.email))
        inquiries.receive(address="198.51.100.7", automated=True, data={
            "desk": "project", "name": "山田 太郎", "organization": "", "email": "yamada@example.jp",
            "subject": "特別区との交流について",
            "body": "私の町でも特別区との交流を始めたいのですが、どこに相談すればよいですか。"})
        portal.save_news(editor=secretariat, data={
            "title": f"{timezone.localdate().year}年度 全国連携講演会の参加者を募集します", "lead": "関係人口をテーマに",
            "body": "全国の自治体の皆様を対象に、関係人口をテーマとした講演会を開きます。", "publishing": "now"})
        drill = disasters.save_disaster(actor=secretariat, data={
            "name": "北海道胆振地方の地震を想定した訓練", "kind": "earthquake", "started_on": timezone.localdate(),
            "affected": [atsuma.local_government], "summary": "訓練です。公開ページには出ません。",
            "hq_contact": "特別区長会事務局 03-5210-9738", "is_drill": True})
        disasters.activate(actor=secretariat, disaster=drill)
        # 厚真町, a member struck by it, files its request from its own desk; the HQ asks the 23 wards.
        request = coordination.file_request(actor=atsuma, disaster=drill, data={
            "requested_by": "municipality", "requester": atsuma.local_government, "channel": "portal",
            "kind": "staff", "role": Role.objects.get(name="保健師"), "quantity": 3, "task": "避難所の健康相談",
            "starts_on": timezone.localdate() + dt.timedelta(days=2), "ends_on": timezone.localdate() + dt.timedelta(days=8)})
        coordination.send_enquiry(actor=secretariat, disaster=drill, request=request,
                                  question="厚真町から保健師3人の要請、避難所の健康相談。対応できる区は人数と開始日を回答してください。",
                                  deadline=timezone.now() + dt.timedelta(hours=6))
