"""The public record of the disaster support (災害支援の状況): the list and one page per disaster."""

import pytest

from renkei.disasters.models import Disaster, FundContribution, FundRecipient
from renkei.municipalities.models import LocalGovernment
from renkei.testing import count_queries, get_within, text

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_thirteen_disasters_with_their_support_in_wareki(client):
    # the content version, a count, the disasters, one query for each kind of support and place, the banner
    page = get_within(client, "/disasters/", queries=14, contains="平成28年熊本地震").content.decode()
    assert page.count('<th scope="row"') == 13
    assert "平成28年4月14日～16日" in page
    assert "5,500万円" in page and "10億円" in page
    assert "7,030人" in page and "平成30年4月1日現在" in page
    assert "平成30年7月" in page  # known to the month only
    assert "東京都大島町" in page and "岩手県市長会" in page  # a municipality and an association received funds


def test_the_list_shows_the_corrected_date_beside_the_printed_one(client):
    page = text(client.get("/disasters/"))
    assert "平成29年10月21日" in page and "平成30年10月21日" in page


def test_the_list_runs_the_same_queries_however_many_disasters(client):
    before = count_queries(client, "/disasters/")
    prefecture = LocalGovernment.objects.get(code="130001")
    for n in range(5):
        disaster = Disaster.objects.create(name=f"試験災害{n}", kind="typhoon", started_on="2020-09-01")
        fund = FundContribution.objects.create(disaster=disaster, kind="recovery_fund", amount_yen=1)
        FundRecipient.objects.create(contribution=fund, position=1, local_government=prefecture)
    assert count_queries(client, "/disasters/") == before


def test_a_disaster_page_shows_funds_dispatch_and_destinations(client):
    disaster = Disaster.objects.get(name="平成30年北海道胆振東部地震")
    page = text(client.get(disaster.get_absolute_url()))
    assert "2,000万円" in page and "28人" in page and "北海道厚真町" in page


def test_a_disaster_page_with_an_erratum_says_what_was_printed(client):
    disaster = Disaster.objects.get(name="平成29年台風21号")
    page = text(client.get(disaster.get_absolute_url()))
    assert "平成29年10月21日" in page and "平成30年10月21日" in page and "全国連携NEWS vol.1" in page


def test_an_unknown_disaster_is_not_found(client):
    assert client.get("/disasters/999999/").status_code == 404


def test_english_pages_mark_the_names_as_japanese(client):
    client.cookies["django_language"] = "en"
    page = text(client.get("/disasters/"))
    assert '<html lang="en">' in page and 'lang="ja"><a href="/disasters/' in page


def test_a_post_is_refused(client):
    assert client.post("/disasters/").status_code == 405


def test_english_pages_give_amounts_in_yen_and_units_where_they_belong(client, world):
    """On the English page: ¥55,000,000 rather than 5,500万円, and 「100 箱 arrived」 not 「0 arrived箱」."""
    from renkei.testing import sample_disaster

    quake = sample_disaster()  # 2,000万円 to 厚真町; 飲料水 100箱 shipped
    client.cookies["django_language"] = "en"
    page = client.get(f"/disasters/{quake.pk}/").content.decode()
    assert "¥20,000,000" in page and "2,000万円" not in page
    assert "（0 箱 arrived）" in page
    kumamoto = Disaster.objects.get(name="平成28年熊本地震")
    assert "¥55,000,000" in client.get(f"/disasters/{kumamoto.pk}/").content.decode()
