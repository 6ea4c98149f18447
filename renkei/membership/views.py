"""Joining (会員登録) and a municipality's own staff page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from renkei.core.access import ORGANIZATION_STAFF, PUBLIC, access
from renkei.core.forms import posted, status_of
from renkei.membership import services, staff_actions
from renkei.membership.forms import AcceptInvitationForm, ApplicationForm, InvitationForm, WithdrawForm
from renkei.membership.models import Member
from renkei.membership.tokens import TokenError
from renkei.municipalities.models import Kind, LocalGovernment

SEARCH_LIMIT = 50


@access(PUBLIC)
@require_safe
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
    local_government = LocalGovernment.objects.select_related("prefecture").by_code(code)
    refusal = None
    try:
        services.can_apply(local_government)
    except services.MembershipError as error:
        refusal = str(error)
    form = ApplicationForm(posted(request))
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            services.submit_application(local_government=local_government, **form.cleaned_data)
        except services.MembershipError as error:
            refusal = str(error)
        else:
            return redirect("membership:apply_sent")
    return render(request, "membership/apply_form.html", {
        "local_government": local_government, "form": form, "refusal": refusal,
    }, status=409 if refusal is not None and request.method == "POST" else status_of(form))


@access(PUBLIC)
@require_safe
def apply_sent(request):
    return render(request, "membership/apply_sent.html")


@access(PUBLIC)
@require_safe
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
    form = AcceptInvitationForm(posted(request), email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            services.accept_invitation(token=token, name=form.cleaned_data["name"],
                                       password=form.cleaned_data["password1"])
        except (TokenError, services.MembershipError) as error:
            return render(request, "membership/link_problem.html", {"message": str(error)}, status=400)
        messages.success(request, "アカウントを作成しました。メールアドレスとパスワードでログインしてください。")
        return redirect("accounts:sign_in")
    return render(request, "membership/accept_invitation.html", {"invitation": invitation, "form": form},
                  status=status_of(form))


@access(ORGANIZATION_STAFF)
@require_safe
def home(request):
    """My municipality: its staff, and for the lead contact the tools to manage them."""
    return _home_page(request)


def _home_page(request, status: int = 200, **forms):
    context = {**staff_context(request.user.local_government, request.user), **forms}
    return render(request, "membership/home.html", context, status=status)


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
        "withdraw_form": WithdrawForm(),
    }


# The lead contact's staff actions on its own municipality (the secretariat's are in the back office).

@access(ORGANIZATION_STAFF)
@require_POST
def invite(request):
    return staff_actions.invite(request, request.user.local_government, back=reverse("membership:home"),
                                page=lambda **forms: _home_page(request, **forms))


@access(ORGANIZATION_STAFF)
@require_http_methods(["GET", "POST"])
def remove(request, user_pk: int):
    action = staff_actions.confirm_remove if request.method == "GET" else staff_actions.remove
    return action(request, request.user.local_government, user_pk, back=reverse("membership:home"))


@access(ORGANIZATION_STAFF)
@require_POST
def make_lead(request, user_pk: int):
    return staff_actions.make_lead(request, request.user.local_government, user_pk, back=reverse("membership:home"))


@access(ORGANIZATION_STAFF)
@require_POST
def disaster_contact(request, user_pk: int):
    return staff_actions.disaster_contact(request, request.user.local_government, user_pk,
                                          back=reverse("membership:home"))


@access(ORGANIZATION_STAFF)
@require_POST
def withdraw(request):
    return staff_actions.withdraw(request, request.user.local_government, back=reverse("membership:home"),
                                  done=reverse("portal:home"), page=lambda **forms: _home_page(request, **forms))
