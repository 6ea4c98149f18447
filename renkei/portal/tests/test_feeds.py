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
    # RFC 4287 §4.1.1: the feed carries id, title, updated and an author (entries have none of their own)
    import xml.etree.ElementTree as ET  # noqa: S405 (our own feed)

    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    for required in ("id", "title", "updated"):
        assert feed.find(atom + required) is not None, required
    assert feed.find(f"{atom}author/{atom}name").text == "特別区長会"
    entries = feed.findall(atom + "entry")
    assert entries and all(e.find(atom + n) is not None for e in entries for n in ("id", "title", "updated", "link"))
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


def _instants_by_vobject(ics: bytes) -> dict[str, tuple]:
    """Each event's start and end as an independent parser (vobject) reads them: an instant in UTC
    for a timed event, a date for an all-day one."""
    import datetime as dt

    import vobject

    def instant(value):
        return value.astimezone(dt.UTC) if isinstance(value, dt.datetime) else value

    (parsed,) = list(vobject.readComponents(ics.decode()))
    return {str(e.summary.value): (instant(e.dtstart.value), instant(e.dtend.value))
            for e in parsed.vevent_list}, parsed


def test_calendars_read_alike_in_two_independent_parsers(client, world, settings):
    """13:30 in Tokyo is 04:30 UTC for every client: the .ics defines the VTIMEZONE it names, its
    texts are escaped (a title with ; , and \\), its UIDs carry the site's host."""
    import datetime as dt

    settings.SITE_URL = "https://collabo.example.lg.jp"
    timed = Event.objects.create(title=r"講演会; 関係人口, 地域\未来", kind="lecture", starts_on=dt.date(2026, 1, 23),
                                 ends_on=dt.date(2026, 1, 23), starts_at_time=dt.time(13, 30),
                                 ends_at_time=dt.time(15, 0), description="説明", status="published",
                                 publish_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC))
    for url in ("/events.ics", f"/events/{timed.pk}.ics"):
        ics = client.get(url).content
        ours = {str(e["summary"]): (e.decoded("dtstart"), e.decoded("dtend")) for e in Calendar.from_ical(ics).walk("VEVENT")}
        theirs, parsed = _instants_by_vobject(ics)
        assert set(ours) == set(theirs) and len(ours) >= 1
        for title, (start, end) in ours.items():
            if isinstance(start, dt.datetime):
                start, end = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
            assert (start, end) == theirs[title], title
        assert theirs[timed.title] == (dt.datetime(2026, 1, 23, 4, 30, tzinfo=dt.UTC),
                                       dt.datetime(2026, 1, 23, 6, 0, tzinfo=dt.UTC))
        assert b"BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo" in ics
        assert {e.uid.value for e in parsed.vevent_list} >= {f"event-{timed.pk}@collabo.example.lg.jp"}
    single = client.get(f"/events/{timed.pk}.ics").content
    _, parsed = _instants_by_vobject(single)
    assert parsed.contents["x-wr-calname"][0].value == timed.title  # escaped on the way out, whole on the way in
    all_day, _ = _instants_by_vobject(client.get("/events/prefectures/02.ics").content)
    assert all_day["青森の魅力発信！"] == (dt.date(2019, 1, 8), dt.date(2019, 2, 15))


def test_the_sitemap_has_every_public_page_kind_dated_by_its_records_own_change(client, world):
    """Issues, prefecture pages, 第N報 beside news, events, disasters and municipalities; a record
    loaded with the newsletter is dated by its publication, not by the day it was loaded."""
    import datetime as dt
    import re

    from django.utils import timezone

    from renkei.portal.models import NewsItem
    from renkei.portal.services import save_news
    from renkei.testing import sample_disaster

    disaster = sample_disaster()  # its 第1報 confirmed
    xml = client.get("/sitemap.xml").content.decode()
    for path in ("/newsletter/", "/newsletter/vol-1/", "/local-governments/prefectures/13/",
                 f"/disasters/{disaster.pk}/reports/1/", "/events/", "/disasters/"):
        assert f"{path}</loc>" in xml, path
    story = NewsItem.objects.get(title="第一生命と包括連携協定締結")
    entry = re.search(rf"<loc>[^<]*/news/{story.pk}/</loc><lastmod>([^<]+)</lastmod>", xml)
    assert entry and entry[1] == "2018-08-23"  # published 平成30年8月23日, not the day it was loaded
    assert re.search(rf"/disasters/{disaster.pk}/</loc>(?!<lastmod>)", xml)  # no change time is kept: none claimed
    # An edit dates it anew.
    NewsItem.objects.filter(pk=story.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    save_news(editor=world.secretariat, item=NewsItem.objects.get(pk=story.pk), data={"lead": "民間との結びつきを強化"})
    xml = client.get("/sitemap.xml").content.decode()
    entry = re.search(rf"/news/{story.pk}/</loc><lastmod>([^<]+)</lastmod>", xml)
    assert entry[1] == timezone.localdate().isoformat()
