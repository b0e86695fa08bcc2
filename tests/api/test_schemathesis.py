"""Schemathesis against the API's own OpenAPI document, served live at /api/openapi.json.

Each operation gets generated requests, valid and invalid (the schema's examples, its
boundaries, then Hypothesis's search), sent through the portal's WSGI application, and every
answer is checked: never a server error, a status code, content type, headers and body the
document describes, valid input accepted and invalid input refused (all of Schemathesis's
checks, which it runs by default: not_a_server_error, response_schema_conformance,
status_code_conformance, content_type_conformance, response_headers_conformance,
positive_data_acceptance, negative_data_rejection, unsupported_method and the rest). Path
ids are sometimes those of the seeded force and neighbourhood, so the full answers are checked
as well as the 404s.
"""

import datetime
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from api.openapi import MONTH_PATTERN
from config.wsgi import application
from dashboards.selectors.scorecard import MOST_MONTHS
from engagement.models import Priority
from meetings.models import Event
from officers.models import Assignment
from tests.factories import (
    AssignmentFactory,
    EventFactory,
    ForceFactory,
    NeighbourhoodFactory,
    OfficerFactory,
    PriorityFactory,
)

FORCE = "derbyshire"
NEIGHBOURHOOD = "DC01"
KNOWN_IDS = {"force": FORCE, "neighbourhood": NEIGHBOURHOOD}
# Per operation (fifteen of them), or more under a Hypothesis profile that asks for more.
EXAMPLES_PER_OPERATION = max(200, settings.default.max_examples)


@pytest.fixture
def api_data(db):
    """A force with one neighbourhood holding a team, events and priorities, with text that
    JSON and HTML must carry safely."""
    force = ForceFactory(
        slug=FORCE,
        engagement_methods=[
            {"url": "https://example.org/", "title": "Facebook", "description": "<b>Hi</b>"},
            {"title": "No address"},
            "not an object",
        ],
    )
    neighbourhood = NeighbourhoodFactory(
        force=force,
        code=NEIGHBOURHOOD,
        name="Derby City Centre \u202eertneC",
        population=14200,
        email="city.snt@example.police.uk",
        telephone="101",
        url_force="javascript:alert(1)",
        social_links={"facebook": "https://facebook.example/dc", "twitter": "", "web": None},
        links=[{"url": "https://example.org/", "title": "Council"}, {"url": "ftp://x"}],
        locations=[{"name": "St Mary's Wharf", "latitude": 52.93, "longitude": -1.47}, 7],
        description="<p>The team</p><script>alert(1)</script>",
    )
    officer = OfficerFactory(bio="Knows every street 😀", phone="01632 960001")
    AssignmentFactory(
        officer=officer, neighbourhood=neighbourhood, role=Assignment.Role.NAMED_OFFICER
    )
    EventFactory(neighbourhood=neighbourhood, organiser=officer, description="=SUM(A1)")
    EventFactory(neighbourhood=neighbourhood, event_type=Event.Type.COMMUNITY_EVENT)
    PriorityFactory(neighbourhood=neighbourhood, issue="Bikes\r\non <pavements>", action="")
    PriorityFactory(
        neighbourhood=neighbourhood,
        status=Priority.Status.RESOLVED,
        action_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    return neighbourhood


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests sent straight to the WSGI application, as Django's test client does: the
    handler would otherwise close the test's database connection at the end of each one."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded when the module is collected: the document is a constant, served without the database.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Each id is now and then the seeded force's or neighbourhood's, so the full answers and
    the 404 for a known force's unknown neighbourhood are checked, not only unknown ids."""
    if not path_parameters:
        return st.just(path_parameters)
    return st.fixed_dictionaries(
        {
            name: st.sampled_from([value, KNOWN_IDS[name]]) if name in KNOWN_IDS else st.just(value)
            for name, value in path_parameters.items()
        }
    )


MONTH = re.compile(MONTH_PATTERN[1:-1])


def _months_apart(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


@schema.hook
def map_query(context, query):
    """The open data's `from` and `to` months, when the document's pattern allows them, are
    moved into what the view takes together (none after this month, at most 36 months, `from`
    not after `to`): rules across two values and today that a schema cannot state, and that
    tests/api/test_performance_api.py checks are a 400."""
    if not query or not context.operation.path.startswith("/performance/"):
        return query
    this_month = timezone.localdate().replace(day=1)
    earliest = _months_apart(this_month, -(MOST_MONTHS - 1))
    months = {}
    for name in ("from", "to"):
        value = query.get(name)
        if isinstance(value, str) and MONTH.fullmatch(value):
            month = datetime.date(int(value[:4]), int(value[5:]), 1)
            months[name] = min(max(month, earliest), this_month)
    if len(months) == 2 and months["from"] > months["to"]:
        months["from"], months["to"] = months["to"], months["from"]
    return {**query, **{name: f"{month:%Y-%m}" for name, month in months.items()}}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_its_document_says(case, api_data, wsgi_in_test_transaction):
    case.call_and_validate()
