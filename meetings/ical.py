"""iCalendar (RFC 5545) for events, built with the icalendar library: one .ics per event, and
feeds a calendar app can subscribe to.

Each event keeps one UID for life and a SEQUENCE that moves on with every change a calendar
must pick up; a cancelled event stays in the feeds with STATUS:CANCELLED, so subscribed
calendars remove it. Times are in Europe/London, with the zone published as two yearly rules
(see london_vtimezone). Under /cy/ a feed is in Welsh: the Welsh of an event's title,
description and venue where it is written (config.bilingual), the English where not."""

import datetime
import functools
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from config.bilingual import in_language
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


TZID = "Europe/London"
# The UK's rule since 1996: British Summer Time from 1am GMT on the last Sunday of March to
# 1am GMT (2am BST) on the last Sunday of October.
RULES_SINCE = 1996
GMT = datetime.timedelta(0)
BST = datetime.timedelta(hours=1)


@functools.cache
def london_vtimezone() -> icalendar.Timezone:
    """Europe/London as calendar publishers write it: a STANDARD and a DAYLIGHT block, each
    with a yearly RRULE. Every parser reads this form the same way; icalendar's own VTIMEZONE
    (a 1970 block and lists of RDATEs up to 2037) makes some, vobject among them, put winter
    events an hour out. DTSTART is in the local time before each change, as RFC 5545 asks."""
    zone = icalendar.Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    for block, name, offset_from, offset_to, month, local_hour in (
        (icalendar.TimezoneDaylight(), "BST", GMT, BST, 3, 1),
        (icalendar.TimezoneStandard(), "GMT", BST, GMT, 10, 2),
    ):
        block.add("tzname", name)
        block.add("tzoffsetfrom", offset_from)
        block.add("tzoffsetto", offset_to)
        block.add("dtstart", _last_sunday(RULES_SINCE, month, local_hour))
        block.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        zone.add_component(block)
    return zone


def _last_sunday(year: int, month: int, hour: int) -> datetime.datetime:
    # A floating (zone-less) local time, as VTIMEZONE's DTSTART must be.
    day = datetime.datetime(year, month + 1, 1, hour) - datetime.timedelta(days=1)  # noqa: DTZ001
    return day - datetime.timedelta(days=(day.weekday() - 6) % 7)


def _second_of_a_repeated_hour(moment: datetime.datetime) -> bool:
    """Whether the instant is in the second 1:00-1:59am of the October change: a London time
    in that hour means its first (BST) occurrence to every reader (RFC 5545 3.3.5)."""
    local = moment.astimezone(LONDON)
    return local.utcoffset() != local.replace(fold=0).utcoffset()


def _times(event: Event) -> tuple[datetime.datetime, datetime.datetime]:
    """Start and end in London wall-clock time; both in UTC when either falls in the second
    1am hour of the October change, which only UTC names exactly (readers that expand events
    put the start in the end's zone, so both must be UTC)."""
    zone = (
        datetime.UTC
        if _second_of_a_repeated_hour(event.starts_at) or _second_of_a_repeated_hour(event.ends_at)
        else LONDON
    )
    return event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)


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
    starts_at, ends_at = _times(event)
    component.add("dtstart", starts_at)
    component.add("dtend", ends_at)
    # In the feed's language: the Welsh of what the officer wrote where it is written.
    title = in_language(event, "title")
    if event.is_cancelled:
        title = _("Cancelled: %(title)s") % {"title": title}
    component.add("summary", title)
    url = settings.SITE_URL + event.get_absolute_url()
    description = in_language(event, "description").strip()
    lines = [description] if description else []
    if event.is_cancelled and event.cancelled_reason:
        lines.insert(0, _("Cancelled: %(reason)s") % {"reason": event.cancelled_reason})
    if event.online_url:
        lines.append(_("Join online: %(url)s") % {"url": event.online_url})
    lines.append(_("Details: %(url)s") % {"url": url})
    component.add("description", "\n\n".join(lines))
    venue = event.venue_in_language()
    if venue:
        component.add("location", venue)
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
    calendar.add_component(london_vtimezone())
    for event in events:
        calendar.add_component(_component(event))
    return calendar.to_ical()
