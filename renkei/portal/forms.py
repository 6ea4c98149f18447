"""The editors' forms: plain fields, Japanese messages, every check made before anything is written."""

import re
import unicodedata

from django import forms
from django.utils import timezone

from renkei.core.fields import DateField, DateTimeField, TimeField
from renkei.municipalities.forms import LocalGovernmentsField
from renkei.portal import photos
from renkei.portal.models import Event, NewsItem, Photo, Profile

TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
MARKUP_HELP = ("改行はそのまま反映されます。行頭に「- 」で箇条書き、「## 」で小見出し、**太字**。"
               "URLはそのままリンクになります。HTMLは使えません（文字として表示されます）。")


def plain_line(value: str, label: str) -> str:
    """A one-line text (a title, a venue): no markup, no control characters."""
    value = value.strip()
    if TAG.search(value):
        raise forms.ValidationError(f"{label}にHTMLのタグは使えません。文字だけで入力してください。")
    if any(unicodedata.category(c) == "Cc" for c in value):
        raise forms.ValidationError(f"{label}に使えない制御文字が含まれています。")
    return value


class PublishingFields(forms.Form):
    """下書き / すぐに公開 / 日時を指定して公開."""

    PUBLISHING = [("draft", "下書きとして保存（公開しない）"), ("now", "すぐに公開する"),
                  ("scheduled", "日時を指定して公開する")]
    publishing = forms.ChoiceField(label="公開", choices=PUBLISHING, widget=forms.RadioSelect, initial="draft")
    publish_at = DateTimeField(
        label="公開日時", required=False, help_text="「日時を指定して公開する」のとき。例: 2026-12-01 09:00",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.status in ("submitted", "rejected"):
            # A member's event: saving a correction must not quietly make it a draft.
            keep = ("keep", f"今の状態（{instance.get_status_display()}）のまま保存する")
            self.fields["publishing"].choices = [keep, *self.PUBLISHING]  # chosen by initial_for

    def clean(self):
        data = super().clean()
        if data.get("publishing") == "scheduled":
            when = data.get("publish_at")
            if when is None:
                self.add_error("publish_at", "公開する日時を入力してください。")
            elif when <= timezone.now():
                self.add_error("publish_at", "公開日時が過去です。すぐに公開するときは「すぐに公開する」を選んでください。")
        return data

    @staticmethod
    def initial_for(obj) -> dict:
        if obj is not None and obj.status in ("submitted", "rejected"):
            return {"publishing": "keep"}
        if obj is None or obj.status != "published":
            return {"publishing": "draft"}
        if obj.is_public():
            return {"publishing": "now"}
        return {"publishing": "scheduled", "publish_at": timezone.localtime(obj.publish_at)}


PHOTO_SLOTS = 3
PHOTO_FIELDS = {"remove_photos", "in_report"} | {f"{name}_{n}" for n in range(1, PHOTO_SLOTS + 1)
                                                  for name in ("photo", "photo_alt", "photo_caption")}
PUBLISHING_FIELDS = {"publishing", "publish_at"}


def _photo_slot(n: int):
    """A new photo, its required alternative text and an optional caption."""
    first = n == 1  # the help is said once
    return (
        forms.FileField(label=f"写真{n}", required=False,
                        help_text="JPEG・PNG・WebP・GIF、10MBまで。自動で縮小します。" if first else "",
                        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"})),
        forms.CharField(label=f"写真{n}の代替テキスト", max_length=150, required=False,
                        help_text="写真を見られない方に、何が写っているかを伝える文です（例: 会場に並ぶ青森の特産品）。"
                        if first else ""),
        forms.CharField(label=f"写真{n}のキャプション", max_length=200, required=False),
    )


class PhotoFields(forms.Form):
    """Up to three new photos per save, each with its required alternative text, and removal of
    old ones. Templates show them apart from the other fields (photo_slots, main_fields)."""

    photo_1, photo_alt_1, photo_caption_1 = _photo_slot(1)
    photo_2, photo_alt_2, photo_caption_2 = _photo_slot(2)
    photo_3, photo_alt_3, photo_caption_3 = _photo_slot(3)
    remove_photos = forms.ModelMultipleChoiceField(label="削除する写真", queryset=Photo.objects.none(), required=False,
                                                   widget=forms.CheckboxSelectMultiple)

    def set_photos(self, queryset):
        self.fields["remove_photos"].queryset = queryset
        if not queryset.exists():
            del self.fields["remove_photos"]

    def main_fields(self):
        return [f for f in self if f.name not in PHOTO_FIELDS | PUBLISHING_FIELDS]

    def photo_slots(self):
        return [[self[f"{name}_{n}"] for name in ("photo", "photo_alt", "photo_caption")]
                for n in range(1, PHOTO_SLOTS + 1)]

    def other_photo_fields(self):
        return [self[name] for name in ("in_report", "remove_photos") if name in self.fields]

    def publishing_fields(self):
        return [self[name] for name in ("publishing", "publish_at") if name in self.fields]

    def full_clean(self):
        """A browser never sends a chosen file again: when the form comes back with an error, each
        photo chosen says it was not kept and must be chosen again (it is never dropped silently)."""
        super().full_clean()
        if not self._errors:
            return
        for n in range(1, PHOTO_SLOTS + 1):
            name = f"photo_{n}"
            if self.files.get(self.add_prefix(name)) and name not in self._errors:
                self._errors[name] = self.error_class(
                    ["ほかの項目に誤りがあったため、この写真はまだ保存されていません。直したあと、もう一度選んでください。"])

    def clean(self):
        data = super().clean()
        data["new_photos"] = []
        for n in range(1, PHOTO_SLOTS + 1):
            upload = data.get(f"photo_{n}")
            if not upload:
                continue
            alt = (data.get(f"photo_alt_{n}") or "").strip()
            if not alt:
                self.add_error(f"photo_alt_{n}", "写真には代替テキストが必要です。何が写っているかを書いてください。")
                continue
            try:
                alt = plain_line(alt, "代替テキスト")
                data["new_photos"].append((photos.renditions(upload), alt, data.get(f"photo_caption_{n}", "")))
            except photos.PhotoError as error:
                self.add_error(f"photo_{n}", str(error))
            except forms.ValidationError as error:
                self.add_error(f"photo_alt_{n}", error)
        return data


class NewsForm(PublishingFields, PhotoFields, forms.ModelForm):
    class Meta:
        model = NewsItem
        fields = NewsItem.EDITED_FIELDS
        help_texts = {"body": MARKUP_HELP}

    def clean_title(self):
        return plain_line(self.cleaned_data["title"], "見出し")

    def clean_lead(self):
        return plain_line(self.cleaned_data["lead"], "リード")


class EventForm(PhotoFields, forms.ModelForm):
    """An event as its organiser describes it; the secretariat's form adds publishing."""

    field_order = ["title", "series", "kind", "starts_on", "starts_at_time", "ends_on", "ends_at_time", "venue",
                   "organisers", "participant_names", "url", "description", "report"]

    participant_names = LocalGovernmentsField(
        label="参加自治体", required=False,
        help_text="1行に1つ、または「、」で区切って。名前（厚真町・北海道厚真町）か団体コードで。",
    )
    in_report = forms.BooleanField(label="追加する写真は開催報告の写真", required=False)
    url = forms.URLField(label="詳しい情報のページ", required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Event
        fields = Event.EDITED_FIELDS
        field_classes = {"starts_on": DateField, "ends_on": DateField,
                         "starts_at_time": TimeField, "ends_at_time": TimeField}
        widgets = {
            "starts_at_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "ends_at_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {"description": MARKUP_HELP, "report": "終了後に。" + MARKUP_HELP,
                      "organisers": "例: 特別区長会、青森県町村会", "starts_on": "例: 2026-12-01"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("participant_names", "\n".join(lg.full_name for lg in self.instance.participants.all()))

    def clean_title(self):
        return plain_line(self.cleaned_data["title"], "名称")

    def clean_series(self):
        return plain_line(self.cleaned_data["series"], "シリーズ")

    def clean_venue(self):
        return plain_line(self.cleaned_data["venue"], "会場")

    def clean_organisers(self):
        return plain_line(self.cleaned_data["organisers"], "主催")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "終了日が開始日より前になっています。")
        if starts and ends and starts == ends and data.get("starts_at_time") and data.get("ends_at_time") \
                and data["ends_at_time"] <= data["starts_at_time"]:
            self.add_error("ends_at_time", "終了時刻が開始時刻より前になっています。")
        return data


class SecretariatEventForm(PublishingFields, EventForm):
    pass


class ProfileForm(PhotoFields, forms.ModelForm):
    class Meta:
        model = Profile
        fields = Profile.EDITED_FIELDS
        widgets = {"specialities": forms.Textarea(attrs={"rows": 4}), "sights": forms.Textarea(attrs={"rows": 4}),
                   "links": forms.Textarea(attrs={"rows": 3}), "contact": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"introduction": MARKUP_HELP,
                      "links": "1行に1つ、「名前 URL」の形で（例: 観光協会 https://www.example.jp/）",
                      "contact": "担当課・電話番号・メールアドレスなど"}

    def clean_catchphrase(self):
        return plain_line(self.cleaned_data["catchphrase"], "キャッチフレーズ")

    def clean_links(self):
        validate = forms.URLField(assume_scheme="https").clean
        lines = Profile.lines(self.cleaned_data["links"])
        if len(lines) > 20:
            raise forms.ValidationError("リンクは20までにしてください。")
        for number, line in enumerate(lines, start=1):
            label, _, url = line.rpartition(" ")
            try:
                validate(url)
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"{number}行目「{line[:40]}」: 「名前 URL」の形で、URLは https:// から書いてください。") from None
            if not url.startswith("https://"):
                raise forms.ValidationError(f"{number}行目: URLは https:// から書いてください"
                                            "（暗号化されていない http:// のページは載せられません）。")
            plain_line(label, "リンクの名前")
        return "\n".join(lines)


class ReviewForm(forms.Form):
    """The secretariat's decision on a member's event: publish it, or send it back with a reason."""

    decision = forms.ChoiceField(choices=[("approve", "承認して公開する"), ("reject", "差し戻す")])
    note = forms.CharField(label="差し戻す理由（差し戻すとき）", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("note", "").strip():
            self.add_error("note", "差し戻す理由を入力してください。登録した団体にそのまま送られます。")
        return data
