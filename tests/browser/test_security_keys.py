"""A passkey as the second factor, end to end in Chromium with its virtual authenticator (the
DevTools WebAuthn domain): an administrator registers one on the "Sign-in security" page, signs
out, and signs in again with the password and the passkey. Without JavaScript the pages say the
key needs it and still offer the app and recovery codes. Each page checked with axe-core."""

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Page, expect

from audit.models import AuditRecord
from config.roles import Role
from tests.factories import PASSWORD
from tests.fixtures.browser import assert_accessible
from tests.officers.second_factor_helpers import app_code, device_secret, set_up_app

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODE_LABEL = "Enter the 6-digit code from your authenticator app"


@pytest.fixture(autouse=True)
def second_factor_on(settings, live_server):
    settings.MFA_ENFORCED = True
    settings.MFA_REQUIRED_FOR_ALL = False
    settings.MFA_SKIP_USERNAMES = []
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


@pytest.fixture
def administrator(make_account):
    return make_account(Role.ADMINISTRATOR, username="administrator")


def with_a_passkey_on_this_device(page: Page) -> None:
    """Chromium's virtual authenticator: a platform passkey that verifies its user."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )


def password_step(page: Page) -> None:
    page.goto("/staff/sign-in/")
    page.get_by_label("Username").fill("administrator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_administrator_registers_a_passkey_and_signs_in_with_it(
    page, live_server, administrator
):
    assert live_server.url.startswith("http://localhost:")  # a passkey needs a host name
    with_a_passkey_on_this_device(page)
    app = set_up_app(administrator)
    password_step(page)
    page.get_by_label(CODE_LABEL).fill(app_code(device_secret(app)))
    page.get_by_role("button", name="Continue").click()

    page.goto("/staff/account/security/")
    expect(page.get_by_text("You have not added a security key or passkey.")).to_be_visible()
    page.get_by_role("button", name="Add a security key or passkey").click()
    expect(page.get_by_text("Security key or passkey 1", exact=True)).to_be_visible()
    assert_accessible(page, h1="Sign-in security")
    assert WebAuthnCredential.objects.filter(user=administrator, confirmed=True).count() == 1
    assert AuditRecord.objects.filter(
        actor=administrator, detail="security key or passkey set up"
    ).exists()

    page.goto("/")
    page.get_by_role("button", name="Sign out").click()
    password_step(page)
    page.goto("/admin/")
    expect(
        page.get_by_role("heading", name="Enter the code from your authenticator app")
    ).to_be_visible()
    assert_accessible(page, h1="Enter the code from your authenticator app")
    page.get_by_role("button", name="Use a security key or passkey").click()

    expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()
    assert WebAuthnCredential.objects.get(user=administrator).last_used_at is not None
