"""The coverage page: neighbourhoods without a named officer and assignments ending soon."""

import datetime

import pytest
from django.utils import timezone

from neighbourhoods.models import Neighbourhood
from officers.models import Assignment, Officer, Rank
from tests.factories import AssignmentFactory, DivisionFactory, NeighbourhoodFactory
from tests.html import link_texts, links

pytestmark = pytest.mark.django_db


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_lists_neighbourhoods_without_a_named_officer_with_division(client, supervisor_account):
    uncovered = NeighbourhoodFactory(name="Staveley", division=DivisionFactory(name="Chesterfield"))
    AssignmentFactory(neighbourhood__name="Buxton")
    AssignmentFactory(neighbourhood__name="Bolsover", end_date=in_days(-1))
    client.force_login(supervisor_account)

    page = client.get("/staff/coverage/").content.decode()

    assert ("Staveley", f"{uncovered.get_absolute_url()}") in links(page)
    assert "Chesterfield" in page
    assert "Bolsover" in link_texts(page)
    assert "Buxton" not in link_texts(page)


def test_lists_assignments_ending_in_the_next_30_days(client, supervisor_account):
    ending = AssignmentFactory(
        officer__display_name="Grace Whitfield",
        officer__rank=Rank.PCSO,
        neighbourhood__name="Alvaston",
        role=Assignment.Role.TEAM_MEMBER,
        end_date=in_days(10),
    )
    AssignmentFactory(officer__display_name="Later Leaver", end_date=in_days(31))
    AssignmentFactory(officer__display_name="Already Gone", end_date=in_days(-1))
    AssignmentFactory(officer__display_name="Staying On")
    client.force_login(supervisor_account)

    page = client.get("/staff/coverage/").content.decode()

    assert "Police Community Support Officer Grace Whitfield" in link_texts(page)
    assert "Alvaston" in link_texts(page)
    assert "Team member" in page
    assert ending.end_date.strftime("%-d %B %Y") in page
    assert "Later Leaver" not in page
    assert "Already Gone" not in page
    assert "Staying On" not in page


def test_assignment_ending_today_and_in_exactly_30_days_are_listed(client, supervisor_account):
    AssignmentFactory(officer__display_name="Last Day Today", end_date=in_days(0))
    AssignmentFactory(officer__display_name="Thirty Days Left", end_date=in_days(30))
    client.force_login(supervisor_account)

    page = client.get("/staff/coverage/").content.decode()

    assert "Last Day Today" in page
    assert "Thirty Days Left" in page


def test_says_so_when_there_are_no_gaps(client, supervisor_account):
    AssignmentFactory()
    client.force_login(supervisor_account)

    page = client.get("/staff/coverage/").content.decode()

    assert "Every neighbourhood has a named officer." in page
    assert "No assignment ends in the next 30 days." in page


@pytest.mark.parametrize("account", ["supervisor_account", "opcc_account", "administrator_account"])
def test_supervisors_opcc_and_administrators_see_coverage(client, request, account):
    client.force_login(request.getfixturevalue(account))

    response = client.get("/staff/coverage/")

    assert response.status_code == 200
    assert "Neighbourhood coverage" in response.content.decode()


@pytest.mark.parametrize("account", ["supervisor_account", "opcc_account", "administrator_account"])
def test_staff_home_links_to_coverage_for_those_roles(client, request, account):
    client.force_login(request.getfixturevalue(account))

    page = client.get("/staff/").content.decode()

    assert ("See neighbourhood coverage", "/staff/coverage/") in links(page)


def test_officer_is_refused_coverage(client, officer_account):
    client.force_login(officer_account)

    response = client.get("/staff/coverage/")

    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()


def test_officer_has_no_coverage_link(client, officer_account):
    client.force_login(officer_account)

    assert "/staff/coverage/" not in client.get("/staff/").content.decode()


def test_account_without_a_role_is_refused_coverage(client, make_account):
    client.force_login(make_account())

    assert client.get("/staff/coverage/").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/staff/coverage/")

    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/?next=/staff/coverage/"


def test_coverage_queries_stay_fixed(client, opcc_account, django_assert_max_num_queries):
    divisions = DivisionFactory.create_batch(5)
    neighbourhoods = Neighbourhood.objects.bulk_create(
        NeighbourhoodFactory.build(division=divisions[n % 5], force=divisions[0].force)
        for n in range(150)
    )
    officers = Officer.objects.bulk_create(
        Officer(display_name=f"Officer {n}", rank=Rank.PC) for n in range(100)
    )
    Assignment.objects.bulk_create(
        Assignment(
            officer=officer,
            neighbourhood=neighbourhoods[n],
            role=Assignment.Role.TEAM_MEMBER,
            start_date=in_days(-100),
            end_date=in_days(n % 30),
        )
        for n, officer in enumerate(officers)
    )
    client.force_login(opcc_account)

    with django_assert_max_num_queries(5):
        response = client.get("/staff/coverage/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "150 neighbourhoods without a current named officer" in page
    assert "100 assignments ending soon" in page
