from dataclasses import dataclass

from django.contrib.auth import get_user_model

from renkei.core.access import SECRETARIAT, allows
from renkei.core.audit import diff, log_action, snapshot
from renkei.disasters.services import DisasterError
from renkei.municipalities.models import LocalGovernment


def wards():
    return LocalGovernment.objects.special_wards().order_by("code")


@dataclass(frozen=True)
class Reach:
    """Whom a mail to some wards reaches: the addresses, and the wards without a disaster contact
    (the HQ phones those)."""
    addresses: list[str]
    reached: int
    unreachable: list[str]


def reach(ward_ids) -> Reach:
    ward_ids = list(ward_ids)
    rows = get_user_model().objects.filter(local_government_id__in=ward_ids, is_active=True,
                                           is_disaster_contact=True).values_list("local_government_id", "email")
    reached = {code for code, _ in rows}
    missing = list(wards().filter(code__in=ward_ids).exclude(code__in=reached))
    # Whom to phone instead: a number one of the ward's staff gave (the lead's first), where there is one.
    phones = {}
    for code, phone in (get_user_model().objects.filter(local_government__in=missing, is_active=True)
                        .exclude(phone="").order_by("-is_lead", "pk").values_list("local_government_id", "phone")):
        phones.setdefault(code, phone)
    unreachable = [f"{w.name}（{phones[w.code]}）" if w.code in phones else w.name for w in missing]
    return Reach(addresses=[email for _, email in rows], reached=len(reached), unreachable=unreachable)


def secretariat_addresses() -> list[str]:
    return list(get_user_model().objects.filter(is_secretariat=True, is_active=True).values_list("email", flat=True))


def ward_of(actor):
    """The ward an actor acts for: their own, if they are ward staff; None for the secretariat (and
    for a command run on the server, actor None, which records the secretariat's own files)."""
    if actor is None or allows(SECRETARIAT, actor):
        return None
    if actor.local_government_id is None or not actor.is_ward_staff:
        raise DisasterError("この操作は特別区の職員または事務局のみ行えます。")
    return actor.local_government


def assign(obj, data: dict, fields) -> dict:
    """Copy the fields from cleaned data; returns the object's values before, for the audit."""
    before = snapshot(obj) if obj.pk else {}
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
    return before


def audit(actor, action: str, obj, before: dict | None = None, **extra) -> None:
    changes = diff(before or {}, snapshot(obj)) if before is not None else {}
    changes.update({key: [None, value] for key, value in extra.items()})
    log_action(actor=actor, action=action, obj=obj, changes=changes)
