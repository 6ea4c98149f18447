"""Who may use a view, declared once per view with @access(RULE).

Every view in the URL conf carries its rule (`view.access_rule`); the route-by-persona test
walks the URL conf and fails on a view without one.
"""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

PUBLIC = "public"
SIGNED_IN = "signed_in"
ORGANIZATION_STAFF = "organization_staff"  # staff of a ward or of an active member municipality
SECRETARIAT = "secretariat"  # with its second factor (TOTP) verified
WARD_STAFF = "ward_staff"  # staff of one of the 23 wards: their ward's answers, dispatches and supplies
WARD_STAFF_OR_SECRETARIAT = "ward_staff_or_secretariat"  # the registry's editors
BOARD = "board"  # the members' bulletin board: organisation staff and the secretariat
# Signed in, second factor not yet given: only the pages that ask for it.
SECOND_FACTOR_PENDING = "second_factor_pending"

RULES = {PUBLIC, SIGNED_IN, ORGANIZATION_STAFF, SECRETARIAT, SECOND_FACTOR_PENDING, WARD_STAFF, WARD_STAFF_OR_SECRETARIAT,
         BOARD}


def is_organization_staff(user) -> bool:
    """Staff of a ward, or of a municipality whose membership is in force."""
    if not user.is_authenticated or user.local_government_id is None:
        return False
    if user.is_ward_staff:
        return True
    membership = getattr(user.local_government, "membership", None)
    return membership is not None and membership.is_active


def _second_factor_given(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return is_verified is None or is_verified()


def _second_factor_redirect(request):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    has_device = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    target = settings.SECOND_FACTOR_URL if has_device else settings.SECOND_FACTOR_SETUP_URL
    return redirect(f"{reverse(target)}?next={request.get_full_path()}")


def allows(rule: str, user) -> bool:
    """Whether `user` may use what `rule` guards: the one answer to "who may", for views
    (through @access) and for code outside them (mail to followers, a template's links).

    The second factor belongs to a session: a request's user carries `is_verified()`; a user read
    from the database (a mail's recipient) does not, and is judged by role alone.
    """
    if rule not in RULES:
        raise ValueError(f"unknown access rule {rule!r}")
    if rule == PUBLIC:
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if rule == SECOND_FACTOR_PENDING:
        return True
    if user.is_secretariat and not _second_factor_given(user):
        return False  # no page opens for a secretariat account before its second factor
    if rule == SIGNED_IN:
        return True
    if rule == SECRETARIAT:
        return user.is_secretariat
    if rule == ORGANIZATION_STAFF:
        return is_organization_staff(user)
    if rule == BOARD:
        return user.is_secretariat or is_organization_staff(user)
    if rule == WARD_STAFF:
        return user.is_ward_staff
    if rule == WARD_STAFF_OR_SECRETARIAT:
        return user.is_secretariat or user.is_ward_staff
    return False


def check(rule: str, request):
    """None when the request may proceed, else the response that refuses it."""
    user = request.user
    if allows(rule, user):
        return None
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.is_secretariat and not _second_factor_given(user):
        return _second_factor_redirect(request)
    if rule == ORGANIZATION_STAFF and user.local_government_id is not None and not user.is_ward_staff:
        raise PermissionDenied(
            "貴団体は退会中のため、会員向けのページは利用できません。再開については事務局にお問い合わせください。"
        )
    raise PermissionDenied


def access(rule: str):
    if rule not in RULES:
        raise ValueError(f"unknown access rule {rule!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refusal = check(rule, request)
            if refusal is not None:
                return refusal
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule
        return wrapped

    return decorator
