from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from renkei.core import bulk
from renkei.core.audit import diff, log_actions, snapshot
from renkei.core.dates import wareki
from renkei.disasters import shares
from renkei.disasters.models import Dispatch, FundContribution, FundRecipient, Population, Supply, WardShare
from renkei.disasters.services import DisasterError
from renkei.disasters.services.common import assign, audit, ward_of, wards

DISPATCH_FIELDS = ("ward", "channel", "request", "destination", "role", "task", "wave", "persons", "first_day",
                   "last_day")
SUPPLY_FIELDS = ("ward", "request", "item", "category", "quantity", "unit", "recipient", "status", "shipped_on",
                 "received_on")
FUND_FIELDS = ("kind", "amount_yen", "decision", "decided_on", "share_rule", "equal_percent")


def _own(actor, record) -> None:
    """Ward staff change only their own ward's records."""
    ward = ward_of(actor)
    if ward is not None and record.pk is not None and record.ward_id != ward.pk:
        raise DisasterError("ほかの区の記録は変更できません。")


@transaction.atomic
def save_dispatch(*, actor, disaster, data: dict, dispatch: Dispatch | None = None) -> Dispatch:
    """職員派遣: a ward's wave of staff. Ward staff enter their own ward's, which then waits for the
    secretariat's confirmation again; the secretariat's own entries are confirmed as written."""
    dispatch = dispatch or Dispatch(disaster=disaster, entered_by=actor)
    _own(actor, dispatch)
    ward = ward_of(actor)
    before = assign(dispatch, data, DISPATCH_FIELDS)
    if "cancelled" in data:
        dispatch.status = Dispatch.Status.CANCELLED if data["cancelled"] else Dispatch.Status.PLANNED
    dispatch.settle_status()
    if ward is not None:
        dispatch.ward = ward
    if dispatch.ward_id is None:
        raise DisasterError("派遣した区を選んでください。")
    _check(dispatch)
    confirmed = ward is None
    dispatch.confirmed_at = timezone.now() if confirmed else None
    dispatch.confirmed_by = actor if confirmed else None
    created = dispatch.pk is None
    dispatch.save()
    audit(actor, "disasters.dispatch.created" if created else "disasters.dispatch.changed", dispatch, before)
    if confirmed and dispatch.status != Dispatch.Status.CANCELLED:
        _supporting(actor, disaster, "最初の職員派遣を記録")
    return dispatch


def _check(record, place: str = "") -> None:
    """The record's own rules (its model's clean), as a message for the person who asked."""
    try:
        record.clean()
    except ValidationError as error:
        raise DisasterError(f"{place}{' '.join(error.messages)}") from None


@transaction.atomic
def record_dispatches(*, actor, dispatches: list[Dispatch], where: list[str] | None = None) -> list[Dispatch]:
    """Dispatches from the secretariat's own files (an import): each checked and audited as
    save_dispatch would, confirmed as the secretariat's entries are, written in bulk; a disaster
    still at 情報収集 moves to 支援中. `where[i]` names the i-th in a message (「3行目」)."""
    if ward_of(actor) is not None:
        raise DisasterError("職員派遣の取込は事務局が行います。")
    where = where or [f"{n}件目" for n in range(1, len(dispatches) + 1)]
    person = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    for dispatch, place in zip(dispatches, where, strict=True):
        dispatch.entered_by = dispatch.confirmed_by = person
        dispatch.confirmed_at = now
        dispatch.settle_status()
        _check(dispatch, f"{place}: ")
    created = Dispatch.objects.bulk_create(dispatches, batch_size=1000)
    log_actions(actor=actor, action="disasters.dispatch.created", objects=created,
                changes=lambda dispatch: diff({}, snapshot(dispatch)))
    supported = {d.disaster_id: d.disaster for d in created if d.status != Dispatch.Status.CANCELLED}
    for disaster in supported.values():
        _supporting(actor, disaster, "職員派遣の記録を取込")
    bulk.wrote(Dispatch, [d.pk for d in created])
    return created


@transaction.atomic
def confirm_dispatch(*, actor, dispatch: Dispatch) -> Dispatch:
    """The secretariat confirms a ward's entry: from now on it counts on public pages."""
    dispatch = Dispatch.objects.select_for_update().get(pk=dispatch.pk)
    if dispatch.is_confirmed:
        raise DisasterError("この派遣はすでに確認済みです。")
    dispatch.confirmed_at, dispatch.confirmed_by = timezone.now(), actor
    dispatch.save(update_fields=["confirmed_at", "confirmed_by"])
    audit(actor, "disasters.dispatch.confirmed", dispatch)
    _supporting(actor, dispatch.disaster, "最初の職員派遣を確認")
    return dispatch


def _supporting(actor, disaster, note: str) -> None:
    """Support has begun: a disaster still at 情報収集 moves to 支援中 (kept in its history)."""
    from renkei.disasters.models import Disaster
    from renkei.disasters.services.disasters import set_state

    if Disaster.objects.filter(pk=disaster.pk, state=Disaster.State.COLLECTING).exists():
        set_state(actor=actor, disaster=disaster, state=Disaster.State.SUPPORTING, note=note)


@transaction.atomic
def save_supply(*, actor, disaster, data: dict, supply: Supply | None = None) -> Supply:
    """物資: what a ward offers or sends, and where it stands (申出 → 発送 → 到着確認)."""
    supply = supply or Supply(disaster=disaster, entered_by=actor)
    _own(actor, supply)
    ward = ward_of(actor)
    before = assign(supply, data, SUPPLY_FIELDS)
    if ward is not None:
        supply.ward = ward
    if supply.ward_id is None or not supply.ward.is_special_ward:
        raise DisasterError("提供した区を選んでください。")
    if supply.request_id and supply.request.disaster_id != disaster.pk:
        raise DisasterError("別の災害の要請は選べません。")
    if supply.status == Supply.Status.OFFERED and (supply.shipped_on or supply.received_on):
        raise DisasterError("発送日・到着日があるときは、状態を「発送」か「到着確認」にしてください"
                            "（申出はまだ送っていない物資です）。", field="status")
    if supply.status == Supply.Status.SHIPPED and supply.shipped_on is None:
        supply.shipped_on = timezone.localdate()
    if supply.status == Supply.Status.RECEIVED and supply.received_on is None:
        supply.received_on = timezone.localdate()
    if supply.shipped_on and supply.received_on and supply.received_on < supply.shipped_on:
        raise DisasterError("到着日が発送日より前になっています。", field="received_on")
    confirmed = ward is None  # a ward's entry (or change) waits for the secretariat, as a dispatch does
    supply.confirmed_at = timezone.now() if confirmed else None
    supply.confirmed_by = actor if confirmed else None
    created = supply.pk is None
    supply.save()
    audit(actor, "disasters.supply.created" if created else "disasters.supply.changed", supply, before)
    return supply


@transaction.atomic
def confirm_supply(*, actor, supply: Supply) -> Supply:
    """事務局の確認: a ward's supply enters the public figures."""
    if ward_of(actor) is not None:
        raise DisasterError("物資の確認は事務局が行います。")
    supply = Supply.objects.select_for_update().get(pk=supply.pk)
    if supply.confirmed_at is not None:
        raise DisasterError("この物資はすでに確認済みです。")
    supply.confirmed_at, supply.confirmed_by = timezone.now(), actor
    supply.save(update_fields=["confirmed_at", "confirmed_by", "updated_at"])
    audit(actor, "disasters.supply.confirmed", supply)
    return supply


def ward_shares(total: int, rule: str, equal_percent: int | None = None, typed: dict | None = None) -> dict[str, int]:
    """The 23 wards' shares of a total by a rule, in whole yen adding up to the total exactly."""
    codes = list(wards().values_list("code", flat=True))
    try:
        if rule == FundContribution.ShareRule.EQUAL:
            return shares.equal(total, codes)
        populations = dict(Population.objects.filter(local_government__in=codes)
                           .values_list("local_government_id", "population"))
        if rule in (FundContribution.ShareRule.POPULATION, FundContribution.ShareRule.MIXED) and len(populations) != 23:
            raise DisasterError("23区の人口が登録されていないため、人口割を計算できません。")
        if rule == FundContribution.ShareRule.POPULATION:
            return shares.by_population(total, populations)
        if rule == FundContribution.ShareRule.MIXED:
            if equal_percent is None:
                raise DisasterError("均等割の割合（%）を入力してください。")
            return shares.mixed(total, codes, populations, equal_percent)
        if rule == FundContribution.ShareRule.TYPED:
            missing = [code for code in codes if code not in (typed or {})]
            if missing:
                raise DisasterError("23区すべての負担額を入力してください。")
            return shares.typed(total, {code: typed[code] for code in codes})
    except ValueError as error:
        raise DisasterError(str(error)) from None
    raise DisasterError("負担の決め方を選んでください。")


def check_recipients(total: int, amounts: list[int]) -> None:
    """A fund's recipients receive its total exactly, to the yen."""
    given = sum(amounts)
    if given != total:
        gap = total - given
        raise DisasterError(f"提供先の金額の合計が総額より{abs(gap):,}円{'少なく' if gap > 0 else '多く'}なっています"
                            f"（総額 {total:,}円、提供先の合計 {given:,}円）。")


@transaction.atomic
def save_fund(*, actor, disaster, data: dict, recipients: list[tuple], fund: FundContribution | None = None,
              typed_shares: dict | None = None) -> FundContribution:
    """共同の復興支援金・義援金: the total, who receives how much (their amounts add up to the total),
    and the wards' shares by the stated rule (均等割, 人口割, both, or typed) — whole yen, exactly."""
    created = fund is None
    fund = fund or FundContribution(disaster=disaster)
    before = assign(fund, data, FUND_FIELDS)
    total = fund.amount_yen
    if not total:
        raise DisasterError("総額（円）を入力してください。")
    if recipients:
        check_recipients(total, [amount for _, amount in recipients])
    if fund.share_rule != FundContribution.ShareRule.MIXED:
        fund.equal_percent = None
    split = ward_shares(total, fund.share_rule, fund.equal_percent, typed_shares) if fund.share_rule else {}
    fund.save()
    _keep_recipients(actor, fund, recipients)
    fund.shares.all().delete()
    WardShare.objects.bulk_create([WardShare(contribution=fund, ward_id=code, amount_yen=amount)
                                   for code, amount in split.items()])
    audit(actor, "disasters.fund.created" if created else "disasters.fund.changed", fund, before,
          recipients=[f"{body}: {amount:,}" for body, amount in recipients] or None)
    return fund


def _body_key(body) -> tuple[str, object]:
    return (body._meta.model_name, body.pk)


def _keep_recipients(actor, fund: FundContribution, recipients: list[tuple]) -> None:
    """The fund's recipients edited in place: one kept keeps its payment and dates, a changed
    amount or a new or removed recipient is audited one by one, and a recipient already paid
    cannot be removed."""
    existing = {_body_key(r.body): r for r in fund.recipients.select_related("local_government", "association")}
    wanted = {_body_key(body): (position, body, amount)
              for position, (body, amount) in enumerate(recipients, start=1)}
    for key, recipient in existing.items():
        if key in wanted:
            continue
        if recipient.payment != FundRecipient.Payment.DECIDED:
            raise DisasterError(f"{recipient.name}は{recipient.get_payment_display()}のため、提供先から外せません。"
                                "金額の訂正は残したまま行ってください。", field="recipients")
        audit(actor, "disasters.fund_recipient.removed", recipient, fund=fund.pk, name=recipient.name,
              amount_yen=recipient.amount_yen)
        recipient.delete()
    for key, (position, body, amount) in wanted.items():
        recipient = existing.get(key)
        if recipient is None:
            recipient = FundRecipient.objects.create(
                contribution=fund, position=position, amount_yen=amount,
                **({"association": body} if key[0] == "association" else {"local_government": body}))
            audit(actor, "disasters.fund_recipient.added", recipient, None, fund=fund.pk, name=recipient.name,
                  amount_yen=amount)
        elif (recipient.position, recipient.amount_yen) != (position, amount):
            before = snapshot(recipient)
            recipient.position, recipient.amount_yen = position, amount
            recipient.save(update_fields=["position", "amount_yen"])
            if before["amount_yen"] != amount:
                audit(actor, "disasters.fund_recipient.changed", recipient, before)


@transaction.atomic
def record_payment(*, actor, recipient: FundRecipient, payment: str, on) -> FundRecipient:
    """A recipient's payment moves on: 支出済 (paid, with the day) or 受領確認 (receipt confirmed)."""
    order = [FundRecipient.Payment.DECIDED, FundRecipient.Payment.PAID, FundRecipient.Payment.RECEIVED]
    if payment not in order[1:] or order.index(payment) != order.index(recipient.payment) + 1:
        raise DisasterError("支払の状況は 決定 → 支出済 → 受領確認 の順に進めてください。")
    decided = recipient.contribution.decided_on
    if on and decided and on < decided:
        raise DisasterError(f"支払の日付が支援金の決定日（{wareki(decided)}）より前になっています。")
    if on and payment == FundRecipient.Payment.RECEIVED and recipient.paid_on and on < recipient.paid_on:
        raise DisasterError("受領確認日が支出日より前になっています。")
    before = assign(recipient, {}, ())
    recipient.payment = payment
    if payment == FundRecipient.Payment.PAID:
        recipient.paid_on = on
    else:
        recipient.received_on = on
    recipient.save(update_fields=["payment", "paid_on", "received_on"])
    audit(actor, "disasters.payment.changed", recipient, before)
    return recipient
