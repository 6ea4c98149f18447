"""Calendars, the news feed, the sitemap, robots.txt and page metadata."""

import pytest
from icalendar import Calendar

from renkei.portal.models import Event

pytestmark = pytest.mark.django_db


def test_all_events_as_icalendar(client):
    response = client.get("/events.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 3
    aomori = events["青森の魅力発信！"]
    assert aomori.decoded("dtstart").isoformat() == "2019-01-08"
    assert aomori.decoded("dtend").isoformat() == "2019-02-15"  # exclusive end of an all-day event
    assert str(aomori["uid"]).startswith("event-") and "/events/" in str(aomori["url"])


def test_events_by_prefecture_and_one_event(client):
    aomori = Calendar.from_ical(client.get("/events/prefectures/02.ics").content)
    titles = {str(e["summary"]) for e in aomori.walk("VEVENT")}
    assert titles == {"青森の魅力発信！", "東京23区から全国の魅力再発見！"}
    assert client.get("/events/prefectures/48.ics").status_code == 404
    event = Event.objects.get(title="地域活性のカギ「関係人口」について")
    single = Calendar.from_ical(client.get(f"/events/{event.pk}.ics").content)
    assert [str(e["summary"]) for e in single.walk("VEVENT")] == [event.title]
    assert f"/events/{event.pk}.ics" in client.get(event.get_absolute_url()).content.decode()


def test_news_atom_feed(client):
    response = client.get("/news/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert "第一生命と包括連携協定締結" in text and "<feed" in text
    assert 'type="application/atom+xml"' in client.get("/").content.decode()


def test_sitemap_lists_public_pages_only(client):
    text = client.get("/sitemap.xml").content.decode()
    assert "/local-governments/131016/" in text and "/events/" in text and "/stats/" in text
    assert "/board/" not in text and "/secretariat/" not in text


def test_robots_keeps_crawlers_off_the_members_pages(client):
    text = client.get("/robots.txt").content.decode()
    assert "Disallow: /board/" in text and "Sitemap: http://testserver/sitemap.xml" in text


def test_pages_carry_open_graph_metadata(client):
    event = Event.objects.get(title="青森の魅力発信！")
    page = client.get(event.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="青森の魅力発信！">' in page
    assert 'property="og:description"' in page and 'name="description"' in page


def test_the_sitemap_dates_news_and_events_by_their_last_change(client):
    import re

    from django.utils import timezone

    from renkei.portal.models import NewsItem

    item = NewsItem.objects.public().first()
    xml = client.get("/sitemap.xml").content.decode()
    entry = re.search(rf"<loc>[^<]*{item.get_absolute_url()}</loc><lastmod>([^<]+)</lastmod>", xml)
    assert entry and entry[1] == timezone.localtime(max(item.publish_at, item.updated_at)).date().isoformat()
    event = Event.objects.public().first()
    assert re.search(rf"<loc>[^<]*{event.get_absolute_url()}</loc><lastmod>", xml)
