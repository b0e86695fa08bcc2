"""A sergeant works the inbox in Chromium: filter to overdue, open a query, note, reply."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import OutboxEmail
from officers.models import Assignment, Rank
from queries.models import Query, QueryEvent
from tests.factories import AssignmentFactory, NeighbourhoodFactory, OfficerFactory
from tests.fixtures.browser import assert_accessible, sign_in
from tests.queries.factories import QueryFactory

# Expected dates are worked out from the clock the live server reads (tests/fixtures/clock.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("server_clock"),
]


@pytest.fixture
def area(supervisor_account):
    area = NeighbourhoodFactory(name="Normanton")
    sergeant = OfficerFactory(user=supervisor_account, display_name="Mark Riley", rank=Rank.SGT)
    AssignmentFactory(officer=sergeant, neighbourhood=area, role=Assignment.Role.SERGEANT)
    return area


def test_sergeant_filters_to_overdue_notes_and_replies(page, area):
    now = timezone.now()
    late = QueryFactory(
        neighbourhood=area,
        reference="DY-7K3P-Q9X",
        submitted_at=now - datetime.timedelta(hours=80),
        email="winifred@example.com",
    )
    waiting = QueryFactory(neighbourhood=area, reference="DY-4M2R-B7T")
    sign_in(page, "sergeant")

    page.goto("/staff/queries/")
    expect(page.get_by_role("heading", name="Residents\u2019 queries")).to_be_visible()
    expect(page.get_by_role("link", name=waiting.reference)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Overdue", exact=True).click()
    expect(page.get_by_role("heading", name="Overdue: 1 query")).to_be_visible()
    expect(page.get_by_role("link", name=waiting.reference)).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/staff/queries/\?show=breached$"))
    expect(page.get_by_role("cell", name="Overdue by 8 hours")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=late.reference).click()
    expect(page.get_by_role("heading", name=f"Query {late.reference}")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Internal note").fill("Checked the CCTV log: nothing recorded.")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("Your note is added.")).to_be_visible()
    expect(page.get_by_text("Checked the CCTV log: nothing recorded.")).to_be_visible()
    assert Query.objects.get(pk=late.pk).status == Query.Status.OPEN

    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your reply to the resident")
    assert_accessible(page)

    page.get_by_label("Your reply to the resident").fill("We will patrol the park on Friday.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply was emailed to the resident")).to_be_visible()
    assert_accessible(page)

    late.refresh_from_db()
    assert late.status == Query.Status.ANSWERED
    assert late.first_response_met_target is False
    email = OutboxEmail.objects.get(query_link__query=late)
    assert email.to == ["winifred@example.com"]
    assert "We will patrol the park on Friday." in email.body_text
    kinds = list(QueryEvent.objects.filter(query=late).values_list("kind", "author__username"))
    assert kinds == [(QueryEvent.Kind.NOTE, "sergeant"), (QueryEvent.Kind.REPLY, "sergeant")]
