"""Signing in through the force's identity provider in Chromium: the real provider's pages
(tests/oidc_provider), back to the portal, and the pages an account without access sees."""

from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
from playwright.sync_api import Browser, Page, Request, Route, expect

from config.roles import Role, user_roles
from officers.identities import oidc_identity_approve
from officers.models import OidcIdentity
from tests.fixtures.browser import NEUTRAL_PAGE, assert_accessible
from tests.fixtures.oidc import PROVIDER_NAME, PROVIDER_PASSWORD
from tests.waiting import wait_until

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


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    return urlunsplit(parts._replace(query=urlencode({**query, **changes})))


def change_the_answer(page: Page, **changes: str) -> None:
    """Change the provider's answer (the callback address) before the browser goes there.
    Playwright routes only the first request of a chain of redirects, and the provider's answer
    is a redirect at the end of one, so each navigation's redirects are followed here, with the
    context's cookies, until the one to the callback, which is changed."""

    def answer(route: Route) -> None:
        if not route.request.is_navigation_request():
            route.fallback()
            return
        response = first = route.fetch(max_redirects=0)
        url = route.request.url
        while response.status in (301, 302, 303):
            url = urljoin(url, response.headers["location"])
            if urlsplit(url).path == "/oidc/callback/":
                route.fulfill(status=302, headers={"Location": with_query(url, **changes)})
                return
            response = page.request.get(url, max_redirects=0)
        route.fulfill(response=first)

    page.route("**/*", answer)


def approved_sign_in(page: Page, sso, make_account, username: str, *groups: str) -> None:
    """A first sign-in through the provider, approved by an administrator afterwards."""
    sso.user(username, *groups)
    sign_in_at_the_provider(page, username)
    expect(page.locator("h1")).to_have_text("Your account is waiting for approval")
    identity = OidcIdentity.objects.get(user__username=username)
    oidc_identity_approve(identity=identity, by=make_account(Role.ADMINISTRATOR))


def assert_refused_and_signed_out(page: Page) -> None:
    assert_accessible(page, h1="You could not be signed in", status=400)
    page.goto("/staff/")
    expect(page.get_by_role("heading", name="Staff sign in")).to_be_visible()


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


def test_an_id_token_issued_to_another_client_is_refused_with_a_page(sso_page, sso):
    sso.user("wrong-audience", "NPT-Officers")
    sign_in_at_the_provider(sso_page, "wrong-audience")

    assert_refused_and_signed_out(sso_page)
    assert not OidcIdentity.objects.exists()


def test_an_expired_id_token_is_refused_with_a_page(sso_page, sso):
    sso.user("expired", "NPT-Officers")
    sign_in_at_the_provider(sso_page, "expired")

    assert_refused_and_signed_out(sso_page)
    assert not OidcIdentity.objects.exists()


def test_a_replayed_answer_from_the_provider_is_refused(sso_page, sso, make_account):
    approved_sign_in(sso_page, sso, make_account, "pcreplay", "NPT-Officers")
    callbacks: list[str] = []

    def note(request: Request) -> None:
        if urlsplit(request.url).path == "/oidc/callback/":
            callbacks.append(request.url)

    sso_page.on("request", note)
    sso_page.goto("/staff/sign-in/")
    sso_page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    expect(sso_page.get_by_role("heading", name="Staff area", exact=True)).to_be_visible()
    assert len(callbacks) == 1
    sso_page.get_by_role("button", name="Sign out").click()
    wait_until(lambda: sso_page.request.get("/staff/", max_redirects=0).status == 302, 10)
    sso_page.goto("/staff/")
    expect(sso_page.get_by_role("heading", name="Staff sign in")).to_be_visible()

    # The very same answer again: its state was used up by the first sign-in.
    sso_page.goto(callbacks[0])
    assert_refused_and_signed_out(sso_page)

    # The used code with the state of a new sign-in, so that it reaches the provider.
    used_code = parse_qs(urlsplit(callbacks[0]).query)["code"][0]

    change_the_answer(sso_page, code=used_code)
    sso_page.goto("/staff/sign-in/")
    sso_page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    login = sso_page.get_by_role("heading", name="Test Constabulary sign in")
    expect(login.or_(sso_page.locator("h1", has_text="You could not be signed in"))).to_be_visible()
    if login.is_visible():
        sso_page.get_by_label("Provider username").fill("pcreplay")
        sso_page.get_by_label("Provider password").fill(PROVIDER_PASSWORD)
        sso_page.get_by_role("button", name="Continue").click()
    assert_refused_and_signed_out(sso_page)


def test_an_answer_with_another_state_is_refused(sso_page, sso):
    sso.user("pcstate", "NPT-Officers")

    change_the_answer(sso_page, state="forged-state")
    sign_in_at_the_provider(sso_page, "pcstate")

    assert_refused_and_signed_out(sso_page)
    assert not OidcIdentity.objects.exists()


def test_a_sergeant_lands_on_the_staff_home_with_the_supervisors_section(
    sso_page, sso, make_account
):
    approved_sign_in(sso_page, sso, make_account, "sgtmapped", "NPT-Sergeants")

    sso_page.goto("/staff/sign-in/")
    sso_page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()

    expect(sso_page.get_by_role("heading", name="Staff area", exact=True)).to_be_visible()
    expect(
        sso_page.get_by_role("heading", name="Neighbourhoods without a named officer")
    ).to_be_visible()
    expect(sso_page.get_by_role("heading", name="Your neighbourhoods")).to_have_count(0)
    assert user_roles(OidcIdentity.objects.get().user) == {Role.SUPERVISOR}
    assert_accessible(sso_page, h1="Staff area")


def test_signing_out_of_a_provider_session_ends_it_at_the_provider_too(
    sso_page, sso, make_account, live_server
):
    """The sign-out form ends at the provider's end_session_endpoint: the page's
    Content-Security-Policy lets the form go there, and the provider asks for a password again."""
    approved_sign_in(sso_page, sso, make_account, "pcleaves", "NPT-Officers")
    blocked: list[str] = []
    sso_page.on(
        "console",
        lambda message: blocked.append(message.text) if "Security Policy" in message.text else None,
    )
    sso_page.goto("/staff/sign-in/")
    sso_page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    expect(sso_page.get_by_role("heading", name="Staff area", exact=True)).to_be_visible()

    with sso_page.expect_request(lambda request: request.url.startswith(sso.url)):
        sso_page.get_by_role("button", name="Sign out").click()
    sso_page.wait_for_url(f"{live_server.url}/")

    assert blocked == []
    sso_page.goto("/staff/")
    expect(sso_page.get_by_role("heading", name="Staff sign in")).to_be_visible()
    sso_page.get_by_role("button", name=f"Sign in with {PROVIDER_NAME}").click()
    expect(sso_page.get_by_role("heading", name="Test Constabulary sign in")).to_be_visible()
