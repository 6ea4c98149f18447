"""Events as iCalendar (RFC 5545) for calendar applications: all events, by prefecture, or one."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent


def calendar(events, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//renkei//特別区全国連携プロジェクト//JA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Tokyo")
    site = settings.SITE_URL.rstrip("/")
    stamp = timezone.now()
    for event in events:
        item = CalendarEvent()
        item.add("uid", f"event-{event.pk}@renkei")
        item.add("dtstamp", stamp)
        item.add("summary", event.title)
        # All-day events: the end date is exclusive in iCalendar.
        item.add("dtstart", event.starts_on)
        item.add("dtend", event.ends_on + dt.timedelta(days=1))
        description = f"{event.series}\n{event.description}" if event.series else event.description
        item.add("description", description)
        item.add("url", f"{site}{event.get_absolute_url()}")
        item.add("categories", [event.get_kind_display()])
        cal.add_component(item)
    return cal.to_ical()
