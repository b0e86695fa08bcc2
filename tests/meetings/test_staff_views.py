"""The staff events pages through the test client: forms, their messages, and what each does."""

import datetime
import re
import secrets

import pytest
from pytest_django.asserts import assertContains, assertInHTML, assertRedirects

from config.dates import LONDON
from engagement.models import Priority
from meetings.models import Event, Outcome, Registration, Series
from notifications.models import OutboxEmail
from officers.models import Assignment, Rank
from tests.factories import (
    AssignmentFactory,
    EventFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    PriorityFactory,
    SeriesFactory,
)
from tests.fixtures.clock import london
from tests.form_data import with_date_boxes
from tests.html import checked, element, elements, hrefs, links, roots, title, value

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Monday 14 September 2026, 9am in London (BST).
NOW = datetime.datetime(2026, 9, 14, 9, tzinfo=LONDON)


@pytest.fixture
def priya(area, officer_account, client):
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma", rank=Rank.PC)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    client.force_login(officer_account)
    return officer_account


@pytest.fixture
def event(area, priya):
    return EventFactory(
        neighbourhood=area,
        title="Normanton beat meeting",
        venue_name="Normanton Community Centre",
        postcode="DE23 6AA",
        hearing_loop=True,
        starts_at=london(2026, 10, 6, 19),
        ends_at=london(2026, 10, 6, 20, 30),
    )


@pytest.fixture
def held(area, priya):
    return EventFactory(
        neighbourhood=area,
        title="September beat meeting",
        starts_at=london(2026, 9, 1, 19),
        ends_at=london(2026, 9, 1, 20),
    )


def register(event: Event, name: str, **fields) -> Registration:
    return Registration.objects.create(
        event=event,
        name=name,
        email=f"{name.split()[0].lower()}@example.com",
        cancel_token_hash=secrets.token_hex(32),
        **fields,
    )


def form_data(area, **changes) -> dict:
    data = {
        "neighbourhood": area.pk,
        "event_type": Event.Type.BEAT_MEETING,
        "title": "Normanton beat meeting",
        "description": "Tell us what matters.",
        "date": "2026-10-06",
        "start_time": "7pm",
        "end_time": "20:30",
        "venue_name": "Normanton Community Centre",
        "address": "12 Browning Street, Derby",
        "postcode": "de23 6aa",
        "accessibility": ["step_free_access", "parking"],
        "accessibility_notes": "",
        "online_url": "",
        "capacity": "40",
    }
    return with_date_boxes({**data, **changes}, "date", "first_date")


def text(response) -> str:
    return response.content.decode()


# --- Adding, editing, duplicating ---------------------------------------------------------------


def test_new_event_form_asks_for_every_detail_with_the_officer_s_only_neighbourhood_chosen(
    client, area, priya
):
    page = text(client.get("/staff/events/new/"))

    for label in (
        "Neighbourhood",
        "Type of event",
        "Title",
        "Date",
        "Start time",
        "End time",
        "Venue",
        "Postcode",
        "Step-free access",
        "Hearing loop",
        "Parking",
        "Accessibility notes",
        "Online joining link",
        "Capacity (optional)",
    ):
        assert f">{label}</" in page, label
    assertInHTML(f'<option value="{area.pk}" selected>Normanton</option>', page)


def test_adding_an_event_lists_it_at_the_london_time_typed(client, area, priya):
    response = client.post("/staff/events/new/", form_data(area))

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/events/{event.pk}/"
    assert event.starts_at == london(2026, 10, 6, 19)
    assert event.ends_at == london(2026, 10, 6, 20, 30)
    assert (event.postcode, event.capacity) == ("DE23 6AA", 40)
    assert (event.step_free_access, event.hearing_loop, event.parking) == (True, False, True)
    assert event.organiser.display_name == "Priya Sharma"
    page = text(client.get(response["Location"]))
    assert "Normanton beat meeting is listed for Tuesday 6 October 2026 at 7pm." in page


def test_missing_fields_are_each_named_in_the_error_summary(client, area, priya):
    response = client.post("/staff/events/new/", {"neighbourhood": area.pk})

    page = text(response)
    assert response.status_code == 200
    assert title(page).startswith("Error: Add an event")
    assert "There is a problem" in page
    for message in (
        "Choose the type of event",
        "Enter a title",
        "Enter the date of the event",
        "Enter the start time",
        "Enter the end time",
    ):
        assert message in page, message
    assertInHTML('<a href="#id_title">Enter a title</a>', page)
    assert not Event.objects.exists()


def test_an_officer_who_chose_welsh_is_told_the_missing_fields_in_welsh(
    client, settings, area, priya
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    page = text(client.post("/staff/events/new/", {"neighbourhood": area.pk}))

    assert title(page).startswith("Gwall: Ychwanegu digwyddiad")
    assertInHTML('<a href="#id_title">Rhowch deitl</a>', page)
    for message in (
        "Dewiswch y math o ddigwyddiad",
        "Rhowch ddyddiad y digwyddiad",
        "Rhowch yr amser dechrau",
    ):
        assert message in page, message
    assert "Choose the type of event" not in page
    assert "Enter the date of the event" not in page
    assert not Event.objects.exists()


def test_a_time_that_is_not_one_is_refused_with_an_example(client, area, priya):
    page = text(
        client.post("/staff/events/new/", form_data(area, start_time="7", end_time="25:00"))
    )

    assert page.count("Enter a time, like 19:00 or 7pm") == 4  # summary and field, twice


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date": "2026-09-13"}, "date_day", "The event must start in the future"),
        ({"end_time": "6pm"}, "end_time", "The end time must be after the start time"),
        ({"postcode": "DE23"}, "postcode", "Enter a real postcode, like DE1 1AA"),
        (
            {"online_url": "javascript:alert(1)"},
            "online_url",
            "Enter a joining link that starts with https://",
        ),
        (
            {"event_type": Event.Type.ONLINE_MEETING},
            "online_url",
            "Enter the joining link for the online meeting",
        ),
        ({"capacity": "0"}, "capacity", "Enter a capacity of 1 or more"),
        ({"capacity": "lots"}, "capacity", "Enter the capacity as a whole number, like 40"),
        ({"capacity": "99999999999"}, "capacity", "Enter a capacity of 100,000 or fewer"),
        (
            {"date_day": "31", "date_month": "2", "date_year": "2026"},
            "date_day",
            "The date of the event must be a real date",
        ),
        ({"date_month": "13"}, "date_month", "The date of the event must be a real date"),
        (
            {"date_year": "26"},
            "date_year",
            "The date of the event must include a year with 4 numbers",
        ),
    ],
)
def test_each_rule_is_shown_next_to_its_field(client, area, priya, changes, field, message):
    response = client.post("/staff/events/new/", form_data(area, **changes))

    page = text(response)
    assert response.status_code == 200
    # `field` is the box the error summary links to: for a date, its first wrong box.
    assert any(label.startswith(message) for label, href in links(page) if href == f"#id_{field}")
    field = re.sub(r"_(day|month|year)$", "", field)
    assert element(page, "p", class_="govuk-error-message", id=f"id_{field}_error")
    assert not Event.objects.exists()


def test_duplicate_copies_the_details_and_leaves_the_date_empty(client, event):
    page = text(client.get(f"/staff/events/new/?from={event.pk}"))

    assert "Duplicate an event" in page
    assert value(page, "title") == "Normanton beat meeting"
    assert value(page, "start_time") == "19:00"
    assert value(page, "end_time") == "20:30"
    for part in ("day", "month", "year"):
        assert element(page, "input", type="text", name=f"date_{part}", value=False)
    assert "hearing_loop" in checked(page, "accessibility")


def test_editing_shows_the_event_s_values(client, event):
    page = text(client.get(f"/staff/events/{event.pk}/edit/"))

    assert element(page, "input", type="text", name="date_day", value="6")
    assert element(page, "input", type="text", name="date_month", value="10")
    assert element(page, "input", type="text", name="date_year", value="2026")
    assert value(page, "start_time") == "19:00"
    assert value(page, "postcode") == "DE23 6AA"


def test_moving_an_event_emails_those_registered_and_says_so(client, event, area):
    register(event, "Winifred Oakenshaw")

    response = client.post(
        f"/staff/events/{event.pk}/edit/", form_data(area, start_time="18:30"), follow=True
    )

    event.refresh_from_db()
    assert event.starts_at == london(2026, 10, 6, 18, 30)
    assert event.sequence == 1
    assert "The event is saved. The person registered for it is emailed the change." in text(
        response
    )
    assert OutboxEmail.objects.get().to == ["winifred@example.com"]


def test_edit_refuses_a_capacity_below_those_registered(client, event, area):
    register(event, "Ann One")
    register(event, "Bea Two")

    page = text(client.post(f"/staff/events/{event.pk}/edit/", form_data(area, capacity="1")))

    assert "2 people are registered: enter a capacity of 2 or more" in page


def test_a_cancelled_event_sends_its_edit_page_back_to_the_event(client, event):
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)

    response = client.get(f"/staff/events/{event.pk}/edit/", follow=True)

    assertRedirects(response, f"/staff/events/{event.pk}/")
    assertContains(response, f'<h1 class="govuk-heading-xl">{event.title}</h1>', html=True)
    assert f"/staff/events/{event.pk}/edit/" not in hrefs(response)


# --- The event's page, cancelling, attendance ---------------------------------------------------


def test_event_page_shows_registrations_with_their_needs_and_the_places_left(client, event):
    Event.objects.filter(pk=event.pk).update(capacity=30)
    register(event, "Winifred Oakenshaw", accessibility_needs="I use a wheelchair.")
    register(event, "Gone Away", cancelled_at=NOW)

    page = text(client.get(f"/staff/events/{event.pk}/"))

    assert "Winifred Oakenshaw" in page
    assert "winifred@example.com" in page
    assert "I use a wheelchair." in page
    assert "Gone Away" not in page
    assert "1 of 30 places" in page
    for link in (
        f"/staff/events/{event.pk}/edit/",
        f"/staff/events/new/?from={event.pk}",
        f"/staff/events/{event.pk}/cancel/",
        f"/events/{event.pk}/",
    ):
        assert link in hrefs(page)
    assert f"/staff/events/{event.pk}/outcome/" not in page  # not started yet


def test_cancel_page_warns_how_many_people_will_be_emailed(client, event):
    register(event, "Ann One")
    register(event, "Bea Two")

    page = text(client.get(f"/staff/events/{event.pk}/cancel/"))

    assert "2 people are registered and will be emailed" in page


def test_cancelling_without_a_reason_is_refused(client, event):
    page = text(client.post(f"/staff/events/{event.pk}/cancel/", {"reason": ""}))

    assertInHTML('<a href="#id_reason">Enter the reason for cancelling</a>', page)
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_cancelling_emails_those_registered(client, event):
    register(event, "Ann One")

    response = client.post(
        f"/staff/events/{event.pk}/cancel/", {"reason": "The hall flooded."}, follow=True
    )

    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert "Normanton beat meeting is cancelled. 1 person is emailed." in text(response)
    assert OutboxEmail.objects.get().to == ["ann@example.com"]


def test_an_officer_who_chose_welsh_cancels_an_event_in_welsh(client, settings, event):
    register(event, "Ann One")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    warning = text(client.get(f"/staff/events/{event.pk}/cancel/"))
    response = client.post(
        f"/staff/events/{event.pk}/cancel/", {"reason": "The hall flooded."}, follow=True
    )

    assert "Mae 1 person wedi cofrestru a byddan nhw’n cael e-bost" in warning
    page = text(response)
    assert "Mae Normanton beat meeting wedi’i ganslo. Caiff 1 person e-bost." in page
    assert "is cancelled" not in page


def test_a_series_is_described_in_welsh_for_an_officer_who_chose_welsh(
    client, settings, area, priya
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"

    response = client.post("/staff/events/series/new/", series_form(area), follow=True)

    page = text(response)
    assert (
        "Mae Normanton beat meeting wedi’i restru y dydd Mawrth cyntaf bob mis; y cyntaf yw "
        "dydd Mawrth 6 Hydref 2026 am 7pm." in page
    )
    assert "Y dydd Mawrth cyntaf bob mis, 7pm" in page
    assert "every month" not in page


def test_a_past_event_has_no_cancel_form(client, held):
    page = text(client.get(f"/staff/events/{held.pk}/cancel/"))

    assert "cannot be cancelled" in page
    assert not elements(page, "*", name="reason")
    client.post(f"/staff/events/{held.pk}/cancel/", {"reason": "Too late"})
    held.refresh_from_db()
    assert held.status == Event.Status.SCHEDULED


def test_attendance_is_saved_from_the_checkboxes(client, held):
    came, away = register(held, "Ann One"), register(held, "Bea Two")

    response = client.post(f"/staff/events/{held.pk}/attendance/", {"attended": [came.pk]})

    assert response.status_code == 302
    came.refresh_from_db()
    away.refresh_from_db()
    assert (came.attended, away.attended) == (True, False)


def test_attendance_before_the_event_is_refused_with_a_message(client, event):
    register(event, "Ann One")

    response = client.post(f"/staff/events/{event.pk}/attendance/", {"attended": []})

    assert response.status_code == 400
    assert "You can record who attended once the event has started." in text(response)


# --- The outcome --------------------------------------------------------------------------------


def test_outcome_page_offers_the_neighbourhood_s_current_priorities(client, held, area):
    PriorityFactory(neighbourhood=area, issue="Drug dealing in the park")
    PriorityFactory(neighbourhood=area, issue="Old problem", status=Priority.Status.RESOLVED)
    PriorityFactory(issue="Somewhere else")

    page = text(client.get(f"/staff/events/{held.pk}/outcome/"))

    assert "Add each issue as a new priority for Normanton" in page
    assert "Drug dealing in the park" in page
    assert "Old problem" not in page
    assert "Somewhere else" not in page


def test_outcome_turns_issues_into_priorities_in_one_step(client, held, area):
    discussed = PriorityFactory(neighbourhood=area, issue="Drug dealing in the park")

    response = client.post(
        f"/staff/events/{held.pk}/outcome/",
        {
            "attendance": "14",
            "summary": "Residents raised parking and speeding.",
            "issues_raised": "Speeding on Fox Lane\r\nParking on the zigzags\r\n",
            "create_priorities": "on",
            "priorities": [discussed.pk],
        },
        follow=True,
    )

    outcome = Outcome.objects.get()
    assert outcome.attendance == 14
    assert sorted(p.issue for p in outcome.priorities.all()) == [
        "Drug dealing in the park",
        "Parking on the zigzags",
        "Speeding on Fox Lane",
    ]
    page = text(response)
    assert "The outcome is recorded." in page
    assert "Speeding on Fox Lane (open)" in page


def test_outcome_form_errors_are_named(client, held):
    page = text(
        client.post(
            f"/staff/events/{held.pk}/outcome/",
            {"attendance": "-1", "summary": "", "create_priorities": "on"},
        )
    )

    assert "Enter how many people came, as a whole number" in page
    assert "Enter a summary of the meeting" in page
    assert not Outcome.objects.exists()


def test_outcome_asks_for_issues_when_they_are_to_become_priorities(client, held):
    page = text(
        client.post(
            f"/staff/events/{held.pk}/outcome/",
            {"attendance": "3", "summary": "Quiet", "create_priorities": "on"},
        )
    )

    assert "Enter the issues raised, one per line, to add them as priorities" in page


def test_outcome_of_a_future_event_is_not_offered(client, event):
    page = text(client.get(f"/staff/events/{event.pk}/outcome/"))

    assert "You can record the outcome once the event has started" in page
    assert not elements(page, "*", name="summary")


def test_changing_the_outcome_starts_from_what_was_recorded(client, held):
    client.post(
        f"/staff/events/{held.pk}/outcome/",
        {"attendance": "9", "summary": "Quiet meeting.", "issues_raised": "Litter"},
    )

    page = text(client.get(f"/staff/events/{held.pk}/outcome/"))

    assert "Change the outcome" in page
    assert value(page, "attendance") == "9"
    assert value(page, "summary") == "Quiet meeting."


# --- Series -------------------------------------------------------------------------------------


def series_form(area, **changes) -> dict:
    data = form_data(area, repeat="monthly_1", weekday="1", first_date="2026-09-20")
    for box in ("date_day", "date_month", "date_year"):
        data.pop(box)
    return with_date_boxes({**data, **changes}, "first_date")


def test_adding_a_series_lists_its_meetings_at_once(client, area, priya):
    response = client.post("/staff/events/series/new/", series_form(area), follow=True)

    series = Series.objects.get()
    assert series.rrule == "FREQ=MONTHLY;BYDAY=1TU"
    starts = [e.starts_at for e in Event.objects.filter(series=series).order_by("starts_at")]
    assert starts[:3] == [london(2026, 10, 6, 19), london(2026, 11, 3, 19), london(2026, 12, 1, 19)]
    page = text(response)
    assert (
        "Normanton beat meeting is listed the first Tuesday of every month, from Tuesday 6 "
        "October 2026 at 7pm." in page
    )
    assert "The first Tuesday of every month, 7pm" in page


def test_series_form_names_a_missing_pattern_and_day(client, area, priya):
    page = text(client.post("/staff/events/series/new/", series_form(area, repeat="", weekday="")))

    assertInHTML('<a href="#id_repeat_0">Choose how often it repeats</a>', page)
    assert "Choose the day of the week" in page
    assert not Series.objects.exists()


def test_editing_a_series_changes_its_upcoming_meetings(client, area, priya):
    client.post("/staff/events/series/new/", series_form(area))
    series = Series.objects.get()

    response = client.post(
        f"/staff/events/series/{series.pk}/edit/",
        series_form(area, title="Normanton residents meeting"),
    )

    assert response.status_code == 302
    assert set(Event.objects.values_list("title", flat=True)) == {"Normanton residents meeting"}


def test_ending_a_series_warns_then_cancels_its_meetings(client, area, priya):
    client.post("/staff/events/series/new/", series_form(area))
    series = Series.objects.get()
    register(Event.objects.order_by("starts_at").first(), "Ann One")

    page = text(client.get(f"/staff/events/series/{series.pk}/end/"))
    assert "are cancelled, and the 1 person registered is emailed your reason" in page

    client.post(f"/staff/events/series/{series.pk}/end/", {"reason": "Moving online."})

    assert not Event.objects.filter(status=Event.Status.SCHEDULED).exists()
    assert OutboxEmail.objects.get().to == ["ann@example.com"]


# --- The list -----------------------------------------------------------------------------------


def test_list_shows_upcoming_events_past_ones_awaiting_an_outcome_series_and_stale_listings(
    client, area, event, held
):
    quiet = NeighbourhoodFactory(name="Allenton", slug="allenton")
    AssignmentFactory(
        officer=event.neighbourhood.assignments.get().officer,
        neighbourhood=quiet,
        role=Assignment.Role.TEAM_MEMBER,
    )
    SeriesFactory(neighbourhood=area, title="Monthly surgery")
    stale_meeting = EventFactory(
        neighbourhood=quiet, starts_at=london(2026, 8, 20, 19), ends_at=london(2026, 8, 20, 20)
    )

    page = text(client.get("/staff/events/"))

    assert "Normanton beat meeting" in page
    assert f"/staff/events/{held.pk}/outcome/" in hrefs(page)
    assert "Monthly surgery" in page
    assert "Listings to bring up to date" in page
    assert "/staff/events/new/?neighbourhood=allenton" in page
    assert f"No outcome for {stale_meeting.title}" in page


def test_list_filters_to_one_neighbourhood(client, area, event, priya):
    other = NeighbourhoodFactory(name="Allenton", slug="allenton")
    AssignmentFactory(
        officer=area.assignments.get().officer,
        neighbourhood=other,
        role=Assignment.Role.TEAM_MEMBER,
    )
    elsewhere = EventFactory(neighbourhood=other, title="Allenton street briefing")

    page = text(client.get("/staff/events/?neighbourhood=allenton"))

    assert elsewhere.title in page
    assert "1 event in Allenton" in page
    assert f"/staff/events/{event.pk}/" not in hrefs(page)


def test_list_page_that_does_not_exist_is_a_clear_404(client, priya):
    response = client.get("/staff/events/?page=99")

    assert response.status_code == 404
    assert "There is no page 99 in this list." in text(response)


def test_htmx_pagination_gets_only_the_list_of_upcoming_events(client, event):
    response = client.get("/staff/events/", headers={"HX-Request": "true"})

    page = text(response)
    assert [(root.tag, root.attrs.get("id")) for root in roots(page)] == [
        ("div", "upcoming-events")
    ]
    assert "Normanton beat meeting" in page


def test_list_runs_a_fixed_number_of_queries_with_500_events_in_20_neighbourhoods(
    client, administrator_account, django_assert_max_num_queries
):
    areas = [NeighbourhoodFactory() for _ in range(20)]
    events = []
    for number in range(500):
        start = NOW + datetime.timedelta(days=number % 100 - 40, hours=number % 7)
        events.append(
            Event(
                neighbourhood=areas[number % 20],
                event_type=Event.Type.BEAT_MEETING,
                title=f"Meeting {number}",
                venue_name="Hall",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
            )
        )
    Event.objects.bulk_create(events)
    for event in Event.objects.all()[:100]:
        register(event, f"Resident {event.pk}")
    for area in areas[:5]:
        SeriesFactory(neighbourhood=area)
    client.force_login(administrator_account)

    with django_assert_max_num_queries(12):
        response = client.get("/staff/events/")

    assert response.status_code == 200
    assert "showing 1 to 25" in text(response)


def test_staff_home_links_officers_to_the_events_area(client, priya):
    page = text(client.get("/staff/"))

    assert "/staff/events/" in hrefs(page)


def test_staff_home_has_no_events_link_for_opcc(client, opcc_account):
    client.force_login(opcc_account)

    assert "/staff/events/" not in hrefs(client.get("/staff/"))


def test_event_page_runs_a_fixed_number_of_queries_with_200_registrations(
    client, held, area, django_assert_max_num_queries
):
    for number in range(200):
        register(held, f"Resident{number} Smith", attended=number % 2 == 0)
    outcome = Outcome.objects.create(event=held, attendance=100, summary="Busy.")
    outcome.priorities.set([PriorityFactory(neighbourhood=area) for _ in range(10)])

    # 7, and 4 for the audit's record of the registrations seen: the viewer's roles, the
    # INSERT, and the savepoint around it that the test's transaction adds.
    with django_assert_max_num_queries(11):
        response = client.get(f"/staff/events/{held.pk}/")

    assert response.status_code == 200
    assert len(elements(response, "input", name="attended")) == 200
