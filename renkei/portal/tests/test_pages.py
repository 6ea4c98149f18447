import pytest

from renkei.portal.models import Event, NewsItem
from renkei.testing import get_within, text

pytestmark = pytest.mark.django_db



def test_home_says_what_the_project_is_and_shows_records(client):
    response = client.get("/")
    assert response.status_code == 200
    page = text(response)
    assert "特別区全国連携プロジェクト" in page
    assert "平成31年1月11日(金)" in page  # the lecture, in 和暦
    assert "平成31年1月8日(火)～2月14日(木)" in page
    assert "984" in page and "平成30年度" in page
    assert "会員登録" in page and "無料" in page
    assert '<html lang="ja">' in page


def test_home_query_count_is_constant(client):
    # the content version, upcoming (then past) events, news, disasters, and the latest year's figures
    # and members' PR pages with their photos
    get_within(client, "/", queries=13, contains="984")


def test_events_list_and_detail(client):
    assert "青森の魅力発信！" not in text(client.get("/events/"))  # upcoming by default; it is past
    page = text(client.get("/events/?when=past"))
    assert "青森の魅力発信！" in page
    event = Event.objects.get(title="青森の魅力発信！")
    detail = text(client.get(event.get_absolute_url()))
    assert "平成31年1月8日(火)～2月14日(木)" in detail
    assert "青森県市長会" in detail and "平成30年度" in detail


def test_news_list_and_detail(client):
    item = NewsItem.objects.get(title="第一生命と包括連携協定締結")
    assert item.title in text(client.get("/news/"))
    assert "平成30年8月23日" in text(client.get(item.get_absolute_url()))


def test_agreements_page_lists_eleven_and_the_computed_total(client):
    from django.contrib.contenttypes.models import ContentType

    from renkei.registry.models import WideAreaAgreement

    ContentType.objects.get_for_model(WideAreaAgreement)  # kept for the process's life, as in a server
    # one of them reads the content version that keys the page cache, one the disasters for the banner
    response = get_within(client, "/agreements/", queries=8, contains="協定締結団体一覧")
    page = text(response)
    assert page.count("<th scope=\"row\"><a href=") == 11
    assert "平成28年4月26日" in page and "平成30年5月1日" in page
    assert '<td class="num" data-label="構成自治体数">321</td>' in page
    # Each association's count as printed, computed from the reference data, not typed.
    for count in (144, 26, 40, 17, 9, 27, 35, 23):
        assert f'data-label="構成自治体数">{count}</td>' in page
    assert "掲載値" not in page  # every computed count equals the printed one
    assert "京都市市長会" in page  # the printed name is shown beside the correction
    assert "第一生命保険株式会社" in page and "健康増進に関すること" in page


def test_stats_page_shows_published_figures_with_source(client):
    page = text(client.get("/stats/"))
    for figure in ("574", "641", "675", "694", "149", "261", "210", "236", "321", "660", "984"):
        assert figure in page
    assert "+324" in page and "+120" in page
    assert "平成27年度" in page and "2015年度" in page
    assert "全国連携NEWS vol.1" in page


def test_stats_page_reads_what_decides_the_figures_once(client):
    # the content version, the coverage, the published figures, the agreements and the years once
    # each, one count per fiscal year (4), the prefectures, the map's count and the banner's disasters
    get_within(client, "/stats/", queries=13, contains="数字で見る")


def test_contact_page_names_both_desks_with_their_hours(client):
    response = client.get("/contact/")
    page = text(response)
    assert "03-5210-9747" in page and "03-5210-9910" in page
    assert page.count("受付時間") == 2
    assert "平日 8時30分〜17時15分" in page
    assert 'href="tel:0352109747"' in response.content.decode()
    # The page ends with its form, not with the newsletter's colophon.
    assert "発行者" not in page


def test_the_desks_hours_follow_the_setting_on_pages_and_in_mail(client, settings):
    from renkei.core.emails import render_email

    settings.INQUIRY_HOURS = "平日 9時〜17時"
    assert "受付時間 平日 9時〜17時" in text(client.get("/join/"))
    subject, body, html = render_email("board-moderated", {"user": {"name": "山田"}, "post": None})
    assert "03-5210-9910（受付時間 平日 9時〜17時）" in body


def test_publication_page_lists_the_errata(client):
    page = text(client.get("/sources/zenkoku-renkei-news-vol1/"))
    assert "京都市市長会" in page and "京都府市長会" in page
    assert "平成29年10月21日" in page


@pytest.mark.parametrize("url", ["/news/?page=abc", "/news/?page=0", "/news/?page=99", "/events/?page=x"])
def test_bad_page_numbers_are_404_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "ページ" in text(response)


@pytest.mark.parametrize("url", ["/events/999999/", "/news/999999/", "/disasters/999999/",
                                 "/sources/unknown/"])
def test_unknown_records_are_404(client, url):
    assert client.get(url).status_code == 404


def test_english_is_available(client):
    page = text(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert '<html lang="en">' in page
    assert "Skip to content" in page and "Figures" in page
    assert "Jan. 11, 2019" in page  # western dates in English


def test_stats_in_english_name_fiscal_years_once(client):
    page = text(client.get("/stats/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "FY2018" in page and "2018年度" not in page


@pytest.mark.parametrize("as_of,message", [
    ("1872-12-31", "1873年1月1日から2100年12月31日までの日付"),  # before the Gregorian calendar: was a 500
    ("2018-02-30", "2018年2月30日は存在しない日付です"),
    ("２０１８－１０－０１", None),  # full-width, as typed on a Japanese keyboard
    ("平成30年10月1日", None),
])
def test_the_figures_for_any_date_read_dates_as_people_type_them(client, as_of, message):
    response = client.get("/stats/", {"as_of": as_of})
    if message is None:
        assert response.status_code == 200 and "321" in text(response)
    else:
        assert response.status_code == 400 and message in text(response)


def test_a_municipality_finds_the_application_form_from_the_home_page_by_links_alone(client):
    """The join journey, clicked through as a clerk would: home → 会員登録 → the form's search."""
    import re

    def follow(page: str, label: str) -> str:
        match = re.search(r'<a[^>]+href="([^"]+)"[^>]*>(?:(?!</a>).)*' + re.escape(label), page, re.S)
        assert match, f"no link labelled {label!r}"
        return match.group(1)

    home = text(client.get("/"))
    join = client.get(follow(home, "会員登録"))
    assert join.status_code == 200
    apply = client.get(follow(text(join), "会員登録を申請する"))
    assert apply.status_code == 200 and "団体名またはよみがな" in text(apply)
