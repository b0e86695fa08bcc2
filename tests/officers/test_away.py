"""An officer marks themselves away; while away, new queries go to the team and sergeant."""

import datetime

import pytest
from django.utils import timezone

from config.dates import LONDON
from queries.services.resident import NAMED_OFFICER_AWAY, query_route
from tests.factories import AssignmentFactory, OfficerFactory
from tests.form_data import date_boxes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

NOW = datetime.datetime(2026, 5, 13, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()


@pytest.fixture
def priya(officer_account):
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma")
    AssignmentFactory(officer=officer)
    return officer


def test_officer_marks_themselves_away_from_the_staff_home(client, priya, officer_account):
    client.force_login(officer_account)
    until = TODAY + datetime.timedelta(days=7)

    response = client.post("/staff/away/", date_boxes("away_until", until), follow=True)

    priya.refresh_from_db()
    assert priya.away_until == until
    assert f"You are marked away until {until:%-d %B %Y}" in response.content.decode()
    assert priya.history.first().history_user == officer_account


def test_a_date_in_the_past_is_refused_with_a_message(client, priya, officer_account):
    client.force_login(officer_account)

    response = client.post("/staff/away/", date_boxes("away_until", "2001-01-01"))

    assert "Enter a date that is today or in the future" in response.content.decode()
    priya.refresh_from_db()
    assert priya.away_until is None


def test_an_account_without_an_officer_profile_is_refused(client, opcc_account):
    client.force_login(opcc_account)

    assert client.post("/staff/away/", date_boxes("away_until", "")).status_code == 403


def test_new_query_goes_to_the_team_while_the_named_officer_is_away(priya):
    neighbourhood = priya.assignments.get().neighbourhood
    priya.away_until = TODAY
    priya.save(update_fields=["away_until"])

    officer, reason = query_route(neighbourhood=neighbourhood, now=timezone.now())

    assert officer is None
    assert reason == NAMED_OFFICER_AWAY


def test_named_officer_gets_queries_again_after_the_last_away_day(priya):
    neighbourhood = priya.assignments.get().neighbourhood
    priya.away_until = TODAY - datetime.timedelta(days=1)
    priya.save(update_fields=["away_until"])

    officer, _ = query_route(neighbourhood=neighbourhood, now=timezone.now())

    assert officer == priya
