"""Reading the registry: who an agreement covers, as of a day."""

import datetime as dt

from django.db.models import Q, QuerySet

from renkei.municipalities.models import CITY_KINDS, Kind, LocalGovernment
from renkei.registry.models import Association, WideAreaAgreement

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


def agreements_in_force(day: dt.date):
    return WideAreaAgreement.objects.in_force_on(day).select_related("association__prefecture")


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
