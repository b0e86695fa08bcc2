"""The abstractions pages without JavaScript: status, logging, I'm back now and corrections. The
report is tests/dashboards/test_abstractions_report.py."""

import datetime

import pytest
from django.utils import timezone
from pytest_django.asserts import assertInHTML

from config.dates import LONDON
from config.roles import Role
from officers.models import Abstraction, Assignment
from officers.scopes import Scope
from tests.factories import AssignmentFactory, OfficerFactory
from tests.form_data import date_boxes, with_date_boxes
from tests.html import elements, texts

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
FORCE = Scope(key="force", label="Force", neighbourhood_ids=None)


def form_data(**changes) -> dict:
    today = timezone.localdate()
    data = {
        "reason": "response_cover",
        "start_date": today.isoformat(),
        "start_time": "00:01",
        "still_away": "yes",
        "end_date": "",
        "end_time": "",
        "note": "",
    }
    return with_date_boxes({**data, **changes}, "start_date", "end_date")


def test_the_page_shows_the_log_button_and_no_entries(client, priya, officer_account):
    client.force_login(officer_account)

    page = client.get("/staff/abstractions/").content.decode()

    assert "Log an abstraction" in page
    assert "No abstractions logged yet" in page


def test_an_officer_logs_still_away_and_is_shown_as_away(client, priya, officer_account):
    client.force_login(officer_account)

    response = client.post("/staff/abstractions/new/", form_data(), follow=True)

    page = response.content.decode()
    assert "Your response cover abstraction is logged" in page
    assert "You are logged as away" in page
    assert "I\u2019m back now" in page
    assert priya.is_abstracted()


def test_the_staff_home_says_you_are_logged_as_away(client, priya, officer_account):
    Abstraction.objects.create(
        officer=priya, reason="court", starts_at=timezone.now() - HOUR, ends_at=None
    )
    client.force_login(officer_account)

    assert "You are logged as away" in client.get("/staff/").content.decode()


def test_im_back_now_ends_the_entry(client, priya, officer_account):
    entry = Abstraction.objects.create(
        officer=priya, reason="court", starts_at=timezone.now() - HOUR
    )
    client.force_login(officer_account)

    response = client.post(f"/staff/abstractions/{entry.pk}/end/", follow=True)

    assert "You are marked back in the neighbourhood" in response.content.decode()
    entry.refresh_from_db()
    assert entry.ends_at is not None


def test_a_missing_end_asks_for_one(client, priya, officer_account):
    client.force_login(officer_account)

    response = client.post("/staff/abstractions/new/", form_data(still_away="no"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the end date, or choose “Still away”" in page
    assert "Enter the end time, or choose “Still away”" in page
    assert not priya.abstractions.exists()


def test_the_form_chooses_neither_still_away_nor_an_end_at_first(client, priya, officer_account):
    client.force_login(officer_account)

    page = client.get("/staff/abstractions/new/").content.decode()

    radios = elements(page, "input", class_="govuk-radios__input", name="still_away")
    assert [radio.attrs["value"] for radio in radios] == ["yes", "no"]
    assert not any("checked" in radio.attrs for radio in radios)


def test_neither_chosen_and_no_end_asks_which(client, priya, officer_account):
    client.force_login(officer_account)

    response = client.post("/staff/abstractions/new/", form_data(still_away=""))

    assert "Choose “Still away” or “Back on a date”" in response.content.decode()
    assert not priya.abstractions.exists()


SEVEN_HOURS = {"start_time": "09:00", "end_time": "16:00"}


def _two_days_ago() -> str:
    return (timezone.localdate() - datetime.timedelta(days=2)).isoformat()


@pytest.mark.parametrize("end_time", ["16:00", ""])
def test_still_away_and_an_end_is_an_error_naming_both(client, priya, officer_account, end_time):
    client.force_login(officer_account)
    day = _two_days_ago()

    response = client.post(
        "/staff/abstractions/new/",
        form_data(
            start_date=day, start_time="09:00", still_away="yes", end_date=day, end_time=end_time
        ),
    )

    page = response.content.decode()
    message = "Either choose “Back on a date” or remove the end date and time"
    assertInHTML(f'<a href="#id_still_away_0">{message}</a>', page)
    [error] = [
        shown
        for shown in elements(page, "*", class_="govuk-error-message")
        if shown.text == f"Error: {message}"
    ]
    assert texts(error, "span", class_="govuk-visually-hidden") == ["Error:"]
    assert not priya.abstractions.exists()


@pytest.mark.parametrize("still_away", ["no", ""])
def test_an_end_given_is_kept_and_the_report_counts_its_hours(
    client, priya, officer_account, still_away
):
    client.force_login(officer_account)
    day = _two_days_ago()

    response = client.post(
        "/staff/abstractions/new/",
        form_data(start_date=day, still_away=still_away, end_date=day, **SEVEN_HOURS),
        follow=True,
    )

    assert "Your response cover abstraction is logged" in response.content.decode()
    entry = priya.abstractions.get()
    assert entry.ends_at - entry.starts_at == 7 * HOUR
    assert not priya.is_abstracted()
    report = client.get("/staff/abstractions/report/").content.decode()
    assert ": 7 hours in the last 12 weeks" in report


def test_an_overlap_is_shown_on_the_form(client, priya, officer_account):
    starts = datetime.datetime(2026, 3, 3, 9, tzinfo=LONDON)
    Abstraction.objects.create(
        officer=priya, reason="court", starts_at=starts, ends_at=starts + 8 * HOUR
    )
    client.force_login(officer_account)

    response = client.post(
        "/staff/abstractions/new/",
        form_data(
            start_date="2026-03-03",
            start_time="10:00",
            still_away="no",
            end_date="2026-03-03",
            end_time="11:00",
        ),
    )

    page = response.content.decode()
    assert "This overlaps your court abstraction from Tuesday 3 March 2026 at 9am to 5pm" in page


def test_nonsense_in_the_form_gives_messages_not_errors(client, priya, officer_account):
    client.force_login(officer_account)

    response = client.post(
        "/staff/abstractions/new/",
        {
            **form_data(reason="holiday", start_time="25:99", still_away="maybe"),
            **date_boxes("start_date", None),
            "start_date_day": "31",
            "start_date_month": "02",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose one of the reasons listed" in page
    assert "Start date must include a year" in page
    assert "Enter a time" in page
    assert "Choose “Still away” or “Back on a date”" in page


def test_a_sergeant_chooses_the_officer(client, priya, supervisor_account, area):
    sergeant = OfficerFactory(user=supervisor_account)
    AssignmentFactory(officer=sergeant, neighbourhood=area, role=Assignment.Role.SERGEANT)
    client.force_login(supervisor_account)

    assert "Priya Sharma" in client.get("/staff/abstractions/new/").content.decode()
    client.post("/staff/abstractions/new/", form_data(officer=priya.pk))

    assert priya.abstractions.get().logged_by == supervisor_account


def test_a_correction_is_saved_and_listed_with_its_versions(client, priya, officer_account):
    entry = Abstraction.objects.create(
        officer=priya, reason="court", starts_at=timezone.now() - HOUR
    )
    client.force_login(officer_account)

    client.post(f"/staff/abstractions/{entry.pk}/correct/", form_data(reason="training"))

    entry.refresh_from_db()
    assert entry.reason == "training"
    page = client.get(f"/staff/abstractions/{entry.pk}/correct/").content.decode()
    assert "Earlier versions" in page


@pytest.mark.parametrize("account", ["opcc_account", None])
def test_others_cannot_open_the_log(client, request, account):
    if account:
        client.force_login(request.getfixturevalue(account))
    response = client.get("/staff/abstractions/")
    assert response.status_code == (403 if account else 302)


def test_another_officer_cannot_correct_an_entry(client, priya, make_account):
    other = make_account(Role.OFFICER)
    OfficerFactory(user=other)
    entry = Abstraction.objects.create(
        officer=priya, reason="court", starts_at=timezone.now() - HOUR
    )
    client.force_login(other)

    assert client.post(f"/staff/abstractions/{entry.pk}/end/").status_code == 403
    assert client.get(f"/staff/abstractions/{entry.pk}/correct/").status_code == 403


@pytest.mark.parametrize("officers, entries", [(2, 4), (10, 50)])
def test_the_home_page_costs_the_same_whatever_the_team_s_size(
    client, area, supervisor_account, django_assert_num_queries, officers, entries
):
    sergeant = OfficerFactory(user=supervisor_account, display_name="Mark Riley")
    AssignmentFactory(officer=sergeant, neighbourhood=area, role=Assignment.Role.SERGEANT)
    team = [
        AssignmentFactory(neighbourhood=area, role=Assignment.Role.TEAM_MEMBER).officer
        for _ in range(officers)
    ]
    now = timezone.now()
    for number in range(entries):
        starts = now - datetime.timedelta(days=number + 1)
        Abstraction.objects.create(
            officer=team[number % officers],
            reason="court",
            starts_at=starts,
            ends_at=starts + HOUR,
        )
    client.force_login(supervisor_account)

    with django_assert_num_queries(13):
        response = client.get("/staff/abstractions/")
    assert response.status_code == 200
    corrections = [
        shown
        for shown in elements(response, "*")
        if shown.own_text == "Correct" and elements(shown, "span", class_="govuk-visually-hidden")
    ]
    assert len(corrections) == entries
