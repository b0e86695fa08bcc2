"""Calendar files: one event to add, and feeds to subscribe to, read back with icalendar."""

import datetime

import icalendar
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from config import caching
from config.dates import LONDON
from meetings.models import Event
from tests.factories import EventFactory, NeighbourhoodFactory
from tests.ports import unused_port

pytestmark = pytest.mark.django_db


def london(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def normanton():
    return NeighbourhoodFactory(name="Normanton", slug="normanton")


def ics_url(event) -> str:
    return reverse("meetings:event_ics", kwargs={"pk": event.pk})


def feed_url(neighbourhood=None) -> str:
    if neighbourhood is None:
        return reverse("meetings:force_feed")
    return reverse("meetings:neighbourhood_feed", kwargs={"slug": neighbourhood.slug})


def read(response) -> icalendar.Calendar:
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar: icalendar.Calendar) -> list:
    return list(calendar.walk("VEVENT"))


def by_summary(calendar: icalendar.Calendar) -> dict:
    return {str(e["SUMMARY"]): e for e in vevents(calendar)}


# --- One event --------------------------------------------------------------------------------


def test_event_file_is_an_attachment_with_a_filename(client, normanton):
    event = EventFactory(
        neighbourhood=normanton, title="Normanton beat meeting", starts_at=london(2030, 1, 8, 19)
    )

    response = client.get(ics_url(event))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="normanton-beat-meeting-2030-01-08.ics"'
    )
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert [str(e["SUMMARY"]) for e in vevents(read(response))] == ["Normanton beat meeting"]


def test_winter_event_is_at_its_wall_clock_hour_in_london(client, normanton):
    event = EventFactory(neighbourhood=normanton, starts_at=london(2030, 1, 8, 19))

    calendar = read(client.get(ics_url(event)))

    component = vevents(calendar)[0]
    assert component["DTSTART"].params["TZID"] == "Europe/London"
    assert component["DTSTART"].dt.hour == 19
    assert component["DTSTART"].dt.utcoffset() == datetime.timedelta(0)
    assert b"DTSTART;TZID=Europe/London:20300108T190000" in calendar.to_ical()


def test_summer_event_is_at_its_wall_clock_hour_in_london(client, normanton):
    # 7pm British Summer Time is 18:00 UTC.
    event = EventFactory(
        neighbourhood=normanton,
        starts_at=datetime.datetime(2030, 7, 2, 18, tzinfo=datetime.UTC),
    )

    response = client.get(ics_url(event))

    component = vevents(read(response))[0]
    assert component["DTSTART"].params["TZID"] == "Europe/London"
    assert component["DTSTART"].dt.hour == 19
    assert component["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=1)
    assert b"DTSTART;TZID=Europe/London:20300702T190000" in response.content


def test_calendar_carries_the_europe_london_timezone(client, normanton):
    event = EventFactory(neighbourhood=normanton, starts_at=london(2030, 7, 2, 19))

    calendar = read(client.get(ics_url(event)))

    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/London"]
    assert {c.name for c in zones[0].subcomponents} >= {"STANDARD", "DAYLIGHT"}


def test_uid_stays_and_sequence_moves_on_when_an_event_changes(client, normanton):
    event = EventFactory(neighbourhood=normanton, starts_at=london(2030, 1, 8, 19))
    before = vevents(read(client.get(ics_url(event))))[0]

    event.starts_at = london(2030, 1, 9, 19)
    event.ends_at = london(2030, 1, 9, 20)
    event.sequence += 1
    event.save()
    after = vevents(read(client.get(ics_url(event))))[0]

    assert str(after["UID"]) == str(before["UID"])
    assert str(after["UID"]).endswith("@neighbourhoods.example.police.uk")
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert after["DTSTART"].dt.day == 9


def test_cancelled_event_file_says_cancelled(client, normanton):
    event = EventFactory(
        neighbourhood=normanton,
        title="Street briefing",
        status=Event.Status.CANCELLED,
        cancelled_reason="Bad weather",
        sequence=1,
    )

    component = vevents(read(client.get(ics_url(event))))[0]

    assert str(component["STATUS"]) == "CANCELLED"
    assert int(component["SEQUENCE"]) == 1


def test_unknown_event_file_is_a_404(client):
    assert client.get("/events/987654/calendar.ics").status_code == 404


# --- Feeds ------------------------------------------------------------------------------------


def test_force_feed_is_inline_and_cacheable(client, normanton):
    EventFactory(neighbourhood=normanton)

    response = client.get(feed_url())

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline;")
    assert 'filename="events.ics"' in response["Content-Disposition"]
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert "X-WR-CALNAME:Neighbourhood events" in response.content.decode()


def test_feeds_keep_the_last_30_days_and_cancelled_events(client, normanton):
    now = timezone.now()
    EventFactory(neighbourhood=normanton, title="Next week")
    EventFactory(neighbourhood=normanton, title="Called off", status=Event.Status.CANCELLED)
    EventFactory(
        neighbourhood=normanton,
        title="Three weeks ago",
        starts_at=now - datetime.timedelta(days=21),
    )
    EventFactory(
        neighbourhood=normanton,
        title="Two months ago",
        starts_at=now - datetime.timedelta(days=60),
    )

    events = by_summary(read(client.get(feed_url())))

    assert set(events) == {"Next week", "Cancelled: Called off", "Three weeks ago"}
    assert str(events["Cancelled: Called off"]["STATUS"]) == "CANCELLED"
    assert str(events["Next week"]["STATUS"]) == "CONFIRMED"


def test_neighbourhood_feed_has_only_its_events(client, normanton):
    EventFactory(neighbourhood=normanton, title="Ours")
    EventFactory(neighbourhood__name="Alvaston", title="Theirs")

    response = client.get(feed_url(normanton))

    assert set(by_summary(read(response))) == {"Ours"}
    assert response["Content-Disposition"] == 'inline; filename="normanton-events.ics"'
    assert "X-WR-CALNAME:Normanton neighbourhood events" in response.content.decode()


def test_unknown_neighbourhood_feed_is_a_404(client):
    assert client.get("/neighbourhoods/atlantis/events.ics").status_code == 404


def test_feeds_answer_head_requests(client, normanton):
    response = client.head(feed_url(normanton))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response.content == b""


@pytest.mark.parametrize("neighbourhood_feed", [False, True])
def test_feeds_run_a_fixed_number_of_queries_with_thousands_of_events(
    client, normanton, neighbourhood_feed, django_assert_max_num_queries
):
    start = timezone.now() - datetime.timedelta(days=10)
    Event.objects.bulk_create(
        Event(
            neighbourhood=normanton,
            event_type=Event.Type.BEAT_MEETING,
            title=f"Meeting {n}",
            starts_at=start + datetime.timedelta(hours=n),
            ends_at=start + datetime.timedelta(hours=n, minutes=45),
            status=Event.Status.CANCELLED if n % 10 == 0 else Event.Status.SCHEDULED,
        )
        for n in range(3000)
    )

    with django_assert_max_num_queries(2):
        response = client.get(feed_url(normanton if neighbourhood_feed else None))

    assert len(vevents(read(response))) == 3000


def test_feed_stops_a_year_ahead(client, normanton):
    now = timezone.now()
    EventFactory(neighbourhood=normanton, title="Next month")
    EventFactory(
        neighbourhood=normanton,
        title="In two years",
        starts_at=now + datetime.timedelta(days=730),
    )

    assert set(by_summary(read(client.get(feed_url(normanton))))) == {"Next month"}


def test_cached_feed_shows_a_cancellation_made_after_it_was_read(client, normanton):
    event = EventFactory(neighbourhood=normanton, title="Beat meeting")
    assert str(by_summary(read(client.get(feed_url())))["Beat meeting"]["STATUS"]) == "CONFIRMED"

    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save()

    events = by_summary(read(client.get(feed_url())))
    assert str(events["Cancelled: Beat meeting"]["STATUS"]) == "CANCELLED"


def test_second_read_of_a_feed_is_served_from_the_cache(
    client, normanton, django_assert_max_num_queries
):
    EventFactory(neighbourhood=normanton)
    first = client.get(feed_url(normanton)).content
    with django_assert_max_num_queries(1):  # the neighbourhood; the feed itself is cached
        assert client.get(feed_url(normanton)).content == first


# --- Conditional requests ---------------------------------------------------------------------


@pytest.mark.parametrize("neighbourhood_feed", [False, True])
def test_feed_answers_304_to_a_poll_with_its_etag(client, normanton, neighbourhood_feed):
    EventFactory(neighbourhood=normanton, title="Beat meeting")
    url = feed_url(normanton if neighbourhood_feed else None)
    first = client.get(url)
    assert first["ETag"].startswith('"')

    poll = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert poll.status_code == 304
    assert poll.content == b""
    assert poll["ETag"] == first["ETag"]
    assert "max-age=300" in poll["Cache-Control"]


def test_feed_answers_304_to_a_poll_with_its_last_modified(client, normanton):
    EventFactory(neighbourhood=normanton, title="Beat meeting")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(feed_url(normanton))
        clock.shift(datetime.timedelta(hours=3))
        first = client.get(feed_url(normanton))
        clock.shift(datetime.timedelta(hours=3))

        poll = client.get(
            feed_url(normanton), headers={"If-Modified-Since": first["Last-Modified"]}
        )

    assert poll.status_code == 304
    assert poll.content == b""


def test_feed_changed_this_second_sends_no_last_modified(client, normanton):
    # HTTP dates count whole seconds: the feed may change again within this one.
    EventFactory(neighbourhood=normanton, title="Beat meeting")
    with time_machine.travel(timezone.now(), tick=False):
        response = client.get(feed_url(normanton))

    assert "Last-Modified" not in response
    assert response["ETag"]


def test_changed_event_changes_the_etag_and_the_poll_gets_the_whole_feed(client, normanton):
    event = EventFactory(neighbourhood=normanton, title="Beat meeting")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(feed_url(normanton))
        clock.shift(datetime.timedelta(minutes=1))
        first = client.get(feed_url(normanton))

        clock.shift(datetime.timedelta(minutes=1))
        event.venue_name = "Library"
        event.sequence += 1
        event.save()
        by_etag = client.get(feed_url(normanton), headers={"If-None-Match": first["ETag"]})
        by_date = client.get(
            feed_url(normanton), headers={"If-Modified-Since": first["Last-Modified"]}
        )

    assert by_etag.status_code == 200
    assert by_etag["ETag"] != first["ETag"]
    assert str(by_summary(read(by_etag))["Beat meeting"]["LOCATION"]) == "Library"
    assert by_date.status_code == 200
    assert by_date.content == by_etag.content


def test_feed_built_again_unchanged_keeps_its_etag_and_last_modified(client, normanton):
    EventFactory(neighbourhood=normanton, title="Beat meeting")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.get(feed_url(normanton))
        clock.shift(datetime.timedelta(minutes=1))
        first = client.get(feed_url(normanton))

        # Another neighbourhood's change makes every feed be built again, this one the same.
        clock.shift(datetime.timedelta(minutes=1))
        EventFactory(neighbourhood__name="Alvaston", title="Theirs")
        poll = client.get(
            feed_url(normanton),
            headers={"If-None-Match": first["ETag"], "If-Modified-Since": first["Last-Modified"]},
        )
        force = client.get(feed_url())

    assert poll.status_code == 304
    assert poll["Last-Modified"] == first["Last-Modified"]
    assert force.status_code == 200


def test_feed_answers_polls_by_etag_while_the_shared_cache_is_down(client, normanton, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{unused_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1},
        },
        "local": settings.CACHES["local"],
    }
    caching.forget_local_state()
    EventFactory(neighbourhood=normanton, title="Beat meeting")
    first = client.get(feed_url(normanton))

    poll = client.get(feed_url(normanton), headers={"If-None-Match": first["ETag"]})

    assert set(by_summary(read(first))) == {"Beat meeting"}
    assert poll.status_code == 304


def test_feed_poll_with_an_old_etag_gets_the_whole_feed(client, normanton):
    EventFactory(neighbourhood=normanton, title="Beat meeting")

    poll = client.get(feed_url(normanton), headers={"If-None-Match": '"an-older-feed"'})

    assert poll.status_code == 200
    assert set(by_summary(read(poll))) == {"Beat meeting"}


def test_feed_304_runs_at_most_the_neighbourhood_query(
    client, normanton, django_assert_max_num_queries
):
    EventFactory(neighbourhood=normanton)
    etag = client.get(feed_url(normanton))["ETag"]

    with django_assert_max_num_queries(1):
        poll = client.get(feed_url(normanton), headers={"If-None-Match": etag})

    assert poll.status_code == 304


def test_event_file_answers_304_to_a_request_with_its_etag(client, normanton):
    event = EventFactory(neighbourhood=normanton, title="Beat meeting")
    first = client.get(ics_url(event))

    again = client.get(ics_url(event), headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
