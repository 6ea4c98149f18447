"""和暦 (Japanese era dates) and 年度 (fiscal years, April to March).

A small table of the modern eras is all renkei needs; tests hold it against japanera.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext

from renkei.core.text import ParseError, normalise


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
LATEST = dt.date(2100, 12, 31)  # what anyone plans or records here
ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
ERA_BY_NAME = {era.name: era for era in ERAS}
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


def wareki_time(moment: dt.datetime, *, seconds: bool = False) -> str:
    """令和8年12月2日(水) 14:30 in the site's time zone (with :05 and seconds)."""
    from django.utils import timezone

    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{wareki(moment.date(), weekday=True)} {moment:%H:%M:%S}" if seconds else \
        f"{wareki(moment.date(), weekday=True)} {moment:%H:%M}"


def wareki_month(day: dt.date) -> str:
    """平成30年7月: for events known only to the month."""
    era, year = era_of(day)
    return f"{era_year_label(era, year)}{day.month}月"


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


def fiscal_year_short_label(fiscal_year: int) -> str:
    """H30年度, R1年度: where space is short (a chart on a phone), as offices abbreviate it."""
    era, year = era_of(dt.date(fiscal_year, 12, 31))
    return f"{era.english[0]}{year}年度"


def fiscal_year_western_label(fiscal_year: int) -> str:
    return f"{fiscal_year}年度"


def parse_date(value, *, earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> dt.date | None:
    """A date as Japanese offices write it — 2018-04-01, 2018/4/1, ２０１８／４／１, 平成30年4月1日,
    H30.4.1, 令和元年5月1日 — or an Excel cell; None for an empty value. Raises ParseError with one
    Japanese message: unreadable, a day that does not exist, or outside earliest..latest."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        text = normalise(value).replace(" ", "")
        if not text:
            return None
        day = _parse_date_text(text)
    if not earliest <= day <= latest:
        raise ParseError(gettext("%(day)sは範囲外です。%(first)sから%(last)sまでの日付で入力してください。") % {
            "day": f"{day.year}年{day.month}月{day.day}日", "first": f"{earliest.year}年{earliest.month}月{earliest.day}日",
            "last": f"{latest.year}年{latest.month}月{latest.day}日"})
    return day


def _parse_date_text(text: str) -> dt.date:
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if match:
        return _real_date(*map(int, match.groups()))
    match = re.fullmatch(r"(明治|大正|昭和|平成|令和|[MTSHRmtshr])(元|\d{1,2})[年.\-/](\d{1,2})[月.\-/](\d{1,2})日?", text)
    if match:
        era_text, year_text, month, day = match.groups()
        era = ERA_BY_NAME[ERA_LETTERS.get(era_text.upper(), era_text)]
        era_year = 1 if year_text == "元" else int(year_text)
        result = _real_date(era.first_year + era_year - 1, int(month), int(day), label=f"{era.name}{year_text}年")
        following = [e for e in ERAS if e.since > era.since]
        if result < era.since or (following and result >= min(e.since for e in following)):
            raise ParseError(gettext("%(day)sは%(era)sの期間にない日付です。") % {
                "day": f"{era.name}{year_text}年{month}月{day}日", "era": era.name})
        return result
    raise ParseError(gettext("日付「%(text)s」を読み取れません（例: 2018-04-01、平成30年4月1日）。") % {"text": text[:20]})


def _real_date(year: int, month: int, day: int, label: str = "") -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ParseError(gettext("%(day)sは存在しない日付です。") % {"day": f"{label or f'{year}年'}{month}月{day}日"}) from None


def date_from_query(text: str, *, earliest: dt.date = EARLIEST, latest: dt.date = LATEST) -> tuple[dt.date | None, str]:
    """A date given in a page's address (?as_of=…): the date, or None and the message to show."""
    try:
        return parse_date(text, earliest=earliest, latest=latest), ""
    except ParseError as error:
        return None, str(error)
