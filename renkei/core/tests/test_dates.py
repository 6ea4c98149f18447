import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from japanera import EraDate

from renkei.core import dates


@pytest.mark.parametrize("day,expected", [
    (dt.date(2019, 1, 11), "平成31年1月11日"),
    (dt.date(2019, 4, 30), "平成31年4月30日"),
    (dt.date(2019, 5, 1), "令和元年5月1日"),
    (dt.date(2020, 1, 1), "令和2年1月1日"),
    (dt.date(1989, 1, 7), "昭和64年1月7日"),
    (dt.date(1989, 1, 8), "平成元年1月8日"),
    (dt.date(1926, 12, 24), "大正15年12月24日"),
    (dt.date(1926, 12, 25), "昭和元年12月25日"),
    (dt.date(1912, 7, 30), "大正元年7月30日"),
    (dt.date(1912, 7, 29), "明治45年7月29日"),
    (dt.date(1873, 1, 1), "明治6年1月1日"),
])
def test_wareki_at_era_boundaries(day, expected):
    assert dates.wareki(day) == expected


def test_wareki_with_weekday():
    assert dates.wareki(dt.date(2019, 1, 11), weekday=True) == "平成31年1月11日(金)"
    assert dates.wareki(dt.date(2018, 9, 8), weekday=True) == "平成30年9月8日(土)"


def test_wareki_month():
    assert dates.wareki_month(dt.date(2018, 7, 1)) == "平成30年7月"


def test_dates_before_the_gregorian_calendar_are_refused():
    with pytest.raises(ValueError):
        dates.era_of(dt.date(1872, 12, 31))


@pytest.mark.parametrize("day,fiscal_year", [
    (dt.date(2018, 4, 1), 2018), (dt.date(2019, 3, 31), 2018), (dt.date(2019, 1, 11), 2018),
    (dt.date(2019, 4, 1), 2019), (dt.date(2018, 3, 31), 2017),
])
def test_fiscal_year_runs_april_to_march(day, fiscal_year):
    assert dates.fiscal_year_of(day) == fiscal_year
    start, end = dates.fiscal_year_bounds(fiscal_year)
    assert start <= day <= end


@pytest.mark.parametrize("fiscal_year,label", [
    (2015, "平成27年度"), (2018, "平成30年度"), (2019, "令和元年度"), (2020, "令和2年度"),
    (1988, "昭和63年度"), (1989, "平成元年度"),
])
def test_fiscal_year_labels(fiscal_year, label):
    assert dates.fiscal_year_label(fiscal_year) == label
    assert dates.fiscal_year_western_label(fiscal_year) == f"{fiscal_year}年度"


boundaries = st.sampled_from([era.since for era in dates.ERAS[:-1]]).flatmap(
    lambda since: st.integers(-3, 3).map(lambda offset: since + dt.timedelta(days=offset))
)


@given(st.one_of(st.dates(min_value=dt.date(1873, 1, 1), max_value=dt.date(2200, 12, 31)), boundaries))
def test_era_agrees_with_japanera(day):
    era, year = dates.era_of(day)
    reference = EraDate.from_date(day)
    assert era.name == reference.strftime("%-K")
    assert str(year) == reference.strftime("%-Y")
    assert dates.wareki(day).startswith(f"{era.name}{'元' if year == 1 else year}年")


@given(st.dates(min_value=dt.date(1873, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_fiscal_year_contains_its_days(day):
    start, end = dates.fiscal_year_bounds(dates.fiscal_year_of(day))
    assert start <= day <= end
    assert (end - start).days in (364, 365)


def test_a_date_that_cannot_be_read_is_explained_in_the_page_s_language():
    from django.utils import translation

    from renkei.core.dates import parse_date
    from renkei.core.text import ParseError

    with translation.override("en"), pytest.raises(ParseError, match="There is no such day as 2019年2月30日"):
        parse_date("2019-02-30")
    with translation.override("en"), pytest.raises(ParseError, match="Cannot read the date"):
        parse_date("あした")
    with translation.override("ja"), pytest.raises(ParseError, match="2019年2月30日は存在しない日付です"):
        parse_date("2019-02-30")
