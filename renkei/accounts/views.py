from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.accounts.forms import PasswordResetForm, SignInForm, TokenForm
from renkei.core.access import PUBLIC, SECOND_FACTOR_PENDING, SECRETARIAT, access
from renkei.core.audit import log_action
from renkei.core.forms import InvalidIs400, posted, status_of

RECOVERY_CODES = 10


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


def home_for(user) -> str:
    if user.is_secretariat:
        return reverse("secretariat:dashboard")
    return reverse("membership:home")


class SignInView(InvalidIs400, auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return home_for(self.request.user)


sign_in = access(PUBLIC)(SignInView.as_view())

sign_out = access(PUBLIC)(auth_views.LogoutView.as_view(next_page=reverse_lazy("portal:home")))

class PasswordResetView(InvalidIs400, auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(InvalidIs400, auth_views.PasswordResetConfirmView):
    pass


password_reset = access(PUBLIC)(PasswordResetView.as_view(
    form_class=PasswordResetForm,
    template_name="accounts/password_reset.html",
    success_url=reverse_lazy("accounts:password_reset_done"),
))
password_reset_done = access(PUBLIC)(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"))
password_reset_confirm = access(PUBLIC)(PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
))
password_reset_complete = access(PUBLIC)(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"))


@access(SECOND_FACTOR_PENDING)
def otp_verify(request):
    """The second factor (TOTP or a recovery code) for an account that has one."""
    if not TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp_setup")
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            log_action(actor=request.user, action="accounts.second_factor_verified",
                       obj=request.user, changes={"device": [None, type(device).__name__]})
            return redirect(_next_url(request, home_for(request.user)))
        log_action(actor=request.user, action="accounts.second_factor_failed", obj=request.user)
        form.add_error("token", _throttled_message(request.user) or
                       "確認コードが正しくないか、期限が切れています。もう一度入力してください。")
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, "")},
                  status=status_of(form))


@access(SECOND_FACTOR_PENDING)
def otp_setup(request):
    """Register an authenticator app: scan the code, confirm one token, get recovery codes."""
    import segno

    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "認証アプリ"}
    )
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save()
            otp_login(request, device)
            codes = _new_recovery_codes(request.user)
            log_action(actor=request.user, action="accounts.second_factor_registered", obj=request.user)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "first": True})
        form.add_error("token", _throttled_message(request.user) or
                       "確認コードが一致しません。端末の時刻が正しいか確かめて、表示中のコードを入力してください。")
    qr = segno.make(device.config_url, micro=False)
    return render(request, "accounts/otp_setup.html", {
        "form": form,
        "qr_svg": qr.svg_inline(scale=4, dark="#1a1a1a"),
        "secret": _base32(device.bin_key),
    }, status=status_of(form))


@access(SECRETARIAT)
def recovery_codes(request):
    """Replace the recovery codes (the old ones stop working)."""
    if request.method == "POST":
        codes = _new_recovery_codes(request.user)
        log_action(actor=request.user, action="accounts.recovery_codes_replaced", obj=request.user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes})
    remaining = StaticToken.objects.filter(device__user=request.user).count()
    return render(request, "accounts/recovery_codes_status.html", {"remaining": remaining})


def _throttled_message(user) -> str | None:
    """django-otp slows down guessing: after a wrong code the next one waits a while."""
    for device in TOTPDevice.objects.filter(user=user):
        allowed, data = device.verify_is_allowed()
        if not allowed:
            return ("確認コードが正しくありません。少し待ってからもう一度入力してください"
                    "（誤りが続くと待ち時間が長くなります）。")
    return None


def _new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "リカバリーコード"})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    device.token_set.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def _base32(key: bytes) -> str:
    import base64

    secret = base64.b32encode(key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes' answer when sign-in is throttled (status 429)."""
    return render(request, "accounts/locked_out.html", status=429)

