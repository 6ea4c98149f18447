import pytest

from renkei.testing import get_within

pytestmark = pytest.mark.django_db


def test_index_lists_47_prefectures_with_counts(client):
    response = get_within(client, "/local-governments/", queries=3, contains="北海道")
    page = response.content.decode()
    assert page.count('href="/local-governments/prefectures/') == 47
    assert "東京都" in page and "62団体" in page


def test_prefecture_page_groups_by_kind(client):
    response = get_within(client, "/local-governments/prefectures/13/", queries=3, contains="東京都")
    page = response.content.decode()
    assert "特別区" in page and "千代田区" in page and "八王子市" in page
    assert 'href="/local-governments/131016/"' in page


def test_detail_page_shows_code_kana_and_covering_agreements(client):
    page = client.get("/local-governments/015814/").content.decode()
    assert "厚真町" in page and "あつまちょう" in page and "015814" in page
    assert "北海道町村会" in page and "平成28年4月26日" in page


@pytest.mark.parametrize("url", ["/local-governments/１３１０１６/", "/join/apply/１３１０１６/",
                                 "/local-governments/prefectures/１３/", "/events/prefectures/１３.ics"])
def test_a_full_width_code_in_an_address_is_read_as_typed(client, url):
    # Copied from a document written with an IME: not a wrong check digit, the same place.
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:300]
    assert "検査数字" not in response.content.decode()


def test_prefecture_detail(client):
    assert "北海道" in client.get("/local-governments/010006/").content.decode()


@pytest.mark.parametrize("url,fragment", [
    ("/local-governments/131017/", "検査数字"),
    ("/local-governments/abc/", "6桁"),
    ("/local-governments/123455/", "ありません"),
    ("/local-governments/prefectures/48/", "01〜47"),
    ("/local-governments/prefectures/x/", "01〜47"),
])
def test_bad_codes_are_404_with_a_japanese_message(client, url, fragment):
    response = client.get(url)
    assert response.status_code == 404
    assert fragment in response.content.decode()


def test_a_pr_pages_update_day_is_japans(client, world):
    """Saved at 01:00 on the 5th in Japan (16:00 on the 4th in UTC): 更新日 is the 5th."""
    import datetime as dt

    import time_machine

    from renkei.membership.models import Member
    from renkei.portal.models import Profile

    Member.objects.get_or_create(local_government_id="015814")
    with time_machine.travel(dt.datetime(2026, 12, 4, 16, 0, tzinfo=dt.UTC), tick=False):
        Profile.objects.update_or_create(local_government_id="015814", defaults={"catchphrase": "厚真町へようこそ"})
    page = client.get("/local-governments/015814/").content.decode()
    assert "令和8年12月5日" in page and 'datetime="2026-12-05"' in page
