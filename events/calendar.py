"""Events as iCalendar: the feeds (all, per topic), one event's .ics, and the .ics attached to a
registration's confirmation. Times are written in the portal's time zone with its VTIMEZONE."""

from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from association.sanitize import plain_text


def _vevent(event, site_url):
    host = urlsplit(site_url).hostname or "localhost"
    item = icalendar.Event()
    item.add("uid", f"event-{event.pk}@{host}")
    item.add("summary", event.title)
    item.add("dtstart", timezone.localtime(event.starts_at))
    item.add("dtend", timezone.localtime(event.ends_at))
    item.add("dtstamp", event.updated_at)
    item.add("last-modified", event.updated_at)
    item.add("url", site_url.rstrip("/") + event.get_absolute_url())
    place = ", ".join(part for part in (event.venue, event.address) if part)
    if place:
        item.add("location", place)
    if event.latitude is not None:
        item.add("geo", (event.latitude, event.longitude))
    item.add("description", event.summary or plain_text(event.description)[:1000])
    if event.status == event.Status.CANCELLED:
        item.add("status", "CANCELLED")
    return item


def events_calendar(events, *, name, site_url=None):
    """An iCalendar file of the events given (the caller chooses which may be shown)."""
    site_url = site_url or settings.SITE_URL
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Culture portal//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        calendar.add_component(_vevent(event, site_url))
    calendar.add_missing_timezones()
    return calendar.to_ical()
