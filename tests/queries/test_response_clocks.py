"""Each clock a query runs is recorded for the dashboards: started by the submission or a
follow-up after an answer, answered by the first reply (held by whoever had the query then),
or ended unanswered by closing."""

import datetime

import pytest
from django.utils import timezone

from queries.models import ResponseClock, Topic
from queries.services.resident import query_resident_reply, query_submit
from queries.services.staff import query_close, query_reassign, query_reply
from tests.queries.factories import neighbourhood_with_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return neighbourhood_with_team(name="Normanton")


def submit(neighbourhood, now):
    query, _token = query_submit(
        neighbourhood=neighbourhood,
        topic=Topic.ROAD_SAFETY,
        message="Cars speed past the school.",
        name="Sam Resident",
        email="sam@example.com",
        phone="",
        contact_preference="email",
        now=now,
    )
    return query


def test_submission_starts_clock_one(team):
    neighbourhood, _ = team
    now = timezone.now()
    query = submit(neighbourhood, now)
    [clock] = ResponseClock.objects.filter(query=query)
    assert (clock.number, clock.neighbourhood, clock.topic) == (1, neighbourhood, Topic.ROAD_SAFETY)
    assert clock.started_at == now
    assert clock.due_at == now + datetime.timedelta(hours=72)
    assert clock.answered_at is None


def test_answer_exactly_at_the_deadline_meets_the_target(team, administrator_account):
    neighbourhood, _officers = team
    now = timezone.now()
    query = submit(neighbourhood, now)
    query_reply(
        query=query,
        by=administrator_account,
        message="We will patrol.",
        now=now + datetime.timedelta(hours=72),
    )
    clock = ResponseClock.objects.get(query=query)
    assert clock.met_target is True
    assert clock.response_seconds == 72 * 3600


def test_answer_belongs_to_whoever_held_the_query_then(team, administrator_account):
    neighbourhood, officers = team
    now = timezone.now()
    query = submit(neighbourhood, now)
    query_reassign(query=query, by=administrator_account, officer=officers["team"], now=now)
    query.refresh_from_db()
    query_reply(
        query=query,
        by=administrator_account,
        message="Answered by the sergeant.",
        now=now + datetime.timedelta(hours=80),
    )
    clock = ResponseClock.objects.get(query=query)
    assert clock.held_by == officers["team"]
    assert clock.met_target is False


def test_follow_up_after_an_answer_starts_clock_two(team, administrator_account):
    neighbourhood, _officers = team
    now = timezone.now()
    query = submit(neighbourhood, now)
    query_reply(
        query=query,
        by=administrator_account,
        message="Done.",
        now=now + datetime.timedelta(hours=1),
    )
    query.refresh_from_db()
    query_resident_reply(
        query=query, message="It happened again.", now=now + datetime.timedelta(hours=2)
    )
    clocks = list(ResponseClock.objects.filter(query=query).order_by("number"))
    assert [c.number for c in clocks] == [1, 2]
    assert clocks[1].started_at == now + datetime.timedelta(hours=2)
    assert clocks[1].answered_at is None


def test_closing_unanswered_ends_the_clock(team, administrator_account):
    neighbourhood, _officers = team
    now = timezone.now()
    query = submit(neighbourhood, now)
    query_close(
        query=query,
        by=administrator_account,
        outcome="The resident withdrew it.",
        now=now + datetime.timedelta(hours=3),
    )
    clock = ResponseClock.objects.get(query=query)
    assert clock.ended_at == now + datetime.timedelta(hours=3)
    assert clock.answered_at is None
