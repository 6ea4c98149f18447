"""Joining (会員登録) and a municipality's own staff page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renkei.core.access import ORGANIZATION_STAFF, PUBLIC, access
from renkei.core.errors import NotFound
from renkei.membership import services
from renkei.membership.forms import AcceptInvitationForm, ApplicationForm, InvitationForm
from renkei.membership.models import Member
from renkei.membership.tokens import TokenError
from renkei.municipalities.codes import lg_code_error
from renkei.municipalities.models import Kind, LocalGovernment

SEARCH_LIMIT = 50


def _applicable_local_government(code: str) -> LocalGovernment:
    error = lg_code_error(code)
    if error:
        raise NotFound(error)
    local_government = LocalGovernment.objects.select_related("prefecture").filter(code=code).first()
    if local_government is None:
        raise NotFound(f"団体コード「{code}」の地方公共団体はありません。")
    return local_government


@access(PUBLIC)
def apply_search(request):
    """Step 1: find one's own local government by name or kana."""
    query = request.GET.get("q", "").strip()[:50]
    results = []
    if query:
        results = list(
            LocalGovernment.objects.search(query).exclude(kind=Kind.SPECIAL_WARD)
            .select_related("prefecture").order_by("code")[:SEARCH_LIMIT + 1]
        )
    return render(request, "membership/apply_search.html", {
        "query": query, "results": results[:SEARCH_LIMIT], "more": len(results) > SEARCH_LIMIT,
    })


@access(PUBLIC)
def apply(request, code: str):
    """Step 2: the application form for one local government."""
    local_government = _applicable_local_government(code)
    refusal = None
    try:
        services.can_apply(local_government)
    except services.MembershipError as error:
        refusal = str(error)
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.submit_application(local_government=local_government, **form.cleaned_data)
        except services.MembershipError as error:
            refusal = str(error)
        else:
            return redirect("membership:apply_sent")
    return render(request, "membership/apply_form.html", {
        "local_government": local_government, "form": form, "refusal": refusal,
    }, status=200 if refusal is None or request.method == "GET" else 409)


@access(PUBLIC)
def apply_sent(request):
    return render(request, "membership/apply_sent.html")


@access(PUBLIC)
def verify_email(request, token: str):
    try:
        application = services.verify_application(token)
    except (TokenError, services.MembershipError) as error:
        return render(request, "membership/link_problem.html", {"message": str(error)}, status=400)
    return render(request, "membership/verified.html", {"application": application})


@access(PUBLIC)
def accept_invitation(request, token: str):
    try:
        invitation = services.read_invitation(token)
    except (TokenError, services.MembershipError) as error:
        return render(request, "membership/link_problem.html", {"message": str(error)}, status=400)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(token=token, name=form.cleaned_data["name"],
                                       password=form.cleaned_data["password1"])
        except (TokenError, services.MembershipError) as error:
            return render(request, "membership/link_problem.html", {"message": str(error)}, status=400)
        messages.success(request, "アカウントを作成しました。メールアドレスとパスワードでログインしてください。")
        return redirect("accounts:sign_in")
    return render(request, "membership/accept_invitation.html", {"invitation": invitation, "form": form})


@access(ORGANIZATION_STAFF)
def home(request):
    """My municipality: its staff, and for the lead contact the tools to manage them."""
    return render(request, "membership/home.html", staff_context(request.user.local_government, request.user))


def staff_context(local_government, viewer) -> dict:
    staff = list(local_government.staff.filter(is_active=True).order_by("-is_lead", "name"))
    return {
        "local_government": local_government,
        "member": Member.objects.filter(local_government=local_government).first(),
        "staff": staff,
        "can_manage": services.can_manage_staff(viewer, local_government),
        "open_invitations": local_government.invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True).order_by("-created_at"),
        "invite_form": InvitationForm(),
    }


def _back(request, local_government):
    if request.user.is_secretariat:
        return redirect("secretariat:member", code=local_government.code)
    return redirect("membership:home")


def _target_local_government(request, code: str) -> LocalGovernment:
    """The municipality a staff action applies to: one's own, or (secretariat) the one named."""
    local_government = _applicable_local_government(code) if code else request.user.local_government
    if not services.can_manage_staff(request.user, local_government):
        raise PermissionDenied
    return local_government


# The staff actions below serve two routes each: /members/… for a municipality's lead contact
# (its own staff) and /secretariat/members/<code>/… for the secretariat.

def invite_action(request, code: str = ""):
    local_government = _target_local_government(request, code)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "メールアドレスを正しく入力してください。")
        return _back(request, local_government)
    try:
        services.invite_staff(actor=request.user, local_government=local_government,
                              email=form.cleaned_data["email"],
                              as_lead=request.user.is_secretariat and request.POST.get("as_lead") == "1")
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{form.cleaned_data['email']} に招待メールを送りました。")
    return _back(request, local_government)


def _staff_action(request, code: str, user_pk: int, action, done: str):
    """Run a service on one of the municipality's staff; ids from elsewhere are refused."""
    local_government = _target_local_government(request, code)
    if not local_government.staff.filter(pk=user_pk, is_active=True).exists():
        # Someone else's staff, or an id typed in: as if it did not exist.
        raise NotFound("このアカウントは見つかりません。")
    try:
        action(request.user, user_pk)
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _back(request, local_government)


def remove_action(request, user_pk: int, code: str = ""):
    return _staff_action(
        request, code, user_pk,
        lambda actor, pk: services.remove_staff(actor=actor, user_pk=pk), "アカウントを削除しました。")


def make_lead_action(request, user_pk: int, code: str = ""):
    return _staff_action(
        request, code, user_pk,
        lambda actor, pk: services.hand_over_lead(actor=actor, to_user_pk=pk), "主担当を引き継ぎました。")


def withdraw_action(request, code: str = ""):
    local_government = _target_local_government(request, code)
    if request.POST.get("confirm") != "1":
        messages.error(request, "退会するには「退会することを確認しました」にチェックを入れてください。")
        return _back(request, local_government)
    try:
        services.withdraw(actor=request.user, local_government=local_government,
                          note=request.POST.get("note", ""))
    except services.MembershipError as error:
        messages.error(request, str(error))
        return _back(request, local_government)
    messages.success(request, f"{local_government.full_name}の退会を受け付けました。")
    if request.user.is_secretariat:
        return _back(request, local_government)
    return redirect("portal:home")


invite = access(ORGANIZATION_STAFF)(require_POST(invite_action))
remove = access(ORGANIZATION_STAFF)(require_POST(remove_action))
make_lead = access(ORGANIZATION_STAFF)(require_POST(make_lead_action))
withdraw = access(ORGANIZATION_STAFF)(require_POST(withdraw_action))
