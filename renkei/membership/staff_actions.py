"""Staff rotation (人事異動) as pages act on it: invite, remove, hand the lead role over, withdraw.

Two pages use each action: a municipality's lead contact on its own page (/members/) and the
secretariat on the municipality's page in the back office. The caller names the page to go back
to (`back`) and gives `page(status=…, **forms)`, which shows that page again with a refused form;
the rule (the lead contact of that municipality, or the secretariat) is the service's.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from renkei.core.confirm import confirmation
from renkei.core.errors import NotFound
from renkei.membership import services
from renkei.membership.forms import InvitationForm, WithdrawForm


def _managed(request, local_government):
    if not services.can_manage_staff(request.user, local_government):
        raise PermissionDenied
    return local_government


def invite(request, local_government, *, back: str, page):
    _managed(request, local_government)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return page(status=400, invite_form=form)
    try:
        services.invite_staff(actor=request.user, local_government=local_government,
                              email=form.cleaned_data["email"],
                              as_lead=request.user.is_secretariat and request.POST.get("as_lead") == "1")
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{form.cleaned_data['email']} に招待メールを送りました。")
    return redirect(back)


def _on_staff(request, local_government, user_pk: int, action, done: str, back: str):
    """Run a service on one of the municipality's staff; ids from elsewhere are refused."""
    _managed(request, local_government)
    if not local_government.staff.filter(pk=user_pk, is_active=True).exists():
        # Someone else's staff, or an id typed in: as if it did not exist.
        raise NotFound("このアカウントは見つかりません。")
    try:
        action(request.user, user_pk)
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(back)


def confirm_remove(request, local_government, user_pk: int, *, back: str):
    """The page that asks before a colleague's account goes (GET of the remove address)."""
    _managed(request, local_government)
    person = local_government.staff.filter(pk=user_pk, is_active=True).first()
    if person is None:
        raise NotFound("このアカウントは見つかりません。")
    return confirmation(request, title="担当者のアカウントを削除する",
                        what=f"{person.name}（{person.email}）のアカウントを削除します。",
                        consequences=["この方はすぐにログアウトされ、ログインできなくなります。",
                                      "書き込んだ内容は残り、貴団体の名前で表示されます。"],
                        action="削除する", cancel=back)


def remove(request, local_government, user_pk: int, *, back: str):
    return _on_staff(request, local_government, user_pk,
                     lambda actor, pk: services.remove_staff(actor=actor, user_pk=pk), "アカウントを削除しました。", back)


def make_lead(request, local_government, user_pk: int, *, back: str):
    return _on_staff(request, local_government, user_pk,
                     lambda actor, pk: services.hand_over_lead(actor=actor, to_user_pk=pk), "主担当を引き継ぎました。", back)


def disaster_contact(request, local_government, user_pk: int, *, back: str):
    on = request.POST.get("on") == "1"
    return _on_staff(request, local_government, user_pk,
                     lambda actor, pk: services.set_disaster_contact(actor=actor, local_government=local_government,
                                                                     user_pk=pk, on=on),
                     "災害時の連絡担当にしました。" if on else "災害時の連絡担当から外しました。", back)


def withdraw(request, local_government, *, back: str, done: str, page):
    """退会. `done` is where to go once withdrawn (a member's own staff lose their pages)."""
    _managed(request, local_government)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return page(status=400, withdraw_form=form)
    try:
        services.withdraw(actor=request.user, local_government=local_government, note=form.cleaned_data["note"])
    except services.MembershipError as error:
        messages.error(request, str(error))
        return redirect(back)
    messages.success(request, f"{local_government.full_name}の退会を受け付けました。")
    return redirect(done)
