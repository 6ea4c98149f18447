from django import forms
from django.utils import timezone

from renkei.board.models import Category, Preference, Thread
from renkei.core.fields import DateField, IntegerField
from renkei.municipalities.forms import LocalGovernmentField
from renkei.municipalities.models import LocalGovernment


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ThreadForm(forms.Form):
    category = forms.ModelChoiceField(label="カテゴリ", queryset=Category.objects.all(), empty_label="選んでください")
    type = forms.ChoiceField(label="種類", choices=Thread.Type.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="題名", max_length=120)
    deadline = DateField(label="締切日（募集のとき）", required=False,
                         help_text="締切日を過ぎると「締切」と表示されます。")
    body = forms.CharField(label="本文", widget=forms.Textarea(attrs={"rows": 10}),
                           help_text="見出しは「### 」、箇条書きは「- 」、強調は **文字** で書けます。"
                                     "URLは自動でリンクになります。")
    files = MultipleFileField(label="添付ファイル", required=False,
                              help_text="PDF・画像・Office文書、1ファイル10MBまで、5ファイルまで。")

    def clean_deadline(self):
        deadline = self.cleaned_data.get("deadline")
        if deadline is not None and deadline < timezone.localdate():
            raise forms.ValidationError("締切日が過ぎています。今日以降の日付にしてください。")
        return deadline


class ReplyForm(forms.Form):
    body = forms.CharField(label="返信", widget=forms.Textarea(attrs={"rows": 6}))
    quote = IntegerField(required=False, widget=forms.HiddenInput)
    files = MultipleFileField(label="添付ファイル", required=False, help_text="PDF・画像・Office文書、1ファイル10MBまで。")


class EditForm(forms.Form):
    title = forms.CharField(label="題名", max_length=120, required=False)
    body = forms.CharField(label="本文", widget=forms.Textarea(attrs={"rows": 10}))


class SearchForm(forms.Form):
    q = forms.CharField(label="キーワード", max_length=50, required=False)
    category = forms.ModelChoiceField(label="カテゴリ", queryset=Category.objects.all(), required=False, empty_label="すべて")
    type = forms.ChoiceField(label="種類", choices=[("", "すべて"), *Thread.Type.choices], required=False)
    prefecture = forms.ChoiceField(label="投稿団体の都道府県", required=False)
    organization = LocalGovernmentField(label="投稿団体", required=False,
                                        help_text="名称（例: 千代田区、厚真町）または団体コード")
    since = DateField(label="この日以降", required=False)
    open_calls = forms.BooleanField(label="受付中の募集のみ", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        prefectures = LocalGovernment.objects.prefectures().order_by("code").values_list("code", "name")
        self.fields["prefecture"].choices = [("", "すべて"), *((code[:2], name) for code, name in prefectures)]

    def clean_organization(self):
        found = self.cleaned_data.get("organization")
        return found.code if found is not None else ""


class ReportForm(forms.Form):
    reason = forms.CharField(label="通報の理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["mode"]
        widgets = {"mode": forms.RadioSelect}
