"""axe-core in Chromium: no violations on the public pages, the staff pages and the error pages."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from config.roles import Role
from dashboards.tasks import refresh_public_scorecards
from patrols.services import patrol_record
from queries.models import ResponseClock
from queries.services.feedback import answer_feedback_url
from queries.services.resident import query_submit
from queries.services.staff import query_reply
from tests.dashboards.quarter_data import published_report
from tests.factories import PASSWORD, AssignmentFactory, EventFactory, PriorityFactory
from tests.fixtures.browser import assert_accessible, sign_in
from tests.fixtures.patrols import evening
from tests.officers.second_factor_helpers import app_code, device_secret, set_up_app

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


@pytest.fixture
def published(make_account):
    """A neighbourhood with queries enough to publish its figures, refreshed into the cache."""
    assignment = AssignmentFactory(officer__user=make_account(Role.OFFICER))
    neighbourhood, officer = assignment.neighbourhood, assignment.officer
    for n in range(6):
        query, _token = query_submit(
            neighbourhood=neighbourhood,
            topic="road_safety",
            message="The street light outside number 12 is out.",
            name="Sam Resident",
            email=f"sam{n}@example.com",
            phone="",
            contact_preference="email",
        )
        query_reply(query=query, by=officer.user, message="Fixed.")
    refresh_public_scorecards()
    return neighbourhood


def test_neighbourhood_page_with_its_scorecard_has_no_violations(page, published):
    page.goto(published.get_absolute_url())
    expect(page.get_by_text("answered 6 of 6 queries")).to_be_visible()
    assert_accessible(page, h1=published.name)


@pytest.mark.parametrize(
    ("path", "h1"),
    [
        (
            "/performance/",
            "How Derbyshire Constabulary (demo) keeps the Neighbourhood Policing Guarantee",
        ),
        ("/performance/how-we-count/", "How we count the Guarantee figures"),
    ],
)
def test_performance_pages_have_no_violations(page, published, path, h1):
    page.goto(path)
    assert_accessible(page, h1=h1)


def test_division_performance_page_has_no_violations(page, published):
    division = published.division
    page.goto(f"/performance/{division.slug}/")
    expect(page.get_by_role("link", name=published.name)).to_be_visible()
    assert_accessible(
        page, h1=f"How the {division.name} division keeps the Neighbourhood Policing Guarantee"
    )


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


@pytest.mark.parametrize(
    ("path", "h1"),
    [
        ("/staff/sign-in/waiting/", "Your account is waiting for approval"),
        ("/staff/sign-in/no-access/", "You do not have access to the staff area"),
    ],
)
def test_single_sign_on_pages_have_no_violations(page, path, h1):
    page.goto(path)
    assert_accessible(page, h1=h1)


def test_single_sign_on_refusal_has_no_violations(page, sso):
    page.goto("/oidc/callback/?code=made-up&state=forged")
    assert_accessible(page, h1="You could not be signed in", status=400)


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


def test_the_second_factor_pages_have_no_violations(page, settings, administrator_account):
    settings.MFA_ENFORCED = True
    device = set_up_app(administrator_account, recovery_codes=("abcde23456",))
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill("administrator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert_accessible(page, h1="Enter the code from your authenticator app")
    page.get_by_role("link", name="Use a recovery code instead").click()
    assert_accessible(page, h1="Use a recovery code")
    page.get_by_role("link", name="Use your authenticator app instead").click()
    page.get_by_label("Enter the 6-digit code").fill(app_code(device_secret(device)))
    page.get_by_role("button", name="Continue").click()

    page.goto("/staff/account/security/")
    assert_accessible(page, h1="Sign-in security")
    page.get_by_role("button", name="Get new recovery codes").click()
    assert_accessible(page, h1="Your new recovery codes")
    page.goto("/staff/account/security/setup/")
    assert_accessible(page, h1="Set up an authenticator app")


def test_the_quarterly_report_pages_have_no_violations(page, opcc_account):
    report = published_report(opcc_account)
    page.goto("/performance/reports/")
    expect(page.get_by_role("link", name=report.quarter.label)).to_be_visible()
    assert_accessible(page, h1="Neighbourhood Policing Guarantee: quarterly reports")

    page.get_by_role("link", name=report.quarter.label).click()
    expect(page.locator(".portal-report__commentary")).to_be_visible()
    assert_accessible(page, h1=f"Neighbourhood Policing Guarantee: {report.quarter.label}")

    page.goto("/staff/dashboard/reports/")
    page.get_by_label("Username").fill("opcc")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert_accessible(page, h1="Quarterly Guarantee reports")
    page.get_by_role("button", name=f"Publish a correction to {report.quarter.short_label}").click()
    expect(page.get_by_role("textbox", name="Commentary")).to_be_visible()
    assert_accessible(page, h1=f"Neighbourhood Policing Guarantee: {report.quarter.label}")

    # Publishing a correction without saying what it corrects: the errors, accessible too.
    page.get_by_role("button", name="Publish the report").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what this version corrects")
    assert_accessible(
        page, h1=f"Neighbourhood Policing Guarantee: {report.quarter.label}", status=400
    )


# --- Anti-social behaviour and the Police and Crime Plan ---------------------------------------


@pytest.fixture
def asb_and_plan(force_lead, actions, guide, crime_plan, priya, area):
    local = PriorityFactory(neighbourhood=area, issue="Speeding on Fox Lane")
    road_safety = crime_plan.priorities.get(title="Road safety")
    road_safety.neighbourhood_priorities.add(local)
    actions["derby"].plan_priorities.add(road_safety)
    return {"action": actions["derby"], "priority": local, "plan": crime_plan}


def test_the_asb_and_plan_public_pages_have_no_violations(page, asb_and_plan):
    for path, h1 in [
        ("/asb/", "Anti-social behaviour"),
        ("/asb/report/", "What kind of behaviour do you want to report?"),
        ("/asb/report/?asked=1", "What kind of behaviour do you want to report?"),
        ("/asb/report/threatening-behaviour/", "Who to report it to"),
        ("/police-and-crime-plan/", "Police and Crime Plan"),
    ]:
        page.goto(path)
        assert_accessible(page, h1=h1)
    page.goto("/asb/report/no-such-kind/")
    assert_accessible(page, h1="Page not found", status=404)


def _sign_in(page, username: str) -> None:
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Staff area", exact=True)).to_be_visible()


def test_the_asb_staff_pages_have_no_violations(page, asb_and_plan):
    _sign_in(page, "asblead")
    action = asb_and_plan["action"]
    for path, h1 in [
        ("/staff/asb/", "ASB action plan"),
        ("/staff/asb/actions/new/", "Add an action"),
        (f"/staff/asb/actions/{action.pk}/edit/", "Change an action"),
        ("/staff/asb/sections/new/", "Add a section to the plan"),
        ("/staff/asb/delegates/", "People who edit the plan for you"),
    ]:
        page.goto(path)
        assert_accessible(page, h1=h1)
    page.goto("/staff/asb/actions/new/")
    page.get_by_role("button", name="Save action").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what the action is")
    assert_accessible(page, h1="Add an action")


def test_the_plan_staff_pages_and_coverage_have_no_violations(page, asb_and_plan, opcc_account):
    plan, priority = asb_and_plan["plan"], asb_and_plan["priority"]
    _sign_in(page, "officer")
    for path, h1 in [
        (
            "/staff/police-and-crime-plan/tags/",
            "Tag your priorities with the Police and Crime Plan",
        ),
        (f"/staff/police-and-crime-plan/tags/{priority.pk}/", "Plan priorities this serves"),
    ]:
        page.goto(path)
        assert_accessible(page, h1=h1)
    page.context.clear_cookies()
    _sign_in(page, "opcc")
    plan_priority = plan.priorities.first()
    for path, h1 in [
        ("/staff/police-and-crime-plan/", "Police and Crime Plan"),
        ("/staff/police-and-crime-plan/new/", "Publish a new plan"),
        (f"/staff/police-and-crime-plan/{plan.pk}/edit/", "Change the plan"),
        (f"/staff/police-and-crime-plan/{plan.pk}/priorities/new/", "Add a plan priority"),
        (
            f"/staff/police-and-crime-plan/priorities/{plan_priority.pk}/edit/",
            "Change a plan priority",
        ),
        ("/staff/dashboard/plan/", "Police and Crime Plan coverage"),
    ]:
        page.goto(path)
        assert_accessible(page, h1=h1)
    page.goto("/staff/police-and-crime-plan/new/")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a title")
    assert_accessible(page, h1="Publish a new plan")


# --- Hotspot patrols -------------------------------------------------------------------------


def test_the_public_patrols_summaries_have_no_violations(page, colleague, hotspot, area):
    patrol_record(
        hotspot=hotspot,
        starts_at=evening(2),
        ends_at=evening(2, 21),
        officers=[colleague],
        outcomes={"arrests": 1, "immediate_justice": 2},
    )
    month = f"{evening(2):%Y-%m}"
    for path in (
        f"/patrols/?month={month}",
        f"/patrols/{area.division.slug}/?month={month}",
        f"/neighbourhoods/{area.slug}/patrols/?month={month}",
    ):
        page.goto(path)
        expect(page.locator("#patrols-summary")).to_contain_text("Officers spent 2 hours")
        assert_accessible(page, h1="Hotspot patrols")
    page.goto("/patrols/?month=2026-13")
    expect(page.get_by_role("alert")).to_contain_text("Choose a month from the list")
    assert_accessible(page, h1="Hotspot patrols", status=400)


def test_the_staff_patrols_and_hotspots_pages_have_no_violations(page, sergeant, hotspot):
    sign_in(page, "sergeant")
    page.goto("/staff/patrols/")
    assert_accessible(page, h1="Hotspot patrols")
    page.get_by_role("link", name="Hotspots and their patrol plans").click()
    assert_accessible(page, h1="Hotspots")
    page.get_by_role("button", name="Define a hotspot").click()
    assert_accessible(page, h1="Define a hotspot")
    page.get_by_label("Corners of an area").check()
    page.get_by_label("Corners", exact=True).fill(
        "52.921, -1.471\n52.919, -1.469\n52.921, -1.469\n52.919, -1.471"
    )
    page.get_by_role("button", name="Save the hotspot").click()
    expect(page.get_by_role("alert")).to_contain_text("The edge of the area crosses itself")
    assert_accessible(page, h1="Define a hotspot")


# --- The Welsh pages ------------------------------------------------------------------------
# Every Welsh page, and the public forms' errors, are walked by tests/browser/test_welsh_pages.py;
# here, the states of a page that walk does not reach (figures, fallbacks, errors).


def test_welsh_performance_pages_have_no_violations(page, published):
    page.goto("/cy/performance/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.locator("#trend-caption")).to_contain_text("Ymholiadau a benderfynwyd bob mis")
    assert_accessible(
        page,
        h1="Sut mae Heddlu Swydd Derby (demo) yn cadw\N{RIGHT SINGLE QUOTATION MARK}r "
        "Warant Plismona Cymdogaeth",
    )

    page.goto(f"/cy/performance/{published.division.slug}/")
    assert_accessible(
        page,
        h1=f"Sut mae adran {published.division.name} yn cadw\N{RIGHT SINGLE QUOTATION MARK}r "
        "Warant Plismona Cymdogaeth",
    )


def test_welsh_quarterly_report_pages_have_no_violations(page, opcc_account):
    report = published_report(opcc_account)
    with translation.override("cy"):
        label = report.quarter.label
    page.goto("/cy/performance/reports/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page, h1="Y Warant Plismona Cymdogaeth: adroddiadau chwarterol")

    page.get_by_role("link", name=label).click()
    expect(page.locator(".portal-report__commentary")).to_be_visible()
    expect(page.locator("#trend-caption")).to_contain_text("Ymatebion sy")
    assert_accessible(page, h1=f"Y Warant Plismona Cymdogaeth: {label}")


def test_welsh_patrols_summary_has_no_violations(page, colleague, hotspot, area):
    patrol_record(
        hotspot=hotspot,
        starts_at=evening(2),
        ends_at=evening(2, 21),
        officers=[colleague],
        outcomes={"arrests": 1, "immediate_justice": 2},
    )
    page.goto(f"/cy/neighbourhoods/{area.slug}/patrols/?month={evening(2):%Y-%m}")
    expect(page.locator("#patrols-summary")).to_contain_text("Treuliodd swyddogion 2 awr")
    assert_accessible(page, h1="Patrolau mannau problemus")
    page.goto("/cy/patrols/?month=2026-13")
    expect(page.get_by_role("alert")).to_contain_text("Dewiswch fis o\u2019r rhestr")
    assert_accessible(page, h1="Patrolau mannau problemus", status=400)


def test_welsh_event_page_with_english_fallbacks_has_no_violations(page, neighbourhood):
    event = EventFactory(
        neighbourhood=neighbourhood,
        title="Beat meeting",
        title_cy="Cyfarfod bro",
        description="Tell us what matters.",
        venue_name="Community Centre",
        venue_name_cy="Canolfan Gymunedol",
        address="1 High Street",
    )

    page.goto(f"/cy/events/{event.pk}/")

    expect(page.locator("h1")).to_have_text("Cyfarfod bro")
    expect(page.locator('div[lang="en"]')).to_have_text("Tell us what matters.")
    expect(page.locator('span[lang="en"]', has_text="1 High Street")).to_be_visible()
    assert_accessible(page, h1="Cyfarfod bro")


def test_the_event_form_with_its_welsh_fields_has_no_violations(page, officer_account):
    AssignmentFactory(officer__user=officer_account)
    page.goto("/staff/events/new/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator('input[name="title_cy"][lang="cy"]')).to_be_visible()
    assert_accessible(page, h1="Add an event")


# --- The staff area in Welsh ------------------------------------------------------------------


def test_welsh_sign_in_errors_have_no_violations(page, officer_account):
    page.goto("/language/cy/?next=/staff/sign-in/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    page.get_by_label("Enw defnyddiwr").fill("officer")
    page.get_by_label("Cyfrinair").fill("wrong")
    page.get_by_role("button", name="Mewngofnodi", exact=True).click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Mae problem")
    expect(summary).to_contain_text("Rhowch enw defnyddiwr a chyfrinair cywir.")
    assert_accessible(page, h1="Mewngofnodi staff")


def test_welsh_staff_event_form_and_priorities_have_no_violations(page, officer_account):
    AssignmentFactory(officer__user=officer_account)
    sign_in(page)
    page.goto("/staff/events/new/")
    switcher = page.get_by_role("navigation", name="Choose a language")
    switcher.get_by_role("link", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    assert_accessible(page, h1="Ychwanegu digwyddiad")

    page.get_by_role("button", name="Ychwanegu digwyddiad").click()

    expect(page.get_by_role("alert")).to_contain_text("Dewiswch y math o ddigwyddiad")
    assert_accessible(page, h1="Ychwanegu digwyddiad")
    page.goto("/staff/priorities/")
    assert_accessible(page, h1="Blaenoriaethau lleol")
