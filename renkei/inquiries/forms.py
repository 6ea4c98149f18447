import secrets

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from renkei.core.fields import EmailField
from renkei.inquiries.models import Desk

MAX_BODY = 4000


class InquiryForm(forms.Form):
    desk = forms.ChoiceField(label=_("お問い合わせ先"), choices=Desk.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("お名前"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    organization = forms.CharField(label=_("所属（自治体名・会社名など）"), max_length=100, required=False,
                                   widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    email = EmailField(label=_("メールアドレス"), max_length=254,
                       help_text=_("受付の確認と回答をお送りします。"),
                       widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    subject = forms.CharField(label=_("件名"), max_length=100)
    body = forms.CharField(label=_("お問い合わせ内容"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("4,000文字まで。"))
    # Left empty by people (it is hidden from them); filled in by robots.
    website = forms.CharField(required=False, label=_("ウェブサイト（入力しないでください）"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    # When the form was shown, signed, with a value of its own: a reply within a second is a
    # robot's, and so is a second message sent with the same showing of the form.
    shown = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["shown"] = signing.TimestampSigner(salt="inquiry-form").sign(secrets.token_urlsafe(12))

    def answered_too_fast(self) -> bool:
        """True when the form came back within a second of being shown (no person types, pastes or
        even autofills four fields and clicks that fast), or without its stamp."""
        try:
            signing.TimestampSigner(salt="inquiry-form").unsign(self.cleaned_data.get("shown", ""), max_age=1)
        except signing.SignatureExpired:
            return False
        except signing.BadSignature:
            return True
        return True

    def looks_automated(self) -> bool:
        return bool(self.cleaned_data.get("website")) or self.answered_too_fast() or self.cleaned_data["body"].count("http") > 5
