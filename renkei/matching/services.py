"""Writing 連携マッチング: wishes, proposals and their answers, the ranking's weights, the digest.

Every write is audited. A proposal accepted records the relation in the registry
(registry.services.create_relation, agreed by both sides) from the day it was accepted, so 数字で見る
counts it from that day.
"""

import datetime as dt
import tomllib
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from renkei.accounts.models import User
from renkei.core.access import is_organization_staff
from renkei.core.audit import diff, log_action, snapshot
from renkei.core.emails import queue_email
from renkei.matching import ranking
from renkei.matching.models import Form, Notice, Proposal, ProposalMessage, Rule, Wish
from renkei.registry import services as registry
from renkei.registry.models import Relation

LISTS = Path(__file__).resolve().parent / "data" / "lists.toml"


class MatchingError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def load_reference_data(path: Path = LISTS) -> str:
    lists = tomllib.loads(path.read_text(encoding="utf-8"))
    forms = sum(Form.objects.get_or_create(name=name, defaults={"position": n})[1]
                for n, name in enumerate(lists["forms"]))
    rules = sum(Rule.objects.get_or_create(key=key, defaults={"weight": weight})[1]
                for key, weight in lists["rules"].items())
    return f"連携の形: 新規 {forms}件, マッチングの規則: 新規 {rules}件"


def can_keep_wishes_of(actor, body) -> bool:
    """A body's own staff keep its wishes: a ward's, or a member municipality's in force."""
    return is_organization_staff(actor) and actor.local_government_id == body.pk


def _fields(wish: Wish) -> dict:
    return {"offers": sorted(f.name for f in wish.offers.all()), "seeks": sorted(f.name for f in wish.seeks.all()),
            "forms": sorted(f.name for f in wish.forms.all())}


@transaction.atomic
def save_wish(*, actor, wish: Wish | None, body, title, kind, offers, seeks, forms, regions, sizes, starts_on,
              ends_on, text, is_open, is_public) -> Wish:
    if not can_keep_wishes_of(actor, body):
        raise MatchingError("この団体の連携希望は登録できません。")
    if not offers and not seeks:
        raise MatchingError("提供できる分野か求める分野を、少なくとも一つ選んでください。", "seeks")
    if starts_on and ends_on and ends_on < starts_on:
        raise MatchingError("期間の終わりは、始めより後の日付にしてください。", "ends_on")
    before = {**snapshot(wish), **_fields(wish)} if wish is not None else {}
    wish = wish or Wish(body=body, created_by=actor)
    for name, value in (("title", title), ("kind", kind), ("regions", sorted(regions)), ("sizes", sorted(sizes)),
                        ("starts_on", starts_on), ("ends_on", ends_on), ("text", text), ("is_open", is_open),
                        ("is_public", is_public)):
        setattr(wish, name, value)
    wish.save()
    wish.offers.set(offers)
    wish.seeks.set(seeks)
    wish.forms.set(forms)
    log_action(actor=actor, action="matching.wish.saved" if before else "matching.wish.created", obj=wish,
               changes=diff(before, {**snapshot(wish), **_fields(wish)}))
    return wish


def _staff_of(body) -> list[User]:
    return list(User.objects.filter(local_government=body, is_active=True).order_by("-is_lead", "pk"))


def _tell(body, name: str, context: dict) -> int:
    staff = _staff_of(body)
    for person in staff:
        queue_email(to=person.email, name=name, context={**context, "person": person})
    return len(staff)


def in_force(ward_code: str, municipality_code: str, kind) -> bool:
    return Relation.objects.in_force_on(timezone.localdate()).filter(
        ward_id=ward_code, municipality_id=municipality_code, kind=kind).exists()


@transaction.atomic
def propose(*, actor, wish: Wish, recipient, kind, fields, message: str, answered_wish: Wish | None = None) -> Proposal:
    """From a suggestion: a short message to the other side's staff (mail, and their desk)."""
    if not can_keep_wishes_of(actor, wish.body):
        raise MatchingError("この連携希望から提案できるのは、その団体の担当者です。")
    if recipient.pk == wish.body_id or recipient.is_special_ward == wish.body.is_special_ward:
        raise MatchingError("提案の相手は、特別区と自治体の組み合わせになるように選んでください。")
    ward, municipality = (wish.body, recipient) if wish.body.is_special_ward else (recipient, wish.body)
    if in_force(ward.pk, municipality.pk, kind):
        raise MatchingError(f"{ward.name}と{municipality.full_name}には、すでに「{kind}」の交流があります。", "kind")
    if Proposal.objects.filter(wish=wish, recipient=recipient, status=Proposal.Status.SENT).exists():
        raise MatchingError(f"{recipient.name}には、この連携希望からの提案が回答待ちです。")
    if answered_wish is not None and answered_wish.body_id != recipient.pk:
        answered_wish = None
    proposal = Proposal.objects.create(wish=wish, answered_wish=answered_wish, sender=wish.body, recipient=recipient,
                                       kind=kind, message=message, created_by=actor)
    proposal.fields.set(fields)
    log_action(actor=actor, action="matching.proposal.sent", obj=proposal,
               changes={"recipient": [None, recipient.pk], "kind": [None, str(kind)],
                        "fields": [None, sorted(f.name for f in fields)]})
    _tell(recipient, "matching-proposal", {"proposal": proposal})
    return proposal


def _side(actor, proposal: Proposal) -> str:
    if actor.local_government_id == proposal.sender_id and is_organization_staff(actor):
        return "sender"
    if actor.local_government_id == proposal.recipient_id and is_organization_staff(actor):
        return "recipient"
    raise MatchingError("この提案に答えられるのは、相手の団体の担当者です。")


def _lock(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().select_related("sender", "recipient", "kind").get(pk=proposal.pk)


@transaction.atomic
def reply(*, actor, proposal: Proposal, text: str) -> ProposalMessage:
    side = _side(actor, proposal)
    proposal = _lock(proposal)
    written = ProposalMessage.objects.create(proposal=proposal, body=actor.local_government, author=actor, text=text)
    log_action(actor=actor, action="matching.proposal.replied", obj=proposal, changes={"message": [None, text[:200]]})
    _tell(proposal.recipient if side == "sender" else proposal.sender, "matching-reply",
          {"proposal": proposal, "message": written})
    return written


def _decide(actor, proposal: Proposal, side: str, status: str) -> Proposal:
    proposal = _lock(proposal)
    if proposal.status != Proposal.Status.SENT:
        raise MatchingError(f"この提案はすでに「{proposal.get_status_display()}」です。")
    if _side(actor, proposal) != side:
        raise MatchingError("受諾・辞退は提案を受けた側が、取り下げは提案した側が行えます。")
    proposal.status, proposal.decided_at, proposal.decided_by = status, timezone.now(), actor
    return proposal


@transaction.atomic
def accept(*, actor, proposal: Proposal, started_on: dt.date | None = None) -> Proposal:
    """The relation is recorded in the registry from the day of acceptance."""
    proposal = _decide(actor, proposal, "recipient", Proposal.Status.ACCEPTED)
    started_on = started_on or timezone.localdate()
    if in_force(proposal.ward.pk, proposal.municipality.pk, proposal.kind):
        raise MatchingError(f"{proposal.ward.name}と{proposal.municipality.full_name}には、すでに"
                            f"「{proposal.kind}」の交流があります。")
    relation = registry.create_relation(
        actor=actor, ward=proposal.ward, municipality=proposal.municipality, kind=proposal.kind,
        fields=list(proposal.fields.all()), started_on=started_on, agreed=True,
        note=f"連携マッチングの提案（第{proposal.pk}号）から")
    proposal.relation = relation
    proposal.save(update_fields=["status", "decided_at", "decided_by", "relation"])
    log_action(actor=actor, action="matching.proposal.accepted", obj=proposal,
               changes={"status": ["sent", "accepted"], "relation": [None, relation.pk]})
    _tell(proposal.sender, "matching-decided", {"proposal": proposal})
    return proposal


@transaction.atomic
def decline(*, actor, proposal: Proposal, text: str = "") -> Proposal:
    proposal = _decide(actor, proposal, "recipient", Proposal.Status.DECLINED)
    proposal.save(update_fields=["status", "decided_at", "decided_by"])
    if text:
        ProposalMessage.objects.create(proposal=proposal, body=actor.local_government, author=actor, text=text)
    log_action(actor=actor, action="matching.proposal.declined", obj=proposal, changes={"status": ["sent", "declined"]})
    _tell(proposal.sender, "matching-decided", {"proposal": proposal, "text": text})
    return proposal


@transaction.atomic
def withdraw(*, actor, proposal: Proposal) -> Proposal:
    proposal = _decide(actor, proposal, "sender", Proposal.Status.WITHDRAWN)
    proposal.save(update_fields=["status", "decided_at", "decided_by"])
    log_action(actor=actor, action="matching.proposal.withdrawn", obj=proposal,
               changes={"status": ["sent", "withdrawn"]})
    return proposal


@transaction.atomic
def set_weights(*, actor, weights: dict[str, int]) -> int:
    if not actor.is_secretariat:
        raise MatchingError("規則の重みを変えられるのは事務局です。")
    changed = 0
    for rule in Rule.objects.select_for_update().filter(key__in=weights):
        if rule.weight != weights[rule.key]:
            log_action(actor=actor, action="matching.rule.changed", obj=rule,
                       changes={"weight": [rule.weight, weights[rule.key]]})
            rule.weight = weights[rule.key]
            rule.save(update_fields=["weight"])
            changed += 1
    return changed


def set_notice(*, user, weekly: bool) -> Notice:
    notice, _created = Notice.objects.get_or_create(user=user, defaults={"weekly": weekly,
                                                                         "sent_at": timezone.now()})
    if notice.weekly != weekly:
        notice.weekly = weekly
        notice.save(update_fields=["weekly"])
        log_action(actor=user, action="matching.notice.changed", obj=notice, changes={"weekly": [not weekly, weekly]})
    return notice


WEEK = dt.timedelta(days=7)


def send_digests(now: dt.datetime | None = None) -> int:
    """Once a week to each who asked: the other side's wishes written since the last digest that
    fit one of their body's open wishes (the ranking's own fit), best first."""
    now = now or timezone.now()
    u = ranking.universe()
    sent = 0
    for notice in Notice.objects.filter(weekly=True, user__is_active=True).select_related("user"):
        if notice.sent_at is not None and notice.sent_at > now - WEEK:
            continue
        since = notice.sent_at or now - WEEK
        user = notice.user
        own = u.body(user.local_government_id or "")
        if own is None or not is_organization_staff(user):
            continue
        fresh = set(Wish.objects.open().filter(created_at__gt=since).values_list("pk", flat=True))
        found = {}
        for w in own.wishes:
            for suggestion in ranking.rank(w, own, u, limit=50):
                if suggestion.wish is not None and suggestion.wish.pk in fresh:
                    best = found.get(suggestion.wish.pk)
                    if best is None or suggestion.score > best[0]:
                        found[suggestion.wish.pk] = (suggestion.score, suggestion, w)
        if found:
            items = [(s, w) for _score, s, w in sorted(found.values(), key=lambda x: (-x[0], x[1].body.code))]
            queue_email(to=user.email, name="matching-digest", context={"user": user, "items": items, "since": since})
            sent += 1
        notice.sent_at = now
        notice.save(update_fields=["sent_at"])
    return sent
