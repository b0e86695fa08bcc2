"""Every calendar reads an event at the instant its page shows.

The feeds and the one-event file are read back by three parsers that build Europe/London each
their own way (icalendar, vobject from the VTIMEZONE body, ics, and recurring-ical-events as a
calendar app expanding the feed); each must give the UTC instant of the page's
<time datetime>, for events in GMT, in BST and on both clock-change weekends.

The portal's clock-change rules, as the staff forms make start times (a date and a London
time, combined with fold=0): 1:30am on the last Sunday of March does not exist, and becomes
2:30am BST (01:30 UTC); 1:30am on the last Sunday of October happens twice, and means the first,
BST, one (00:30 UTC), as RFC 5545 reads a London time in that hour. No form, import or series
makes the second 1:30am; should one be stored (01:30 UTC), it is written in UTC, the only exact
form, which the readers that follow RFC 5545 read exactly (recurring-ical-events does not: its
X-WR-TIMEZONE step turns UTC into London time and loses which 1:30am it was)."""

import datetime

import icalendar
import ics
import pytest
import recurring_ical_events
import time_machine
import vobject
from django.urls import reverse

from config.dates import LONDON
from meetings.ical import london_vtimezone
from tests.factories import EventFactory, NeighbourhoodFactory
from tests.html import elements

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2030, 1, 15, 12, tzinfo=UTC)


def _wall(*args: int) -> datetime.datetime:
    """A London wall-clock time as the staff forms make it (fold=0)."""
    return datetime.datetime(*args, tzinfo=LONDON)


# Title -> start instant, as stored.
STARTS = {
    "Winter beat meeting": _wall(2030, 11, 16, 19),
    "Summer beat meeting": _wall(2030, 7, 2, 19),
    "Late night before the spring change": _wall(2030, 3, 31, 0, 30),
    "Asked for at 1:30am on the spring change": _wall(2030, 3, 31, 1, 30),
    "Morning after the spring change": _wall(2030, 3, 31, 9),
    "Just before the autumn change": _wall(2030, 10, 27, 0, 30),
    "First 1:30am of the autumn change": _wall(2030, 10, 27, 1, 30),
    "Morning after the autumn change": _wall(2030, 10, 27, 9),
    "Saturday before the autumn change": _wall(2030, 10, 26, 19),
}


@pytest.fixture
def normanton():
    return NeighbourhoodFactory(name="Normanton", slug="normanton")


@pytest.fixture
def events(normanton):
    with time_machine.travel(NOW, tick=False):
        return [
            EventFactory(
                neighbourhood=normanton,
                title=title,
                starts_at=starts_at,
                ends_at=starts_at.astimezone(UTC) + datetime.timedelta(hours=1),
            )
            for title, starts_at in STARTS.items()
        ]


def page_instant(client, event) -> tuple[datetime.datetime, str]:
    """The start the event's page shows: its <time datetime> as a UTC instant, and the text."""
    response = client.get(reverse("meetings:event", kwargs={"pk": event.pk}))
    assert response.status_code == 200
    shown = elements(response, "time", datetime=True)[0]
    return datetime.datetime.fromisoformat(shown.attrs["datetime"]).astimezone(UTC), shown.text


# --- The parsers, each giving {summary: UTC start} ---------------------------------------------


def by_icalendar(body: bytes) -> dict[str, datetime.datetime]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["SUMMARY"]): e["DTSTART"].dt.astimezone(UTC) for e in calendar.walk("VEVENT")}


def by_vobject(body: bytes) -> dict[str, datetime.datetime]:
    calendar = vobject.readOne(body.decode())
    return {e.summary.value: e.dtstart.value.astimezone(UTC) for e in calendar.vevent_list}


def by_ics(body: bytes) -> dict[str, datetime.datetime]:
    calendar = ics.Calendar(body.decode())
    return {e.name: e.begin.datetime.astimezone(UTC) for e in calendar.events}


def by_recurring_ical_events(body: bytes) -> dict[str, datetime.datetime]:
    calendar = icalendar.Calendar.from_ical(body)
    occurrences = recurring_ical_events.of(calendar).between((2029, 1, 1), (2032, 1, 1))
    return {str(e["SUMMARY"]): e["DTSTART"].dt.astimezone(UTC) for e in occurrences}


PARSERS = [by_icalendar, by_vobject, by_ics, by_recurring_ical_events]


def feed_urls(normanton) -> list[str]:
    return [
        reverse("meetings:force_feed"),
        reverse("meetings:neighbourhood_feed", kwargs={"slug": normanton.slug}),
    ]


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
def test_every_parser_reads_each_feed_at_the_instants_the_pages_show(
    client, normanton, events, parse
):
    with time_machine.travel(NOW, tick=False):
        shown = {event.title: page_instant(client, event)[0] for event in events}
        for url in feed_urls(normanton):
            response = client.get(url)
            assert response.status_code == 200

            assert parse(response.content) == shown, url


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
def test_every_parser_reads_each_event_file_at_the_instant_its_page_shows(client, events, parse):
    for event in events:
        response = client.get(reverse("meetings:event_ics", kwargs={"pk": event.pk}))

        assert parse(response.content) == {event.title: page_instant(client, event)[0]}


def test_pages_show_the_london_times_the_readers_are_checked_against(client, events):
    """What the comparison above rests on: the page's times, and the clock-change rules."""
    shown = {event.title: page_instant(client, event) for event in events}

    assert shown["Winter beat meeting"] == (
        datetime.datetime(2030, 11, 16, 19, tzinfo=UTC),
        "Saturday 16 November 2030 at 7pm",
    )
    assert shown["Summer beat meeting"] == (
        datetime.datetime(2030, 7, 2, 18, tzinfo=UTC),
        "Tuesday 2 July 2030 at 7pm",
    )
    # 1:30am does not happen on the spring change: it is 2:30am BST.
    assert shown["Asked for at 1:30am on the spring change"] == (
        datetime.datetime(2030, 3, 31, 1, 30, tzinfo=UTC),
        "Sunday 31 March 2030 at 2:30am",
    )
    # 1:30am happens twice on the autumn change: the first is BST.
    assert shown["First 1:30am of the autumn change"] == (
        datetime.datetime(2030, 10, 27, 0, 30, tzinfo=UTC),
        "Sunday 27 October 2030 at 1:30am",
    )
    assert shown["Morning after the autumn change"][0] == datetime.datetime(
        2030, 10, 27, 9, tzinfo=UTC
    )


@pytest.mark.parametrize("parse", [by_icalendar, by_vobject, by_ics], ids=lambda p: p.__name__)
def test_the_second_1_30am_of_the_autumn_change_is_written_in_utc(client, normanton, parse):
    second = datetime.datetime(2030, 10, 27, 1, 30, tzinfo=UTC)
    event = EventFactory(
        neighbourhood=normanton,
        title="Second 1:30am",
        starts_at=second,
        ends_at=second + datetime.timedelta(hours=1),
    )

    response = client.get(reverse("meetings:event_ics", kwargs={"pk": event.pk}))

    assert b"DTSTART:20301027T013000Z" in response.content
    assert page_instant(client, event) == (second, "Sunday 27 October 2030 at 1:30am")
    assert parse(response.content) == {"Second 1:30am": second}


def test_feed_publishes_london_as_two_yearly_rules(client, normanton, events):
    with time_machine.travel(NOW, tick=False):
        body = client.get(feed_urls(normanton)[1]).content.decode()

    zone = body[body.index("BEGIN:VTIMEZONE") : body.index("END:VTIMEZONE")]
    assert body.count("BEGIN:VTIMEZONE") == 1
    assert "RDATE" not in zone
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in zone
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in zone
    assert len(zone.splitlines()) < 25


def test_london_rules_agree_with_the_timezone_database_every_hour_to_2045():
    calendar = vobject.readOne(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        + london_vtimezone().to_ical().decode()
        + "END:VCALENDAR\r\n"
    )
    published = calendar.vtimezone.gettzinfo()
    moment = datetime.datetime(2000, 1, 1, tzinfo=UTC)
    differences = []
    while moment.year < 2045:
        if moment.astimezone(published).utcoffset() != moment.astimezone(LONDON).utcoffset():
            differences.append(moment)
        moment += datetime.timedelta(hours=1)

    assert differences == []
