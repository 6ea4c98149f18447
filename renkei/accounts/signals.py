"""Sign-ins, failed sign-ins and sign-outs go to the audit log."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from renkei.core.audit import log_action
from renkei.core.clients import client_address


def _address(request) -> str:
    return client_address(request) if request is not None else ""


@receiver(user_logged_in)
def signed_in(sender, request, user, **kwargs):
    log_action(actor=user, action="accounts.signed_in", obj=user,
               changes={"address": [None, _address(request)]})


@receiver(user_logged_out)
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        log_action(actor=user, action="accounts.signed_out", obj=user)


@receiver(user_login_failed)
def sign_in_failed(sender, credentials, request=None, **kwargs):
    email = (credentials.get("username") or credentials.get("email") or "")[:254]
    user = get_user_model().objects.filter(email__iexact=email).first() if email else None
    log_action(actor=None, action="accounts.sign_in_failed", obj=user,
               changes={"email": [None, email], "address": [None, _address(request)]})
