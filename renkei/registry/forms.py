import re

from django import forms

from renkei.core.fields import DateField
from renkei.core.text import ParseError
from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import CooperationField, RelationKind
from renkei.registry.parsing import resolve_local_government


class LocalGovernmentField(forms.CharField):
    """A local government typed as its 団体コード or its name (北海道厚真町, 厚真町, あつまちょう)."""

    def __init__(self, *args, wards_only: bool = False, **kwargs):
        self.wards_only = wards_only
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("help_text", "団体コード（6桁）または名称（例: 北海道厚真町）")
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return resolve_local_government(value, wards_only=self.wards_only)
        except ParseError as error:
            raise forms.ValidationError(str(error)) from None

    def prepare_value(self, value):
        return value.full_name if isinstance(value, LocalGovernment) else value


class LocalGovernmentsField(forms.CharField):
    """Several local governments, one per line or separated by 「、」."""

    widget = forms.Textarea(attrs={"rows": 3})

    def clean(self, value):
        value = super().clean(value)
        names = [n.strip() for n in re.split(r"[\n、,，]", value or "") if n.strip()]
        found, errors = [], []
        for name in names[:200]:
            try:
                found.append(resolve_local_government(name))
            except ParseError as error:
                errors.append(str(error))
        if errors:
            raise forms.ValidationError(errors)
        return list(dict.fromkeys(found))

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(lg.full_name if isinstance(lg, LocalGovernment) else str(lg) for lg in value)
        return value


class RelationForm(forms.Form):
    ward = forms.ModelChoiceField(label="特別区", queryset=LocalGovernment.objects.special_wards().order_by("code"),
                                  empty_label="選んでください")
    municipality = forms.CharField(label="相手の自治体", max_length=40,
                                   help_text="団体コード（6桁）または名称（例: 北海道厚真町）")
    kind = forms.ModelChoiceField(label="種別", queryset=RelationKind.objects.all(), empty_label="選んでください")
    fields = forms.ModelMultipleChoiceField(label="分野", queryset=CooperationField.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    started_on = DateField(label="開始日", help_text="例: 2018-04-01（平成30年4月1日 の形でも入力できます）")
    ended_on = DateField(label="終了日", required=False, help_text="続いている場合は空欄")
    note = forms.CharField(label="備考", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ward is not None:  # ward staff: their own ward only
            self.fields["ward"].queryset = LocalGovernment.objects.filter(pk=ward.pk)
            self.fields["ward"].initial = ward.pk
            self.fields["ward"].empty_label = None

    def clean_municipality(self):
        try:
            return resolve_local_government(self.cleaned_data["municipality"])
        except ParseError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("started_on"), cleaned.get("ended_on")
        if start is None and "started_on" not in self.errors:
            self.add_error("started_on", "開始日を入力してください。")
        if start and end and end <= start:
            self.add_error("ended_on", "終了日は開始日より後の日付にしてください。")
        return cleaned


class UploadForm(forms.Form):
    """取込: a spreadsheet of relations or of associations' members."""

    kind = forms.ChoiceField(label="取り込む内容", initial="relations", widget=forms.RadioSelect, required=False)
    file = forms.FileField(label="ファイル（Excel .xlsx または CSV）", help_text="10MBまで。1行目は列名（上の一覧のとおり）。")

    def __init__(self, *args, **kwargs):
        from renkei.registry.imports import KINDS

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, f"{k.label}（1行目: {k.header}）") for k in KINDS.values()]

    def clean_kind(self):
        return self.cleaned_data["kind"] or "relations"
