"""'Did this answer your query?' end to end, through every real part: an officer answers in
Chromium, a real Celery worker sends the answer to a real SMTP server with the question's link,
the resident follows it in a browser without JavaScript and answers "partly" with a comment,
the dashboard's figure changes, the officer reads the comment and the OPCC does not."""

import re
import time

import pytest
from playwright.sync_api import expect

from config.roles import Role
from queries.models import AnswerFeedback
from queries.services.resident import query_submit
from tests.factories import PASSWORD
from tests.fixtures.browser import assert_accessible, assert_accessible_as_received, new_page
from tests.queries.factories import neighbourhood_with_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENT = "sam@example.com"
COMMENT = "Thank you, but the cars still race on Fox Lane after 1am."


def wait_for_mail(smtp_server, address: str, count: int, seconds: float = 30) -> list:
    deadline = time.monotonic() + seconds
    while True:
        mail = [m for m in smtp_server.messages if address in m["X-Envelope-To"]]
        if len(mail) >= count:
            return mail
        assert time.monotonic() < deadline, [m["Subject"] for m in smtp_server.messages]
        time.sleep(0.2)


def sign_in(page, username: str) -> None:
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def satisfaction_section(page) -> str:
    page.goto("/staff/dashboard/?period=7")
    return page.locator("#satisfaction ~ dl").first.inner_text()


def test_the_resident_rates_an_answer_from_its_email(
    browser, live_server, page, page_without_javascript, make_account, celery_worker, smtp_server
):
    neighbourhood, officers = neighbourhood_with_team(name="Normanton", slug="normanton")
    named = officers["named"]
    named.user = make_account(Role.OFFICER, username="named")
    named.save(update_fields=["user"])
    make_account(Role.OPCC, username="opcc")
    query, _token = query_submit(
        neighbourhood=neighbourhood,
        topic="road_safety",
        message="Cars race along Fox Lane after midnight.",
        name="Sam Resident",
        email=RESIDENT,
        phone="",
        contact_preference="email",
    )
    opcc_page = next(new_page(browser, live_server))
    sign_in(opcc_page, "opcc")

    # The named officer answers in the staff area; the answer email brings the question.
    sign_in(page, "named")
    page.goto(query.get_absolute_url())
    page.get_by_label("Your reply to the resident").fill("We will patrol Fox Lane at night.")
    page.get_by_role("button", name="Send reply").click()
    reply = wait_for_mail(smtp_server, RESIDENT, 2)[-1]
    body = reply.get_body(preferencelist=("plain",)).get_content()
    assert "Did this answer your query?" in body
    link = re.search(r"https?://\S+(/queries/answer/\S+/)", body).group(1)
    before = satisfaction_section(opcc_page)

    # The resident follows the link with no JavaScript and answers "partly", with a comment.
    resident = page_without_javascript
    resident.goto(link)
    assert_accessible_as_received(browser, live_server, resident)
    resident.get_by_label("Partly").check()
    resident.get_by_label("Tell us more (optional)").fill(COMMENT)
    resident.get_by_role("button", name="Send your answer").click()
    expect(
        resident.get_by_text("Thank you for telling us whether our answer helped")
    ).to_be_visible()
    expect(
        resident.get_by_text("You told us whether this answered your query: Partly")
    ).to_be_visible()
    feedback = AnswerFeedback.objects.get()
    assert (feedback.rating, feedback.comment) == ("partly", COMMENT)

    # The dashboard's figure changes.
    after = satisfaction_section(opcc_page)
    assert "0 of 1 (0%)" in before
    assert "1 of 1 (100%)" in after
    assert re.search(r"Partly\t1\b.*\(100% of rated answers\)\nNo\t0", after, re.DOTALL)

    # The officer reads the comment on the query's page; the OPCC reads only the rating.
    page.goto(query.get_absolute_url())
    expect(page.get_by_text(COMMENT)).to_be_visible()
    assert_accessible(page)
    opcc_page.goto(query.get_absolute_url())
    expect(opcc_page.locator("#feedback")).to_be_visible()
    assert COMMENT not in opcc_page.content()
    opcc_page.goto("/staff/dashboard/queries/?period=7&figure=rated_partly")
    expect(opcc_page.get_by_text(query.reference)).to_be_visible()
    assert COMMENT not in opcc_page.content()
    opcc_page.context.close()
