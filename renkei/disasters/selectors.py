"""Reading the disaster-support records: the counts as of a day, the balances, the matrices.

Counting rules, as the pages and the API state them (the wards count people, others person-days):
- people dispatched as of D = Σ persons of dispatches, not 中止, whose first day ≤ D;
- person-days as of D = Σ persons × days from the first day to min(last day, D), both ends counted;
- on duty on D = Σ persons of dispatches whose first day ≤ D ≤ last day.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, Sum

from renkei.core.dates import fiscal_year_of
from renkei.core.text import normalise
from renkei.disasters.models import Disaster, Dispatch, EnquiryAnswer, FundRecipient, Request, Supply
from renkei.municipalities.models import LocalGovernment
from renkei.municipalities.names import Names

COMPUTED = "computed"
PUBLISHED = "published"


@dataclass
class Counts:
    people: int = 0
    person_days: int = 0
    on_duty: int = 0

    def add(self, persons: int, first: dt.date, last: dt.date, day: dt.date) -> None:
        if first > day:
            return
        self.people += persons
        self.person_days += persons * ((min(last, day) - first).days + 1)
        if day <= last:
            self.on_duty += persons


@dataclass
class DispatchSummary:
    as_of: dt.date
    basis: str
    total: Counts
    by_role: dict = field(default_factory=dict)
    by_ward: dict = field(default_factory=dict)
    by_destination: dict = field(default_factory=dict)
    by_channel: dict = field(default_factory=dict)
    by_fiscal_year: dict = field(default_factory=dict)  # people whose first day falls in the year
    source: object | None = None  # the publication, for a published figure


def dispatches(disaster: Disaster, *, confirmed_only: bool = True):
    queryset = Dispatch.objects.filter(disaster=disaster).counted()
    return queryset.confirmed() if confirmed_only else queryset


def dispatch_counts(disaster: Disaster, day: dt.date, *, confirmed_only: bool = True) -> DispatchSummary:
    """The three counts as of a day from the records, overall and by job, ward, destination,
    channel and fiscal year (one query)."""
    summary = DispatchSummary(as_of=day, basis=COMPUTED, total=Counts())
    rows = dispatches(disaster, confirmed_only=confirmed_only).values_list(
        "persons", "first_day", "last_day", "role__name", "ward__name", "destination_id", "channel__name")
    for persons, first, last, role, ward, destination, channel in rows:
        summary.total.add(persons, first, last, day)
        for groups, key in ((summary.by_role, role), (summary.by_ward, ward), (summary.by_destination, destination),
                            (summary.by_channel, channel), (summary.by_fiscal_year, fiscal_year_of(first))):
            groups.setdefault(key, Counts()).add(persons, first, last, day)
    return summary


def dispatch_summary(disaster: Disaster, day: dt.date) -> DispatchSummary:
    """What the public pages and the API show: computed from the records once the secretariat has
    marked them complete for the disaster (or where nothing was ever published), else the
    published head count with its date and source."""
    figure = next(iter(disaster.figures.all()), None)
    if disaster.dispatch_records_complete or figure is None or figure.people is None:
        return dispatch_counts(disaster, day)
    return DispatchSummary(as_of=figure.as_of, basis=PUBLISHED, total=Counts(people=figure.people, person_days=None,
                                                                          on_duty=None), source=disaster.source)


class RecipientNames:
    """Who receives a joint fund, by name as a clerk writes it: an association (岩手県市長会,
    kept by the registry) or a local government (Names)."""

    def __init__(self, *, preload: bool = False):
        self.names = Names(preload=preload)
        association = FundRecipient._meta.get_field("association").related_model
        self.associations = {a.name: a for a in association.objects.all()}

    def resolve(self, value):
        return self.associations.get(normalise(value)) or self.names.resolve(value)


@dataclass
class Balance:
    asked: int
    pledged: int
    sent: int
    received: int

    @property
    def open(self) -> int:
        return max(self.asked - self.pledged, 0)


def request_balance(request: Request) -> Balance:
    """Asked, pledged (the wards' yes answers to the enquiries about it), sent and received."""
    pledged = EnquiryAnswer.objects.filter(enquiry__request=request, answer=EnquiryAnswer.Answer.YES).aggregate(
        n=Sum("quantity"))["n"] or 0
    if request.kind == Request.Kind.STAFF:
        sent = Dispatch.objects.filter(request=request).counted().aggregate(n=Sum("persons"))["n"] or 0
        received = sent
    else:
        totals = Supply.objects.filter(request=request).aggregate(
            sent=Sum("quantity", filter=~Q(status=Supply.Status.OFFERED)),
            received=Sum("quantity", filter=Q(status=Supply.Status.RECEIVED)))
        sent, received = totals["sent"] or 0, totals["received"] or 0
    return Balance(asked=request.quantity, pledged=pledged, sent=sent, received=received)


def balances(requests) -> dict[int, Balance]:
    """Balances of many requests in three queries."""
    requests = list(requests)
    ids = [r.pk for r in requests]
    pledged = dict(EnquiryAnswer.objects.filter(enquiry__request__in=ids, answer=EnquiryAnswer.Answer.YES)
                   .values_list("enquiry__request").annotate(n=Sum("quantity")).values_list("enquiry__request", "n"))
    staff = dict(Dispatch.objects.filter(request__in=ids).counted().values_list("request")
                 .annotate(n=Sum("persons")).values_list("request", "n"))
    goods = {row["request"]: row for row in Supply.objects.filter(request__in=ids).values("request").annotate(
        sent=Sum("quantity", filter=~Q(status=Supply.Status.OFFERED)),
        received=Sum("quantity", filter=Q(status=Supply.Status.RECEIVED)))}
    result = {}
    for r in requests:
        if r.kind == Request.Kind.STAFF:
            sent = received = staff.get(r.pk, 0)
        else:
            sent, received = (goods.get(r.pk, {}).get("sent") or 0), (goods.get(r.pk, {}).get("received") or 0)
        result[r.pk] = Balance(asked=r.quantity, pledged=pledged.get(r.pk) or 0, sent=sent, received=received)
    return result


def answer_matrix(enquiry) -> list[tuple[LocalGovernment, EnquiryAnswer | None]]:
    """The 23 wards beside their answers (None: not answered yet), in 団体コード order; two queries."""
    answers = {a.ward_id: a for a in enquiry.answers.all()}
    return [(ward, answers.get(ward.pk)) for ward in LocalGovernment.objects.special_wards().order_by("code")]


def ward_matrix(day: dt.date, disasters) -> tuple[list, list, dict]:
    """People each ward dispatched to each disaster as of a day (confirmed, not cancelled, public
    disasters only): (wards, disasters, {(ward code, disaster id): people}); one counting query."""
    disasters = list(disasters)
    cells = defaultdict(int)
    for ward, disaster, people in (Dispatch.objects.counted().confirmed()
                                   .filter(disaster__in=[d.pk for d in disasters], first_day__lte=day)
                                   .values_list("ward", "disaster").annotate(n=Sum("persons"))
                                   .values_list("ward", "disaster", "n")):
        cells[(ward, disaster)] = people
    wards = list(LocalGovernment.objects.special_wards().order_by("code"))
    return wards, disasters, dict(cells)


def supplies_by_item(disaster: Disaster) -> list[tuple[str, str, int, int]]:
    """Supplies sent (発送 or 到着確認) by item and unit: (item, unit, sent, received)."""
    rows = (Supply.objects.filter(disaster=disaster).exclude(status=Supply.Status.OFFERED)
            .values("item", "unit").annotate(sent=Sum("quantity"),
                                             received=Sum("quantity", filter=Q(status=Supply.Status.RECEIVED)))
            .order_by("item", "unit"))
    return [(r["item"], r["unit"], r["sent"], r["received"] or 0) for r in rows]


@dataclass
class Received:
    disaster: Disaster
    people: int | None = None
    published: bool = False
    funds: list = field(default_factory=list)  # (kind label, amount or None)


def support_received(lg: LocalGovernment) -> list[Received]:
    """What the 23 wards gave a place, disaster by disaster (never a drill): the staff sent there —
    counted from confirmed records, or the published head count that names it while the records
    are not complete — and the funds it received. Three queries."""
    found: dict[int, Received] = {}

    def row(disaster):
        return found.setdefault(disaster.pk, Received(disaster))

    from renkei.disasters.models import DispatchFigure, FundRecipient

    for figure in DispatchFigure.objects.filter(destinations=lg, disaster__is_drill=False).select_related("disaster"):
        if not figure.disaster.dispatch_records_complete and figure.people:
            received = row(figure.disaster)
            received.people, received.published = figure.people, True
    for dispatch in (Dispatch.objects.counted().confirmed().filter(destination=lg, disaster__is_drill=False)
                     .select_related("disaster")):
        received = row(dispatch.disaster)
        if not received.published:
            received.people = (received.people or 0) + dispatch.persons
    for recipient in (FundRecipient.objects.filter(local_government=lg, contribution__disaster__is_drill=False)
                      .select_related("contribution__disaster")):
        row(recipient.contribution.disaster).funds.append(
            (recipient.contribution.get_kind_display(), recipient.amount_yen))
    return sorted(found.values(), key=lambda r: r.disaster.started_on, reverse=True)
