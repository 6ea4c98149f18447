"""和暦 (Japanese era dates) and 年度 (fiscal years, April to March).

A small table of the modern eras is all renkei needs; tests hold it against japanera.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Era:
    name: str
    english: str
    since: dt.date
    first_year: int  # the western year of 元年



# Newest first. 明治 (元年 = 1868) is covered from the adoption of the Gregorian calendar
# (明治6年1月1日): earlier dates in the lunisolar calendar are outside what renkei records.
ERAS = (
    Era("令和", "Reiwa", dt.date(2019, 5, 1), 2019),
    Era("平成", "Heisei", dt.date(1989, 1, 8), 1989),
    Era("昭和", "Showa", dt.date(1926, 12, 25), 1926),
    Era("大正", "Taisho", dt.date(1912, 7, 30), 1912),
    Era("明治", "Meiji", dt.date(1873, 1, 1), 1868),
)
EARLIEST = ERAS[-1].since
WEEKDAYS = "月火水木金土日"


def era_of(day: dt.date) -> tuple[Era, int]:
    """The era in force on a day and the year of that era (1 = 元年)."""
    for era in ERAS:
        if day >= era.since:
            return era, day.year - era.first_year + 1
    raise ValueError(f"{day.isoformat()} is before {EARLIEST.isoformat()}")


def era_year_label(era: Era, year: int) -> str:
    return f"{era.name}{'元' if year == 1 else year}年"


def wareki(day: dt.date, *, weekday: bool = False) -> str:
    """平成31年1月11日, or 平成31年1月11日(金) with weekday."""
    era, year = era_of(day)
    text = f"{era_year_label(era, year)}{day.month}月{day.day}日"
    if weekday:
        text += f"({WEEKDAYS[day.weekday()]})"
    return text


def wareki_month(day: dt.date) -> str:
    """平成30年7月: for events known only to the month."""
    era, year = era_of(day)
    return f"{era_year_label(era, year)}{day.month}月"


def parse_iso_date(text: str) -> dt.date | None:
    """2018-10-01 → a date; None for anything malformed or impossible (2018-02-30)."""
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def fiscal_year_of(day: dt.date) -> int:
    """The fiscal year (年度) a day falls in, named by the western year in which it begins."""
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_bounds(fiscal_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(fiscal_year, 4, 1), dt.date(fiscal_year + 1, 3, 31)


def fiscal_year_label(fiscal_year: int) -> str:
    """平成30年度 for 2018; 令和元年度 for 2019.

    The era is the one in force at the end of the calendar year in which the fiscal year
    begins, as the government counts it (FY2019 is 令和元年度, FY1988 is 昭和63年度).
    """
    era, year = era_of(dt.date(fiscal_year, 12, 31))
    return f"{era.name}{'元' if year == 1 else year}年度"


def fiscal_year_western_label(fiscal_year: int) -> str:
    return f"{fiscal_year}年度"
