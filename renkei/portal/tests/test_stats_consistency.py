"""数字で見る never shows two different figures for one date, and says what each number counts."""

import datetime as dt
import re

import pytest
import time_machine

from renkei.statistics.models import Metric, RecordCoverage, StatisticsYear
from renkei.testing import text

pytestmark = pytest.mark.django_db


def as_of_rows(page: str) -> dict[str, tuple[str, str]]:
    table = page[page.index('id="as-of-caption"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td[^>]*>(.*?)</td>\s*<td[^>]*>(.*?)</td>', table, re.S)
    clean = lambda html: re.sub(r"<[^>]+>", "", html).strip()  # noqa: E731
    return {clean(label): (clean(value), clean(basis)) for label, value, basis in rows}


def test_a_day_shows_figures_of_that_day_each_labelled_with_its_period(client):
    """平成30年10月1日: 平成30年度's printed figures are of a day not printed (and the year had
    not ended), so the latest ended year's are shown, saying which; the agreements are counted
    for the day; a 合計 of the two kinds is not made up."""
    page = client.get("/stats/", {"as_of": "2018-10-01"}).content.decode()
    rows = as_of_rows(page)
    assert rows["各区の交流自治体"] == ("675", "平成29年度の公表値（時点不明）")
    assert rows["全国連携ホームページ会員登録自治体"] == ("237", "平成29年度の公表値（時点不明）")
    assert rows["広域連携協定締結自治体"] == ("321", "登録された記録から集計")
    assert rows["合計"] == ("不明", "3区分の数の時点が揃わないため、合計は出せません")
    assert "基準日 10月1日" not in text(client.get("/stats/"))


def test_a_date_before_any_record_or_figure_says_so_instead_of_a_bare_number(client):
    rows = as_of_rows(client.get("/stats/", {"as_of": "2014-06-01"}).content.decode())
    assert rows["広域連携協定締結自治体"] == ("不明", "記録が揃うのは平成26年9月1日からのため、この日の数はありません")
    assert rows["各区の交流自治体"] == ("不明", "記録の登録を進めているところで、この日の数はまだありません")


def test_once_the_records_are_complete_the_figure_is_counted(client):
    RecordCoverage.objects.create(metric=Metric.EXCHANGE, complete_from=dt.date(2018, 4, 1))
    rows = as_of_rows(client.get("/stats/", {"as_of": "2018-10-01"}).content.decode())
    assert rows["各区の交流自治体"] == ("0", "登録された記録から集計")  # no relation recorded in the seed: a count of 0


@time_machine.travel(dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC), tick=False)
def test_the_map_is_titled_for_what_it_counts(client):
    page = text(client.get("/stats/"))  # the last year has no 基準日: the map is of today
    assert "広域連携協定締結自治体の分布（令和8年12月4日時点）" in page
    assert "各区の交流自治体・全国連携ホームページ会員登録自治体は、この日の記録がまだ揃っていないため含めていません" in page
    assert "連携自治体の分布" not in page


def test_with_every_record_complete_the_map_counts_the_union(client):
    for metric in (Metric.EXCHANGE, Metric.MEMBER):
        RecordCoverage.objects.create(metric=metric, complete_from=dt.date(2014, 9, 1))
    StatisticsYear.objects.filter(fiscal_year=2018).update(reference_date=dt.date(2018, 10, 1))
    page = text(client.get("/stats/"))
    assert "連携自治体の分布（平成30年10月1日時点）" in page
    assert "いずれかで連携している自治体" in page


def test_the_relations_list_explains_its_count_beside_the_published_figure(client):
    page = text(client.get("/relations/"))
    assert "交流の一覧（0件）" in page
    assert "694" in page and "公表値" in page
