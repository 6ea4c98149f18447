import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renkei.core.emails import queue_email
from renkei.core.fields import EmailField
from renkei.core.models import OutgoingEmail


class SignInForm(auth_forms.AuthenticationForm):
    username = EmailField(label=_("メールアドレス"), widget=forms.EmailInput(attrs={
        "autocomplete": "email", "autofocus": True}))
    password = forms.CharField(label=_("パスワード"), strip=False, widget=forms.PasswordInput(attrs={
        "autocomplete": "current-password"}))
    error_messages = {
        "invalid_login": "メールアドレスまたはパスワードが正しくありません。",
        "inactive": "このアカウントは利用できません。所属団体の主担当または事務局にお問い合わせください。",
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = EmailField(label="メールアドレス", max_length=254,
                       widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        # Through the outbox, so a failing SMTP server is retried and visible; at most
        # PASSWORD_RESET_MAILS_PER_HOUR to an account's address, so that a stranger asking again and
        # again cannot flood it. The page answers the same either way, as it does for an address
        # with no account.
        since = timezone.now() - dt.timedelta(hours=1)
        sent = OutgoingEmail.objects.filter(kind="password-reset", to__iexact=to_email, created_at__gte=since)
        if sent.count() >= settings.PASSWORD_RESET_MAILS_PER_HOUR:
            return
        queue_email(to=to_email, name="password-reset", context={
            "user": context["user"], "uid": context["uid"], "token": context["token"]})


class TokenForm(forms.Form):
    token = forms.CharField(
        label="確認コード", max_length=16,
        help_text="認証アプリに表示される6桁の数字、またはリカバリーコードを入力してください。",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()
