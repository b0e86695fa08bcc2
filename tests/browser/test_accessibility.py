"""axe-core in Chromium: no violations on the public pages, the staff pages and the error pages."""

import pytest
from playwright.sync_api import expect

from config.roles import Role
from queries.models import ResponseClock
from queries.services.feedback import answer_feedback_url
from queries.services.resident import query_submit
from queries.services.staff import query_reply
from tests.factories import PASSWORD, AssignmentFactory, EventFactory, PriorityFactory
from tests.fixtures.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCKED_OUT = 429  # too many tries


@pytest.fixture
def neighbourhood():
    assignment = AssignmentFactory(officer__display_name="Priya Sharma")
    PriorityFactory(neighbourhood=assignment.neighbourhood)
    EventFactory(neighbourhood=assignment.neighbourhood)
    return assignment.neighbourhood


def test_home_page_has_no_violations(page, neighbourhood):
    page.goto("/")
    expect(page.get_by_role("link", name=neighbourhood.name)).to_be_visible()
    assert_accessible(page, h1="Find your neighbourhood police team")


def test_neighbourhood_page_has_no_violations(page, neighbourhood):
    page.goto(neighbourhood.get_absolute_url())
    expect(page.get_by_text("Priya Sharma")).to_be_visible()
    assert_accessible(page, h1=neighbourhood.name)


def test_neighbourhood_page_with_the_map_has_no_violations(map_page, neighbourhood):
    page = map_page.page
    page.goto(neighbourhood.get_absolute_url())
    expect(
        page.get_by_role("region", name=f"Map of the {neighbourhood.name} neighbourhood boundary")
    ).to_be_visible()
    expect(page.locator("img.leaflet-tile-loaded").first).to_be_visible()
    expect(page.locator(".leaflet-overlay-pane svg path")).to_have_count(1)
    assert_accessible(page, h1=neighbourhood.name)


@pytest.mark.parametrize(
    ("path", "h1"),
    [
        ("/accessibility/", "Accessibility statement"),
        ("/privacy/", "Privacy notice"),
        ("/cookies/", "Cookies"),
    ],
)
def test_footer_pages_have_no_violations(page, path, h1):
    page.goto(path)
    assert_accessible(page, h1=h1)


def test_sign_in_errors_have_no_violations_and_take_focus(page):
    page.goto("/staff/sign-in/")
    page.get_by_role("button", name="Sign in").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Enter your username")
    summary.get_by_role("link", name="Enter your username").click()
    expect(page.get_by_label("Username")).to_be_focused()
    assert_accessible(page, h1="Staff sign in")


def sign_in_wrongly(page) -> None:
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()


def test_wrong_password_says_how_many_tries_are_left_with_no_violations(page, officer_account):
    page.goto("/staff/sign-in/")
    sign_in_wrongly(page)

    expect(page.get_by_role("alert")).to_contain_text(
        "You have 4 more tries before sign-in is locked for 15 minutes."
    )
    assert_accessible(page, h1="Staff sign in")


def test_lockout_page_says_when_to_try_again_with_no_violations(page, officer_account):
    page.goto("/staff/sign-in/")
    for _ in range(5):
        sign_in_wrongly(page)

    expect(page.get_by_text("You can try again from")).to_be_visible()
    assert_accessible(page, h1="Sign in is locked for 15 minutes", status=LOCKED_OUT)


def test_staff_area_has_no_violations(page, officer_account):
    page.goto("/staff/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Staff area")).to_be_visible()
    assert_accessible(page, h1="Staff area")


def test_record_a_past_meeting_page_has_no_violations(page, officer_account):
    AssignmentFactory(officer__user=officer_account)
    page.goto("/staff/events/past/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert_accessible(page, h1="Record a past meeting")

    page.get_by_role("button", name="Record the meeting").click()

    expect(page.get_by_role("alert")).to_contain_text("Enter a summary of the meeting")
    assert_accessible(page, h1="Record a past meeting")


def test_cookie_notice_hides_with_javascript(page):
    page.goto("/")
    banner = page.get_by_role("region", name="Cookies on this site")
    expect(banner).to_be_visible()

    banner.get_by_role("button", name="Hide cookie message").click()

    expect(banner).to_be_hidden()
    page.reload()
    expect(page.get_by_role("region", name="Cookies on this site")).to_have_count(0)


def test_404_page_has_no_violations(page):
    page.goto("/neighbourhoods/nowhere/")
    assert_accessible(page, h1="Page not found", status=404)


@pytest.mark.urls("tests.error_urls")
@pytest.mark.parametrize(
    ("status", "h1"),
    [
        (400, "Sorry, there is a problem with that request"),
        (403, "You cannot use this page"),
        (500, "Sorry, there is a problem with the service"),
    ],
)
def test_error_pages_have_no_violations(page, status, h1):
    page.goto(f"/fail/{status}/")
    assert_accessible(page, h1=h1, status=status)


def test_new_tracking_link_pages_have_no_violations(page):
    page.goto("/queries/new-link/")
    assert_accessible(page, h1="Get a new link to your query")

    page.get_by_role("button", name="Email me a new link").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your query reference")
    assert_accessible(page, h1="Get a new link to your query")

    page.get_by_label("Your query reference").fill("DY-AAAA-AAA")
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_role("button", name="Email me a new link").click()
    assert_accessible(page, h1="Check your email")


def test_unknown_tracking_link_page_has_no_violations(page):
    page.goto(f"/queries/track/{'x' * 43}/")
    assert_accessible(page, h1="This link to a query does not work", status=404)


def test_request_too_large_page_has_no_violations(page, settings):
    settings.REQUEST_BODY_MAX_BYTES = 64
    page.goto("/alerts/")

    page.get_by_role("button", name="Sign up for alerts").click()

    assert_accessible(page, h1="Sorry, what you sent is too large", status=413)


# --- Did this answer your query? and the engagement panel ----------------------------------------


@pytest.fixture
def answered_query(make_account):
    """A query its named officer has answered: (query, tracking token)."""
    assignment = AssignmentFactory(officer__user=make_account(Role.OFFICER))
    query, token = query_submit(
        neighbourhood=assignment.neighbourhood,
        topic="road_safety",
        message="Cars race along Fox Lane after midnight.",
        name="Sam Resident",
        email="sam@example.com",
        phone="",
        contact_preference="email",
    )
    query_reply(query=query, by=assignment.officer.user, message="We will patrol Fox Lane.")
    return query, token


def test_the_question_after_an_answer_has_no_violations(page, answered_query):
    _query, token = answered_query
    page.goto(f"/queries/track/{token}/")
    expect(page.get_by_role("group", name="Did this answer your query?")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Send your answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Select yes, partly or no")
    assert_accessible(page)

    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Send your answer").click()
    expect(page.get_by_text("You told us whether this answered your query")).to_be_visible()
    assert_accessible(page)


def test_the_question_from_the_answer_email_has_no_violations(page, answered_query):
    query, _token = answered_query
    link = answer_feedback_url(clock=ResponseClock.objects.get(query=query))
    page.goto(link[link.index("/queries/") :])
    expect(page.get_by_role("heading", name=f"Your query {query.reference}")).to_be_visible()
    assert_accessible(page)

    page.goto("/queries/answer/not-a-link/")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    assert_accessible(page, h1="This link does not work", status=404)


def test_the_dashboard_satisfaction_and_engagement_pages_have_no_violations(
    page, answered_query, opcc_account
):
    page.goto("/staff/dashboard/")
    page.get_by_label("Username").fill("opcc")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Were residents satisfied?")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Neighbourhood engagement").click()
    expect(page.get_by_role("heading", name="Neighbourhood engagement")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Alert subscribers").click()
    expect(page.get_by_role("columnheader", name="Alert subscribers")).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert_accessible(page)


# --- The Welsh pages ------------------------------------------------------------------------


def test_welsh_home_page_has_no_violations(page, neighbourhood):
    page.goto("/cy/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page, h1="Dod o hyd i dîm heddlu eich cymdogaeth")


def test_welsh_neighbourhood_page_has_no_violations(page, neighbourhood):
    page.goto(f"/cy{neighbourhood.get_absolute_url()}")
    expect(page.get_by_role("heading", name="Eich swyddog a enwir")).to_be_visible()
    assert_accessible(page, h1=neighbourhood.name)


def test_welsh_contact_form_errors_have_no_violations(page, neighbourhood):
    page.goto(f"/cy/neighbourhoods/{neighbourhood.slug}/contact/")
    page.get_by_role("button", name="Anfon eich ymholiad").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Mae problem")
    expect(summary).to_contain_text("Rhowch eich neges")
    assert_accessible(page, h1="Cysylltu â thîm eich cymdogaeth")


@pytest.mark.parametrize(
    ("path", "h1"),
    [
        ("/cy/events/", "Digwyddiadau a chyfarfodydd bro"),
        ("/cy/officers/", "Swyddogion cymdogaeth"),
        ("/cy/alerts/", "Cael hysbysiadau e-bost"),
        ("/cy/cookies/", "Cwcis"),
    ],
)
def test_welsh_pages_have_no_violations(page, neighbourhood, path, h1):
    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page, h1=h1)


def test_welsh_404_page_has_no_violations(page):
    page.goto("/cy/no-such-page/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(
        page, h1="Heb ddod o hyd i\N{RIGHT SINGLE QUOTATION MARK}r dudalen", status=404
    )
