"""A resident whose tracking link no longer works gets a new one, in Chromium without
JavaScript: from the unknown-link page to the form, the emailed link, and the query."""

import re

import pytest
from playwright.sync_api import expect

from notifications.models import OutboxEmail
from queries.services.resident import query_submit
from tests.factories import AssignmentFactory
from tests.fixtures.browser import assert_accessible_as_received

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_gets_a_new_link_without_javascript(page_without_javascript, browser, live_server):
    page = page_without_javascript
    neighbourhood = AssignmentFactory(neighbourhood__name="Derby City Centre").neighbourhood
    query, old_token = query_submit(
        neighbourhood=neighbourhood,
        topic="road_safety",
        message="Cars race down Fox Lane at night.",
        name="Sam Resident",
        email="sam@example.com",
        phone="",
        contact_preference="email",
    )

    # An old link, replaced already, leads to the form.
    page.goto("/queries/track/" + "x" * 43 + "/")
    expect(page.get_by_role("heading", name="This link to a query does not work")).to_be_visible()
    page.get_by_role("link", name="Get a new link to your query").click()

    page.get_by_label("Your query reference").fill(query.reference.lower())
    page.get_by_label("Email address").fill("SAM@example.com")
    page.get_by_role("button", name="Email me a new link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible_as_received(browser, live_server, page)

    email = OutboxEmail.objects.get(subject__startswith="A new link to your query")
    new_path = re.search(r"/queries/track/[\w-]+/", email.body_text).group(0)
    page.goto(new_path)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your query {query.reference}")
    expect(page.get_by_text("Cars race down Fox Lane at night.")).to_be_visible()

    response = page.goto(f"/queries/track/{old_token}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="This link to a query does not work")).to_be_visible()
