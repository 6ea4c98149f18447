import datetime as dt

import pytest

from renkei.membership.models import Member, MembershipEvent
from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import Relation, RelationKind
from renkei.statistics import figures
from renkei.statistics.models import Metric, RecordCoverage

pytestmark = pytest.mark.django_db


def row(years, metric):
    return [year.figures[metric].value for year in years]


def test_the_agreement_row_comes_from_the_records():
    years = figures.table()
    assert [y.fiscal_year for y in years] == [2015, 2016, 2017, 2018]
    assert row(years, Metric.AGREEMENT) == [0, 210, 236, 321]
    assert {y.figures[Metric.AGREEMENT].basis for y in years} == {"computed"}


def test_incomplete_records_show_the_published_figures_with_their_source():
    years = figures.table()
    assert row(years, Metric.EXCHANGE) == [574, 641, 675, 694]
    assert row(years, Metric.MEMBER) == [149, 197, 237, 261]
    assert row(years, Metric.TOTAL) == [660, 878, 926, 984]
    figure = years[-1].figures[Metric.EXCHANGE]
    assert figure.basis == "published" and figure.source.slug == "zenkoku-renkei-news-vol1"
    assert years[-1].label == "平成30年度"


def make_relation(ward, municipality, start, end=None):
    return Relation.objects.create(ward_id=ward, municipality_id=municipality, started_on=start, ended_on=end,
                                   kind=RelationKind.objects.first())


def test_computed_figures_replace_published_ones_once_records_exist():
    make_relation("131016", "015814", dt.date(2015, 4, 1))  # 千代田区 ↔ 厚真町
    make_relation("131024", "015814", dt.date(2016, 4, 1))  # 中央区 ↔ 厚真町: still one municipality
    make_relation("131016", "012025", dt.date(2015, 4, 1), dt.date(2017, 3, 31))  # 函館市, ended
    RecordCoverage.objects.create(metric=Metric.EXCHANGE, complete_from=dt.date(2014, 9, 1))
    years = figures.table()
    assert row(years, Metric.EXCHANGE) == [2, 2, 1, 1]
    assert years[0].figures[Metric.EXCHANGE].basis == "computed"
    assert years[0].figures[Metric.TOTAL].basis == "published"  # members are not yet complete


def test_figures_as_of_any_date_count_each_municipality_once():
    atsuma = LocalGovernment.objects.get(code="015814")  # a town of 北海道: covered by 北海道町村会
    make_relation("131016", atsuma.code, dt.date(2015, 4, 1))
    member = Member.objects.create(local_government=atsuma, joined_on=dt.date(2016, 1, 1))
    MembershipEvent.objects.create(member=member, kind="approved", on=dt.date(2016, 1, 1))
    hakodate = Member.objects.create(local_government_id="012025", joined_on=dt.date(2016, 1, 1))
    MembershipEvent.objects.create(member=hakodate, kind="approved", on=dt.date(2016, 1, 1))

    counted = figures.figures_as_of(dt.date(2016, 10, 1))
    assert counted == {"exchange_municipalities": 1, "member_municipalities": 2,
                       "agreement_municipalities": 210, "total": 211}
    assert figures.figures_as_of(dt.date(2015, 10, 1)) == {
        "exchange_municipalities": 1, "member_municipalities": 0, "agreement_municipalities": 0, "total": 1}


def test_figures_as_of_a_date_take_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):  # the agreements, then one query counting all four
        figures.figures_as_of(dt.date(2018, 10, 1))


def test_the_table_takes_one_counting_query_per_year(django_assert_num_queries):
    # coverage, published figures, agreements, years, then one count per year (4)
    with django_assert_num_queries(8):
        figures.table()


def test_the_secretariat_sets_a_reference_date_in_the_admin(client):
    from renkei.core.models import AuditEntry
    from renkei.testing import make_secretariat, sign_in

    secretariat = make_secretariat()
    sign_in(client, secretariat)
    response = client.post("/admin/statistics/statisticsyear/2016/change/",
                           {"fiscal_year": 2016, "reference_date": "2016-06-01"})
    assert response.status_code == 302
    assert figures.table()[1].reference_date == dt.date(2016, 6, 1)
    assert figures.table()[1].figures[Metric.AGREEMENT].value == 170  # 北海道 144 + 京都府 26, before 青森
    assert AuditEntry.objects.filter(action="statistics.statisticsyear.changed", actor=secretariat).exists()


def test_an_agreement_ended_or_a_rule_changed_counts_at_once_on_a_day_already_counted():
    """The counting query is compiled once per day and set of agreements in force: a change to
    either must give a new count, not the one remembered."""
    from renkei.registry.models import WideAreaAgreement

    day = dt.date(2018, 10, 1)
    assert figures.figures_as_of(day)["agreement_municipalities"] == 321
    agreement = WideAreaAgreement.objects.select_related("association").filter(
        association__membership_rule="towns_and_villages").first()
    rule = agreement.association
    rule.membership_rule = "cities"
    rule.save()
    changed = figures.figures_as_of(day)["agreement_municipalities"]
    assert changed != 321
    agreement.ended_on = dt.date(2018, 4, 1)
    agreement.save()
    assert figures.figures_as_of(day)["agreement_municipalities"] < changed
