"""Recording a meeting that already took place, with its outcome, in one go: through the test
client (the staff page, the public pages it shows on) and the service's own rules."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pytest_django.asserts import assertInHTML

from alerts.models import AlertChange
from config.dates import LONDON
from config.roles import Role
from engagement.models import Priority
from meetings.models import Event, Outcome
from meetings.services.events import event_record_past
from notifications.models import OutboxEmail
from officers.models import Assignment, Rank
from tests.factories import (
    AssignmentFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    PriorityFactory,
)
from tests.html import comes_before, element, elements, hrefs, links, texts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

# Monday 14 September 2026, 9am in London (BST).
NOW = datetime.datetime(2026, 9, 14, 9, tzinfo=LONDON)
URL = "/staff/events/past/"


@pytest.fixture
def priya(area, officer_account, client):
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma", rank=Rank.PC)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    client.force_login(officer_account)
    return officer_account


def meeting_date(year: int, month: int, day: int) -> dict[str, str]:
    """The form's date of the meeting, as its day, month and year boxes (not checked: the
    day may not exist)."""
    return {"date_day": str(day), "date_month": str(month), "date_year": str(year)}


def form_data(area, day: tuple[int, int, int] = (2026, 9, 8), **changes) -> dict:
    data = {
        "neighbourhood": area.pk,
        "event_type": Event.Type.STREET_BRIEFING,
        "title": "Street briefing on Fox Lane",
        "description": "",
        **meeting_date(*day),
        "start_time": "7pm",
        "end_time": "20:30",
        "venue_name": "Corner of Fox Lane and Browning Street",
        "address": "",
        "postcode": "",
        "online_url": "",
        "attendance": "9",
        "summary": "Neighbours told us about speeding after school.",
        "issues_raised": "Speeding on Fox Lane after school\nBins left on the pavement",
        "create_priorities": "on",
    }
    return {**data, **changes}


def text(response) -> str:
    return response.content.decode()


# --- The journey ------------------------------------------------------------------------------


def test_officer_records_a_past_meeting_with_its_outcome_in_one_go(client, area, priya):
    response = client.post(URL, form_data(area))

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/events/{event.pk}/"
    assert event.status == Event.Status.HELD
    assert event.neighbourhood == area
    assert (event.starts_at, event.ends_at) == (
        datetime.datetime(2026, 9, 8, 19, tzinfo=LONDON),
        datetime.datetime(2026, 9, 8, 20, 30, tzinfo=LONDON),
    )
    assert event.organiser.display_name == "Priya Sharma"
    outcome = Outcome.objects.get()
    assert outcome.event == event
    assert outcome.attendance == 9
    assert outcome.summary == "Neighbours told us about speeding after school."
    assert outcome.recorded_by.display_name == "Priya Sharma"
    page = text(client.get(response["Location"]))
    assert "Street briefing on Fox Lane is recorded with its outcome." in page
    assert "Held" in page


def test_issues_raised_at_a_past_meeting_become_priorities_dated_that_day(client, area, priya):
    client.post(URL, form_data(area))

    priorities = Priority.objects.order_by("issue")
    assert [(p.issue, p.status, p.issue_date) for p in priorities] == [
        ("Bins left on the pavement", Priority.Status.OPEN, datetime.date(2026, 9, 8)),
        ("Speeding on Fox Lane after school", Priority.Status.OPEN, datetime.date(2026, 9, 8)),
    ]
    assert set(Outcome.objects.get().priorities.all()) == set(priorities)


def test_an_issue_already_a_current_priority_is_linked_not_duplicated(client, area, priya):
    existing = PriorityFactory(neighbourhood=area, issue="Bins left on the pavement")

    client.post(URL, form_data(area))

    assert Priority.objects.filter(issue="Bins left on the pavement").count() == 1
    assert existing in Outcome.objects.get().priorities.all()


def test_a_past_meeting_sends_no_email_and_no_new_event_alert(client, area, priya):
    client.post(URL, form_data(area, create_priorities=""))

    assert Event.objects.count() == 1
    assert not OutboxEmail.objects.exists()
    assert not AlertChange.objects.filter(kind=AlertChange.Kind.EVENT).exists()


def test_a_past_meeting_shows_on_the_neighbourhood_page_with_its_outcome_not_as_upcoming(
    client, area, priya
):
    client.post(URL, form_data(area))
    event = Event.objects.get()

    page = text(client.get(area.get_absolute_url()))
    past = page[page.index("Past meetings: you said, we did") :]
    upcoming = page[page.index("Upcoming events") : page.index("Past meetings")]
    assert "Street briefing on Fox Lane" in past
    assert "Neighbours told us about speeding after school." in past
    [past_heading] = [h2 for h2 in elements(page, "h2") if h2.text.startswith("Past meetings")]
    made = "Made a priority: Speeding on Fox Lane after school (open)"
    [made_item] = [item for item in elements(page, "li") if item.text == made and not item.inside]
    assert comes_before(page, past_heading, made_item)
    assert "Street briefing on Fox Lane" not in upcoming
    assert "No events are planned at the moment." in upcoming
    assert "Street briefing on Fox Lane" not in text(client.get("/events/"))
    upcoming_list = element(client.get("/staff/events/"), "*", id="upcoming-events")
    assert f"/staff/events/{event.pk}/" not in hrefs(upcoming_list)


def test_the_page_is_offered_from_the_events_list_and_the_staff_home(client, area, priya):
    assert URL in hrefs(client.get("/staff/events/"))
    assert URL in hrefs(client.get("/staff/"))

    page = text(client.get(URL))

    assertInHTML('<h1 class="govuk-heading-xl">Record a past meeting</h1>', page)
    assert "Date" in texts(page, "legend")
    for label in ("Start time", "End time", "How many people came", "Summary"):
        assert label in texts(page, "label")
    assert "Capacity" not in page


# --- Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (meeting_date(2026, 9, 20), "date", "The meeting must have taken place"),
        (
            {**meeting_date(2026, 9, 14), "start_time": "8am", "end_time": "10am"},
            "end_time",
            "The meeting must have ended",
        ),
        (meeting_date(2025, 9, 1), "date", "Enter a date in the last 12 months"),
        ({"end_time": "6pm"}, "end_time", "The end time must be after the start time"),
        ({"summary": ""}, "summary", "Enter a summary of the meeting"),
        ({"attendance": "-3"}, "attendance", "Enter how many people came, as a whole number"),
        ({"attendance": "many"}, "attendance", "Enter how many people came, as a whole number"),
        (meeting_date(2026, 2, 30), "date", "The date of the event must be a real date"),
        ({"start_time": "25:99"}, "start_time", "Enter a time"),
        ({"title": ""}, "title", "Enter a title"),
        ({"neighbourhood": "abc"}, "neighbourhood", "Choose one of the neighbourhoods"),
        ({"issues_raised": ""}, "issues_raised", "Enter the issues raised, one per line"),
        ({"postcode": "nowhere"}, "postcode", "Enter a real postcode"),
    ],
)
def test_bad_input_is_named_next_to_its_field_and_nothing_is_saved(
    client, area, priya, changes, field, message
):
    response = client.post(URL, form_data(area, **changes))

    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    # A date's link goes to its first box (GOV.UK's date input).
    anchor = "date_day" if field == "date" else field
    assert any(label.startswith(message) for label, href in links(page) if href == f"#id_{anchor}")
    assert not Event.objects.exists()
    assert not Outcome.objects.exists()
    assert not Priority.objects.exists()


def test_every_problem_the_service_finds_is_named_at_once(client, area, priya):
    response = client.post(
        URL, form_data(area, day=(2026, 10, 1), postcode="nowhere", issues_raised="")
    )

    page = text(response)
    assert any(
        label.startswith("The meeting must have taken place")
        for label, href in links(page)
        if href == "#id_date_day"
    )
    assert any(
        label.startswith("Enter a real postcode")
        for label, href in links(page)
        if href == "#id_postcode"
    )
    assert any(
        label.startswith("Enter the issues raised")
        for label, href in links(page)
        if href == "#id_issues_raised"
    )
    assert not Event.objects.exists()


# --- Who may --------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(make_account):
    user = make_account(Role.OFFICER, username="elsewhere")
    AssignmentFactory(officer=OfficerFactory(user=user), neighbourhood__name="Allenton")
    return user


def test_officer_of_another_neighbourhood_cannot_record_a_meeting_there(client, area, elsewhere):
    client.force_login(elsewhere)

    response = client.post(URL, form_data(area))

    assert response.status_code == 200
    assert "Choose one of the neighbourhoods you look after" in text(response)
    assert not Event.objects.exists()
    assert not Priority.objects.exists()


def test_opcc_and_accounts_without_a_role_are_refused(client, area, make_account):
    for user in (make_account(Role.OPCC, username="opcc"), make_account(username="norole")):
        client.force_login(user)
        for response in (client.get(URL), client.post(URL, form_data(area))):
            assert response.status_code == 403
            assert "You cannot use this page" in text(response)
    assert not Event.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/?next=")


def record(user, area, **changes):
    values = {
        "data": {
            "neighbourhood": area,
            "event_type": Event.Type.BEAT_MEETING,
            "title": "August beat meeting",
            "venue_name": "Normanton Community Centre",
            "starts_at": datetime.datetime(2026, 8, 4, 19, tzinfo=LONDON),
            "ends_at": datetime.datetime(2026, 8, 4, 20, tzinfo=LONDON),
        },
        "attendance": 12,
        "summary": "Twelve residents came.",
        "issues_raised": "Parking on Browning Street",
        "create_priorities": True,
    }
    return event_record_past(user=user, **{**values, **changes})


def test_the_service_refuses_an_officer_of_another_neighbourhood(area, elsewhere):
    with pytest.raises(PermissionDenied):
        record(elsewhere, area)

    assert not Event.objects.exists()


def test_the_service_refuses_opcc(area, opcc_account):
    with pytest.raises(PermissionDenied):
        record(opcc_account, area)


def test_the_service_writes_nothing_when_a_priority_cannot_be_made(area, priya):
    with pytest.raises(ValidationError) as refused:
        record(priya, area, issues_raised="x" * 6000)

    assert "issues_raised" in refused.value.error_dict
    assert not Event.objects.exists()


def test_a_meeting_a_year_ago_to_the_day_is_accepted(area, priya):
    start = datetime.datetime(2025, 9, 14, 10, tzinfo=LONDON)
    data = {
        "neighbourhood": area,
        "event_type": Event.Type.BEAT_MEETING,
        "title": "Last year's meeting",
        "venue_name": "Hall",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=1),
    }

    event = record(priya, area, data=data)

    assert event.status == Event.Status.HELD
    assert event.outcome.summary == "Twelve residents came."


def test_the_page_costs_the_same_however_many_neighbourhoods(
    client, administrator_account, django_assert_max_num_queries
):
    for number in range(30):
        NeighbourhoodFactory(name=f"Area {number:02}")
    client.force_login(administrator_account)

    with django_assert_max_num_queries(8):
        response = client.get(URL)

    assert response.status_code == 200
    assert text(response).count(">Area ") == 30
