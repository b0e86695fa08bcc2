"""Where a new query goes: the named officer, or the team and sergeant, and why."""

import datetime

import pytest
from django.utils import timezone

from queries.models import QueryEvent
from queries.services.resident import NO_NAMED_OFFICER, query_route, query_submit
from tests.factories import AssignmentFactory, NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def submit(neighbourhood):
    query, _token = query_submit(
        neighbourhood=neighbourhood,
        topic="asb",
        message="Motorbikes on the playing field every evening.",
        name="Sam Resident",
        email="sam@example.com",
        phone="",
        contact_preference="email",
    )
    return query


def test_query_goes_to_the_named_officer():
    named = AssignmentFactory()

    officer, reason = query_route(neighbourhood=named.neighbourhood, now=timezone.now())

    assert officer == named.officer
    assert reason == "Named officer"


def test_without_a_named_officer_the_query_goes_to_the_team_and_sergeant():
    neighbourhood = NeighbourhoodFactory()
    AssignmentFactory(neighbourhood=neighbourhood, role="sergeant")
    AssignmentFactory(neighbourhood=neighbourhood, role="team")

    officer, reason = query_route(neighbourhood=neighbourhood, now=timezone.now())

    assert officer is None
    assert reason == "No named officer: for the team and sergeant"


def test_a_named_officer_whose_assignment_ended_is_not_routed_to():
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    ended = AssignmentFactory(
        start_date=yesterday - datetime.timedelta(days=30), end_date=yesterday
    )

    officer, reason = query_route(neighbourhood=ended.neighbourhood, now=timezone.now())

    assert officer is None
    assert reason == NO_NAMED_OFFICER


def test_submitted_query_is_assigned_to_the_named_officer_with_its_reason():
    named = AssignmentFactory(officer__display_name="Priya Sharma")

    query = submit(named.neighbourhood)

    assert query.assigned_officer == named.officer
    assert query.routing_reason == "Named officer"


def test_routing_reason_is_recorded_as_a_routed_event():
    named = AssignmentFactory(officer__display_name="Priya Sharma")

    query = submit(named.neighbourhood)

    routed = query.events.get(kind=QueryEvent.Kind.ROUTED)
    assert routed.body.startswith("Named officer")
    assert "Priya Sharma" in routed.body
    assert routed.author is None


def test_no_named_officer_reason_is_recorded_as_a_routed_event():
    query = submit(NeighbourhoodFactory())

    routed = query.events.get(kind=QueryEvent.Kind.ROUTED)
    assert query.assigned_officer is None
    assert query.routing_reason == NO_NAMED_OFFICER
    assert routed.body == NO_NAMED_OFFICER
