"""Reading the disaster-support records: the counts as of a day, the balances, the matrices.

Counting rules, as the pages and the API state them (the wards count people, others person-days):
- people dispatched as of D = Σ persons of dispatches, not 中止, whose first day ≤ D;
- person-days as of D = Σ persons × days from the first day to min(last day, D), both ends counted;
- on duty on D = Σ persons of dispatches whose first day ≤ D ≤ last day (no last day yet: on duty).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, Sum

from renkei.core.dates import fiscal_year_label, fiscal_year_of
from renkei.core.text import normalise
from renkei.disasters.models import (
    Disaster,
    Dispatch,
    DispatchFigure,
    Enquiry,
    EnquiryAnswer,
    FundRecipient,
    Supply,
    SupportRequest,
    WardShare,
)
from renkei.municipalities.models import LocalGovernment
from renkei.municipalities.names import Names

COMPUTED = "computed"
PUBLISHED = "published"
UNKNOWN = "unknown"
# Entries waiting for the secretariat's confirmation first, on both databases (PostgreSQL sorts
# NULL last by default, SQLite first).
WAITING_FIRST = F("confirmed_at").asc(nulls_first=True)  # the source names a dispatch and gives no figure


@dataclass
class Counts:
    """None where a count is not known (a published head count gives people only; a source that
    names a dispatch without a figure gives nothing): never 0 for unknown."""

    people: int | None = 0
    person_days: int | None = 0
    on_duty: int | None = 0
    planned: int | None = 0  # 予定: recorded, not begun by the day

    def add(self, persons: int, first: dt.date, last: dt.date | None, day: dt.date) -> None:
        """A dispatch counted as of `day`; with no last day yet (終了日未定) it is on duty, its
        person-days counted up to `day`; one that has not begun is 予定."""
        if first > day:
            self.planned += persons
            return
        last = day if last is None else last
        self.people += persons
        self.person_days += persons * ((min(last, day) - first).days + 1)
        if day <= last:
            self.on_duty += persons

    @classmethod
    def unknown(cls) -> "Counts":
        return cls(people=None, person_days=None, on_duty=None, planned=None)


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
    """A disaster's dispatches that count: confirmed by the secretariat (its public page, the API,
    its 第N報), or every one not cancelled, confirmed or not (the HQ's own view)."""
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


def _published(disaster: Disaster) -> DispatchSummary | None:
    """What stands for the disaster's records until the secretariat marks them complete, where a
    source spoke of its dispatch: the published head count (as of its date, if the source gives
    one), or — a dispatch named without a figure — unknown counts."""
    figure = next(iter(disaster.figures.all()), None)
    if disaster.dispatch_records_complete or figure is None:
        return None
    if figure.people is None:
        return DispatchSummary(as_of=None, basis=UNKNOWN, total=Counts.unknown(), source=disaster.source)
    total = Counts.unknown()
    total.people = figure.people
    return DispatchSummary(as_of=figure.as_of, basis=PUBLISHED, total=total, source=disaster.source)


def dispatch_summary(disaster: Disaster, day: dt.date) -> DispatchSummary:
    """What the public pages and the API show: computed from the records once the secretariat has
    marked them complete for the disaster (or where no source spoke of its dispatch), else the
    published head count with its date (if given) and source, or unknown."""
    return _published(disaster) or dispatch_counts(disaster, day)


def people_as_of(disasters, day: dt.date) -> dict[int, int | None]:
    """The people dispatched to each disaster as of a day, as dispatch_summary says it (the
    published head count, or the confirmed records), for many disasters in one counting query
    (their figures prefetched)."""
    disasters = list(disasters)
    published = {d.pk: _published(d) for d in disasters}
    counted = {d.pk: Counts() for d in disasters if published[d.pk] is None}
    rows = (Dispatch.objects.counted().confirmed().filter(disaster__in=list(counted))
            .values_list("disaster_id", "persons", "first_day", "last_day"))
    for disaster_id, persons, first, last in rows:
        counted[disaster_id].add(persons, first, last, day)
    return {pk: (summary.total.people if summary else counted[pk].people) for pk, summary in published.items()}


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


def request_balance(request: SupportRequest) -> Balance:
    """Asked, pledged (the wards' yes answers to the enquiries about it), sent and received."""
    return balances([request])[request.pk]


def balances(requests) -> dict[int, Balance]:
    """Each request's balance — asked, pledged (the wards' yes answers to the enquiries about it),
    sent and received — for many requests in three queries at most (two for one request)."""
    requests = list(requests)
    ids = [r.pk for r in requests]
    kinds = {r.kind for r in requests}
    pledged = dict(EnquiryAnswer.objects.filter(enquiry__request__in=ids, answer=EnquiryAnswer.Answer.YES)
                   .values_list("enquiry__request").annotate(n=Sum("quantity")).values_list("enquiry__request", "n"))
    staff = dict(Dispatch.objects.filter(request__in=ids).counted().values_list("request")
                 .annotate(n=Sum("persons")).values_list("request", "n")) if SupportRequest.Kind.STAFF in kinds else {}
    goods = {row["request"]: row for row in Supply.objects.filter(request__in=ids).values("request").annotate(
        sent=Sum("quantity", filter=~Q(status=Supply.Status.OFFERED)),
        received=Sum("quantity", filter=Q(status=Supply.Status.RECEIVED)))} if SupportRequest.Kind.SUPPLIES in kinds else {}
    result = {}
    for r in requests:
        if r.kind == SupportRequest.Kind.STAFF:
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
    for ward, disaster, people in (Dispatch.objects.public()
                                   .filter(disaster__in=[d.pk for d in disasters], first_day__lte=day)
                                   .values_list("ward", "disaster").annotate(n=Sum("persons"))
                                   .values_list("ward", "disaster", "n")):
        cells[(ward, disaster)] = people
    wards = list(LocalGovernment.objects.special_wards().order_by("code"))
    return wards, disasters, dict(cells)


def supplies_by_item(disaster: Disaster) -> list[tuple[str, str, int, int]]:
    """Supplies sent (発送 or 到着確認) and confirmed by the secretariat, by item and unit: (item,
    unit, sent, received). What the public pages, 災害モード and the 第N報 show."""
    rows = (Supply.objects.filter(disaster=disaster, confirmed_at__isnull=False).exclude(status=Supply.Status.OFFERED)
            .values("item", "unit").annotate(sent=Sum("quantity"),
                                             received=Sum("quantity", filter=Q(status=Supply.Status.RECEIVED)))
            .order_by("item", "unit"))
    return [(r["item"], r["unit"], r["sent"], r["received"] or 0) for r in rows]


def with_balances(requests) -> list[SupportRequest]:
    """The requests, each with its `balance`."""
    requests = list(requests)
    found = balances(requests)
    for request in requests:
        request.balance = found[request.pk]
    return requests


COLUMNS = ("予定", "派遣中", "派遣済", "計")


def persons_by_column(disaster: Disaster, day: dt.date) -> tuple[dict, dict, dict]:
    """Persons of the disaster's dispatches (every one not cancelled, confirmed or not), by job,
    by ward and by fiscal year of the first day (年度, in order), in the columns of COLUMNS as of a
    day: 予定 (the first day after it), 派遣中 (between its first and last day), 派遣済 (after the
    last), 計."""
    by_role, by_ward, by_year = {}, {}, {}
    rows = dispatches(disaster, confirmed_only=False).order_by("first_day").values_list(
        "persons", "first_day", "last_day", "role__name", "ward__name")
    for persons, first, last, role, ward in rows:
        column = 0 if first > day else (1 if last is None or last >= day else 2)
        for groups, key in ((by_role, role), (by_ward, ward), (by_year, fiscal_year_label(fiscal_year_of(first)))):
            row = groups.setdefault(key, [0, 0, 0, 0])
            row[column] += persons
            row[3] += persons
    return by_role, by_ward, by_year


def recipients(disaster: Disaster):
    """The recipients of the disaster's funds, fund by fund, in the order they were recorded."""
    return (FundRecipient.objects.filter(contribution__disaster=disaster)
            .select_related("contribution", "local_government__prefecture", "association")
            .order_by("contribution_id", "position"))


def funds(disaster: Disaster):
    """The disaster's funds with their recipients (two queries)."""
    return disaster.funds.order_by("id").prefetch_related(Prefetch("recipients", queryset=FundRecipient.objects
                                                                   .select_related("local_government__prefecture",
                                                                                   "association")))


def supplies_by_status(disaster: Disaster) -> list[tuple[str, str, int, int, int]]:
    """Supplies by item and unit as (item, unit, offered, shipped, received)."""
    items = {}
    for row in (Supply.objects.filter(disaster=disaster).values("item", "unit", "status").annotate(n=Sum("quantity"))
                .order_by("item", "unit")):
        counts = items.setdefault((row["item"], row["unit"]), dict.fromkeys(Supply.Status.values, 0))
        counts[row["status"]] += row["n"]
    return [(item, unit, c["offered"], c["shipped"], c["received"]) for (item, unit), c in items.items()]


@dataclass
class WardWork:
    """What a ward has to do for the disasters the HQ is working on."""

    enquiries: list  # open enquiries, each with `mine`: the ward's answer (a list of 0 or 1)
    dispatches: list
    supplies: list
    shares: list  # the ward's shares of the joint funds (WardShare, with the fund and its recipients)


def ward_work(ward: LocalGovernment, active) -> WardWork:
    return WardWork(
        enquiries=list(Enquiry.objects.filter(disaster__in=active, closed_at__isnull=True)
                       .select_related("disaster", "request__role")
                       .prefetch_related(Prefetch("answers", queryset=EnquiryAnswer.objects.filter(ward=ward),
                                                  to_attr="mine")).order_by("deadline")),
        dispatches=list(Dispatch.objects.filter(ward=ward, disaster__in=active).select_related(
            "disaster", "role", "destination__prefecture").order_by("-first_day")),
        supplies=list(Supply.objects.filter(ward=ward, disaster__in=active).select_related(
            "disaster", "recipient__prefecture").order_by("-updated_at")),
        shares=list(WardShare.objects.filter(ward=ward, contribution__disaster__in=active)
                    .select_related("contribution__disaster")
                    .prefetch_related("contribution__recipients__local_government__prefecture",
                                      "contribution__recipients__association")
                    .order_by("contribution__disaster_id", "contribution_id")),
    )


def member_work(lg: LocalGovernment, active) -> tuple[list, list]:
    """For an affected member: the active disasters that struck it, and its requests with their balances."""
    affecting = [d for d in active.prefetch_related("affected") if lg in d.affected.all()]
    requests = with_balances(SupportRequest.objects.filter(requester=lg, disaster__in=active)
                             .select_related("disaster", "role"))
    return affecting, requests


def hq(disaster: Disaster, today: dt.date) -> dict:
    """Every piece of the coordination the HQ page shows: requests with their balances, the wards
    without a disaster contact, decisions, enquiries with their answer counts, counterparts,
    dispatches (the ward's entries waiting first), supplies, funds, the counts and the history."""
    wards = (LocalGovernment.objects.special_wards().order_by("code")
             .annotate(contacts=Count("staff", filter=Q(staff__is_active=True, staff__is_disaster_contact=True))))
    return {
        "requests": with_balances(disaster.requests.select_related("role", "requester__prefecture")),
        "wards_without_contact": [w for w in wards if not w.contacts],
        "decisions": disaster.decisions.select_related("corrects"),
        "enquiries": disaster.enquiries.annotate(answered=Count("answers")).order_by("-sent_at"),
        "open_enquiry": (latest := disaster.enquiries.filter(closed_at__isnull=True).order_by("-sent_at").first()),
        "open_matrix": answer_matrix(latest) if latest else [],
        "counterparts": disaster.counterparts.select_related("municipality__prefecture").prefetch_related("wards"),
        "counts": dispatch_counts(disaster, today, confirmed_only=False),
        "summary": dispatch_summary(disaster, today),
        "dispatches": disaster.dispatches.select_related("ward", "role", "destination__prefecture").order_by(
            WAITING_FIRST, "-first_day", "ward_id"),
        "supplies": disaster.supply_records.select_related("ward", "recipient__prefecture").order_by(
            WAITING_FIRST, "status", "ward_id"),
        "funds": funds(disaster).prefetch_related(Prefetch("shares", queryset=WardShare.objects
                                                           .select_related("ward").order_by("ward_id"))),
        "history": disaster.state_changes.select_related("by"),
    }


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

    for figure in DispatchFigure.objects.filter(destinations=lg, disaster__is_drill=False).select_related("disaster"):
        if not figure.disaster.dispatch_records_complete and figure.people:
            received = row(figure.disaster)
            received.people, received.published = figure.people, True
    for dispatch in Dispatch.objects.public().filter(destination=lg).select_related("disaster"):
        received = row(dispatch.disaster)
        if not received.published:
            received.people = (received.people or 0) + dispatch.persons
    for recipient in (FundRecipient.objects.filter(local_government=lg, contribution__disaster__is_drill=False)
                      .select_related("contribution__disaster")):
        row(recipient.contribution.disaster).funds.append(
            (recipient.contribution.get_kind_display(), recipient.amount_yen))
    return sorted(found.values(), key=lambda r: r.disaster.started_on, reverse=True)


def answering(disaster: Disaster, request_pk) -> SupportRequest | None:
    """The request of this disaster a form starts from (`?request=<pk>`), if it names one."""
    if not str(request_pk or "").isdigit():
        return None
    return (SupportRequest.objects.select_related("role", "requester__prefecture")
            .filter(disaster=disaster, pk=int(request_pk)).first())


def enquiry_from(request: SupportRequest) -> dict:
    """An enquiry's first words for a request: what is asked, for whom, when; the HQ edits them."""
    who = request.requester.full_name if request.requester else request.requester_name
    days = (f"（{request.starts_on:%-m/%-d}〜{request.ends_on:%-m/%-d}）" if request.starts_on and request.ends_on
            else f"（{request.starts_on:%-m/%-d}から）" if request.starts_on else "")
    task = f"、{request.task}" if request.task else ""
    return {"request": request.pk,
            "question": f"{who}から{request.what}{request.quantity}{request.unit_label}の要請{days}{task}。"
                        "対応できる区は、人数・数量と開始日、担当者の連絡先を回答してください。"}


def dispatch_from(request: SupportRequest) -> dict:
    """A dispatch form started from the request it answers: where, which job, what, which days."""
    initial = {"request": request.pk, "task": request.task, "first_day": request.starts_on, "last_day": request.ends_on}
    if request.requester is not None:
        initial["destination"] = request.requester.full_name
    if request.role_id:
        initial["role"] = request.role_id
    if request.quantity and request.kind == request.Kind.STAFF:
        initial["persons"] = request.quantity
    return initial
