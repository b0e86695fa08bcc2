"""Have your say in Chromium, with a real worker and SMTP server: an officer adds a survey, a
resident answers and confirms from the email, answering again with the same address is not
counted, and the officer sees one answer and approves its comment. Every page is checked
with axe-core; the answer form also works without JavaScript."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from engagement.models import Priority, Survey, SurveyResponse
from notifications.models import OutboxEmail
from officers.models import Assignment, Rank
from tests.factories import PASSWORD, AssignmentFactory, NeighbourhoodFactory, OfficerFactory
from tests.fixtures.browser import assert_accessible, assert_accessible_as_received
from tests.fixtures.mail import wait_for_mail
from tests.form_data import fill_date

# Expected dates are worked out from the clock the live server reads (tests/fixtures/clock.py).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("server_clock"),
]

RESIDENT = "sam@example.com"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/have-your-say/confirm/[\w-]+/)")


@pytest.fixture
def normanton(officer_account):
    area = NeighbourhoodFactory(name="Normanton", slug="normanton")
    officer = OfficerFactory(user=officer_account, display_name="Priya Sharma", rank=Rank.PC)
    AssignmentFactory(officer=officer, neighbourhood=area, role=Assignment.Role.NAMED_OFFICER)
    return area


def confirm_path(message) -> str:
    return CONFIRM_LINK.search(message.get_body(preferencelist=("plain",)).get_content()).group(1)


def officer_adds_a_survey(page: Page) -> Survey:
    page.goto("/staff/sign-in/")
    assert_accessible(page)
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Staff area")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Have your say surveys").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Have your say surveys")
    assert_accessible(page)
    page.get_by_role("button", name="Add a survey").or_(
        page.get_by_role("link", name="Add a survey")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a survey")
    assert_accessible(page)

    # A mistake first: one option is not a survey.
    page.get_by_label("Options").fill("Speeding")
    page.get_by_role("button", name="Add survey").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter at least 2 options")
    assert_accessible(page)

    today = timezone.localdate()
    page.get_by_label("Options").fill("Speeding\nBurglary\nDrug dealing")
    page.get_by_label("Let residents add a comment").check()
    fill_date(page, "Opens on", today)
    fill_date(page, "Closes on", today + datetime.timedelta(days=14))
    page.get_by_role("button", name="Add survey").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("What should we focus on next?")
    expect(page.locator("main")).to_contain_text("Answers: 0 confirmed")
    assert_accessible(page)
    return Survey.objects.get()


def resident_answers(page: Page, answer: str, comment: str) -> None:
    page.goto("/neighbourhoods/normanton/")
    expect(page.get_by_role("heading", name="Have your say")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="What should we focus on next?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What should we focus on next?")
    expect(
        page.get_by_text("Do not include names, addresses, phone numbers or email addresses")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label(answer, exact=True).check()
    page.get_by_label("Anything else you want to tell us (optional)").fill(comment)
    page.get_by_label("Email address").fill(RESIDENT)
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page)


def resident_confirms(page: Page, path: str) -> None:
    page.goto(path)
    expect(page.get_by_role("heading", name="Confirm your answer")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my answer").click()


def test_survey_is_answered_once_per_email_address(
    page, resident_page, normanton, celery_worker, smtp_server
):
    survey = officer_adds_a_survey(page)

    # The resident answers, and confirms from the email.
    resident = resident_page
    resident_answers(resident, "Speeding", "Cars race past the school. Ring me on 07700 900123")
    wait_for_mail(smtp_server, 1)
    first = smtp_server.messages[0]
    assert RESIDENT in first["X-Envelope-To"]
    assert "Confirm your answer" in first["Subject"]
    resident_confirms(resident, confirm_path(first))
    expect(resident.get_by_role("heading", name="Thank you")).to_be_visible()
    assert_accessible(resident)

    # Answering again with the same address is not counted.
    resident_answers(resident, "Burglary", "A second go")
    wait_for_mail(smtp_server, 2)
    resident_confirms(resident, confirm_path(smtp_server.messages[1]))
    expect(
        resident.get_by_role("heading", name="You have already answered this survey")
    ).to_be_visible()
    assert_accessible(resident)

    # The officer sees one answer, and approves its comment without the phone number.
    page.goto(f"/staff/surveys/{survey.pk}/")
    expect(page.locator("main")).to_contain_text("Answers: 1 confirmed")
    comment = page.locator(".govuk-summary-card", has_text="Cars race past the school")
    expect(comment).to_contain_text("[contact details removed]")
    expect(comment).not_to_contain_text("07700")
    expect(comment).to_contain_text("Waiting for moderation")
    assert_accessible(page)
    comment.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("The comment is approved")).to_be_visible()
    expect(comment).to_contain_text("Approved")
    assert_accessible(page)

    confirmed = SurveyResponse.objects.get(confirmed_at__isnull=False)
    assert confirmed.option.label == "Speeding"
    assert confirmed.moderation == "approved"
    assert SurveyResponse.objects.count() == 2


def test_answer_form_works_without_javascript(
    page_without_javascript, normanton, browser, live_server
):
    today = timezone.localdate()
    survey = Survey.objects.create(
        neighbourhood=normanton, opens_on=today, closes_on=today, allow_free_text=True
    )
    for position, label in enumerate(["Speeding", "Burglary"]):
        survey.options.create(label=label, position=position)
    page = page_without_javascript

    page.goto(f"/have-your-say/{survey.pk}/")
    assert_accessible_as_received(browser, live_server, page)
    page.get_by_role("button", name="Send my answer").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an answer")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    assert_accessible_as_received(browser, live_server, page)

    page.get_by_label("Burglary").check()
    page.get_by_label("Email address").fill(RESIDENT)
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible_as_received(browser, live_server, page)
    assert SurveyResponse.objects.get().option.label == "Burglary"


def test_every_other_have_your_say_page_is_accessible(page, resident_page, normanton):
    today = timezone.localdate()
    closed = Survey.objects.create(
        neighbourhood=normanton,
        question="Which evening suits you?",
        opens_on=today - datetime.timedelta(days=20),
        closes_on=today - datetime.timedelta(days=6),
        allow_free_text=True,
    )
    later = Survey.objects.create(
        neighbourhood=normanton,
        question="What next?",
        opens_on=today + datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=10),
    )
    for survey in (closed, later):
        for position, label in enumerate(["Monday", "Tuesday"]):
            survey.options.create(label=label, position=position)
    SurveyResponse.objects.create(
        survey=closed,
        option=closed.options.first(),
        free_text="Tuesdays are best for <b>me</b>",
        moderation="approved",
        email_hash="h",
        confirm_token_hash="t",
        confirmed_at=timezone.now() - datetime.timedelta(days=10),
    )
    priority = Priority.objects.create(
        neighbourhood=normanton, issue="Speeding on Osmaston Road", issue_date=today
    )
    resident = resident_page

    resident.goto("/neighbourhoods/normanton/")
    resident.get_by_role("link", name="Results: Which evening suits you?").click()
    expect(resident.locator("main")).to_contain_text("Answers: 1 confirmed")
    expect(resident.locator("main")).to_contain_text("Tuesdays are best for <b>me</b>")
    assert_accessible(resident)

    resident.goto(f"/have-your-say/{later.pk}/")
    expect(resident.get_by_text("This survey is not open yet")).to_be_visible()
    assert_accessible(resident)

    resident.goto("/neighbourhoods/normanton/")
    resident.get_by_role("link", name=re.compile("Support this priority")).click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Support this priority")
    assert_accessible(resident)
    resident.get_by_label("Email address").fill("not an address")
    resident.get_by_role("button", name="Support this priority").click()
    expect(resident.get_by_role("alert")).to_contain_text("Enter an email address")
    assert_accessible(resident)
    resident.get_by_label("Email address").fill(RESIDENT)
    resident.get_by_role("button", name="Support this priority").click()
    expect(resident.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(resident)

    body = OutboxEmail.objects.get().body_text
    path = re.search(r"/have-your-say/priorities/confirm/[\w-]+/", body).group(0)
    resident.goto(path)
    expect(resident.get_by_role("heading", name="Confirm your support")).to_be_visible()
    assert_accessible(resident)
    resident.get_by_role("button", name="Confirm my support").click()
    expect(resident.get_by_role("heading", name="Thank you")).to_be_visible()
    assert_accessible(resident)

    resident.goto("/have-your-say/confirm/no-such-link/")
    assert_accessible(resident, h1="This link does not work", status=404)

    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/staff/surveys/")
    expect(page.get_by_role("heading", name="Supported priorities")).to_be_visible()
    expect(page.locator("main")).to_contain_text(priority.issue)
    assert_accessible(page)
    page.goto(f"/staff/surveys/{closed.pk}/")
    expect(page.locator("main")).to_contain_text("Approved")
    assert_accessible(page)
    page.get_by_role("button", name="Change the survey").or_(
        page.get_by_role("link", name="Change the survey")
    ).first.click()
    expect(page.get_by_text("its options cannot change")).to_be_visible()
    assert_accessible(page)
