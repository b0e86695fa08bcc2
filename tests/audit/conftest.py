"""A neighbourhood with a query, a meeting with a registration and a survey answer, and one
account for each kind of person who may or may not see them."""

import datetime

import pytest
from django.utils import timezone

from config.roles import Role
from engagement.models import Survey, SurveyOption, SurveyResponse
from meetings.models import Registration
from officers.models import Assignment
from tests.factories import AssignmentFactory, EventFactory, NeighbourhoodFactory, OfficerFactory
from tests.queries.factories import QueryFactory

RESIDENT_NAME = "Winifred Oakenshaw"
RESIDENT_MESSAGE = "Motorbikes ride across the recreation ground every evening."


@pytest.fixture
def area(db):
    return NeighbourhoodFactory(name="Normanton")


def _officer(make_account, area, username: str, role: str, *roles: Role):
    account = make_account(*roles, username=username)
    officer = OfficerFactory(user=account, display_name=username.title())
    if area is not None:
        AssignmentFactory(officer=officer, neighbourhood=area, role=role)
    else:
        AssignmentFactory(officer=officer, role=role)
    return account


@pytest.fixture
def people(make_account, area):
    """Who is who, by the name the tests use."""
    return {
        "named officer": _officer(
            make_account, area, "priya", Assignment.Role.NAMED_OFFICER, Role.OFFICER
        ),
        "team member": _officer(
            make_account, area, "grace", Assignment.Role.TEAM_MEMBER, Role.OFFICER
        ),
        "sergeant": _officer(
            make_account, area, "riley", Assignment.Role.SERGEANT, Role.OFFICER, Role.SUPERVISOR
        ),
        "officer of another neighbourhood": _officer(
            make_account, None, "olu", Assignment.Role.SERGEANT, Role.OFFICER, Role.SUPERVISOR
        ),
        "OPCC": make_account(Role.OPCC, username="opcc"),
        "no role": make_account(username="norole"),
        "administrator": make_account(Role.ADMINISTRATOR, username="administrator"),
    }


@pytest.fixture
def resident_data(area, people):
    """A query (with a timeline entry), a meeting's registration and a survey answer."""
    named = people["named officer"].officer
    query = QueryFactory(
        neighbourhood=area,
        assigned_officer=named,
        name=RESIDENT_NAME,
        email="winifred@example.com",
        message=RESIDENT_MESSAGE,
    )
    event_row = query.events.create(kind="submitted", created_at=timezone.now())
    meeting = EventFactory(neighbourhood=area)
    registration = Registration.objects.create(
        event=meeting,
        name="Albert Pennington",
        email="albert@example.com",
        cancel_token_hash="c" * 64,
    )
    today = timezone.localdate()
    survey = Survey.objects.create(
        neighbourhood=area, opens_on=today, closes_on=today + datetime.timedelta(days=7)
    )
    answer = SurveyResponse.objects.create(
        survey=survey,
        option=SurveyOption.objects.create(survey=survey, label="Speeding"),
        free_text="More patrols",
        email_hash="a" * 64,
        confirm_token_hash="b" * 64,
        confirmed_at=timezone.now(),
    )
    return {
        "query": query,
        "query event": event_row,
        "meeting": meeting,
        "registration": registration,
        "answer": answer,
    }
