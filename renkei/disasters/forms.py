"""Forms of the disaster-support screens: the HQ's (back office), the wards' and the members'."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from renkei.core.fields import ContactField, DateField, DateTimeField, IntegerField
from renkei.core.text import ParseError, whole_number
from renkei.disasters.models import (
    Channel,
    Decision,
    Disaster,
    Dispatch,
    EnquiryAnswer,
    FundContribution,
    FundRecipient,
    Role,
    Supply,
    SupportRequest,
)
from renkei.disasters.selectors import RecipientNames
from renkei.municipalities.forms import LocalGovernmentField, LocalGovernmentsField
from renkei.municipalities.models import LocalGovernment
from renkei.municipalities.names import Names

DATE = {"help_text": "例: 令和8年4月1日、R8.4.1、2026/4/1（カレンダーからも選べます）"}
WARDS = LocalGovernment.objects.special_wards().order_by("code")


class DisasterForm(forms.Form):
    name = forms.CharField(label="災害名", max_length=100, help_text="例: 令和8年○○地震（訓練の場合も名前を付けます）")
    kind = forms.ChoiceField(label="種別", choices=Disaster.Kind.choices)
    started_on = DateField(label="発災日", **DATE)
    ended_on = DateField(label="発災期間の終わり", required=False, help_text="数日にわたる場合")
    affected = LocalGovernmentsField(label="被災した都道府県・市区町村", required=False,
                                     help_text="1行に1つ、名称または団体コードで（例: 石川県、石川県輪島市）")
    summary = forms.CharField(label="被害の概要", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    hq_contact = ContactField(label="対策本部の連絡先", required=False, max_length=200,
                                 help_text="例: 特別区長会事務局 防災担当 03-5210-9738")
    is_drill = forms.BooleanField(label="訓練（公開ページ・API・オープンデータには出ません）", required=False)

    def clean(self):
        data = super().clean()
        if data.get("started_on") and data.get("ended_on") and data["ended_on"] < data["started_on"]:
            self.add_error("ended_on", "発災期間の終わりが発災日より前になっています。")
        if data.get("started_on") and data["started_on"] > timezone.localdate() + dt.timedelta(days=1):
            self.add_error("started_on", "発災日が未来の日付になっています。")
        return data


class StateForm(forms.Form):
    state = forms.ChoiceField(label="状態", choices=Disaster.State.choices)
    note = forms.CharField(label="備考", required=False, max_length=200)


class DecisionForm(forms.Form):
    # No default: a confirmed decision is never changed, so nothing in it is chosen for the clerk.
    body = forms.ChoiceField(label="決定した機関", choices=[("", "（選んでください）"), *Decision.Body.choices])
    kind = forms.ChoiceField(label="種類", choices=[("", "（選んでください）"), *Decision.Kind.choices],
                             help_text="報告（第N報）は確定したときに番号が付きます。")
    decided_on = DateField(label="日付", **DATE)
    title = forms.CharField(label="件名", max_length=200)
    text = forms.CharField(label="内容", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    pdf = forms.FileField(label="PDF", required=False, help_text="10MBまで")
    corrects = forms.ModelChoiceField(label="訂正する決定", queryset=Decision.objects.none(), required=False,
                                      empty_label="（訂正ではない）")

    def __init__(self, *args, disaster=None, **kwargs):
        super().__init__(*args, **kwargs)
        if disaster is not None:
            self.fields["corrects"].queryset = disaster.decisions.filter(status=Decision.Status.CONFIRMED)

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload is None:
            return None
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("PDFは10MBまでにしてください。")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError("PDFファイルを選んでください（中身がPDFではありません）。")
        return upload


class RequestForm(forms.Form):
    """A request as the HQ types it in from a call or a fax (members file theirs with fewer fields)."""

    requested_by = forms.ChoiceField(label="要請元の種類", choices=SupportRequest.From.choices)
    requester = LocalGovernmentField(label="要請元の自治体", required=False)
    requester_name = forms.CharField(label="要請元の担当部署・担当者・連絡先", required=False, max_length=100)
    channel = forms.ChoiceField(label="受付の方法", choices=SupportRequest.Channel.choices)
    kind = forms.ChoiceField(label="種類", choices=SupportRequest.Kind.choices, widget=forms.RadioSelect)
    role = forms.ModelChoiceField(label="職種（職員のとき）", queryset=Role.objects.all(), required=False,
                                  empty_label="選んでください")
    item = forms.CharField(label="品目（物資のとき）", required=False, max_length=100)
    quantity = IntegerField(label="人数・数量", min_value=1, max_value=1_000_000)
    unit = forms.CharField(label="単位（物資のとき）", required=False, max_length=20, help_text="例: 箱、本、枚")
    starts_on = DateField(label="期間（から）", required=False)
    ends_on = DateField(label="期間（まで）", required=False)
    task = forms.CharField(label="業務・用途", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label="備考", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("kind") == SupportRequest.Kind.STAFF and not data.get("role"):
            self.add_error("role", "職員の要請には職種を選んでください。")
        if data.get("kind") == SupportRequest.Kind.SUPPLIES:
            for name, label in (("item", "品目"), ("unit", "単位")):
                if not data.get(name):
                    self.add_error(name, f"物資の要請には{label}を入力してください。")
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "期間の終わりが始まりより前になっています。")
        return data


class MemberRequestForm(RequestForm):
    """What an affected municipality's staff fill in: who they are, the portal knows."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("requested_by", "requester", "channel"):
            del self.fields[name]
        contact = self.fields["requester_name"]
        contact.label, contact.required = "担当部署・担当者・連絡先", True
        contact.help_text = "事務局からの折り返しに使います（例: 保健福祉課 山田 0145-27-2321）"
        self.fields["task"].label = "業務・用途・送り先"
        self.fields["task"].help_text = "職員の業務の内容、物資の用途と届け先など"


class DeadlineForm(forms.Form):
    deadline = DateTimeField(label="新しい回答期限", widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                           format="%Y-%m-%dT%H:%M"),
                             input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], help_text="例: 2026-04-19 12:00")


class EnquiryForm(forms.Form):
    question = forms.CharField(label="照会の内容", max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
                               help_text="例: 保健師の派遣は可能ですか。可能な場合は人数と開始可能日、担当者をお知らせください。")
    deadline = DateTimeField(label="回答期限", widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                       format="%Y-%m-%dT%H:%M"),
                             input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], help_text="例: 2026-04-18 17:00")
    request = forms.ModelChoiceField(label="関係する要請", queryset=SupportRequest.objects.none(), required=False,
                                     empty_label="（なし）")

    def __init__(self, *args, disaster=None, **kwargs):
        super().__init__(*args, **kwargs)
        if disaster is not None:
            self.fields["request"].queryset = disaster.requests.exclude(
                status__in=[SupportRequest.Status.DONE, SupportRequest.Status.WITHDRAWN])

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError("回答期限は今より後の日時にしてください。")
        return deadline


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label="回答", choices=EnquiryAnswer.Answer.choices, widget=forms.RadioSelect)
    quantity = IntegerField(label="人数・数量（対応できるとき）", min_value=0, max_value=100_000, required=False)
    available_from = DateField(label="いつから（対応できるとき）", required=False)
    contact = ContactField(label="担当者・連絡先", required=False, max_length=200, help_text="例: 防災課 山田 03-0000-0000")
    note = forms.CharField(label="備考", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("answer") == EnquiryAnswer.Answer.YES and not data.get("quantity"):
            self.add_error("quantity", "対応できる人数・数量を入力してください。")
        data["quantity"] = data.get("quantity") or 0
        return data


class CounterpartForm(forms.Form):
    municipality = LocalGovernmentField(label="支援先の自治体")
    wards = forms.ModelMultipleChoiceField(label="担当する区", queryset=WARDS, widget=forms.CheckboxSelectMultiple)
    valid_from = DateField(label="開始日", **DATE)
    note = forms.CharField(label="備考（決めた機関など）", required=False, max_length=200,
                           help_text="例: 総務省 応援職員派遣調整本部の決定")


class DispatchForm(forms.Form):
    ward = forms.ModelChoiceField(label="派遣した区", queryset=WARDS, empty_label="選んでください")
    channel = forms.ModelChoiceField(label="派遣ルート", queryset=Channel.objects.all(), empty_label="選んでください")
    destination = LocalGovernmentField(label="派遣先")
    role = forms.ModelChoiceField(label="職種", queryset=Role.objects.all(), empty_label="選んでください")
    task = forms.CharField(label="業務", required=False, max_length=200, help_text="例: 避難所の健康相談、罹災証明の交付")
    wave = IntegerField(label="第N陣", min_value=1, max_value=999, required=False)
    persons = IntegerField(label="人数", unit="人")  # its bounds: Dispatch.clean
    first_day = DateField(label="派遣開始日", **DATE)
    last_day = DateField(label="派遣終了日", required=False,
                         help_text="決まっていなければ空欄（終了日未定: 決まるまで派遣中として数えます）")
    cancelled = forms.BooleanField(label="中止になった（数に入れません）", required=False,
                                   help_text="予定・派遣中・派遣済は日付から決まります。")
    request = forms.ModelChoiceField(label="要請", queryset=SupportRequest.objects.none(), required=False, empty_label="（なし）")

    def __init__(self, *args, disaster=None, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        if disaster is not None:
            self.fields["request"].queryset = disaster.requests.filter(kind=SupportRequest.Kind.STAFF)
        if ward is not None:  # ward staff: their own ward only
            del self.fields["ward"]

    def clean(self):
        data = super().clean()
        try:  # the dispatch's own rules (Dispatch.clean), on the fields that were read
            Dispatch(**{name: data.get(name) for name in ("ward", "persons", "first_day", "last_day")}).clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name in self.fields and name not in self.errors:
                    self.add_error(name, messages)
        return data


class SupplyForm(forms.Form):
    ward = forms.ModelChoiceField(label="提供した区", queryset=WARDS, empty_label="選んでください")
    item = forms.CharField(label="品目", max_length=100, help_text="例: 飲料水（2L）")
    category = forms.ChoiceField(label="分類", choices=Supply.Category.choices)
    quantity = IntegerField(label="数量", min_value=1, max_value=10_000_000)
    unit = forms.CharField(label="単位", max_length=20, help_text="例: 箱、本、枚")
    recipient = LocalGovernmentField(label="送り先")
    status = forms.ChoiceField(label="状態", choices=Supply.Status.choices)
    shipped_on = DateField(label="発送日", required=False)
    received_on = DateField(label="到着日", required=False)
    request = forms.ModelChoiceField(label="要請", queryset=SupportRequest.objects.none(), required=False, empty_label="（なし）")

    def __init__(self, *args, disaster=None, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        if disaster is not None:
            self.fields["request"].queryset = disaster.requests.filter(kind=SupportRequest.Kind.SUPPLIES)
        if ward is not None:
            del self.fields["ward"]


class FundForm(forms.Form):
    """A joint fund: its total, the recipients with their amounts, and how the wards share it."""

    kind = forms.ChoiceField(label="種別", choices=FundContribution.Kind.choices)
    amount_yen = IntegerField(label="総額（円）", min_value=1, max_value=10**12, help_text="例: 55000000（5,500万円）")
    decided_on = DateField(label="決定日", required=False)
    decision = forms.ModelChoiceField(label="決定", queryset=Decision.objects.none(), required=False,
                                      empty_label="（なし）")
    recipients = forms.CharField(
        label="提供先と金額", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
        help_text="1行に1つ「提供先 金額」（例: 熊本県 50000000）。金額の合計は総額と一致させてください。")
    share_rule = forms.ChoiceField(label="各区の負担の決め方", choices=FundContribution.ShareRule.choices[1:],
                                   widget=forms.RadioSelect)
    equal_percent = IntegerField(label="均等割の割合（%、組合せのとき）", min_value=0, max_value=100, required=False,
                                 help_text="例: 50（均等割50%・人口割50%）")
    typed_shares = forms.CharField(label="各区の負担額（入力のとき）", required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                   max_length=4000, help_text="1行に1つ「区 金額」（例: 千代田区 2391305）")

    def __init__(self, *args, disaster=None, **kwargs):
        super().__init__(*args, **kwargs)
        if disaster is not None:
            self.fields["decision"].queryset = disaster.decisions.filter(status=Decision.Status.CONFIRMED)

    @staticmethod
    def _lines(text: str, *, wards_only: bool) -> list[tuple]:
        """「提供先 金額」 a line: recipients (an association or a local government), or wards."""
        reader = Names(preload=True) if wards_only else RecipientNames(preload=True)
        found, errors = [], []
        for number, line in enumerate((line.strip() for line in text.splitlines()), start=1):
            if not line:
                continue
            name, _, amount = line.replace("　", " ").rpartition(" ")
            try:
                body = reader.resolve(name.strip(), wards_only=True) if wards_only else reader.resolve(name.strip())
                value = whole_number(amount, label="金額")
                if value < 0:
                    raise ParseError("金額は0円以上にしてください。")
                found.append((body, value))
            except ParseError as error:
                errors.append(f"{number}行目「{line[:40]}」: {error}")
        if errors:
            raise forms.ValidationError(errors)
        return found

    def clean_recipients(self):
        return self._lines(self.cleaned_data["recipients"], wards_only=False)

    def clean_typed_shares(self):
        return {body.pk: amount for body, amount in self._lines(self.cleaned_data["typed_shares"], wards_only=True)}

    def clean(self):
        data = super().clean()
        rule = data.get("share_rule")
        if rule == FundContribution.ShareRule.MIXED and data.get("equal_percent") is None:
            self.add_error("equal_percent", "均等割の割合（%）を入力してください。")
        if rule == FundContribution.ShareRule.TYPED and not data.get("typed_shares"):
            self.add_error("typed_shares", "各区の負担額を入力してください。")
        return data


class PaymentForm(forms.Form):
    payment = forms.ChoiceField(label="支払の状況", choices=FundRecipient.Payment.choices[1:])
    on = DateField(label="日付", **DATE)


class AsOfForm(forms.Form):
    as_of = DateField(label="時点", required=False)
