import datetime as dt

from django.utils import translation

from renkei.core.templatetags.renkei import date_range, fiscal_year, wareki, yen


def test_date_range_drops_the_shared_era_year_and_month():
    with translation.override("ja"):
        assert date_range(dt.date(2016, 4, 14), dt.date(2016, 4, 16), False) == "平成28年4月14日～16日"
        assert date_range(dt.date(2016, 4, 14), dt.date(2017, 4, 16), False) == "平成28年4月14日～平成29年4月16日"
        assert date_range(dt.date(2019, 1, 8), dt.date(2019, 2, 14)) == "平成31年1月8日(火)～2月14日(木)"
        assert date_range(dt.date(2019, 1, 11), dt.date(2019, 1, 11)) == "平成31年1月11日(金)"
        across_eras = date_range(dt.date(2019, 4, 30), dt.date(2019, 5, 1), False)
        assert across_eras == "平成31年4月30日～令和元年5月1日"


def test_english_shows_western_dates():
    with translation.override("en"):
        assert wareki(dt.date(2019, 1, 11)) == "Jan. 11, 2019"
        assert fiscal_year(2018) == "FY2018"


def test_yen_as_newspapers_print_it():
    assert yen(55_000_000) == "5,500万円"
    assert yen(1_000_000_000) == "10億円"
    assert yen(120_000_000) == "1億2,000万円"
    assert yen(0) == "0円"
    assert yen(None) == ""
