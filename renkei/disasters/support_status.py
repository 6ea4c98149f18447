"""支援の状況: the secretariat's account of a disaster as of a day — staff by job and by ward
(予定, 派遣中, 派遣済, 計, by the dispatches' dates against the day), funds by recipient,
supplies by item — shown as a printable page and written as XLSX. Read by the selectors."""

import datetime as dt
from dataclasses import dataclass, field

from renkei.core import spreadsheets
from renkei.core.dates import wareki
from renkei.disasters import selectors
from renkei.disasters.models import Disaster

XLSX = spreadsheets.MEDIA_TYPE
COLUMNS = selectors.COLUMNS


@dataclass
class Status:
    day: dt.date
    by_role: dict = field(default_factory=dict)  # 職種 → [予定, 派遣中, 派遣済, 計] persons
    by_ward: dict = field(default_factory=dict)
    by_fiscal_year: dict = field(default_factory=dict)  # 令和8年度 → the same columns, by the first day
    funds: list = field(default_factory=list)  # (種別, 提供先, 金額, 支払の状況)
    supplies: list = field(default_factory=list)  # (品目, 単位, 申出, 発送, 到着確認)


def build(disaster: Disaster, day: dt.date) -> Status:
    by_role, by_ward, by_year = selectors.persons_by_column(disaster, day)
    return Status(day=day, by_role=by_role, by_ward=by_ward, by_fiscal_year=by_year,
                  funds=[(r.contribution.get_kind_display(), r.name, r.amount_yen, r.get_payment_display())
                         for r in selectors.recipients(disaster)],
                  supplies=selectors.supplies_by_status(disaster))


def xlsx(status: Status) -> bytes:
    """The five tables as sheets; a ward's text (a supply's item) stays text, never a formula."""
    def counts(title, groups):
        return [[f"{wareki(status.day)}時点"], [title, *COLUMNS], *([key, *values] for key, values in groups.items()),
                ["合計", *[sum(v[i] for v in groups.values()) for i in range(4)]]]

    return spreadsheets.workbook(
        spreadsheets.Sheet("職種別", counts("職種", status.by_role)),
        spreadsheets.Sheet("区別", counts("区", status.by_ward)),
        spreadsheets.Sheet("年度別", counts("年度（派遣開始日）", status.by_fiscal_year)),
        spreadsheets.Sheet("支援金", [["種別", "提供先", "金額（円）", "支払の状況"], *status.funds]),
        spreadsheets.Sheet("物資", [["品目", "単位", "申出", "発送", "到着確認"], *status.supplies]),
    )
