"""The second factor, end to end in Chromium: an administrator signs in with a password and
cannot reach the admin until they set up an authenticator app; they set one up from the secret
shown on the page, sign out and in again with a code, use a recovery code once, and wrong codes
lock them out. Each page is checked with axe-core, and at 320 pixels wide."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from config.roles import Role
from tests.factories import PASSWORD
from tests.fixtures.browser import assert_accessible
from tests.officers.second_factor_helpers import app_code, device_secret, set_up_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE_LABEL = "Enter the 6-digit code from your authenticator app"
LOCKED = 429


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.MFA_ENFORCED = True
    settings.MFA_REQUIRED_FOR_ALL = False
    settings.MFA_SKIP_USERNAMES = []


@pytest.fixture
def administrator(make_account):
    return make_account(Role.ADMINISTRATOR, username="administrator")


def password_step(page: Page, username: str = "administrator") -> None:
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page: Page) -> None:
    page.goto("/")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Staff sign in")).to_be_visible()


def test_administrator_sets_up_an_app_and_signs_in_with_codes(page, administrator):
    password_step(page)
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    page.goto("/admin/")
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    assert "/admin/" not in page.url.split("?")[0]
    assert_accessible(page, h1="Set up an authenticator app")
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()

    # A wrong code first: the error summary, and nothing kept.
    page.get_by_label(CODE_LABEL).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("The code is not right")
    assert_accessible(page, h1="Set up an authenticator app", status=400)

    secret = page.locator("#secret-key").inner_text()
    page.get_by_label(CODE_LABEL).fill(app_code(secret))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Authenticator app set up")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").locator("code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page, h1="Authenticator app set up")
    page.get_by_role("link", name="I have saved these codes").click()
    expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()

    # Signed out and in again: the code from the app, the admin opens.
    sign_out(page)
    password_step(page)
    expect(page.get_by_label(CODE_LABEL)).to_be_visible()
    assert_accessible(page, h1="Enter the code from your authenticator app")
    page.goto("/admin/")
    expect(page.get_by_label(CODE_LABEL)).to_be_visible()
    page.get_by_label(CODE_LABEL).fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()

    # A recovery code instead, once; the second time it is refused.
    for attempt in ("first", "second"):
        sign_out(page)
        password_step(page)
        page.get_by_role("link", name="Use a recovery code instead").click()
        page.get_by_label("Enter one of your recovery codes").fill(codes[0])
        page.get_by_role("button", name="Continue").click()
        if attempt == "first":
            expect(page.get_by_role("heading", name="Staff area", exact=True)).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(
        "That recovery code is not right, or was used before"
    )
    assert_accessible(page, h1="Use a recovery code", status=400)

    # Four more wrong codes (five with the used recovery code) lock the second step.
    page.get_by_role("link", name="Use your authenticator app instead").click()
    for _ in range(3):
        page.get_by_label(CODE_LABEL).fill("000000")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("alert")).to_contain_text("The code is not right")
    expect(page.get_by_role("alert")).to_contain_text("You have 1 more try")
    page.get_by_label(CODE_LABEL).fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Try again in 15 minutes.")).to_be_visible()
    assert_accessible(page, h1="You entered the code wrongly too many times", status=LOCKED)
    page.goto("/admin/")
    expect(
        page.get_by_role("heading", name="You entered the code wrongly too many times")
    ).to_be_visible()


def test_opcc_cannot_remove_their_last_app_and_the_pages_fit_320_pixels(
    browser, live_server, opcc_account
):
    device = set_up_app(opcc_account, recovery_codes=("abcde23456",))
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    password_step(page, "opcc")
    assert_accessible(page, h1="Enter the code from your authenticator app")
    page.get_by_label(CODE_LABEL).fill(app_code(device_secret(device)))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Sign-in security").click()
    assert_accessible(page, h1="Sign-in security")
    expect(page.get_by_text("You have 1 recovery code left.")).to_be_visible()

    page.get_by_role("button", name="Remove authenticator app 1").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "You cannot remove your only authenticator app"
    )
    assert_accessible(page, h1="Sign-in security", status=400)
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    page.goto("/staff/account/security/setup/")
    assert_accessible(page, h1="Set up an authenticator app")
    for path in ("/staff/account/security/", "/staff/account/security/setup/"):
        page.goto(path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 320, (path, width)
    context.close()
