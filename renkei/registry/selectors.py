"""Reading the registry: who an agreement covers, as of a day; the relations as a list filters them."""


from django.db.models import Prefetch, Q, QuerySet

from renkei.core.dates import date_from_query
from renkei.municipalities.codes import is_valid_prefecture_code
from renkei.municipalities.models import CITY_KINDS, Kind, LocalGovernment
from renkei.registry.models import Association, CooperationField, Relation, WideAreaAgreement

_RULE_KINDS = {
    Association.MembershipRule.TOWNS_AND_VILLAGES: (Kind.TOWN, Kind.VILLAGE),
    Association.MembershipRule.CITIES: CITY_KINDS,
}


def covered_condition(agreements) -> Q:
    """A condition on LocalGovernment: covered by a rule-based association of the agreements."""
    condition = Q(pk__in=[])
    for agreement in agreements:
        kinds = _RULE_KINDS.get(agreement.association.membership_rule)
        if kinds:
            condition |= Q(
                code__startswith=agreement.association.prefecture.prefecture_code, kind__in=kinds
            )
    return condition


def covered_municipalities(agreements) -> QuerySet[LocalGovernment]:
    """The municipalities covered by any of the agreements, each once (one query)."""
    return LocalGovernment.objects.filter(covered_condition(agreements))


def member_counts(agreements) -> None:
    """Set `member_count` (the association's own members) and `prefecture_count` (all municipalities
    the agreements cover in its prefecture: how 協定締結団体一覧 prints a prefecture whose 市長会
    and 町村会 both signed) on each agreement, from one query."""
    from django.db.models import Count

    counts = {}
    for prefecture_id, kind, n in (LocalGovernment.objects.municipalities().values("prefecture_id", "kind")
                                   .annotate(n=Count("pk")).values_list("prefecture_id", "kind", "n")):
        counts[(prefecture_id, kind)] = n
    covered_kinds = {}
    for agreement in agreements:
        kinds = _RULE_KINDS.get(agreement.association.membership_rule, ())
        covered_kinds.setdefault(agreement.association.prefecture_id, set()).update(kinds)
    for agreement in agreements:
        prefecture_id = agreement.association.prefecture_id
        kinds = _RULE_KINDS.get(agreement.association.membership_rule, ())
        agreement.member_count = sum(counts.get((prefecture_id, k), 0) for k in kinds)
        agreement.prefecture_count = sum(counts.get((prefecture_id, k), 0) for k in covered_kinds[prefecture_id])


def members_by_agreement(agreements) -> dict[int, list[LocalGovernment]]:
    """Each agreement's covered municipalities (rule-based and listed), from two queries."""
    from renkei.registry.models import AssociationMember

    agreements = list(agreements)
    covered = list(LocalGovernment.objects.filter(covered_condition(agreements)).order_by("code"))
    listed = {}
    for member in (AssociationMember.objects.filter(association__in=[a.association_id for a in agreements])
                   .select_related("local_government").order_by("local_government_id")):
        listed.setdefault(member.association_id, []).append(member.local_government)
    result = {}
    for agreement in agreements:
        kinds = _RULE_KINDS.get(agreement.association.membership_rule, ())
        prefix = agreement.association.prefecture.prefecture_code
        result[agreement.pk] = [lg for lg in covered if lg.kind in kinds and lg.code.startswith(prefix)] + listed.get(
            agreement.association_id, [])
    return result


def agreements_covering(lg: LocalGovernment):
    """The wide-area agreements whose association has this municipality as a member."""
    rules = [rule for rule, kinds in _RULE_KINDS.items() if lg.kind in kinds]
    return (
        WideAreaAgreement.objects.filter(
            association__prefecture_id=lg.prefecture_id, association__membership_rule__in=rules
        )
        .select_related("association")
        .order_by("signed_on")
    )


def filtered_relations(params):
    """Relations filtered by ward, prefecture, kind and date; returns (queryset, errors, values)."""
    queryset = Relation.objects.select_related("ward", "municipality__prefecture", "kind").prefetch_related(
        Prefetch("fields", queryset=CooperationField.objects.order_by("position")))
    errors, values = [], {}
    ward = params.get("ward", "").strip()
    if ward:
        values["ward"] = ward
        queryset = queryset.filter(ward_id=ward)
    prefecture = params.get("prefecture", "").strip()
    if prefecture:
        values["prefecture"] = prefecture
        if is_valid_prefecture_code(prefecture):
            queryset = queryset.filter(municipality__code__startswith=prefecture)
        else:
            errors.append("都道府県の指定が正しくありません。")
    kind = params.get("kind", "").strip()
    if kind:
        values["kind"] = kind
        queryset = queryset.filter(kind_id=kind) if kind.isdigit() else queryset.none()
    as_of = params.get("as_of", "").strip()
    if as_of:
        values["as_of"] = as_of
        day, error = date_from_query(as_of)
        if day is None:
            errors.append(error)
        else:
            queryset = queryset.in_force_on(day)
    return queryset.order_by("ward_id", "municipality_id", "started_on"), errors, values
