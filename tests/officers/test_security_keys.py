"""Security keys and passkeys (django-otp-webauthn) as the second factor of a password sign-in:
which steps a password-only session may reach, the code step offering a key, removing keys on
the same rule as apps, and the audit. The ceremonies themselves, with a virtual authenticator in
Chromium, are in tests/browser/test_security_keys.py."""

import secrets

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from audit.models import AuditRecord
from config.roles import Role
from tests.html import element, elements
from tests.officers.second_factor_helpers import (
    app_code,
    device_secret,
    set_up_app,
    sign_in_with_password,
)

pytestmark = pytest.mark.django_db

CODE_STEP = "/staff/sign-in/code/"
SECURITY = "/staff/account/security/"
KEYS = "/staff/account/security/keys"


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.MFA_ENFORCED = True
    settings.MFA_REQUIRED_FOR_ALL = False
    settings.MFA_SKIP_USERNAMES = []


@pytest.fixture
def administrator(make_account):
    return make_account(Role.ADMINISTRATOR, username="administrator")


def add_key(user) -> WebAuthnCredential:
    """A key as django-otp-webauthn keeps one once registered."""
    return WebAuthnCredential.objects.create(
        user=user,
        name="Security key",
        confirmed=True,
        credential_id=secrets.token_bytes(32),
        public_key=secrets.token_bytes(77),
        aaguid="00000000-0000-0000-0000-000000000000",
    )


def records(detail: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(subject_type="second factor", detail__contains=detail))


def verified_with_app(client, user, device):
    sign_in_with_password(client, user.get_username())
    client.post(CODE_STEP, {"code": app_code(device_secret(device))})
    return client


def test_an_administrator_with_a_key_may_remove_their_last_app(client, administrator):
    app = set_up_app(administrator)
    add_key(administrator)
    verified_with_app(client, administrator, app)

    response = client.post(f"/staff/account/security/apps/{app.pk}/remove/")

    assert response["Location"] == SECURITY
    assert not TOTPDevice.objects.filter(user=administrator).exists()
    assert [r.actor for r in records("authenticator app removed")] == [administrator]


def verified_with_key(client, key):
    """The session as django-otp-webauthn leaves it once the key has answered (the ceremony
    itself is the browser test's)."""
    sign_in_with_password(client, key.user.get_username())
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = key.persistent_id
    session.save()


def test_an_administrator_cannot_remove_their_only_key(client, administrator):
    key = add_key(administrator)
    verified_with_key(client, key)
    assert client.get(SECURITY).status_code == 200

    response = client.post(f"{KEYS}/{key.pk}/remove/")

    assert response.status_code == 400
    assert "You cannot remove your only security key" in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()


def test_an_administrator_may_remove_a_key_while_an_app_is_left_and_it_is_audited(
    client, administrator
):
    app = set_up_app(administrator)
    key = add_key(administrator)
    verified_with_app(client, administrator, app)

    response = client.post(f"{KEYS}/{key.pk}/remove/")

    assert response["Location"] == SECURITY
    assert not WebAuthnCredential.objects.filter(pk=key.pk).exists()
    assert [r.actor for r in records("security key or passkey removed")] == [administrator]


def test_adding_a_key_is_audited(administrator):
    add_key(administrator)

    assert [r.subject_id for r in records("security key or passkey set up")] == [
        str(administrator.pk)
    ]


def test_nobody_removes_another_persons_key(client, administrator, officer_account):
    key = add_key(administrator)
    client.force_login(officer_account)

    response = client.post(f"{KEYS}/{key.pk}/remove/")

    assert response.status_code == 403
    assert WebAuthnCredential.objects.filter(pk=key.pk).exists()


def test_the_security_page_lists_keys_and_says_adding_one_needs_javascript(client, administrator):
    app = set_up_app(administrator)
    add_key(administrator)
    verified_with_app(client, administrator, app)

    page = client.get(SECURITY).content.decode()

    assert "Security key or passkey 1" in page
    assert "Adding a security key or passkey needs JavaScript" in page
    assert "can use an authenticator app and recovery codes without it" in page
    assert element(page, "*", id="passkey-register-button")
    assert element(page, "script", id="otp_webauthn_config", type="application/json")


def test_a_password_only_session_with_a_key_is_sent_to_the_code_step_which_offers_it(
    client, administrator
):
    add_key(administrator)
    sign_in_with_password(client, "administrator")

    response = client.get("/admin/")
    assert response["Location"] == f"{CODE_STEP}?next=%2Fadmin%2F"
    page = client.get(response["Location"]).content.decode()

    assert "Use your security key or passkey" in page
    assert "needs JavaScript, which is off in this browser" in page
    assert "Use a recovery code instead" in page
    assert not elements(page, "*", name="code")  # no app to give a code from


def test_the_code_step_offers_a_key_beside_the_app(client, administrator):
    set_up_app(administrator)
    add_key(administrator)
    sign_in_with_password(client, "administrator")

    page = client.get(CODE_STEP).content.decode()

    assert "Enter the code from your authenticator app" in page
    assert "Use a security key or passkey instead" in page


def test_a_password_only_session_may_check_a_key_but_not_register_one(client, administrator):
    add_key(administrator)
    sign_in_with_password(client, "administrator")

    check = client.post(f"{KEYS}/authentication/begin/")
    register = client.post(f"{KEYS}/registration/begin/")

    assert check.status_code == 200
    assert [c["id"] for c in check.json()["allowCredentials"]]  # the account's key
    assert register.status_code == 302
    assert register["Location"].startswith(CODE_STEP)
