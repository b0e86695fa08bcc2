"""The officers' event services: the rules each refuses, SEQUENCE, and who is emailed."""

import datetime
import secrets

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from config.dates import LONDON
from config.roles import Role
from engagement.models import Priority
from meetings import recurrence as rules
from meetings.models import Event, Outcome, Registration
from meetings.services import events as event_services
from meetings.services import outcomes as outcome_services
from meetings.services import series as series_services
from meetings.services.series import series_materialise
from notifications.models import OutboxEmail
from officers.models import Assignment, Rank
from tests.factories import (
    AssignmentFactory,
    EventFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    PriorityFactory,
)
from tests.fixtures.clock import london

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Monday 14 September 2026, 9am in London (BST).
NOW = datetime.datetime(2026, 9, 14, 9, tzinfo=LONDON)


@pytest.fixture
def priya(area, officer_account):
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma", rank=Rank.PC)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return officer_account


def details(area, **changes) -> dict:
    data = {
        "neighbourhood": area,
        "event_type": Event.Type.BEAT_MEETING,
        "title": "Normanton beat meeting",
        "description": "Tell us what matters.",
        "venue_name": "Normanton Community Centre",
        "address": "12 Browning Street, Derby",
        "postcode": "de23 6aa",
        "step_free_access": True,
        "hearing_loop": False,
        "parking": True,
        "accessibility_notes": "",
        "online_url": "",
        "capacity": None,
        "starts_at": london(2026, 10, 6, 19),
        "ends_at": london(2026, 10, 6, 20, 30),
    }
    return {**data, **changes}


def register(event: Event, name: str, *, cancelled: bool = False) -> Registration:
    return Registration.objects.create(
        event=event,
        name=name,
        email=f"{name.split()[0].lower()}@example.com",
        cancel_token_hash=secrets.token_hex(32),
        cancelled_at=NOW if cancelled else None,
    )


def errors_of(excinfo: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


@pytest.fixture
def event(area, priya):
    return event_services.event_create(user=priya, data=details(area))


# --- Creating -----------------------------------------------------------------------------------


def test_create_lists_the_event_organised_by_the_officer_with_the_postcode_in_normal_form(
    area, priya
):
    event = event_services.event_create(user=priya, data=details(area))

    event.refresh_from_db()
    assert event.organiser.display_name == "Priya Sharma"
    assert event.postcode == "DE23 6AA"
    assert event.status == Event.Status.SCHEDULED
    assert event.sequence == 0
    assert (event.step_free_access, event.hearing_loop, event.parking) == (True, False, True)


def test_create_refuses_a_start_in_the_past(area, priya):
    data = details(area, starts_at=london(2026, 9, 14, 8), ends_at=london(2026, 9, 14, 10))

    with pytest.raises(ValidationError) as excinfo:
        event_services.event_create(user=priya, data=data)

    assert errors_of(excinfo) == {
        "starts_at": ["The event must start in the future: check the date and start time"]
    }
    assert not Event.objects.exists()


def test_create_refuses_an_end_not_after_the_start(area, priya):
    data = details(area, ends_at=london(2026, 10, 6, 19))

    with pytest.raises(ValidationError) as excinfo:
        event_services.event_create(user=priya, data=data)

    assert errors_of(excinfo) == {"ends_at": ["The end time must be after the start time"]}


def test_create_refuses_an_end_that_is_the_start_once_the_clocks_go_forward(area, priya):
    # 1:30am does not exist on Sunday 28 March 2027: it is 2:30am BST, so 1:30 to 2:30 lasts no
    # time at all. Compared as London wall-clock times it looked like an hour, and the database
    # refused the row with an error page.
    data = details(area, starts_at=london(2027, 3, 28, 1, 30), ends_at=london(2027, 3, 28, 2, 30))

    with pytest.raises(ValidationError) as excinfo:
        event_services.event_create(user=priya, data=data)

    assert errors_of(excinfo) == {"ends_at": ["The end time must be after the start time"]}
    assert not Event.objects.exists()


def test_length_counts_the_hour_the_clocks_go_back(area, priya):
    # From 12:30am BST on Sunday 31 October 2027 to midnight GMT is 24.5 real hours.
    data = details(area, starts_at=london(2027, 10, 31, 0, 30), ends_at=london(2027, 11, 1, 0, 0))

    with pytest.raises(ValidationError) as excinfo:
        event_services.event_create(user=priya, data=data)

    assert errors_of(excinfo) == {"ends_at": ["An event can last 24 hours at most"]}


def test_create_refuses_an_event_longer_than_a_day(area, priya):
    data = details(area, ends_at=london(2026, 10, 7, 19, 1))

    with pytest.raises(ValidationError) as excinfo:
        event_services.event_create(user=priya, data=data)

    assert errors_of(excinfo) == {"ends_at": ["An event can last 24 hours at most"]}


def test_create_refuses_a_postcode_that_is_not_one(area, priya):
    with pytest.raises(ValidationError) as excinfo:
        event_services.event_create(user=priya, data=details(area, postcode="DE23"))

    assert errors_of(excinfo) == {"postcode": ["Enter a real postcode, like DE1 1AA"]}


def test_create_refuses_an_online_meeting_without_a_joining_link(area, priya):
    data = details(area, event_type=Event.Type.ONLINE_MEETING, venue_name="", address="")

    with pytest.raises(ValidationError) as excinfo:
        event_services.event_create(user=priya, data=data)

    assert errors_of(excinfo) == {"online_url": ["Enter the joining link for the online meeting"]}


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "ftp://files.example.com/meeting",
        "meet.example.com/123",
        "https://not a link",
    ],
)
def test_create_refuses_a_joining_link_that_is_not_a_web_address(area, priya, link):
    with pytest.raises(ValidationError) as excinfo:
        event_services.event_create(user=priya, data=details(area, online_url=link))

    assert errors_of(excinfo)["online_url"] == [
        "Enter a joining link that starts with https://, like https://meet.example.com/123"
    ]


def test_create_accepts_an_online_meeting_with_an_https_link(area, priya):
    data = details(
        area,
        event_type=Event.Type.ONLINE_MEETING,
        venue_name="",
        address="",
        postcode="",
        online_url="https://meet.example.com/normanton",
    )

    event = event_services.event_create(user=priya, data=data)

    assert event.online_url == "https://meet.example.com/normanton"


def test_create_refuses_an_event_with_no_place_or_link(area, priya):
    data = details(area, venue_name="", address="", postcode="")

    with pytest.raises(ValidationError) as excinfo:
        event_services.event_create(user=priya, data=data)

    assert errors_of(excinfo) == {
        "venue_name": ["Enter the venue or address, or a joining link if the event is held online"]
    }


def test_create_refuses_a_capacity_of_none(area, priya):
    with pytest.raises(ValidationError) as excinfo:
        event_services.event_create(user=priya, data=details(area, capacity=0))

    assert errors_of(excinfo) == {
        "capacity": ["Enter a capacity of 1 or more, or leave it empty for no limit"]
    }


def test_create_refuses_an_officer_of_another_neighbourhood(area, make_account):
    elsewhere = make_account(Role.OFFICER, username="elsewhere")
    AssignmentFactory(officer=OfficerFactory(user=elsewhere))

    with pytest.raises(PermissionDenied):
        event_services.event_create(user=elsewhere, data=details(area))


@pytest.mark.parametrize("roles", [(Role.OPCC,), ()], ids=["opcc", "no-role"])
def test_create_refuses_accounts_that_are_not_officers(area, make_account, roles):
    user = make_account(*roles)

    with pytest.raises(PermissionDenied):
        event_services.event_create(user=user, data=details(area))


def test_sergeant_creates_events_for_the_neighbourhoods_he_leads(area, supervisor_account):
    sergeant = OfficerFactory(user=supervisor_account, rank=Rank.SGT)
    AssignmentFactory(officer=sergeant, neighbourhood=area, role=Assignment.Role.SERGEANT)

    event = event_services.event_create(user=supervisor_account, data=details(area))

    assert event.organiser == sergeant


def test_administrator_creates_events_anywhere_with_no_organiser(area, administrator_account):
    event = event_services.event_create(user=administrator_account, data=details(area))

    assert event.neighbourhood == area
    assert event.organiser is None


# --- Changing -----------------------------------------------------------------------------------


def test_moving_an_event_moves_its_sequence_on_and_emails_live_registrations_only(event, priya):
    register(event, "Winifred Oakenshaw")
    register(event, "Albert Pike")
    register(event, "Gone Away", cancelled=True)

    event_services.event_update(
        user=priya,
        event=event,
        data={"starts_at": london(2026, 10, 13, 18, 30), "ends_at": london(2026, 10, 13, 20)},
    )

    event.refresh_from_db()
    assert event.sequence == 1
    emails = OutboxEmail.objects.order_by("pk")
    assert [email.to for email in emails] == [["winifred@example.com"], ["albert@example.com"]]
    email = emails[0]
    # Residents' details leave the outbox with the registrations (within the clock change).
    assert abs(email.forget_after - event.registrations_forget_after) <= datetime.timedelta(hours=1)
    assert email.subject == (
        "Normanton beat meeting has moved to Tuesday 13 October 2026 at 6:30pm"
    )
    assert "Hello Winifred Oakenshaw," in email.body_text
    assert "Was: Tuesday 6 October 2026 at 7pm to 8:30pm" in email.body_text
    assert "Now: Tuesday 13 October 2026 at 6:30pm to 8pm" in email.body_text
    assert f"/events/{event.pk}/" in email.body_text


def test_a_new_venue_is_emailed_with_what_it_was(event, priya):
    register(event, "Winifred Oakenshaw")

    event_services.event_update(
        user=priya, event=event, data={"venue_name": "St Giles Church Hall"}
    )

    email = OutboxEmail.objects.get()
    assert email.subject == (
        "Normanton beat meeting on Tuesday 6 October 2026 at 7pm: the place has changed"
    )
    assert "Venue\n  Was: Normanton Community Centre\n  Now: St Giles Church Hall" in (
        email.body_text
    )


def test_a_new_title_moves_the_sequence_on_without_emailing(event, priya):
    register(event, "Winifred Oakenshaw")

    event_services.event_update(
        user=priya, event=event, data={"title": "Normanton residents meeting"}
    )

    event.refresh_from_db()
    assert event.title == "Normanton residents meeting"
    assert event.sequence == 1
    assert not OutboxEmail.objects.exists()


def test_saving_with_nothing_changed_keeps_the_sequence(event, priya):
    event_services.event_update(user=priya, event=event, data=details(event.neighbourhood))

    event.refresh_from_db()
    assert event.sequence == 0


def test_capacity_below_the_people_registered_is_refused_saying_how_many(event, priya):
    for name in ("Ann One", "Bea Two", "Cy Three"):
        register(event, name)
    register(event, "Dee Gone", cancelled=True)

    with pytest.raises(ValidationError) as excinfo:
        event_services.event_update(user=priya, event=event, data={"capacity": 2})

    assert errors_of(excinfo) == {
        "capacity": [
            "3 people are registered: enter a capacity of 3 or more, or leave it empty for no limit"
        ]
    }
    event_services.event_update(user=priya, event=event, data={"capacity": 3})
    event.refresh_from_db()
    assert event.capacity == 3


def test_moving_an_event_into_the_past_is_refused(event, priya):
    with pytest.raises(ValidationError) as excinfo:
        event_services.event_update(
            user=priya,
            event=event,
            data={"starts_at": london(2026, 9, 1, 19), "ends_at": london(2026, 9, 1, 20)},
        )

    assert list(errors_of(excinfo)) == ["starts_at"]


def test_a_past_event_can_still_have_its_description_corrected(area, priya):
    past = EventFactory(
        neighbourhood=area, starts_at=london(2026, 9, 1, 19), ends_at=london(2026, 9, 1, 20)
    )

    event_services.event_update(user=priya, event=past, data={"description": "Fixed a typo."})

    past.refresh_from_db()
    assert past.description == "Fixed a typo."


def test_a_cancelled_event_cannot_be_changed(event, priya):
    event_services.event_cancel(user=priya, event=event, reason="The hall flooded.")

    with pytest.raises(ValidationError, match="cancelled"):
        event_services.event_update(user=priya, event=event, data={"title": "Back on"})


def test_update_refuses_an_officer_of_another_neighbourhood(event, make_account):
    elsewhere = make_account(Role.OFFICER, username="elsewhere")
    AssignmentFactory(officer=OfficerFactory(user=elsewhere))

    with pytest.raises(PermissionDenied):
        event_services.event_update(user=elsewhere, event=event, data={"title": "Mine now"})


def test_update_refuses_moving_an_event_to_a_neighbourhood_the_officer_does_not_manage(
    event, priya
):
    with pytest.raises(PermissionDenied):
        event_services.event_update(
            user=priya, event=event, data={"neighbourhood": NeighbourhoodFactory()}
        )


# --- Cancelling ---------------------------------------------------------------------------------


def test_cancelling_records_the_reason_moves_the_sequence_on_and_emails_live_registrations(
    event, priya
):
    register(event, "Winifred Oakenshaw")
    register(event, "Gone Away", cancelled=True)

    event_services.event_cancel(user=priya, event=event, reason="  The hall flooded.  ")

    event.refresh_from_db()
    assert (event.status, event.cancelled_reason, event.sequence) == (
        Event.Status.CANCELLED,
        "The hall flooded.",
        1,
    )
    email = OutboxEmail.objects.get()
    assert email.to == ["winifred@example.com"]
    assert email.subject == "Cancelled: Normanton beat meeting on Tuesday 6 October 2026 at 7pm"
    assert "Why:\nThe hall flooded." in email.body_text


def test_cancelling_needs_a_reason(event, priya):
    with pytest.raises(ValidationError) as excinfo:
        event_services.event_cancel(user=priya, event=event, reason=" ")

    assert errors_of(excinfo) == {"reason": ["Enter the reason for cancelling the event"]}
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED


def test_a_past_event_cannot_be_cancelled(area, priya):
    past = EventFactory(
        neighbourhood=area, starts_at=london(2026, 9, 1, 19), ends_at=london(2026, 9, 1, 20)
    )

    with pytest.raises(ValidationError) as excinfo:
        event_services.event_cancel(user=priya, event=past, reason="Too late")

    assert excinfo.value.messages == [
        "This event has already started or taken place, so it cannot be cancelled."
    ]


def test_an_event_cannot_be_cancelled_twice(event, priya):
    event_services.event_cancel(user=priya, event=event, reason="The hall flooded.")

    with pytest.raises(ValidationError) as excinfo:
        event_services.event_cancel(user=priya, event=event, reason="Again")

    assert excinfo.value.messages == ["This event is already cancelled."]
    event.refresh_from_db()
    assert event.sequence == 1


def test_cancel_refuses_an_officer_of_another_neighbourhood(event, make_account):
    elsewhere = make_account(Role.OFFICER, username="elsewhere")
    AssignmentFactory(officer=OfficerFactory(user=elsewhere))

    with pytest.raises(PermissionDenied):
        event_services.event_cancel(user=elsewhere, event=event, reason="Not mine")


# --- Series -------------------------------------------------------------------------------------


def series_data(area, **changes) -> dict:
    data = details(area)
    for name in ("starts_at", "ends_at"):
        data.pop(name)
    data.update(
        pattern=rules.Pattern("weekly", weekday=1),
        first_date=datetime.date(2026, 10, 13),
        start_time=datetime.time(19),
        end_time=datetime.time(20, 30),
    )
    return {**data, **changes}


def test_series_create_lists_its_meetings_at_7pm_on_both_sides_of_the_clock_change(
    area, priya, settings
):
    settings.SERIES_HORIZON_DAYS = 60

    series = series_services.series_create(user=priya, data=series_data(area))

    starts = list(
        Event.objects.filter(series=series)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    )
    local = [start.astimezone(LONDON) for start in starts]
    assert [f"{start:%d %b %H:%M}" for start in local[:4]] == [
        "13 Oct 19:00",
        "20 Oct 19:00",
        "27 Oct 19:00",  # the clocks went back on Sunday 25 October
        "03 Nov 19:00",
    ]
    assert starts[1].astimezone(datetime.UTC).hour == 18
    assert starts[2].astimezone(datetime.UTC).hour == 19
    assert series.duration == datetime.timedelta(hours=1, minutes=30)
    assert series.rrule == "FREQ=WEEKLY;BYDAY=TU"
    assert Event.objects.filter(series=series, postcode="DE23 6AA").count() == len(starts)


def test_series_starts_on_the_first_date_that_fits_the_pattern(area, priya):
    data = series_data(
        area,
        pattern=rules.Pattern("monthly", weekday=1, ordinal=1),
        first_date=datetime.date(2026, 9, 20),
    )

    series = series_services.series_create(user=priya, data=data)

    assert series.first_starts_at == london(2026, 10, 6, 19)
    assert Event.objects.filter(series=series).first().starts_at == london(2026, 10, 6, 19)


def test_series_refuses_an_end_time_before_the_start_time(area, priya):
    with pytest.raises(ValidationError) as excinfo:
        series_services.series_create(
            user=priya, data=series_data(area, end_time=datetime.time(18))
        )

    assert errors_of(excinfo) == {"end_time": ["The end time must be after the start time"]}


def test_series_refuses_a_first_meeting_earlier_today(area, priya):
    data = series_data(
        area,
        pattern=rules.Pattern("weekly", weekday=0),  # Mondays, and today is one
        first_date=datetime.date(2026, 9, 14),
        start_time=datetime.time(8),
        end_time=datetime.time(9),
    )

    with pytest.raises(ValidationError) as excinfo:
        series_services.series_create(user=priya, data=data)

    assert errors_of(excinfo) == {
        "first_date": [
            "The first meeting must be in the future: check the first date and start time"
        ]
    }


def test_series_refuses_a_first_date_long_gone(area, priya):
    with pytest.raises(ValidationError) as excinfo:
        series_services.series_create(
            user=priya, data=series_data(area, first_date=datetime.date(2025, 1, 1))
        )

    assert list(errors_of(excinfo)) == ["first_date"]


def test_series_create_refuses_an_officer_of_another_neighbourhood(area, make_account):
    elsewhere = make_account(Role.OFFICER, username="elsewhere")
    AssignmentFactory(officer=OfficerFactory(user=elsewhere))

    with pytest.raises(PermissionDenied):
        series_services.series_create(user=elsewhere, data=series_data(area))


@pytest.fixture
def series(area, priya):
    return series_services.series_create(user=priya, data=series_data(area))


def test_series_update_gives_upcoming_meetings_the_new_venue_and_emails_their_registrations(
    series, priya
):
    first = Event.objects.filter(series=series).order_by("starts_at").first()
    register(first, "Winifred Oakenshaw")

    series_services.series_update(user=priya, series=series, data={"venue_name": "St Giles Hall"})

    series.refresh_from_db()
    assert series.venue_name == "St Giles Hall"
    assert set(Event.objects.filter(series=series).values_list("venue_name", flat=True)) == {
        "St Giles Hall"
    }
    first.refresh_from_db()
    assert first.sequence == 1
    email = OutboxEmail.objects.get()
    assert email.to == ["winifred@example.com"]
    assert "Now: St Giles Hall" in email.body_text


def test_series_update_keeps_a_meeting_s_own_value_for_a_detail_the_series_did_not_change(
    series, priya
):
    moved = Event.objects.filter(series=series).order_by("starts_at").first()
    event_services.event_update(user=priya, event=moved, data={"venue_name": "Library"})

    series_services.series_update(user=priya, series=series, data={"title": "Residents meeting"})

    moved.refresh_from_db()
    assert (moved.title, moved.venue_name, moved.sequence) == ("Residents meeting", "Library", 2)


def test_series_update_leaves_cancelled_meetings_alone(series, priya):
    cancelled = Event.objects.filter(series=series).order_by("starts_at").first()
    event_services.event_cancel(user=priya, event=cancelled, reason="Half term")

    series_services.series_update(user=priya, series=series, data={"title": "Residents meeting"})

    cancelled.refresh_from_db()
    assert cancelled.title == "Normanton beat meeting"


def test_series_update_refuses_a_capacity_below_a_meeting_s_registrations(series, priya):
    first = Event.objects.filter(series=series).order_by("starts_at").first()
    register(first, "Ann One")
    register(first, "Bea Two")

    with pytest.raises(ValidationError) as excinfo:
        series_services.series_update(user=priya, series=series, data={"capacity": 1})

    assert errors_of(excinfo) == {
        "capacity": [
            "2 people are registered for Tuesday 13 October 2026 at 7pm: enter a capacity of "
            "2 or more, or leave it empty for no limit"
        ]
    }
    series.refresh_from_db()
    assert series.capacity is None


def test_ending_a_series_cancels_its_upcoming_meetings_and_emails_their_registrations(
    series, priya
):
    first = Event.objects.filter(series=series).order_by("starts_at").first()
    register(first, "Winifred Oakenshaw")

    series_services.series_end(user=priya, series=series, reason="Meetings move online.")

    series.refresh_from_db()
    assert series.ended_at == NOW
    assert not Event.objects.filter(series=series, status=Event.Status.SCHEDULED).exists()
    email = OutboxEmail.objects.get()
    assert email.to == ["winifred@example.com"]
    assert "Meetings move online." in email.body_text
    series.materialised_until = None
    assert series_materialise(series=series) == []


def test_ending_a_series_needs_a_reason(series, priya):
    with pytest.raises(ValidationError) as excinfo:
        series_services.series_end(user=priya, series=series, reason="")

    assert errors_of(excinfo) == {"reason": ["Enter the reason for cancelling the series"]}


def test_series_end_refuses_an_officer_of_another_neighbourhood(series, make_account):
    elsewhere = make_account(Role.OFFICER, username="elsewhere")
    AssignmentFactory(officer=OfficerFactory(user=elsewhere))

    with pytest.raises(PermissionDenied):
        series_services.series_end(user=elsewhere, series=series, reason="Not mine")


# --- Outcome and attendance ---------------------------------------------------------------------


@pytest.fixture
def held(area):
    """A meeting last Tuesday evening."""
    return EventFactory(
        neighbourhood=area,
        title="Normanton beat meeting",
        starts_at=london(2026, 9, 8, 19),
        ends_at=london(2026, 9, 8, 20),
    )


def record(user, event, **changes) -> Outcome:
    arguments = {
        "attendance": 14,
        "summary": "Residents raised parking and speeding.",
        "issues_raised": "Speeding on Fox Lane\n\n  Parking on the school zigzags  ",
        "create_priorities": True,
        "priorities": [],
    }
    return outcome_services.outcome_record(user=user, event=event, **{**arguments, **changes})


def test_outcome_turns_each_issue_into_an_open_priority_dated_the_meeting_day(held, priya):
    outcome = record(priya, held)

    held.refresh_from_db()
    assert held.status == Event.Status.HELD
    created = Priority.objects.order_by("pk")
    assert [(p.issue, p.status, p.issue_date) for p in created] == [
        ("Speeding on Fox Lane", Priority.Status.OPEN, datetime.date(2026, 9, 8)),
        ("Parking on the school zigzags", Priority.Status.OPEN, datetime.date(2026, 9, 8)),
    ]
    assert set(outcome.priorities.all()) == set(created)
    assert outcome.issues == ["Speeding on Fox Lane", "Parking on the school zigzags"]
    assert outcome.recorded_by.display_name == "Priya Sharma"


def test_outcome_links_the_priorities_discussed_and_marks_them_updated(held, priya, area):
    with time_machine.travel(NOW - datetime.timedelta(days=30), tick=False):
        discussed = PriorityFactory(neighbourhood=area, issue="Drug dealing in the park")
    before = discussed.updated_at

    outcome = record(priya, held, create_priorities=False, priorities=[discussed])

    discussed.refresh_from_db()
    assert list(outcome.priorities.all()) == [discussed]
    assert discussed.updated_at > before
    assert Priority.objects.count() == 1


def test_recording_again_edits_the_same_outcome_without_duplicating_priorities(held, priya):
    first = record(priya, held)

    again = record(
        priya,
        held,
        attendance=15,
        issues_raised="Speeding on Fox Lane\nParking on the school zigzags\nLitter",
    )

    assert again.pk == first.pk
    assert Outcome.objects.get().attendance == 15
    assert sorted(Priority.objects.values_list("issue", flat=True)) == [
        "Litter",
        "Parking on the school zigzags",
        "Speeding on Fox Lane",
    ]
    assert again.priorities.count() == 3
    assert again.history.count() == 2


def test_an_issue_that_is_already_a_current_priority_is_linked_not_created(held, priya, area):
    existing = PriorityFactory(neighbourhood=area, issue="speeding on  Fox Lane")

    outcome = record(priya, held, issues_raised="Speeding on Fox Lane")

    assert list(outcome.priorities.all()) == [existing]
    assert Priority.objects.count() == 1


def test_outcome_is_refused_before_the_event_starts(event, priya):
    with pytest.raises(ValidationError) as excinfo:
        record(priya, event)

    assert excinfo.value.messages == [
        "You can record the outcome once the event has started, on Tuesday 6 October 2026 at 7pm."
    ]
    assert not Outcome.objects.exists()


def test_outcome_is_refused_for_a_cancelled_event(held, priya):
    Event.objects.filter(pk=held.pk).update(status=Event.Status.CANCELLED)
    held.refresh_from_db()

    with pytest.raises(ValidationError, match="cancelled"):
        record(priya, held)


def test_outcome_refuses_priorities_of_another_neighbourhood(held, priya):
    elsewhere = PriorityFactory()

    with pytest.raises(ValidationError) as excinfo:
        record(priya, held, priorities=[elsewhere])

    assert list(errors_of(excinfo)) == ["priorities"]


def test_outcome_needs_issues_to_turn_into_priorities(held, priya):
    with pytest.raises(ValidationError) as excinfo:
        record(priya, held, issues_raised="")

    assert errors_of(excinfo) == {
        "issues_raised": ["Enter the issues raised, one per line, to add them as priorities"]
    }


def test_outcome_refuses_an_officer_of_another_neighbourhood(held, make_account):
    elsewhere = make_account(Role.OFFICER, username="elsewhere")
    AssignmentFactory(officer=OfficerFactory(user=elsewhere))

    with pytest.raises(PermissionDenied):
        record(elsewhere, held)


def test_attendance_marks_those_listed_as_came_and_the_others_as_not(held, priya):
    came, stayed_away = register(held, "Ann One"), register(held, "Bea Two")

    assert (
        outcome_services.registration_attendance_set(user=priya, event=held, attended_ids=[came.pk])
        == 1
    )

    came.refresh_from_db()
    stayed_away.refresh_from_db()
    assert (came.attended, stayed_away.attended) == (True, False)


def test_attendance_cannot_be_set_before_the_event(event, priya):
    register(event, "Ann One")

    with pytest.raises(ValidationError):
        outcome_services.registration_attendance_set(user=priya, event=event, attended_ids=[])


def test_attendance_refuses_an_officer_of_another_neighbourhood(held, make_account):
    elsewhere = make_account(Role.OFFICER, username="elsewhere")
    AssignmentFactory(officer=OfficerFactory(user=elsewhere))

    with pytest.raises(PermissionDenied):
        outcome_services.registration_attendance_set(user=elsewhere, event=held, attended_ids=[])
