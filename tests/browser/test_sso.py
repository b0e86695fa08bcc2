"""Signing in through the force's identity provider in Chromium: the real provider's pages
(tests/oidc_provider), back to the portal, and the pages an account without access sees."""

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from config.roles import Role, user_roles
from officers.identities import oidc_identity_approve
from officers.models import OidcIdentity
from tests.fixtures.browser import NEUTRAL_PAGE, assert_accessible
from tests.fixtures.oidc import PROVIDER_NAME, PROVIDER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sso_page(browser: Browser, live_server, sso) -> Page:
    """A browser that reaches the portal and the provider, and nothing else."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")

    def answer(route: Route) -> None:
        if route.request.url.startswith((live_server.url, sso.url)):
            route.continue_()
        else:
            route.fulfill(status=200, content_type="text/html", body=NEUTRAL_PAGE)

    context.route("**/*", answer)
    yield context.new_page()
    context.close()


def sign_in_at_the_provider(page: Page, username: str) -> None:
    page.goto("/staff/sign-in/")
    page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    expect(page.get_by_role("heading", name="Test Constabulary sign in")).to_be_visible()
    page.get_by_label("Provider username").fill(username)
    page.get_by_label("Provider password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_a_new_officer_waits_for_approval_then_lands_on_the_staff_home_with_their_role(
    sso_page, sso, make_account
):
    sso.user("pcjones", "NPT-Officers")
    sign_in_at_the_provider(sso_page, "pcjones")

    assert_accessible(sso_page, h1="Your account is waiting for approval")
    identity = OidcIdentity.objects.get(user__username="pcjones")
    assert user_roles(identity.user) == set()

    oidc_identity_approve(identity=identity, by=make_account(Role.ADMINISTRATOR))
    sso_page.goto("/staff/sign-in/")
    sso_page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()

    expect(sso_page.get_by_role("heading", name="Staff area", exact=True)).to_be_visible()
    assert user_roles(identity.user) == {Role.OFFICER}


def test_an_officer_taken_out_of_every_group_is_told_they_have_no_access(
    sso_page, sso, make_account
):
    sso.user("pcleaver", "NPT-Officers")
    sign_in_at_the_provider(sso_page, "pcleaver")
    identity = OidcIdentity.objects.get(user__username="pcleaver")
    oidc_identity_approve(identity=identity, by=make_account(Role.ADMINISTRATOR))
    sso.user("pcleaver")

    sso_page.goto("/staff/sign-in/")
    sso_page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()

    assert_accessible(sso_page, h1="You do not have access to the staff area")
    sso_page.goto("/staff/")
    expect(sso_page.get_by_role("heading", name="Staff sign in")).to_be_visible()


def test_a_forged_answer_from_the_provider_gets_a_clear_page(sso_page, sso):
    sso_page.goto("/staff/sign-in/")
    sso_page.goto("/oidc/callback/?code=made-up&state=forged")

    assert_accessible(sso_page, h1="You could not be signed in", status=400)
    sso_page.get_by_role("link", name="Go back to staff sign in").click()
    expect(sso_page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}")).to_be_visible()


def test_the_sign_in_page_with_the_provider_has_no_violations(sso_page, settings):
    settings.LOCAL_PASSWORD_SIGN_IN = False
    sso_page.goto("/staff/sign-in/")
    expect(sso_page.get_by_text("for administrators only")).to_be_visible()
    assert_accessible(sso_page, h1="Staff sign in")
