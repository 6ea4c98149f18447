"""Events as iCalendar (RFC 5545) for calendar applications: all events, by prefecture, or one."""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vText
from icalendar import Event as CalendarEvent

TOKYO = ZoneInfo("Asia/Tokyo")


def uid(event) -> str:
    """Unique across installations: the event's number at the site's own host (RFC 5545 §3.8.4.7)."""
    return f"event-{event.pk}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def calendar(events, name: str) -> bytes:
    """A VCALENDAR any client reads alike: timed events in Asia/Tokyo with its VTIMEZONE
    (RFC 5545 §3.2.19), all-day events as dates, every text escaped by icalendar's types."""
    cal = Calendar()
    cal.add("prodid", "-//renkei//特別区全国連携プロジェクト//JA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", vText(name))  # an X- property: escaped only when typed as TEXT
    cal.add("x-wr-timezone", vText("Asia/Tokyo"))
    site = settings.SITE_URL.rstrip("/")
    stamp = timezone.now()
    for event in events:
        item = CalendarEvent()
        item.add("uid", uid(event))
        item.add("dtstamp", stamp)
        item.add("summary", event.title)
        if event.starts_at_time:
            starts = dt.datetime.combine(event.starts_on, event.starts_at_time, tzinfo=TOKYO)
            ends_time = event.ends_at_time or (dt.datetime.combine(dt.date.min, event.starts_at_time)
                                               + dt.timedelta(hours=1)).time()
            item.add("dtstart", starts)
            item.add("dtend", max(dt.datetime.combine(event.ends_on, ends_time, tzinfo=TOKYO), starts))
        else:
            # All-day events: the end date is exclusive in iCalendar.
            item.add("dtstart", event.starts_on)
            item.add("dtend", event.ends_on + dt.timedelta(days=1))
        if event.venue:
            item.add("location", event.venue)
        organisers = f"主催: {event.organisers}" if event.organisers else ""
        description = "\n".join(p for p in [event.series, event.description, organisers] if p)
        item.add("description", description)
        item.add("url", f"{site}{event.get_absolute_url()}")
        item.add("categories", [event.get_kind_display()])
        cal.add_component(item)
    cal.add_missing_timezones()  # a VTIMEZONE for Asia/Tokyo whenever a TZID refers to it
    return cal.to_ical()


def month_grid(first: dt.date, events) -> dict:
    """A month as weeks of days (Sunday first, as Japanese calendars are), each with its events."""
    import calendar as cal

    import jpholiday

    from renkei.portal.filters import month_end

    last = month_end(first)
    in_month = list(events.filter(starts_on__lte=last, ends_on__gte=first).order_by("starts_on", "starts_at_time", "pk"))
    weeks = []
    for week in cal.Calendar(firstweekday=6).monthdatescalendar(first.year, first.month):
        cells = []
        for day in week:
            covering = [e for e in in_month if e.starts_on <= day <= e.ends_on]
            # A long event is named where it starts, and again where each week (and the month)
            # begins, marked as continuing; the days between are shaded.
            named = [(e, e.starts_on < day) for e in covering
                     if e.starts_on == day or day == week[0] or day == first]
            cells.append({"day": day, "in_month": day.month == first.month, "busy": bool(covering),
                          "events": named, "count": len(covering), "holiday": jpholiday.is_holiday_name(day),
                          "weekday": day.weekday()})
        weeks.append(cells)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return {"first": first, "weeks": weeks, "events": in_month, "previous": previous,
            "next": last + dt.timedelta(days=1)}
