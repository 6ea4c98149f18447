"""Finding things: the event list's filters and calendar, feeds per filter, the public search."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from renkei.core import grams
from renkei.portal import search
from renkei.portal.models import Event, NewsItem, Status
from renkei.testing import get_within, text

pytestmark = pytest.mark.django_db


def make_event(title, *, starts_on, ends_on=None, kind="fair", participants=(), status=Status.PUBLISHED, **extra):
    event = Event.objects.create(title=title, kind=kind, starts_on=starts_on, ends_on=ends_on or starts_on,
                                 description=f"{title}の説明", status=status,
                                 publish_at=timezone.now() if status == Status.PUBLISHED else None, **extra)
    event.participants.set(participants)
    search.index_event(event)
    return event


def test_past_events_by_prefecture_kind_and_month(client):
    assert "青森の魅力発信！" in text(client.get("/events/?when=past&prefecture=02"))
    assert "青森の魅力発信！" not in text(client.get("/events/?when=past&prefecture=13"))
    assert "青森の魅力発信！" in text(client.get("/events/?when=past&kind=exhibition"))
    assert "青森の魅力発信！" not in text(client.get("/events/?when=past&kind=lecture"))
    page = text(client.get("/events/?when=past&month=2019-02"))  # 1/8–2/14 runs into February
    assert "青森の魅力発信！" in page and "地域活性のカギ" not in page


def test_upcoming_events_include_a_municipality_s_own_fair_under_its_prefecture(client):
    today = timezone.localdate()
    make_event("厚真町フェア in 東京", starts_on=today + dt.timedelta(days=10), participants=["015814"],
               starts_at_time=dt.time(10), venue="東京区政会館")
    make_event("下書きのフェア", starts_on=today + dt.timedelta(days=10), status=Status.DRAFT)
    page = text(client.get("/events/?prefecture=01"))
    assert "厚真町フェア in 東京" in page and "下書きのフェア" not in page and "東京区政会館" in page
    assert "厚真町フェア in 東京" not in text(client.get("/events/?prefecture=02"))


@pytest.mark.parametrize("query,message", [
    ("month=2026-13", "年-月で指定"), ("month=abc", "年-月で指定"), ("prefecture=99", "都道府県は一覧から"),
    ("kind=party", "種別は一覧から"),
])
def test_bad_filters_get_a_message(client, query, message):
    response = client.get(f"/events/?{query}")
    assert response.status_code == 400 and message in text(response)


def test_the_calendar_shows_a_month_with_its_events(client):
    page = text(client.get("/events/?view=calendar&month=2019-01"))
    assert "平成31年1月" in page
    aomori = Event.objects.get(title="青森の魅力発信！").get_absolute_url()
    # named on the 8th, then at the start of each later week (13th, 20th, 27th), and in the month's list
    assert page.count(f'href="{aomori}"') == 4 + 1
    assert page.count("（続き）") == 3 and page.count("calendar__busy") == 24
    february = text(client.get("/events/?view=calendar&month=2019-02"))
    assert february.count(f'href="{aomori}"') == 3 + 1  # the 1st (continuing), Sundays the 3rd and 10th; the list
    assert 'rel="next"' in page and "month=2019-02" in page
    # the filters stay when moving month
    page = text(client.get("/events/?view=calendar&month=2019-01&kind=lecture"))
    assert "青森の魅力発信！" not in page and "地域活性のカギ" in page and "kind=lecture" in page


def test_event_lists_run_a_constant_number_of_queries(client):
    today = timezone.localdate()
    for i in range(12):
        make_event(f"フェア{i}", starts_on=today + dt.timedelta(days=i + 1), participants=["015814", "014575"])
    get_within(client, "/events/", queries=8, contains="フェア11")
    get_within(client, "/events/?view=calendar&prefecture=01", queries=8, contains="calendar")
    get_within(client, "/news/", queries=8, contains="第一生命")
    get_within(client, "/search/?q=フェア", queries=8, contains="フェア11")


def test_the_feed_follows_the_filters_and_carries_times_and_place(client):
    today = timezone.localdate()
    make_event("厚真町フェア", starts_on=today + dt.timedelta(days=3), participants=["015814"],
               starts_at_time=dt.time(10, 30), ends_at_time=dt.time(16), venue="東京区政会館")
    make_event("下書き", starts_on=today + dt.timedelta(days=3), status=Status.DRAFT)
    calendar = Calendar.from_ical(client.get("/events.ics?prefecture=01").content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"厚真町フェア", "東京23区から全国の魅力再発見！"}  # the latter with 北海道町村会
    fair = events["厚真町フェア"]
    assert fair.decoded("dtstart").isoformat().endswith("T10:30:00+09:00")
    assert fair.decoded("dtend").hour == 16 and str(fair["location"]) == "東京区政会館"
    everything = Calendar.from_ical(client.get("/events.ics").content)
    assert "下書き" not in {str(e["summary"]) for e in everything.walk("VEVENT")}
    assert client.get("/events.ics?kind=party").status_code == 404


def test_search_finds_one_and_two_characters_exactly(client):
    news = NewsItem.objects.create(title="区の防災訓練", body="都内で実施しました。", status=Status.PUBLISHED,
                                   publish_at=timezone.now())
    search.index_news(news)
    assert "区の防災訓練" in text(client.get("/search/?q=区"))
    assert "区の防災訓練" in text(client.get("/search/?q=防災"))
    assert "区の防災訓練" not in text(client.get("/search/?q=災防"))
    # full-width and half-width forms are the same letters
    news.body = "ＡＢＣ観光ﾂｱｰ"
    news.save()
    search.index_news(news)
    assert "区の防災訓練" in text(client.get("/search/?q=abc観光ツアー"))
    assert "区の防災訓練" in text(client.get("/search/?q=ツ"))
    assert "区の防災訓練" in text(client.get("/search/?q=訓練&kind=news"))
    assert "区の防災訓練" not in text(client.get("/search/?q=訓練&kind=event"))


def test_drafts_and_waiting_events_are_not_found(client):
    make_event("秘密の下書きイベント", starts_on=dt.date(2030, 1, 1), status=Status.DRAFT)
    make_event("承認待ちイベント", starts_on=dt.date(2030, 1, 1), status=Status.SUBMITTED)
    nothing = text(client.get("/search/?q=秘密"))
    assert "見つかりませんでした" in nothing and "件見つかりました" not in nothing and 'class="results"' not in nothing
    assert "承認待ちイベント" not in text(client.get("/search/?q=承認待ち"))


JAPANESE = st.text(alphabet=st.sampled_from("区市町村観光防災交流連携東京北海道青森ｱｲｳカタカナＡＢab 𠮷"), max_size=30)
QUERY = st.text(alphabet="区市観光防災東京ｱアＡab𠮷", min_size=1, max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(JAPANESE, min_size=1, max_size=6), query=QUERY)
def test_search_agrees_with_a_substring_match(db, texts, query):
    NewsItem.objects.filter(title__startswith="生成").delete()
    items = []
    for i, body in enumerate(texts):
        item = NewsItem.objects.create(title=f"生成{i}", body=body, status=Status.PUBLISHED, publish_at=timezone.now())
        search.index_news(item)
        items.append(item)
    expected = {f"生成{i}" for i, body in enumerate(texts)
                if all(t in grams.normalise(f"生成{i}\n{body}") for t in grams.terms(query))}
    found = {d.title for d in search.find(query, kind="news") if d.title.startswith("生成")}
    assert found == expected


def test_an_english_page_marks_japanese_content_as_japanese(client):
    """WCAG 3.1.2 (language of parts): what editors typed stays Japanese on English pages."""
    event = Event.objects.get(title="青森の魅力発信！")
    client.cookies["django_language"] = "en"
    page = text(client.get(event.get_absolute_url()))
    assert '<html lang="en">' in page and '<h1 lang="ja">青森の魅力発信！</h1>' in page
    assert '<div class="prose" lang="ja">' in page
    del client.cookies["django_language"]
    assert '<h1>青森の魅力発信！</h1>' in text(client.get(event.get_absolute_url()))


@pytest.mark.parametrize("url,japanese", [
    ("/local-governments/015814/", "厚真町"), ("/local-governments/prefectures/01/", "北海道"),
    ("/disasters/", "東日本大震災"), ("/agreements/", "北海道町村会"), ("/relations/", "千代田区"),
])
def test_names_on_english_pages_are_marked_japanese(client, url, japanese):
    import re

    client.cookies["django_language"] = "en"
    page = text(client.get(url))
    pieces = re.findall(r'lang="ja"[^>]*>(.*?)</(?:th|td|h1|li|span|ul|a|p|div|dd|option)>', page, flags=re.S)
    marked = re.sub(r"<[^>]+>", "", "".join(pieces))
    assert '<html lang="en">' in page and japanese in marked


@pytest.mark.parametrize("query,expected", [
    ("熊本", "平成28年熊本地震"),  # a disaster page
    ("厚真", "北海道厚真町"),  # a local government (and the disaster that struck it)
    ("あおもり", "青森県青森市"),  # by its reading, in hiragana
    ("ｱｵﾓﾘ", "青森県青森市"),  # half-width katakana, folded
    ("アオモリ", "青森県"),
    ("梼原", "高知県梼原町"),  # as the town writes itself
    ("檮原町", "高知県梼原町"),  # and with the variant character (異体字) older lists use
    ("袖ヶ浦", "千葉県袖ケ浦市"),  # ヶ and ケ, as either is typed: official names use both
    ("鶴ケ島", "埼玉県鶴ヶ島市"),
    ("鯵ヶ沢", "青森県鰺ヶ沢町"),  # 鯵 for 鰺, and ヶ
    ("北海道町村会", "北海道町村会との広域連携協定"),  # an agreement
    ("全国連携NEWS", "全国連携NEWS vol.1"),  # a source
])
def test_site_search_finds_every_kind_of_public_page(client, query, expected):
    page = text(client.get("/search/", {"q": query}))
    assert "件見つかりました" in page and expected in page


def test_documents_indexed_before_a_folding_was_added_are_found_after_the_migration(client, monkeypatch):
    """The index kept 鶴ヶ島市 as written before ヶ/ケ were compared as one: migration core 0011
    (search.refold) folds the kept documents again, and 鶴ケ島 finds it."""
    from renkei.core import grams, search
    from renkei.core.models import SearchDocument

    document = SearchDocument.objects.get(title__contains="鶴ヶ島市")
    before = document.text.replace("鶴ケ島", "鶴ヶ島")  # as the earlier folding kept it
    with monkeypatch.context() as earlier:
        earlier.setattr(grams, "normalise", grams.fold)
        kept = grams.grams(before)
    search._reindex(document, set(document.grams.values_list("gram", flat=True)), kept)
    SearchDocument.objects.filter(pk=document.pk).update(text=before)
    assert "見つかりませんでした" in text(client.get("/search/", {"q": "鶴ケ島"}))
    assert search.refold() == 1 and search.refold() == 0
    assert "埼玉県鶴ヶ島市" in text(client.get("/search/", {"q": "鶴ケ島"}))


def test_a_relation_is_found_and_a_drill_is_not(client, world):
    import datetime as dt

    from renkei.disasters.services import disasters
    from renkei.registry.models import Relation, RelationKind

    Relation.objects.create(ward_id="131016", municipality_id="015814", kind=RelationKind.objects.get(name="交流事業"),
                            started_on=dt.date(2020, 4, 1))
    found = text(client.get("/search/", {"q": "千代田区 交流事業"}))
    assert "北海道厚真町" in found and "<mark>交流事業</mark>" in found
    disasters.save_disaster(actor=world.secretariat, data={
        "name": "訓練用の架空地震", "kind": "earthquake", "started_on": dt.date(2026, 9, 1), "is_drill": True})
    assert "見つかりませんでした" in text(client.get("/search/", {"q": "架空地震"}))


def test_the_calendar_marks_saturdays_sundays_and_holidays(client):
    page = text(client.get("/events/?view=calendar&month=2019-01"))
    assert "元日" in page and "成人の日" in page  # 1 and 14 January 2019 (jpholiday)
    assert page.count("calendar__sunday") == 5 + 2  # the Sundays of the grid's 5 weeks (12/30–2/2), and 2 holidays
    assert page.count("calendar__saturday") == 5


def test_a_result_quotes_prose_but_never_the_index_of_a_place(client):
    """A municipality is found by its reading or code; its result shows its name, not the lookup
    aids (「福島県矢祭町 福島県矢祭町 やまつりまち ヤマツリマチ 町 074829」)."""
    page = client.get("/search/", {"q": "やまつり"}).content.decode()
    assert "福島県矢祭町" in page and "ヤマツリマチ" not in page and 'class="snippet"' not in page
    disaster = client.get("/search/", {"q": "厚真町からの要請"}).content.decode()
    assert 'class="snippet"' in disaster and "<mark>厚真町からの要請</mark>" in disaster
