"""The event list's filters (prefecture, kind, month, list or calendar), read from the query string."""

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from renkei.municipalities.models import LocalGovernment
from renkei.portal.models import Event

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass
class Chosen:
    prefecture: LocalGovernment | None = None
    kind: str = ""
    month: dt.date | None = None  # the first day of the month
    view: str = "list"  # or "calendar"
    when: str = "upcoming"  # or "past"
    texts: dict = field(default_factory=dict)  # what was typed, to show back

    @property
    def prefecture_code(self) -> str:
        return self.prefecture.prefecture_code if self.prefecture else ""


def read(params) -> tuple[Chosen, list[str]]:
    chosen, errors = Chosen(), []
    code = params.get("prefecture", "").strip()
    if code:
        chosen.prefecture = LocalGovernment.objects.prefectures().filter(code__startswith=code[:2]).first() \
            if re.fullmatch(r"\d{2}", code) else None
        if chosen.prefecture is None:
            errors.append(_("都道府県は一覧から選んでください。"))
    kind = params.get("kind", "")
    if kind:
        if kind in Event.Kind.values:
            chosen.kind = kind
        else:
            errors.append(_("種別は一覧から選んでください。"))
    month = params.get("month", "").strip()
    chosen.texts["month"] = month[:10]
    if month:
        found = MONTH.match(month)
        if found and 1 <= int(found[2]) <= 12 and 1900 < int(found[1]) < 2200:
            chosen.month = dt.date(int(found[1]), int(found[2]), 1)
        else:
            errors.append(_("月は 2026-12 のように年-月で指定してください。"))
    chosen.view = "calendar" if params.get("view") == "calendar" else "list"
    chosen.when = "past" if params.get("when") == "past" else "upcoming"
    return chosen, errors


def month_end(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def apply(events, chosen: Chosen):
    if chosen.prefecture:
        events = events.in_prefecture(chosen.prefecture)
    if chosen.kind:
        events = events.filter(kind=chosen.kind)
    if chosen.month:
        events = events.filter(starts_on__lte=month_end(chosen.month), ends_on__gte=chosen.month)
    return events


def ics_url(chosen: Chosen) -> str:
    """The feed for what is filtered (prefecture and kind; months are not a subscription)."""
    params = {k: v for k, v in {"prefecture": chosen.prefecture_code, "kind": chosen.kind}.items() if v}
    return reverse("portal:events_ics") + (f"?{urlencode(params)}" if params else "")
