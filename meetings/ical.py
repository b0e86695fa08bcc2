"""iCalendar (RFC 5545) for events, built with the icalendar library: one .ics per event, and
feeds a calendar app can subscribe to.

Each event keeps one UID for life and a SEQUENCE that moves on with every change a calendar
must pick up; a cancelled event stays in the feeds with STATUS:CANCELLED, so subscribed
calendars remove it. Times are in Europe/London with its VTIMEZONE."""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from config.dates import LONDON
from meetings.models import Event

PRODID = "-//Neighbourhood Portal//Events//EN"
STATUS = {
    Event.Status.SCHEDULED: "CONFIRMED",
    Event.Status.HELD: "CONFIRMED",
    Event.Status.CANCELLED: "CANCELLED",
}
# How often a subscribed calendar should fetch the feed again.
REFRESH_INTERVAL = datetime.timedelta(hours=6)


def subscribe_url(path: str) -> str:
    """The feed at `path` on SITE_URL's host, as a webcal:// link: following it opens the
    calendar app, which subscribes to the feed (fetching it over https, or http for an http
    SITE_URL) and keeps it up to date."""
    site = urlsplit(settings.SITE_URL)
    return f"webcal://{site.netloc}{site.path.rstrip('/')}{path}"


def event_uid(event: Event) -> str:
    return f"{event.uid}@{settings.ICAL_UID_DOMAIN}"


def _component(event: Event) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", event.updated_at or timezone.now())
    component.add("sequence", event.sequence)
    component.add("dtstart", event.starts_at.astimezone(LONDON))
    component.add("dtend", event.ends_at.astimezone(LONDON))
    title = event.title
    if event.is_cancelled:
        title = f"Cancelled: {title}"
    component.add("summary", title)
    url = settings.SITE_URL + event.get_absolute_url()
    lines = [event.description.strip()] if event.description.strip() else []
    if event.is_cancelled and event.cancelled_reason:
        lines.insert(0, f"Cancelled: {event.cancelled_reason}")
    if event.online_url:
        lines.append(f"Join online: {event.online_url}")
    lines.append(f"Details: {url}")
    component.add("description", "\n\n".join(lines))
    if event.venue:
        component.add("location", event.venue)
    component.add("url", url)
    component.add("status", STATUS[event.status])
    component.add("categories", [event.get_event_type_display()])
    return component


def calendar_bytes(events: Iterable[Event], *, name: str) -> bytes:
    """A VCALENDAR holding the events, with the VTIMEZONE for Europe/London."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH_INTERVAL)
    for event in events:
        calendar.add_component(_component(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()
