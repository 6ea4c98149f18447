"""Suggestions for a wish: the bodies on the other side (a ward's wish: member municipalities; a
municipality's: the 23 wards), scored by rules the secretariat can read and weigh (Rule, one table),
each score explained in plain Japanese, ties broken by 団体コード: deterministic.

What is scored, for the wish W of body X and a candidate body Y (with its open wishes V):
- from the wishes: what W seeks that V offers, what W offers that V seeks (per field), the forms
  both have in mind, the regions and sizes each prefers, periods that do not overlap — the best of
  Y's wishes counts;
- from the registry: the fields Y already works in with other partners, a wide-area agreement of
  the wards that covers the municipality, relations Y already has.
A candidate is listed only when something in the fields fits (a wish, or Y's relations), and never
when X and Y already have a relation of W's kind in force.

Everything is read once per version of the public content (`Universe`, one query to check it) and
scored in memory with bit masks: one suggestion list over 1,741 municipalities × 3 wishes costs
milliseconds (make bench-matching).
"""

import datetime as dt
import threading
from dataclasses import dataclass, field

from django.utils import timezone

from renkei.core import caching
from renkei.matching.models import REGIONS, SIZE_CHOICES, Form, Rule, Wish, region_of
from renkei.membership.models import Member
from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import CooperationField, Relation, WideAreaAgreement
from renkei.registry.selectors import members_by_agreement

REGION_BITS = {key: 1 << n for n, key in enumerate(REGIONS)}
SIZE_BITS = {key: 1 << n for n, (key, _label) in enumerate(SIZE_CHOICES)}
SHOWN = 20  # suggestions a list shows


def mask(ids) -> int:
    bits = 0
    for n in ids:
        bits |= 1 << n
    return bits


def names(bits: int, table: dict[int, str]) -> list[str]:
    return [name for n, name in table.items() if bits >> n & 1]


@dataclass(frozen=True)
class Profile:
    """A wish as the ranking reads it."""

    pk: int
    title: str
    body: str  # 団体コード
    kind: int
    offers: int
    seeks: int
    forms: int
    regions: int
    sizes: int
    starts_on: dt.date | None
    ends_on: dt.date | None


@dataclass
class Body:
    code: str
    name: str  # full name
    short: str
    kind: str
    region: str
    wishes: list[Profile] = field(default_factory=list)
    fields: int = 0  # fields of its relations in force
    partners: dict[int, list[str]] = field(default_factory=dict)  # field id → partners' names in it
    partner_names: list[str] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)  # associations whose agreement covers it


@dataclass
class Universe:
    stamp: str
    wards: dict[str, Body]
    municipalities: dict[str, Body]  # members in force
    relations: set[tuple[str, str, int]]  # (ward, municipality, kind) in force
    field_names: dict[int, str]
    form_names: dict[int, str]
    weights: dict[str, int]

    def body(self, code: str) -> Body | None:
        return self.wards.get(code) or self.municipalities.get(code)


def profile(wish: Wish, offers, seeks, forms) -> Profile:
    return Profile(wish.pk, wish.title, wish.body_id, wish.kind_id, mask(offers), mask(seeks), mask(forms),
                   sum(REGION_BITS.get(key, 0) for key in set(wish.regions or [])),
                   sum(SIZE_BITS.get(key, 0) for key in set(wish.sizes or [])), wish.starts_on, wish.ends_on)


def build(stamp: str, today: dt.date) -> Universe:
    lgs = {lg.code: lg for lg in LocalGovernment.objects.municipalities().select_related("prefecture")
           .only("code", "name", "kind", "prefecture__name")}

    def body(code):
        lg = lgs[code]
        return Body(code, f"{lg.prefecture.name}{lg.name}" if not lg.is_special_ward else lg.name, lg.name, lg.kind,
                    region_of(code))

    wards = {code: body(code) for code, lg in lgs.items() if lg.is_special_ward}
    members = set(Member.objects.filter(is_active=True).values_list("local_government_id", flat=True))
    municipalities = {code: body(code) for code in sorted(members) if code in lgs and code not in wards}
    everyone = wards | municipalities

    offers, seeks, forms = {}, {}, {}
    for table, found, column in ((Wish.offers.through, offers, "cooperationfield_id"),
                                 (Wish.seeks.through, seeks, "cooperationfield_id"),
                                 (Wish.forms.through, forms, "form_id")):
        for wish_id, item in table.objects.filter(wish__is_open=True).values_list("wish_id", column):
            found.setdefault(wish_id, []).append(item)
    for wish in Wish.objects.open().only("pk", "title", "body_id", "kind_id", "regions", "sizes", "starts_on", "ends_on"):
        if wish.body_id in everyone:
            everyone[wish.body_id].wishes.append(profile(wish, offers.get(wish.pk, ()), seeks.get(wish.pk, ()),
                                                         forms.get(wish.pk, ())))

    relations = set()
    in_force = Relation.objects.in_force_on(today)
    fields_of = {}
    for relation_id, field_id in Relation.fields.through.objects.filter(
            relation__in=in_force.values("pk")).values_list("relation_id", "cooperationfield_id"):
        fields_of.setdefault(relation_id, []).append(field_id)
    for pk, ward, municipality, kind in in_force.values_list("pk", "ward_id", "municipality_id", "kind_id"):
        relations.add((ward, municipality, kind))
        for own, other in ((ward, municipality), (municipality, ward)):
            if own in everyone and other in lgs:
                entry = everyone[own]
                name = lgs[other].name
                if name not in entry.partner_names:
                    entry.partner_names.append(name)
                for field_id in fields_of.get(pk, ()):
                    entry.fields |= 1 << field_id
                    partners = entry.partners.setdefault(field_id, [])
                    if name not in partners:
                        partners.append(name)
    agreements = list(WideAreaAgreement.objects.filter(signed_on__lte=today).exclude(ended_on__lte=today)
                      .select_related("association__prefecture").order_by("signed_on", "pk"))
    for agreement, covered in members_by_agreement(agreements).items():
        association = next(a.association.name for a in agreements if a.pk == agreement)
        for lg in covered:
            if lg.code in municipalities and association not in municipalities[lg.code].agreements:
                municipalities[lg.code].agreements.append(association)

    weights = dict(DEFAULT_WEIGHTS) | dict(Rule.objects.values_list("key", "weight"))
    return Universe(stamp, wards, municipalities, relations, dict(CooperationField.objects.values_list("pk", "name")),
                    dict(Form.objects.values_list("pk", "name")), weights)


# The rules, their defaults (data/lists.toml loads them into Rule) and what each means.
DEFAULT_WEIGHTS = {"seeks_offered": 30, "offers_sought": 20, "same_form": 10, "region": 10, "region_back": 10,
                   "size": 5, "size_back": 5, "record": 6, "agreement": 4, "experience": 3, "period_apart": -25,
                   "region_not_wanted": -15}
RULES = {
    "seeks_offered": "こちらが求める分野を、相手が提供できると掲げている（1分野ごと）",
    "offers_sought": "相手が求める分野を、こちらが提供できる（1分野ごと）",
    "same_form": "同じ連携の形を考えている（1つごと）",
    "region": "相手が、こちらの希望する地域にある",
    "region_back": "こちらが、相手の希望する地域にある",
    "size": "相手が、こちらの希望する規模である",
    "size_back": "こちらが、相手の希望する規模である",
    "record": "こちらが求める分野で、相手が既にほかの団体と交流している（1分野ごと）",
    "agreement": "自治体が、特別区長会との広域協定の構成自治体である",
    "experience": "相手が、既にほかの区・自治体と交流している",
    "period_apart": "双方の希望する期間が重ならない（合わない点）",
    "region_not_wanted": "相手の希望する地域に、こちらが含まれない（合わない点）",
}

_cache: dict[str, Universe] = {}
_lock = threading.Lock()


def universe() -> Universe:
    """The universe for the public content's version now (one query when it is known)."""
    stamp = caching.current()
    known = _cache.get("now")
    if known is not None and known.stamp == stamp:
        return known
    with _lock:
        known = _cache.get("now")
        if known is None or known.stamp != stamp:
            known = _cache["now"] = build(stamp, timezone.localdate())
    return known


@dataclass
class Suggestion:
    body: Body
    score: int
    reasons: list[str]
    misfits: list[str]
    wish: Profile | None  # the candidate's wish that fits best


def _overlap(a: Profile, b: Profile) -> bool:
    start = max(d for d in (a.starts_on, b.starts_on, dt.date.min) if d is not None)
    end = min(d for d in (a.ends_on, b.ends_on, dt.date.max) if d is not None)
    return start <= end


def _pair_score(w: Profile, v: Profile, weights) -> int:
    score = (weights["seeks_offered"] * (w.seeks & v.offers).bit_count()
             + weights["offers_sought"] * (w.offers & v.seeks).bit_count()
             + weights["same_form"] * (w.forms & v.forms).bit_count())
    if (w.starts_on or w.ends_on) and (v.starts_on or v.ends_on) and not _overlap(w, v):
        score += weights["period_apart"]
    return score


def score(w: Profile, own: Body, other: Body, u: Universe, *, explain: bool = False) -> Suggestion | None:
    """Y's score for W, or None when nothing in the fields fits. With `explain`, the reasons."""
    weights = u.weights
    best, best_score = None, None
    for v in other.wishes:
        s = _pair_score(w, v, weights)
        if best_score is None or s > best_score:
            best, best_score = v, s
    fields_fit = (best is not None and ((w.seeks & best.offers) or (w.offers & best.seeks))) or (w.seeks & other.fields)
    if not fields_fit:
        return None
    total = best_score or 0
    region_bit, size_bit = REGION_BITS[other.region], SIZE_BITS[other.kind]
    own_region_bit, own_size_bit = REGION_BITS[own.region], SIZE_BITS[own.kind]
    if w.regions & region_bit:
        total += weights["region"]
    if w.sizes & size_bit:
        total += weights["size"]
    if best is not None:
        if best.regions & own_region_bit:
            total += weights["region_back"]
        elif best.regions:
            total += weights["region_not_wanted"]
        if best.sizes & own_size_bit:
            total += weights["size_back"]
    recorded = w.seeks & other.fields
    total += weights["record"] * recorded.bit_count()
    if other.agreements:
        total += weights["agreement"]
    if other.partner_names:
        total += weights["experience"]
    if not explain:
        return Suggestion(other, total, [], [], best)
    return Suggestion(other, total, *_explain(w, own, other, best, u), best)


def _explain(w: Profile, own: Body, other: Body, v: Profile | None, u: Universe) -> tuple[list[str], list[str]]:
    fields, forms = u.field_names, u.form_names
    reasons, misfits = [], []
    name = other.short
    if v is not None:
        if w.seeks & v.offers:
            reasons.append(f"こちらが求める{'・'.join(names(w.seeks & v.offers, fields))}を、{name}は提供できると"
                           f"掲げています（「{v.title}」）。")
        if w.offers & v.seeks:
            reasons.append(f"{name}は{'・'.join(names(w.offers & v.seeks, fields))}を求めており、こちらは提供できます。")
        if w.forms & v.forms:
            reasons.append(f"{'・'.join(names(w.forms & v.forms, forms))}を、どちらも考えています。")
        if v.regions & REGION_BITS[own.region]:
            reasons.append(f"{name}の希望する地域（{REGIONS[own.region][0]}）に、こちらがあります。")
        elif v.regions:
            wanted = "・".join(str(REGIONS[key][0]) for key in REGIONS if v.regions & REGION_BITS[key])
            misfits.append(f"{name}の希望する地域（{wanted}）に、こちらは含まれません。")
        if v.sizes & SIZE_BITS[own.kind]:
            reasons.append(f"{name}の希望する規模に、こちらが当てはまります。")
        if (w.starts_on or w.ends_on) and (v.starts_on or v.ends_on) and not _overlap(w, v):
            misfits.append(f"希望する期間が重なりません（こちら: {_period(w)}、{name}: {_period(v)}）。")
    if w.regions & REGION_BITS[other.region]:
        reasons.append(f"希望する地域（{REGIONS[other.region][0]}）にあります。")
    if w.sizes & SIZE_BITS[other.kind]:
        reasons.append(f"希望する規模（{dict(SIZE_CHOICES)[other.kind]}）です。")
    for field_id in sorted(set(range(w.seeks.bit_length())) & set(other.partners)):
        if w.seeks >> field_id & 1:
            reasons.append(f"{fields.get(field_id, '')}で、既に{'・'.join(other.partners[field_id][:3])}と"
                           "交流があります。")
    if other.agreements:
        reasons.append(f"広域協定（{'・'.join(other.agreements[:2])}）の構成自治体です。")
    elif other.partner_names and not (w.seeks & other.fields):
        reasons.append(f"既に{'・'.join(other.partner_names[:3])}と交流があります。")
    missing = w.seeks & ~((v.offers if v is not None else 0) | other.fields)
    if missing:
        misfits.append(f"こちらが求める{'・'.join(names(missing, fields))}は、掲げていません。")
    if v is None:
        misfits.append(f"{name}は連携希望を出していません（交流の実績からの候補です）。")
    return reasons, misfits


def _period(p: Profile) -> str:
    from renkei.core.dates import wareki

    start = wareki(p.starts_on) if p.starts_on else ""
    end = wareki(p.ends_on) if p.ends_on else ""
    return f"{start}〜{end}"


def suggestions(wish: Wish, *, limit: int = SHOWN, u: Universe | None = None) -> list[Suggestion]:
    """The bodies that fit the wish best, ranked, each with its reasons and what does not fit."""
    u = u or universe()
    own = u.body(wish.body_id)
    w = next((p for p in own.wishes if p.pk == wish.pk), None) if own is not None else None
    if w is None:
        return []  # a closed wish, or a body no longer a member: nothing to suggest
    return rank(w, own, u, limit=limit)


def rank(w: Profile, own: Body, u: Universe, *, limit: int = SHOWN) -> list[Suggestion]:
    ward_side = own.code in u.wards
    others = u.municipalities if ward_side else u.wards
    scored = []
    for code, other in others.items():
        if code == own.code:
            continue
        pair = (own.code, code, w.kind) if ward_side else (code, own.code, w.kind)
        if pair in u.relations:
            continue  # already partners of this kind
        found = score(w, own, other, u)
        if found is not None:
            scored.append((-found.score, code))
    scored.sort()
    return [score(w, own, others[code], u, explain=True) for _score, code in scored[:limit]]
