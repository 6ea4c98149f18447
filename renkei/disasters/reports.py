"""The secretariat's report on a disaster as of a day: staff by job and by ward (予定, 派遣中,
派遣済, 計 — by the dispatches' dates against the day), funds by recipient, supplies by item.
Built once, shown as a printable page and written as XLSX."""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db.models import Sum

from renkei.core.dates import wareki
from renkei.disasters.models import Disaster, FundRecipient, Supply
from renkei.disasters.selectors import dispatches

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ("予定", "派遣中", "派遣済", "計")


@dataclass
class Report:
    day: dt.date
    by_role: dict = field(default_factory=dict)  # 職種 → [予定, 派遣中, 派遣済, 計] persons
    by_ward: dict = field(default_factory=dict)
    funds: list = field(default_factory=list)  # (種別, 提供先, 金額, 支払の状況)
    supplies: list = field(default_factory=list)  # (品目, 単位, 申出, 発送, 到着確認)


def build(disaster: Disaster, day: dt.date) -> Report:
    report = Report(day=day)
    for persons, first, last, role, ward in dispatches(disaster, confirmed_only=False).values_list(
            "persons", "first_day", "last_day", "role__name", "ward__name"):
        column = 0 if first > day else (1 if last >= day else 2)
        for groups, key in ((report.by_role, role), (report.by_ward, ward)):
            row = groups.setdefault(key, [0, 0, 0, 0])
            row[column] += persons
            row[3] += persons
    for recipient in FundRecipient.objects.filter(contribution__disaster=disaster).select_related(
            "contribution", "local_government__prefecture", "association").order_by("contribution_id", "position"):
        name = recipient.local_government.full_name if recipient.local_government_id else recipient.association.name
        report.funds.append((recipient.contribution.get_kind_display(), name, recipient.amount_yen,
                             recipient.get_payment_display()))
    rows = (Supply.objects.filter(disaster=disaster).values("item", "unit", "status").annotate(n=Sum("quantity"))
            .order_by("item", "unit"))
    items = {}
    for row in rows:
        counts = items.setdefault((row["item"], row["unit"]), {s: 0 for s in Supply.Status.values})
        counts[row["status"]] += row["n"]
    report.supplies = [(item, unit, c["offered"], c["shipped"], c["received"]) for (item, unit), c in items.items()]
    return report


def xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    first.title = "職種別"
    for title, groups, sheet in (("職種", report.by_role, first), ("区", report.by_ward, book.create_sheet("区別"))):
        sheet.append([f"{wareki(report.day)}時点"])
        sheet.append([title, *COLUMNS])
        for key, values in groups.items():
            sheet.append([key, *values])
        sheet.append(["合計", *[sum(v[i] for v in groups.values()) for i in range(4)]])
    funds = book.create_sheet("支援金")
    funds.append(["種別", "提供先", "金額（円）", "支払の状況"])
    for row in report.funds:
        funds.append(list(row))
    supplies = book.create_sheet("物資")
    supplies.append(["品目", "単位", "申出", "発送", "到着確認"])
    for row in report.supplies:
        supplies.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
