import datetime as dt

import pytest

from renkei.membership.models import Member, MembershipEvent
from renkei.municipalities.models import LocalGovernment
from renkei.registry.models import Relation, RelationKind
from renkei.statistics import figures
from renkei.statistics.models import Metric, RecordCoverage, StatisticsYear

pytestmark = pytest.mark.django_db


def row(years, metric):
    return [year.figures[metric].value for year in years]


def with_reference_dates(month=10, day=1):
    StatisticsYear.objects.update(reference_date=None)
    for year in StatisticsYear.objects.all():
        year.reference_date = dt.date(year.fiscal_year, month, day)
        year.save()


def test_vol1s_years_claim_no_day_the_print_never_gave():
    """vol.1 prints 27–30年度 without a 基準日: each year shows what was printed for it, and no
    date is stated (the 「-」 of 27年度's agreements is none, as the print's +321 counts it)."""
    years = figures.table()
    assert [y.fiscal_year for y in years] == [2015, 2016, 2017, 2018]
    assert [y.reference_date for y in years] == [None] * 4
    assert row(years, Metric.AGREEMENT) == [0, 210, 236, 321]
    assert {y.figures[metric].basis for y in years for metric in Metric} == {"published"}
    assert [r["increase"] for r in figures.rows(years)] == [120, 112, 321, 324]


def test_the_agreement_row_comes_from_the_records_on_a_reference_date():
    with_reference_dates()
    years = figures.table()
    assert row(years, Metric.AGREEMENT) == [0, 210, 236, 321]
    assert {y.figures[Metric.AGREEMENT].basis for y in years} == {"computed"}
    # 合計 is the union of the three: a count of 10月1日 and a printed figure of unknown day cannot be added
    assert {(y.figures[Metric.TOTAL].value, y.figures[Metric.TOTAL].basis) for y in years} == {(None, "not_combined")}
    assert [r["increase"] for r in figures.rows(years)][-1] is None


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
    assert row(figures.table(), Metric.EXCHANGE) == [574, 641, 675, 694]  # no 基準日: nothing to count on
    with_reference_dates()
    years = figures.table()
    assert row(years, Metric.EXCHANGE) == [2, 2, 1, 1]
    assert years[0].figures[Metric.EXCHANGE].basis == "computed"
    assert years[0].figures[Metric.MEMBER].basis == "published"  # members are not yet complete
    assert years[0].figures[Metric.TOTAL].value is None


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
    with_reference_dates()
    # coverage, published figures, agreements, years, then one count per year (4)
    with django_assert_num_queries(8):
        figures.table()
    StatisticsYear.objects.update(reference_date=None)
    with django_assert_num_queries(4):  # no 基準日: only what was printed, nothing counted
        figures.table()


@pytest.mark.parametrize("day,expected", [
    # 北海道・京都の協定 signed that day: counted; 交流・会員 only printed, 平成27年度 (ended 3月31日)
    (dt.date(2016, 4, 26), {"exchange_municipalities": (574, "published", 2015),
                            "member_municipalities": (149, "published", 2015),
                            "agreement_municipalities": (170, "computed", None),
                            "total": (None, "not_combined", None)}),
    # 平成30年度 was printed on 2019-03-15, before its year ended: known from then, not before
    (dt.date(2019, 3, 14), {"exchange_municipalities": (675, "published", 2017),
                            "member_municipalities": (237, "published", 2017),
                            "agreement_municipalities": (321, "computed", None),
                            "total": (None, "not_combined", None)}),
    (dt.date(2019, 3, 15), {"exchange_municipalities": (694, "published", 2018),
                            "member_municipalities": (261, "published", 2018),
                            "agreement_municipalities": (321, "computed", None),
                            "total": (None, "not_combined", None)}),
    # before any printed year had ended: unknown, not a later year's figure
    (dt.date(2015, 6, 1), {"exchange_municipalities": (None, "not_recorded", None),
                           "member_municipalities": (None, "not_recorded", None),
                           "agreement_municipalities": (0, "computed", None),
                           "total": (None, "not_recorded", None)}),
])
def test_figures_for_a_day_are_figures_of_that_day(day, expected):
    found = figures.figures_on(day)
    assert {metric: (figure.value, figure.basis, figure.fiscal_year if figure.basis == "published" else None)
            for metric, figure in found.items()} == expected


def test_a_total_printed_with_its_parts_stands_when_all_three_are_printed_for_one_year():
    RecordCoverage.objects.all().delete()
    found = figures.figures_on(dt.date(2017, 6, 1))
    assert {metric: (figure.value, figure.fiscal_year) for metric, figure in found.items()} == {
        "exchange_municipalities": (641, 2016), "member_municipalities": (197, 2016),
        "agreement_municipalities": (210, 2016), "total": (878, 2016)}


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
    assert figures.table()[0].reference_date is None
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
