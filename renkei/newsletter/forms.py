import re

from django import forms

from renkei.core import fields
from renkei.newsletter.models import Issue, SectionKind

# Text only: what the secretariat writes is printed as typed, never read as markup.
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?]|&[#A-Za-z0-9]+;")
NO_MARKUP = "HTMLは使えません。タグや文字参照を消して、文章だけを書いてください。"


def plain(value: str) -> str:
    value = value.strip()
    if _MARKUP.search(value):
        raise forms.ValidationError(NO_MARKUP)
    return value


class IssueForm(forms.Form):
    volume = fields.IntegerField(label="号（vol.）", min_value=1, max_value=999)
    title = forms.CharField(label="題名", max_length=60, initial="全国連携NEWS")
    period_label = forms.CharField(label="対象期間の呼び名", max_length=40, help_text="例: 令和元年度、平成30年度下半期")
    period_start = fields.DateField(label="対象期間の初日", help_text="例: 2019-04-01、令和元年5月1日")
    period_end = fields.DateField(label="対象期間の末日")
    issued_on = fields.DateField(label="発行日", help_text="数字で見る・協定の一覧は、この日現在で数えます。")
    foreword = forms.CharField(label="巻頭の言葉", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["volume"]

    def clean_title(self):
        return plain(self.cleaned_data["title"])

    def clean_period_label(self):
        return plain(self.cleaned_data["period_label"])

    def clean_foreword(self):
        return plain(self.cleaned_data["foreword"])

    def clean(self):
        data = super().clean()
        start, end, issued = data.get("period_start"), data.get("period_end"), data.get("issued_on")
        if start and end and start > end:
            self.add_error("period_end", "対象期間の末日が初日より前です。")
        if start and issued and issued < start:
            self.add_error("issued_on", "発行日が対象期間の初日より前です。")
        return data

    @classmethod
    def initial_for(cls, issue: Issue) -> dict:
        return {name: getattr(issue, name) for name in cls.base_fields if name != "volume"}


class SectionForm(forms.Form):
    position = fields.IntegerField(label="順番", min_value=1, max_value=len(SectionKind))
    included = forms.BooleanField(label="載せる", required=False)
    lead = forms.CharField(label="リード文", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    closing = forms.CharField(label="結びの文", required=False, max_length=2000,
                              help_text="欄の記録のあとに載せる文（案内や連絡先など）",
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean_lead(self):
        return plain(self.cleaned_data["lead"])

    def clean_closing(self):
        return plain(self.cleaned_data["closing"])


def section_forms(issue: Issue, data=None) -> list[tuple[object, SectionForm]]:
    return [(section, SectionForm(data, prefix=section.kind,
                                  initial={"position": section.position, "included": section.included,
                                           "lead": section.lead, "closing": section.closing}))
            for section in issue.sections.all()]


def positions_error(forms_: list[tuple[object, SectionForm]]) -> str | None:
    positions = [form.cleaned_data["position"] for _, form in forms_]
    if len(set(positions)) != len(positions):
        return "欄の順番が重なっています。1から順に、重ならないように番号を付けてください。"
    return None


class SubscriptionForm(forms.Form):
    wanted = forms.BooleanField(label="全国連携NEWSの発行をメールで受け取る", required=False)
