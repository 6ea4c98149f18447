"""The ranking measured against data/evaluation.toml: precision@5 and recall@10 over every wish that
has partners a person would expect, beside two baselines (the same prefecture first; the most
relations first). Used by `make bench-matching` and by the tests (which hold the ranking to a floor).
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from renkei.matching import ranking
from renkei.matching.models import Form, Wish
from renkei.membership.models import Member
from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import CooperationField, Relation, RelationKind

SET = Path(__file__).resolve().parent / "data" / "evaluation.toml"


def load(path: Path = SET, *, user=None) -> tuple[dict[str, Wish], list[tuple[str, str]]]:
    """The set's wishes written (their municipalities made members), and the expected pairs."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    lgs = {(lg.name if lg.is_special_ward else f"{lg.prefecture.name}{lg.name}"): lg
           for lg in LocalGovernment.objects.municipalities().select_related("prefecture")}
    fields = dict(CooperationField.objects.values_list("name", "pk"))
    forms = dict(Form.objects.values_list("name", "pk"))
    kinds = dict(RelationKind.objects.values_list("name", "pk"))
    today = timezone.localdate()
    wishes = {}
    for item in data["wishes"]:
        lg = lgs[item["body"]]
        code = lg.code
        if not lg.is_special_ward:  # a municipality: a member (wards take part as they are)
            Member.objects.get_or_create(local_government_id=code, defaults={"joined_on": today})
        wish = Wish.objects.create(body_id=code, title=item["text"][:100], kind_id=kinds[item["kind"]],
                                   regions=item.get("regions", []), sizes=item.get("sizes", []), text=item["text"],
                                   created_by=user)
        wish.offers.set([fields[name] for name in item.get("offers", [])])
        wish.seeks.set([fields[name] for name in item.get("seeks", [])])
        wish.forms.set([forms[name] for name in item.get("forms", [])])
        wishes[item["id"]] = wish
    return wishes, [tuple(pair) for pair in data["pairs"]]


@dataclass
class Scores:
    precision_at_5: float  # the share of the top 5 that are expected partners
    ceiling: float  # the best precision@5 could be (most wishes expect fewer than 5 partners)
    recall_at_10: float
    wishes: int
    misses: list[str]  # "wish → expected partner" not in the top 10


def expected_partners(wishes: dict[str, Wish], pairs) -> dict[str, set[str]]:
    partners = {}
    for a, b in pairs:
        partners.setdefault(a, set()).add(wishes[b].body_id)
        partners.setdefault(b, set()).add(wishes[a].body_id)
    return partners


def measure(wishes: dict[str, Wish], pairs, order) -> Scores:
    """`order(wish, universe)`: the candidate bodies' codes, best first."""
    u = ranking.universe()
    partners = expected_partners(wishes, pairs)
    precision, ceiling, recall, misses = [], [], [], []
    for wish_id, expected in sorted(partners.items()):
        ranked = order(wishes[wish_id], u)
        top5, top10 = ranked[:5], ranked[:10]
        precision.append(sum(code in expected for code in top5) / 5)
        ceiling.append(min(5, len(expected)) / 5)
        recall.append(sum(code in expected for code in top10) / len(expected))
        misses += [f"{wish_id} → {u.body(code).name}" for code in sorted(expected) if code not in top10]
    return Scores(sum(precision) / len(precision), sum(ceiling) / len(ceiling), sum(recall) / len(recall),
                  len(partners), misses)


def by_ranking(wish: Wish, u) -> list[str]:
    return [s.body.code for s in ranking.suggestions(wish, limit=10, u=u)]


def _others(wish: Wish, u) -> dict:
    return u.municipalities if wish.body_id in u.wards else u.wards


def by_prefecture(wish: Wish, u) -> list[str]:
    """Baseline: the other side's bodies in the wish's prefecture first, then by code."""
    prefecture = wish.body_id[:2]
    return sorted(_others(wish, u), key=lambda code: (code[:2] != prefecture, code))[:10]


def by_relations(wish: Wish, u) -> list[str]:
    """Baseline: the other side's bodies with the most relations in force first, then by code."""
    counts = {}
    for ward, municipality in Relation.objects.in_force_on(timezone.localdate()).values_list("ward_id",
                                                                                            "municipality_id"):
        counts[ward] = counts.get(ward, 0) + 1
        counts[municipality] = counts.get(municipality, 0) + 1
    return sorted(_others(wish, u), key=lambda code: (-counts.get(code, 0), code))[:10]
