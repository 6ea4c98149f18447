from django import forms
from django.core.exceptions import ValidationError

from renkei.core.fields import DateField
from renkei.municipalities.forms import LocalGovernmentField
from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import CooperationField, Relation, RelationKind


class RelationForm(forms.Form):
    ward = forms.ModelChoiceField(label="特別区", queryset=LocalGovernment.objects.special_wards().order_by("code"),
                                  empty_label="選んでください")
    municipality = LocalGovernmentField(label="相手の自治体")
    kind = forms.ModelChoiceField(label="種別", queryset=RelationKind.objects.all(), empty_label="選んでください")
    fields = forms.ModelMultipleChoiceField(label="分野", queryset=CooperationField.objects.all(), required=False,
                                            widget=forms.CheckboxSelectMultiple)
    started_on = DateField(label="開始日", help_text="例: 平成30年4月1日、2018/4/1（カレンダーからも選べます）")
    ended_on = DateField(label="終了日", required=False, help_text="続いている場合は空欄")
    note = forms.CharField(label="備考", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, ward=None, **kwargs):
        super().__init__(*args, **kwargs)
        if ward is not None:  # ward staff: their own ward only
            self.fields["ward"].queryset = LocalGovernment.objects.filter(pk=ward.pk)
            self.fields["ward"].initial = ward.pk
            self.fields["ward"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("started_on") is None and "started_on" not in self.errors:
            self.add_error("started_on", "開始日を入力してください。")
        try:  # the relation's own rules (Relation.clean), on the fields that were read
            Relation(**{name: cleaned.get(name) for name in ("ward", "municipality", "started_on", "ended_on")}).clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in self.errors:
                    self.add_error(name, messages)
        return cleaned
