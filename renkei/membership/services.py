"""Membership actions (会員登録・承認・担当者の異動・退会). Each runs in one transaction,
checks its preconditions before writing, logs to the audit log and queues its mail."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from renkei.core.audit import log_action
from renkei.core.emails import queue_email
from renkei.membership import tokens
from renkei.membership.models import Application, Invitation, Member, MembershipEvent
from renkei.municipalities.models import Kind, LocalGovernment

User = get_user_model()


class MembershipError(Exception):
    """A request that cannot be carried out; the message is shown to the user as is."""


def is_usual_domain(email: str, local_government: LocalGovernment) -> bool:
    """Municipal addresses are usually under lg.jp (総合行政ネットワークのドメイン), or under a
    domain the municipality's own accounts already use (its official site's, e.g. city.x.jp)."""
    domain = email.rsplit("@", 1)[-1].lower()
    if domain == "lg.jp" or domain.endswith(".lg.jp"):
        return True
    return local_government.staff.filter(is_active=True, email__iendswith=f"@{domain}").exists()


def can_apply(local_government: LocalGovernment) -> None:
    if local_government.kind == Kind.SPECIAL_WARD:
        raise MembershipError("特別区（東京23区）はプロジェクトの主催団体のため、会員登録の対象ではありません。")
    member = Member.objects.filter(local_government=local_government).first()
    if member is not None and member.is_active:
        raise MembershipError(
            f"{local_government.full_name}はすでに会員です。アカウントが必要な方は、"
            "貴団体の主担当の方に招待を依頼してください。主担当が分からない場合は事務局にお問い合わせください。"
        )
    if member is not None:
        raise MembershipError(
            f"{local_government.full_name}は退会中です。再開を希望される場合は事務局にお問い合わせください。"
        )


@transaction.atomic
def submit_application(*, local_government, department, contact_name, phone, email) -> Application:
    """A public application: stored unverified, and a verification link goes to the address."""
    can_apply(local_government)
    email = email.strip().lower()
    application = Application.objects.create(
        local_government=local_government, department=department, contact_name=contact_name,
        phone=phone, email=email, unusual_domain=not is_usual_domain(email, local_government),
    )
    queue_email(to=email, name="application-verify", context={
        "application": application,
        "token": tokens.make(tokens.VERIFY_SALT, application.pk, email),
    })
    return application


@transaction.atomic
def verify_application(token: str) -> Application:
    """The applicant opened the link: the application now reaches the secretariat."""
    data = tokens.read(tokens.VERIFY_SALT, token, tokens.VERIFY_MAX_AGE)
    application = Application.objects.select_for_update().filter(pk=data["pk"], email=data["email"]).first()
    if application is None:
        raise MembershipError("この申請は見つかりません。")
    if application.status != Application.Status.UNVERIFIED:
        raise MembershipError("このメールアドレスは確認済みです。事務局の審査をお待ちください。")
    application.status = Application.Status.PENDING
    application.verified_at = timezone.now()
    application.save(update_fields=["status", "verified_at"])
    log_action(actor=None, action="membership.application.verified", obj=application)
    return application


def _decide(application_pk: int):
    application = Application.objects.select_for_update().filter(pk=application_pk).first()
    if application is None:
        raise MembershipError("この申請は見つかりません。")
    if application.status != Application.Status.PENDING:
        raise MembershipError(
            f"この申請はすでに「{application.get_status_display()}」です。画面を更新して確認してください。"
        )
    return application


@transaction.atomic
def approve_application(*, application_pk: int, actor) -> Member:
    """承認: the municipality becomes a member and the applicant its lead contact (主担当)."""
    application = _decide(application_pk)
    local_government = application.local_government
    existing = Member.objects.select_for_update().filter(local_government=local_government).first()
    if existing is not None and existing.is_active:
        raise MembershipError(f"{local_government.full_name}はすでに会員です。")
    other = User.objects.filter(email__iexact=application.email).first()
    if other is not None and other.is_active and other.local_government_id != local_government.pk:
        raise MembershipError("申請者のメールアドレスは別の団体のアカウントで使われています。")
    today = timezone.localdate()
    if existing is None:
        member = Member.objects.create(local_government=local_government, joined_on=today)
        MembershipEvent.objects.create(member=member, kind=MembershipEvent.Kind.APPROVED, on=today, actor=actor)
    else:
        member = existing
        member.is_active = True
        member.save(update_fields=["is_active"])
        MembershipEvent.objects.create(member=member, kind=MembershipEvent.Kind.RESUMED, on=today, actor=actor)
    user = _activate_account(
        email=application.email, name=application.contact_name, local_government=local_government,
        department=application.department, phone=application.phone,
        lead=not local_government.staff.filter(is_active=True, is_lead=True).exists(),
    )
    application.status = Application.Status.APPROVED
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save(update_fields=["status", "decided_at", "decided_by"])
    log_action(actor=actor, action="membership.application.approved", obj=application,
               changes={"status": ["pending", "approved"]})
    queue_email(to=user.email, name="application-approved", context={
        "application": application, "user": user, **_password_link(user)})
    return member


@transaction.atomic
def reject_application(*, application_pk: int, actor, reason: str) -> Application:
    reason = reason.strip()
    if not reason:
        raise MembershipError("却下の理由を入力してください。申請者にそのまま伝えられます。")
    application = _decide(application_pk)
    application.status = Application.Status.REJECTED
    application.rejection_reason = reason
    application.decided_at = timezone.now()
    application.decided_by = actor
    application.save(update_fields=["status", "rejection_reason", "decided_at", "decided_by"])
    log_action(actor=actor, action="membership.application.rejected", obj=application,
               changes={"status": ["pending", "rejected"], "reason": [None, reason]})
    queue_email(to=application.email, name="application-rejected", context={"application": application})
    return application


def _activate_account(*, email, name, local_government, department="", phone="", lead=False):
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, name=name)
    user.name = name or user.name
    user.local_government = local_government
    user.department = department or user.department
    user.phone = phone or user.phone
    user.is_active = True
    user.removed_at = None
    user.is_lead = lead
    user.save()
    return user


def _password_link(user) -> dict:
    return {"uid": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user)}


def can_manage_staff(actor, local_government: LocalGovernment) -> bool:
    """The lead contact of the municipality, or the secretariat."""
    if actor.is_secretariat:
        return True
    return actor.is_active and actor.is_lead and actor.local_government_id == local_government.pk


@transaction.atomic
def set_disaster_contact(*, actor, local_government: LocalGovernment, user_pk: int, on: bool) -> User:
    """災害時の連絡担当: a ward's staff member whom the disaster HQ mails at once."""
    _require_manager(actor, local_government)
    if local_government.kind != Kind.SPECIAL_WARD:
        raise MembershipError("災害時の連絡担当は特別区の担当者に設定します。")
    user = User.objects.select_for_update().get(pk=user_pk, local_government=local_government, is_active=True)
    before = user.is_disaster_contact
    user.is_disaster_contact = on
    user.save(update_fields=["is_disaster_contact"])
    log_action(actor=actor, action="membership.staff.changed", obj=user, changes={"is_disaster_contact": [before, on]})
    return user


def _require_manager(actor, local_government):
    if not can_manage_staff(actor, local_government):
        raise MembershipError("この操作は主担当または事務局のみ行えます。")


@transaction.atomic
def invite_staff(*, actor, local_government: LocalGovernment, email: str, as_lead: bool = False) -> Invitation:
    """Invite a colleague by email; the secretariat also creates a ward's first account this way."""
    _require_manager(actor, local_government)
    if as_lead and not actor.is_secretariat:
        raise MembershipError("主担当としての招待は事務局のみ行えます。")
    email = email.strip().lower()
    existing = User.objects.filter(email__iexact=email, is_active=True).first()
    if existing is not None:
        if existing.local_government_id == local_government.pk:
            raise MembershipError("この方はすでに貴団体のアカウントをお持ちです。")
        raise MembershipError(
            "このメールアドレスは別の団体のアカウントで使われています。異動された方の場合は、"
            "前の団体の主担当または事務局にアカウントの削除を依頼してください。"
        )
    Invitation.objects.filter(local_government=local_government, email=email,
                              accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=timezone.now())
    invitation = Invitation.objects.create(
        local_government=local_government, email=email, invited_by=actor, as_lead=as_lead
    )
    log_action(actor=actor, action="membership.staff.invited", obj=invitation,
               changes={"email": [None, email], "as_lead": [None, as_lead]})
    queue_email(to=email, name="invitation", context={
        "invitation": invitation, "inviter": actor,
        "token": tokens.make(tokens.INVITE_SALT, invitation.pk, email),
    })
    return invitation


def read_invitation(token: str) -> Invitation:
    data = tokens.read(tokens.INVITE_SALT, token, tokens.INVITE_MAX_AGE)
    invitation = Invitation.objects.select_related("local_government").filter(
        pk=data["pk"], email=data["email"]).first()
    if invitation is None:
        raise MembershipError("この招待は見つかりません。")
    if invitation.accepted_at is not None:
        raise MembershipError("この招待はすでに使われています。ログイン画面からログインしてください。")
    if invitation.revoked_at is not None:
        raise MembershipError("この招待は取り消されています。招待した方にお問い合わせください。")
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, name: str, password: str):
    invitation = read_invitation(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise MembershipError("この招待はすでに使われています。ログイン画面からログインしてください。")
    other = User.objects.filter(email__iexact=invitation.email, is_active=True).exclude(
        local_government=invitation.local_government).first()
    if other is not None:
        raise MembershipError("このメールアドレスは別の団体のアカウントで使われています。")
    lead_taken = invitation.local_government.staff.filter(is_active=True, is_lead=True).exists()
    user = _activate_account(email=invitation.email, name=name,
                             local_government=invitation.local_government,
                             lead=invitation.as_lead and not lead_taken)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    log_action(actor=user, action="membership.staff.joined", obj=user,
               changes={"local_government": [None, invitation.local_government_id]})
    return user


@transaction.atomic
def remove_staff(*, actor, user_pk: int):
    """The person can no longer sign in; what they wrote stays, attributed to the municipality."""
    user = User.objects.select_for_update().filter(pk=user_pk, is_active=True).first()
    if user is None or user.local_government is None:
        raise MembershipError("このアカウントは見つかりません。")
    _require_manager(actor, user.local_government)
    if user.is_lead and user.pk == actor.pk:
        raise MembershipError("主担当は自分を削除できません。先に主担当を他の方に引き継いでください。")
    user.is_active = False
    user.is_lead = False
    user.removed_at = timezone.now()
    user.save(update_fields=["is_active", "is_lead", "removed_at"])
    _end_sessions(user)
    log_action(actor=actor, action="membership.staff.removed", obj=user,
               changes={"is_active": [True, False]})
    return user


def _end_sessions(user) -> None:
    """Delete the person's open sessions now, not at their next request."""
    from django.contrib.sessions.models import Session

    user_id = str(user.pk)
    stale = [s.pk for s in Session.objects.filter(expire_date__gt=timezone.now())
             if s.get_decoded().get("_auth_user_id") == user_id]
    Session.objects.filter(pk__in=stale).delete()


@transaction.atomic
def hand_over_lead(*, actor, to_user_pk: int):
    """主担当の引継ぎ: the lead role passes to another active member of the same staff."""
    target = User.objects.select_for_update().filter(pk=to_user_pk, is_active=True).first()
    if target is None or target.local_government is None:
        raise MembershipError("引継ぎ先のアカウントが見つかりません。")
    local_government = target.local_government
    _require_manager(actor, local_government)
    if not actor.is_secretariat and actor.local_government_id != target.local_government_id:
        raise MembershipError("主担当は同じ団体の方にのみ引き継げます。")
    current = User.objects.select_for_update().filter(
        local_government=local_government, is_active=True, is_lead=True).first()
    if current is not None and current.pk == target.pk:
        raise MembershipError("この方はすでに主担当です。")
    if current is not None:
        current.is_lead = False
        current.save(update_fields=["is_lead"])
    target.is_lead = True
    target.save(update_fields=["is_lead"])
    log_action(actor=actor, action="membership.lead.handed_over", obj=target,
               changes={"lead": [current.pk if current else None, target.pk]})
    return target


@transaction.atomic
def withdraw(*, actor, local_government: LocalGovernment, note: str = "") -> Member:
    """退会: the membership ends today; accounts stay, history is kept."""
    _require_manager(actor, local_government)
    member = Member.objects.select_for_update().filter(local_government=local_government).first()
    if member is None or not member.is_active:
        raise MembershipError("この団体は現在会員ではありません。")
    member.is_active = False
    member.save(update_fields=["is_active"])
    MembershipEvent.objects.create(member=member, kind=MembershipEvent.Kind.WITHDRAWN,
                                   on=timezone.localdate(), actor=actor, note=note[:200])
    log_action(actor=actor, action="membership.member.withdrawn", obj=member,
               changes={"is_active": [True, False]})
    return member


@transaction.atomic
def resume(*, actor, local_government: LocalGovernment, note: str = "") -> Member:
    """再開: the secretariat restores a withdrawn membership."""
    if not actor.is_secretariat:
        raise MembershipError("会員の再開は事務局のみ行えます。")
    member = Member.objects.select_for_update().filter(local_government=local_government).first()
    if member is None or member.is_active:
        raise MembershipError("この団体は退会中ではありません。")
    member.is_active = True
    member.save(update_fields=["is_active"])
    MembershipEvent.objects.create(member=member, kind=MembershipEvent.Kind.RESUMED,
                                   on=timezone.localdate(), actor=actor, note=note[:200])
    log_action(actor=actor, action="membership.member.resumed", obj=member,
               changes={"is_active": [False, True]})
    return member
