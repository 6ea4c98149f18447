from django import forms as djforms

from renkei.core.fields import DateField, IntegerField
from renkei.matching.models import REGION_CHOICES, SIZE_CHOICES, Form, Rule
from renkei.matching.ranking import RULES
from renkei.registry.models import CooperationField, RelationKind

MULTIPLE = djforms.CheckboxSelectMultiple


class WishForm(djforms.Form):
    title = djforms.CharField(label="見出し", max_length=100,
                            help_text="例: 区内の商店街で物産展を開いてくれる自治体を探しています")
    kind = djforms.ModelChoiceField(label="求める交流の種別", queryset=RelationKind.objects.all(),
                                  empty_label="選んでください")
    offers = djforms.ModelMultipleChoiceField(label="提供できる分野", queryset=CooperationField.objects.all(),
                                            required=False, widget=MULTIPLE)
    seeks = djforms.ModelMultipleChoiceField(label="求める分野", queryset=CooperationField.objects.all(),
                                           required=False, widget=MULTIPLE)
    forms = djforms.ModelMultipleChoiceField(label="考えている連携の形", queryset=Form.objects.all(),
                                           required=False, widget=MULTIPLE)
    regions = djforms.MultipleChoiceField(label="希望する地域", choices=REGION_CHOICES, required=False, widget=MULTIPLE,
                                        help_text="選ばなければ、どの地域でも")
    sizes = djforms.MultipleChoiceField(label="希望する相手の規模", choices=SIZE_CHOICES, required=False, widget=MULTIPLE,
                                      help_text="選ばなければ、どの規模でも")
    starts_on = DateField(label="期間の始め", required=False)
    ends_on = DateField(label="期間の終わり", required=False, help_text="決まっていなければ空欄のまま")
    text = djforms.CharField(label="ひとこと", max_length=800, required=False, widget=djforms.Textarea(attrs={"rows": 4}),
                           help_text="相手に伝えたいこと（800字まで）。担当者の名前や電話番号は書かないでください。")
    is_open = djforms.BooleanField(label="募集中（候補に表示する）", required=False, initial=True)
    is_public = djforms.BooleanField(label="公開する（PRページ・オープンデータに載せる。担当者名は載りません）",
                                   required=False)


class ProposalForm(djforms.Form):
    recipient = djforms.CharField(widget=djforms.HiddenInput)
    answered_wish = IntegerField(widget=djforms.HiddenInput, required=False)
    kind = djforms.ModelChoiceField(label="交流の種別", queryset=RelationKind.objects.all(), empty_label="選んでください")
    fields = djforms.ModelMultipleChoiceField(label="分野", queryset=CooperationField.objects.all(), required=False,
                                            widget=MULTIPLE)
    message = djforms.CharField(label="メッセージ", max_length=2000, widget=djforms.Textarea(attrs={"rows": 5}))


class ReplyForm(djforms.Form):
    text = djforms.CharField(label="返信", max_length=2000, widget=djforms.Textarea(attrs={"rows": 4}))


class DeclineForm(djforms.Form):
    text = djforms.CharField(label="ひとこと（任意）", max_length=2000, required=False,
                           widget=djforms.Textarea(attrs={"rows": 3}))


class AcceptForm(djforms.Form):
    confirm = djforms.BooleanField(label="受諾すると、この交流を交流の記録（登録簿）に今日から登録します", required=True)


class NoticeForm(djforms.Form):
    weekly = djforms.BooleanField(label="自分たちの連携希望に合う新しい連携希望を、週に1回メールで受け取る", required=False)


class RulesForm(djforms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = dict(Rule.objects.values_list("key", "weight"))
        for key, label in RULES.items():
            self.fields[key] = IntegerField(label=label, min_value=-100, max_value=100,
                                                  initial=current.get(key, 0))
