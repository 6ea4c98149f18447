from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from renkei.board import services as board
from renkei.board.models import Category, Thread
from renkei.core.audit import snapshot
from renkei.core.emails import queue_email
from renkei.disasters import numbered_reports
from renkei.disasters.models import Decision, Disaster, StateChange
from renkei.disasters.services import DisasterError
from renkei.disasters.services.common import Reach, assign, audit, reach, wards

DISASTER_FIELDS = ("name", "kind", "started_on", "ended_on", "summary", "is_drill", "hq_contact")
DECISION_FIELDS = ("body", "kind", "decided_on", "title", "text", "corrects")


@transaction.atomic
def save_disaster(*, actor, data: dict, disaster: Disaster | None = None) -> Disaster:
    """Record a disaster (or correct one): its name, kind, dates, places struck and a damage summary."""
    created = disaster is None
    disaster = disaster or Disaster(state=Disaster.State.COLLECTING)
    before = assign(disaster, data, DISASTER_FIELDS)
    if disaster.ended_on and disaster.ended_on < disaster.started_on:
        raise DisasterError("発災期間の終わりが発災日より前になっています。", field="ended_on")
    taken = DisasterError("同じ名前の災害がすでに登録されています。別の名前にするか、登録済みの災害を開いてください。",
                          field="name")
    if Disaster.objects.filter(name=disaster.name).exclude(pk=disaster.pk).exists():
        raise taken
    try:
        with transaction.atomic():  # two secretaries registering the same disaster at once
            disaster.save()
    except IntegrityError as error:
        raise taken from error
    if "affected" in data:
        disaster.affected.set(data["affected"])
    if created:
        StateChange.objects.create(disaster=disaster, state=disaster.state, by=actor, note="登録")
    audit(actor, "disasters.disaster.created" if created else "disasters.disaster.changed", disaster, before,
          affected=[lg.pk for lg in data.get("affected", [])] or None)
    return disaster


@transaction.atomic
def activate(*, actor, disaster: Disaster) -> Reach:
    """対策本部の設置: every ward's disaster contact is mailed, the members' board gets a thread in
    災害支援, and (unless it is a drill) the public portal shows a banner to the disaster's page."""
    disaster = Disaster.objects.select_for_update().get(pk=disaster.pk)
    if disaster.activated_at is not None:
        raise DisasterError("この災害の対策本部はすでに設置されています。")
    if disaster.state == Disaster.State.CLOSED:
        raise DisasterError("終結した災害には対策本部を設置できません。")
    disaster.activated_at = timezone.now()
    disaster.save(update_fields=["activated_at"])
    reached = reach(wards().values_list("code", flat=True))
    for address in reached.addresses:
        queue_email(to=address, name="disaster-activated", context={"disaster": disaster})
    drill = "【訓練】" if disaster.is_drill else ""
    board.start_thread(
        author=actor, category=Category.objects.get(slug="disaster"), type=Thread.Type.INFORMATION,
        title=f"{drill}{disaster.name} 対策本部を設置しました"[:120],
        body=(f"{drill}特別区長会事務局は「{disaster.name}」の対策本部を設置しました。\n\n"
              f"{disaster.summary}\n\n各区の照会・要請・派遣は災害支援のページで行います。"),
    )
    audit(actor, "disasters.disaster.activated", disaster, contacts_mailed=len(reached.addresses),
          unreachable=len(reached.unreachable))
    return reached


@transaction.atomic
def set_state(*, actor, disaster: Disaster, state: str, note: str = "") -> Disaster:
    """Move a disaster to 情報収集, 支援中, 継続支援 or 終結; each change is kept with when and who."""
    if state not in Disaster.State.values:
        raise DisasterError("状態を選んでください。")
    disaster = Disaster.objects.select_for_update().get(pk=disaster.pk)
    if disaster.state == state:
        raise DisasterError(f"すでに「{disaster.get_state_display()}」です。")
    before = snapshot(disaster)
    disaster.state = state
    disaster.save(update_fields=["state"])
    StateChange.objects.create(disaster=disaster, state=state, by=actor, note=note[:200])
    audit(actor, "disasters.disaster.changed", disaster, before)
    return disaster


@transaction.atomic
def save_decision(*, actor, disaster: Disaster, data: dict, decision: Decision | None = None,
                  pdf=None) -> Decision:
    """Write a decision as a draft (下書き). A confirmed one is never changed: correct it with a new
    decision that names it (`corrects`)."""
    if decision is not None and decision.is_confirmed:
        raise DisasterError("確定した決定は変更できません。訂正する場合は、訂正の決定を新しく登録してください。")
    corrects = data.get("corrects")
    if corrects is not None and (corrects.disaster_id != disaster.pk or not corrects.is_confirmed):
        raise DisasterError("訂正できるのは、同じ災害の確定した決定だけです。")
    created = decision is None
    decision = decision or Decision(disaster=disaster, created_by=actor)
    before = assign(decision, data, DECISION_FIELDS)
    if pdf is not None:
        decision.pdf.save(f"{disaster.pk}-{timezone.now():%Y%m%d%H%M%S}.pdf", pdf, save=False)
    decision.save()
    audit(actor, "disasters.decision.created" if created else "disasters.decision.changed", decision, before)
    return decision


@transaction.atomic
def confirm_decision(*, actor, decision: Decision) -> Decision:
    """確定: from now on the decision stands as written. A report (第N報) takes the next number of
    its disaster's reports."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_confirmed:
        raise DisasterError("この決定はすでに確定しています。")
    # The disaster's row orders two confirmations at once, so numbers never repeat.
    Disaster.objects.select_for_update().filter(pk=decision.disaster_id).first()
    if decision.kind == Decision.Kind.REPORT:
        last = Decision.objects.filter(disaster_id=decision.disaster_id).aggregate(n=Max("report_number"))["n"]
        decision.report_number = (last or 0) + 1
    decision.status = Decision.Status.CONFIRMED
    decision.confirmed_at = timezone.now()
    if decision.kind == Decision.Kind.REPORT:
        decision.report = numbered_reports.compose(decision)  # the records as they stand now, kept
    decision.save(update_fields=["report_number", "status", "confirmed_at", "report"])
    audit(actor, "disasters.decision.confirmed", decision, report_number=decision.report_number)
    if decision.kind == Decision.Kind.REPORT and not decision.disaster.is_drill:
        # Printed once, when the report stands, so no visitor ever waits for it to be printed.
        transaction.on_commit(lambda: numbered_reports.printed(decision), robust=True)
    return decision
