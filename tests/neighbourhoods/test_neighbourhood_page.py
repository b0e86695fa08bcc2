"""The public neighbourhood page: who to contact first, then the team, priorities, events."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from engagement.models import Priority
from meetings.models import Event, Outcome
from officers.models import Assignment
from tests.factories import (
    AssignmentFactory,
    EventFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    PriorityFactory,
)
from tests.html import element, elements, hrefs, links, page_text, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def named():
    return AssignmentFactory(
        officer__display_name="Priya Sharma",
        officer__email="priya.sharma@example.police.uk",
        officer__phone="01332 123456",
        officer__responsibilities="Anti-social behaviour and schools",
    )


def test_named_officer_comes_first_with_contact_details(client, named):
    page = client.get(named.neighbourhood.get_absolute_url()).content.decode()

    assert page.index("Your named officer") < page.index("Local priorities")
    assert "Priya Sharma" in page
    assert "Police Constable" in page
    assert "Anti-social behaviour and schools" in page
    assert "mailto:priya.sharma@example.police.uk" in hrefs(page)
    assert "01332 123456" in page
    assert "Contact your neighbourhood team" in page
    assert named.officer.get_absolute_url() in hrefs(page)


def test_team_lists_team_members_before_supervisors(client, named):
    neighbourhood = named.neighbourhood
    AssignmentFactory(
        neighbourhood=neighbourhood, role="sergeant", officer__display_name="Mark Riley"
    )
    AssignmentFactory(neighbourhood=neighbourhood, role="team", officer__display_name="Tom Ellis")

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    assert page.index("Priya Sharma") < page.index("Tom Ellis") < page.index("Mark Riley")


def test_past_and_ended_assignments_are_not_shown(client, named):
    ended = timezone.localdate() - datetime.timedelta(days=1)
    AssignmentFactory(
        neighbourhood=named.neighbourhood,
        role="team",
        officer__display_name="Gone Away",
        end_date=ended,
        start_date=ended - datetime.timedelta(days=100),
    )

    page = client.get(named.neighbourhood.get_absolute_url()).content.decode()

    assert "Gone Away" not in page


def test_current_priorities_with_actions_and_dates_and_not_resolved_ones(client, named):
    PriorityFactory(
        neighbourhood=named.neighbourhood,
        issue="Speeding on Osmaston Road",
        action="Speed checks twice a week",
        issue_date=datetime.date(2026, 9, 3),
    )
    PriorityFactory(neighbourhood=named.neighbourhood, issue="Old problem", status="resolved")

    page = client.get(named.neighbourhood.get_absolute_url()).content.decode()

    assert "Speeding on Osmaston Road" in page
    assert "Speed checks twice a week" in page
    assert "3 September 2026" in page
    assert "Old problem" not in page


def test_next_events_are_shown_and_past_ones_are_not(client, named):
    EventFactory(neighbourhood=named.neighbourhood, title="Coffee with a cop")
    EventFactory(
        neighbourhood=named.neighbourhood,
        title="Last year's meeting",
        starts_at=timezone.now() - datetime.timedelta(days=400),
    )

    page = client.get(named.neighbourhood.get_absolute_url()).content.decode()

    assert "Coffee with a cop" in page
    assert "Last year's meeting" not in page


def test_cancelled_events_are_not_listed_and_others_link_to_their_page(client, named):
    on = EventFactory(neighbourhood=named.neighbourhood, title="Coffee with a cop")
    EventFactory(
        neighbourhood=named.neighbourhood,
        title="Called off",
        status=Event.Status.CANCELLED,
    )

    page = client.get(named.neighbourhood.get_absolute_url()).content.decode()

    assert ("Coffee with a cop", f"{on.get_absolute_url()}") in links(page)
    assert "Called off" not in page


def test_page_links_to_all_events_of_the_neighbourhood(client, named):
    neighbourhood = named.neighbourhood

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    url = f"{reverse('meetings:list')}?neighbourhood={neighbourhood.slug}"
    assert (f"All events in {neighbourhood.name}", f"{url}") in links(page)


def test_page_advertises_the_neighbourhood_calendar_feed(client, named):
    neighbourhood = named.neighbourhood

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    feed = reverse("meetings:neighbourhood_feed", kwargs={"slug": neighbourhood.slug})
    head = element(page, "head")
    assert element(
        head,
        "link",
        rel="alternate",
        type="text/calendar",
        title=f"{neighbourhood.name} neighbourhood events",
        href=feed,
    )
    assert (f"Subscribe to {neighbourhood.name} events in your calendar", f"{feed}") in links(page)


def _held(neighbourhood, days_ago: int, title: str) -> Event:
    starts = timezone.now() - datetime.timedelta(days=days_ago)
    return EventFactory(
        neighbourhood=neighbourhood,
        title=title,
        status=Event.Status.HELD,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )


def test_past_meetings_show_the_last_three_outcomes(client, named):
    neighbourhood = named.neighbourhood
    for days_ago in (10, 40, 70, 100):
        Outcome.objects.create(
            event=_held(neighbourhood, days_ago, f"Meeting {days_ago} days ago"),
            attendance=days_ago,
            summary=f"Summary of {days_ago}",
        )
    _held(neighbourhood, 5, "Meeting with no outcome yet")

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    assert "Past meetings: you said, we did" in page
    assert page.index("Summary of 10") < page.index("Summary of 40") < page.index("Summary of 70")
    assert "Summary of 100" not in page
    assert "Meeting with no outcome yet" not in page


def test_past_meeting_shows_date_attendance_issues_and_priorities(client, named):
    neighbourhood = named.neighbourhood
    event = _held(neighbourhood, 10, "Autumn beat meeting")
    outcome = Outcome.objects.create(
        event=event,
        attendance=23,
        summary="Parking and speeding came up most.",
        issues_raised="Parking on Browning Street\n\nSpeeding on Osmaston Road",
    )
    outcome.priorities.add(
        PriorityFactory(neighbourhood=neighbourhood, issue="Speeding on Osmaston Road")
    )

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    assert f"{timezone.localdate(event.starts_at):%A %-d %B %Y}" in texts(page, "time")
    assertInHTML('<dd class="govuk-summary-list__value">23</dd>', page)
    assert "Parking and speeding came up most." in page
    assertInHTML("<li>Parking on Browning Street</li><li>Speeding on Osmaston Road</li>", page)
    assertInHTML("<li>Made a priority: Speeding on Osmaston Road (open)</li>", page)
    assert ("Autumn beat meeting", f"{event.get_absolute_url()}") in links(page)


def test_recording_an_outcome_shows_at_once(client, named):
    neighbourhood = named.neighbourhood
    event = _held(neighbourhood, 10, "Autumn beat meeting")
    url = neighbourhood.get_absolute_url()
    assert "you said, we did" not in client.get(url).content.decode()

    Outcome.objects.create(event=event, attendance=12, summary="Twelve residents came.")

    assert "Twelve residents came." in client.get(url).content.decode()


def test_boundary_is_drawn_as_inline_svg_with_a_text_alternative(client, named):
    page = client.get(named.neighbourhood.get_absolute_url()).content.decode()

    outline = element(page, "svg", class_="portal-boundary")
    assert element(outline, "title", id="boundary-title").text.startswith("Outline of the")
    assert elements(outline, "path")[0].attrs["d"].startswith("M")


def test_neighbourhood_without_named_officer_says_who_to_contact(client):
    neighbourhood = NeighbourhoodFactory(
        telephone="01234 567890", email="staveley.snt@example.police.uk"
    )

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    assert "does not have a named officer at the moment" in page
    assert "01234 567890" in page
    assert "staveley.snt@example.police.uk" in page


def test_team_on_the_non_emergency_number_is_given_it_once(client):
    neighbourhood = NeighbourhoodFactory(telephone="101", email="staveley.snt@example.police.uk")

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    assertInHTML(
        '<p class="govuk-body">Contact the neighbourhood team on 101 or at '
        '<a class="govuk-link" href="mailto:staveley.snt@example.police.uk">'
        "staveley.snt@example.police.uk</a>.</p>",
        page,
    )
    assert "or call 101" not in page


def test_team_with_its_own_number_is_given_it_and_the_non_emergency_number(client):
    neighbourhood = NeighbourhoodFactory(telephone="01234 567890", email="")

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    assert "Contact the neighbourhood team on 01234 567890, or call 101." in page


def test_team_without_a_number_is_given_the_non_emergency_number(client):
    neighbourhood = NeighbourhoodFactory(telephone="", email="")

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    assert "Contact the neighbourhood team on 101." in page


def test_population_has_a_thousands_separator(client):
    neighbourhood = NeighbourhoodFactory(population=14200)

    page = client.get(neighbourhood.get_absolute_url()).content.decode()

    assert "About 14,200 people live here." in page


def test_support_link_names_the_whole_priority_for_screen_readers(client, named):
    issue = "Anti-social behaviour around the shops on Normanton Road in the evenings"
    PriorityFactory(neighbourhood=named.neighbourhood, issue=issue)

    page = client.get(named.neighbourhood.get_absolute_url()).content.decode()

    hidden = [
        span
        for span in elements(page, "span", class_="govuk-visually-hidden")
        if span.text == f": {issue}"
    ]
    assert [span.parent.text for span in hidden] == [f"Support this priority: {issue}"]


def test_page_says_when_it_was_last_updated(client, named):
    page = client.get(named.neighbourhood.get_absolute_url()).content.decode()

    assert f"last updated on {timezone.localdate():%-d %B %Y}" in page


def test_unknown_neighbourhood_is_a_404(client):
    assert client.get("/neighbourhoods/nowhere/").status_code == 404


def test_page_runs_a_fixed_number_of_queries_with_hundreds_of_rows(
    client, named, django_assert_max_num_queries
):
    neighbourhood = named.neighbourhood
    for officer in OfficerFactory.create_batch(200):
        Assignment.objects.create(
            officer=officer,
            neighbourhood=neighbourhood,
            role="team",
            start_date=named.start_date,
        )
    Priority.objects.bulk_create(
        Priority(neighbourhood=neighbourhood, issue=f"Issue {n}", issue_date=timezone.localdate())
        for n in range(300)
    )
    start = timezone.now() + datetime.timedelta(days=1)
    Event.objects.bulk_create(
        Event(
            neighbourhood=neighbourhood,
            event_type="beat_meeting",
            title=f"Meeting {n}",
            starts_at=start + datetime.timedelta(hours=n),
            ends_at=start + datetime.timedelta(hours=n, minutes=45),
        )
        for n in range(300)
    )
    held = Event.objects.bulk_create(
        Event(
            neighbourhood=neighbourhood,
            event_type="beat_meeting",
            title=f"Held {n}",
            status=Event.Status.HELD,
            starts_at=start - datetime.timedelta(days=n + 2),
            ends_at=start - datetime.timedelta(days=n + 2) + datetime.timedelta(hours=1),
        )
        for n in range(100)
    )
    outcomes = Outcome.objects.bulk_create(
        Outcome(event=event, attendance=10, summary="Held.") for event in held
    )
    priorities = list(Priority.objects.all()[:20])
    for outcome in outcomes[:5]:
        outcome.priorities.add(*priorities)

    with django_assert_max_num_queries(7):
        response = client.get(neighbourhood.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Meeting ") == 5
    assert page.count(">Held ") == 3
    assert page.count("Made a priority: ") == 60


def test_cached_page_needs_no_queries_until_something_changes(
    client, named, django_assert_num_queries
):
    url = named.neighbourhood.get_absolute_url()
    client.get(url)

    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 200
    assert named.neighbourhood.name in response.content.decode()

    officer = named.officer
    officer.responsibilities = "Now also road safety"
    officer.save(update_fields=["responsibilities", "updated_at"])

    assert "Now also road safety" in client.get(url).content.decode()


def test_changing_a_priority_shows_at_once(client, named):
    priority = PriorityFactory(neighbourhood=named.neighbourhood, issue="Graffiti")
    url = named.neighbourhood.get_absolute_url()
    assert "Graffiti" in client.get(url).content.decode()

    priority.status = Priority.Status.RESOLVED
    priority.save(update_fields=["status", "updated_at"])

    assert "Graffiti" not in client.get(url).content.decode()


def test_event_times_read_the_gov_uk_way_in_london_time(client, named):
    # 18:00 UTC on 1 July is 7pm in London (British Summer Time).
    start = datetime.datetime(2027, 7, 1, 18, 0, tzinfo=datetime.UTC)
    EventFactory(neighbourhood=named.neighbourhood, starts_at=start)

    page = client.get(named.neighbourhood.get_absolute_url()).content.decode()

    assert "Thursday 1 July 2027 at 7pm" in texts(page, "time")
    assert "Thursday 1 July 2027 at 7pm to 8pm" in page_text(page)


def test_area_map_is_offered_over_the_outline_when_a_tile_server_is_set(client, named, settings):
    settings.MAP_TILE_URL = "https://tiles.example.police.uk/{z}/{x}/{y}.png"
    settings.MAP_ATTRIBUTION = '© <a href="https://tiles.example.police.uk/">Force maps</a>'

    page = client.get(named.neighbourhood.get_absolute_url()).content.decode()

    area_map = element(page, "div", data_area_map=True)
    assert area_map.attrs["data-tile-url"] == "https://tiles.example.police.uk/{z}/{x}/{y}.png"
    assert area_map.attrs["data-attribution"] == (
        '© <a href="https://tiles.example.police.uk/">Force maps</a>'
    )
    assert area_map.attrs["data-label"] == (
        f"Map of the {named.neighbourhood.name} neighbourhood boundary"
    )
    boundary = element(page, "script", id="area-boundary", type="application/json")
    assert boundary.text.startswith('{"type": "Polygon"')
    assert "vendor/leaflet/leaflet.js" in page
    assert "vendor/leaflet/leaflet.css" in page
    # The outline stays in the HTML, for browsers without JavaScript.
    assert element(page, "svg", class_="portal-boundary")


def test_no_tile_server_means_the_outline_alone_and_no_leaflet(client, named, settings):
    settings.MAP_TILE_URL = ""

    page = client.get(named.neighbourhood.get_absolute_url()).content.decode()

    assert element(page, "svg", class_="portal-boundary")
    assert not elements(page, "*", data_area_map=True)
    assert not elements(page, "*", id="area-boundary")
    assert "area-boundary" not in page
    assert "leaflet" not in page
