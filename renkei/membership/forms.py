from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from renkei.core.fields import EmailField, PhoneField


class ApplicationForm(forms.Form):
    department = forms.CharField(label=_("担当部署"), max_length=100)
    contact_name = forms.CharField(label=_("担当者氏名"), max_length=100)
    phone = PhoneField(label=_("電話番号"), help_text=_("例: 03-5210-9910"))
    email = EmailField(label=_("メールアドレス"), max_length=254,
                       help_text=_("公用のメールアドレスを入力してください。確認のメールを送ります。"),
                       widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class InvitationForm(forms.Form):
    email = EmailField(label="招待する方のメールアドレス", max_length=254,
                       widget=forms.EmailInput(attrs={"autocomplete": "off"}))


class AcceptInvitationForm(forms.Form):
    name = forms.CharField(label="氏名", max_length=100,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password1 = forms.CharField(label="パスワード", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text="8文字以上で、推測されにくいものにしてください。")
    password2 = forms.CharField(label="パスワード（確認）", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "確認のパスワードが一致しません。")
        elif first:
            from renkei.accounts.models import User

            try:
                password_validation.validate_password(first, User(email=self.email, name=cleaned.get("name", "")))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class RejectionForm(forms.Form):
    reason = forms.CharField(label="却下の理由（申請者に伝えられます）", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(forms.Form):
    note = forms.CharField(label="備考", max_length=200, required=False)


class WithdrawForm(forms.Form):
    """退会: confirmed by a tick, with a note for the record."""

    confirm = forms.BooleanField(label="退会することを確認しました", error_messages={
        "required": "退会するには「退会することを確認しました」にチェックを入れてください。"})
    note = forms.CharField(label="備考", max_length=200, required=False)
