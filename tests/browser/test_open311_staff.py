"""A query sent through Open311 in Chromium: the sergeant sees which client sent it and its
urgent-words flag in the inbox and on the query, and both pages pass axe-core."""

import pytest
import requests
from playwright.sync_api import Page, expect

from officers.models import Assignment, Rank
from tests.api.open311_data import open311_area, request_fields
from tests.factories import PASSWORD, AssignmentFactory, OfficerFactory
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

URGENT = "Someone is trying to break in to my neighbour's house right now, please come"


def sign_in(page: Page, username: str) -> None:
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Staff area")).to_be_visible()


def test_sergeant_sees_the_client_and_the_urgent_flag_of_an_open311_query(
    page, live_server, supervisor_account
):
    area = open311_area()
    sergeant = OfficerFactory(user=supervisor_account, display_name="Mark Riley", rank=Rank.SGT)
    AssignmentFactory(
        officer=sergeant, neighbourhood=area.neighbourhood, role=Assignment.Role.SERGEANT
    )
    answer = requests.post(
        f"{live_server.url}/open311/v2/requests.json",
        data=request_fields(area.key, description=URGENT),
        timeout=30,
    )
    reference = answer.json()[0]["service_request_id"]
    sign_in(page, "sergeant")

    page.goto("/staff/queries/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference))
    expect(row).to_contain_text("Open311: Derby Council app")
    expect(row).to_contain_text("Urgent words")
    assert_accessible(page)

    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name=f"Query {reference}")).to_be_visible()
    expect(page.get_by_text("which could not warn the resident to call 999")).to_be_visible()
    expect(
        page.get_by_role("definition").filter(has_text="Open311: Derby Council app")
    ).to_be_visible()
    assert_accessible(page)
