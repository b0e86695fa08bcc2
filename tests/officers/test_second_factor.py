"""The second factor for staff who sign in with a password: who needs it, what a password-only
session is refused, setting an app up, recovery codes, the lock after wrong codes, and the
rule that administrators and OPCC keep their last app. Through the test client and the
services; the whole journey in Chromium is tests/browser/test_second_factor.py."""

import datetime

import pytest
import time_machine
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditRecord
from config.roles import Role
from tests.factories import PASSWORD, OfficerFactory
from tests.html import elements, links
from tests.officers.second_factor_helpers import (
    app_code,
    device_secret,
    recovery_codes,
    secret_on_page,
    set_up_app,
    sign_in_with_password,
)

pytestmark = pytest.mark.django_db

CODE_STEP = "/staff/sign-in/code/"
RECOVERY_STEP = "/staff/sign-in/recovery-code/"
SETUP = "/staff/account/security/setup/"
SECURITY = "/staff/account/security/"
LOCKED = "You entered the code wrongly too many times"


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    """The test settings leave the second factor off for the rest of the suite."""
    settings.MFA_ENFORCED = True
    settings.MFA_REQUIRED_FOR_ALL = False
    settings.MFA_SKIP_USERNAMES = []


@pytest.fixture
def administrator(make_account):
    return make_account(Role.ADMINISTRATOR, username="administrator")


def records(detail: str) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(subject_type="second factor", detail__contains=detail))


# --- A password alone ------------------------------------------------------------------------


def test_administrator_with_a_password_only_is_sent_to_set_up_an_app_not_the_admin(
    client, administrator
):
    sign_in_with_password(client, "administrator")

    for path in ("/admin/", "/admin/auth/user/", "/staff/", "/staff/queries/", SECURITY):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(f"{SETUP}?next="), path
    page = client.get(SETUP).content.decode()
    assert "Set up an authenticator app" in page
    assert any(
        image.attrs.get("alt", "").startswith("QR code for your authenticator app")
        for image in elements(page, "img")
    )


def test_administrator_with_an_app_must_give_its_code_before_the_admin(client, administrator):
    device = set_up_app(administrator)
    sign_in_with_password(client, "administrator")

    response = client.get("/admin/")
    assert response["Location"] == f"{CODE_STEP}?next=%2Fadmin%2F"
    page = client.get(response["Location"]).content.decode()
    assert "Enter the 6-digit code from your authenticator app" in page

    answer = client.post(CODE_STEP, {"code": app_code(device_secret(device)), "next": "/admin/"})

    assert answer["Location"] == "/admin/"
    admin_page = client.get("/admin/")
    assert admin_page.status_code == 200
    assert "Neighbourhood Portal administration" in admin_page.content.decode()


def test_the_admins_own_sign_in_form_does_not_open_the_admin_either(client, administrator):
    set_up_app(administrator)

    client.post("/admin/login/?next=/admin/", {"username": "administrator", "password": PASSWORD})

    assert client.get("/admin/")["Location"].startswith(CODE_STEP)
    assert client.get("/admin/login/")["Location"].startswith(CODE_STEP)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", CODE_STEP),
        ("post", CODE_STEP),
        ("get", RECOVERY_STEP),
        ("post", RECOVERY_STEP),
        ("get", SETUP),
        ("post", SETUP),
        ("get", SECURITY),
        ("post", "/staff/account/security/recovery-codes/"),
        ("post", "/staff/account/security/apps/1/remove/"),
    ],
)
def test_a_visitor_is_sent_to_sign_in_from_every_second_factor_page(client, method, path):
    response = getattr(client, method)(path, {"code": "123456"})

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/?next=")


def test_a_post_to_a_staff_page_with_a_password_only_changes_nothing(client, administrator):
    set_up_app(administrator)
    sign_in_with_password(client, "administrator")

    response = client.post("/staff/away/", {"away_until": ""})

    assert response["Location"] == CODE_STEP


def test_the_setup_page_refuses_a_password_only_session_of_an_account_with_an_app(
    client, administrator
):
    """Someone who has only the password cannot add their own app to the account."""
    set_up_app(administrator)
    sign_in_with_password(client, "administrator")

    response = client.get(SETUP)
    posted = client.post(SETUP, {"code": "123456"})

    assert response["Location"].startswith(f"{CODE_STEP}?next=")
    assert posted["Location"].startswith(CODE_STEP)
    assert TOTPDevice.objects.filter(user=administrator).count() == 1


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.OPCC])
def test_administrators_and_opcc_always_need_one(client, make_account, role):
    make_account(role, username="someone")
    sign_in_with_password(client, "someone")

    assert client.get("/staff/")["Location"].startswith(SETUP)


def test_an_officer_needs_none_unless_required_for_all(client, settings, officer_account):
    sign_in_with_password(client, "officer")
    assert client.get("/staff/").status_code == 200

    settings.MFA_REQUIRED_FOR_ALL = True

    assert client.get("/staff/")["Location"].startswith(SETUP)


def test_an_officer_who_set_up_an_app_is_asked_for_it(client, officer_account):
    set_up_app(officer_account)
    sign_in_with_password(client, "officer")

    assert client.get("/staff/")["Location"].startswith(CODE_STEP)


def test_skipped_usernames_need_none_even_as_administrator(client, settings, administrator):
    settings.MFA_SKIP_USERNAMES = ["administrator"]
    sign_in_with_password(client, "administrator")

    assert client.get("/admin/").status_code == 200


def test_signing_in_and_out_stay_open_to_a_password_only_session(client, administrator):
    set_up_app(administrator)
    sign_in_with_password(client, "administrator")

    assert client.get(CODE_STEP).status_code == 200
    assert client.get(RECOVERY_STEP).status_code == 200
    assert client.post("/staff/sign-out/")["Location"] == "/"
    assert client.get("/staff/")["Location"] == "/staff/sign-in/?next=/staff/"


# --- Setting an app up -----------------------------------------------------------------------


def test_setting_up_an_app_shows_ten_recovery_codes_once_and_verifies_the_session(
    client, administrator
):
    sign_in_with_password(client, "administrator")
    secret = secret_on_page(client.get(f"{SETUP}?next=/admin/").content.decode())

    response = client.post(SETUP, {"code": app_code(secret), "next": "/admin/"})

    page = response.content.decode()
    codes = recovery_codes(page)
    assert len(codes) == 10
    assert "These codes are shown only once" in page
    assert any(
        href == "/admin/" and text.startswith("I have saved these codes")
        for text, href in links(page)
    )
    device = TOTPDevice.objects.get(user=administrator)
    assert device.confirmed
    assert sorted(
        StaticToken.objects.filter(device__user=administrator).values_list("token", flat=True)
    ) == sorted(codes)
    assert client.get("/admin/").status_code == 200
    assert [r.actor for r in records("authenticator app set up")] == [administrator]
    # The secret shown is used up: the setup page offers a new one.
    assert secret_on_page(client.get(SETUP).content.decode()) != secret


def test_a_wrong_code_at_setup_keeps_no_app(client, administrator):
    sign_in_with_password(client, "administrator")
    client.get(SETUP)

    response = client.post(SETUP, {"code": "000000"})
    bad = client.post(SETUP, {"code": "12ab"})

    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()
    assert "Enter the 6-digit code, like 123456" in bad.content.decode()
    assert not TOTPDevice.objects.filter(user=administrator).exists()
    assert client.get("/admin/")["Location"].startswith(SETUP)


# --- The second step -------------------------------------------------------------------------


def test_a_code_is_accepted_once(client, administrator):
    device = set_up_app(administrator)
    code = app_code(device_secret(device))
    sign_in_with_password(client, "administrator")
    assert client.post(CODE_STEP, {"code": code})["Location"] == "/staff/"
    client.post("/staff/sign-out/")

    sign_in_with_password(client, "administrator")
    again = client.post(CODE_STEP, {"code": code})

    assert again.status_code == 400
    assert "The code is not right" in again.content.decode()


def test_a_recovery_code_signs_in_once_and_is_recorded(client, administrator):
    set_up_app(administrator, recovery_codes=("abcde23456", "fghjk23456"))
    sign_in_with_password(client, "administrator")

    first = client.post(RECOVERY_STEP, {"code": "ABCDE 23456", "next": "/admin/"})
    client.post("/staff/sign-out/")
    sign_in_with_password(client, "administrator")
    second = client.post(RECOVERY_STEP, {"code": "abcde23456"})

    assert first["Location"] == "/admin/"
    assert second.status_code == 400
    assert "That recovery code is not right, or was used before" in second.content.decode()
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["fghjk23456"]
    assert len(records("signed in with a recovery code")) == 1


def test_wrong_codes_lock_the_second_step_like_wrong_passwords(client, settings, administrator):
    device = set_up_app(administrator, recovery_codes=("abcde23456",))
    sign_in_with_password(client, "administrator")
    answers = [client.post(CODE_STEP, {"code": "000000"}) for _ in range(4)]
    assert "You have 1 more try before this step is locked." in answers[-1].content.decode()

    fifth = client.post(RECOVERY_STEP, {"code": "wrongwrong"})
    right_code = client.post(CODE_STEP, {"code": app_code(device_secret(device))})

    for locked in (fifth, right_code, client.get(CODE_STEP)):
        assert locked.status_code == 429
        page = locked.content.decode()
        assert LOCKED in page
        assert "Try again in 15 minutes." in page
    assert client.get("/admin/")["Location"].startswith(CODE_STEP)

    with time_machine.travel(datetime.timedelta(minutes=16)):
        opened = client.post(CODE_STEP, {"code": app_code(device_secret(device))})
    assert opened["Location"] == "/staff/"


def test_the_code_form_is_rate_limited(client, settings, administrator):
    settings.MFA_RATE_LIMIT_PER_ACCOUNT = 2
    device = set_up_app(administrator)
    sign_in_with_password(client, "administrator")
    client.post(CODE_STEP, {"code": "000000"})
    client.post(CODE_STEP, {"code": "000000"})

    limited = client.post(CODE_STEP, {"code": app_code(device_secret(device))})

    assert limited.status_code == 429
    assert "You can enter a code again after" in limited.content.decode()
    assert client.get("/admin/")["Location"].startswith(CODE_STEP)


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "x" * 500])
def test_bad_codes_are_errors_in_the_form(client, administrator, code):
    set_up_app(administrator)
    sign_in_with_password(client, "administrator")

    response = client.post(CODE_STEP, {"code": code})

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


# --- Managing one's apps ---------------------------------------------------------------------


def verified_client(client, user, device):
    sign_in_with_password(client, user.get_username())
    client.post(CODE_STEP, {"code": app_code(device_secret(device))})
    return client


def test_opcc_cannot_remove_their_last_app(client, opcc_account):
    device = set_up_app(opcc_account)
    verified_client(client, opcc_account, device)

    response = client.post(f"/staff/account/security/apps/{device.pk}/remove/")

    assert response.status_code == 400
    assert "You cannot remove your only authenticator app" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not records("removed")


def test_an_administrator_can_remove_an_old_app_once_a_new_one_is_set_up(client, administrator):
    old = set_up_app(administrator)
    new = set_up_app(administrator)
    verified_client(client, administrator, new)

    response = client.post(f"/staff/account/security/apps/{old.pk}/remove/")

    assert response["Location"] == SECURITY
    assert list(TOTPDevice.objects.filter(user=administrator)) == [new]
    assert [r.actor for r in records("authenticator app removed")] == [administrator]


def test_an_officer_not_required_to_can_remove_their_app_and_its_recovery_codes(
    client, officer_account
):
    device = set_up_app(officer_account, recovery_codes=("abcde23456",))
    verified_client(client, officer_account, device)

    client.post(f"/staff/account/security/apps/{device.pk}/remove/")

    assert not TOTPDevice.objects.filter(user=officer_account).exists()
    assert not StaticToken.objects.exists()
    assert client.get("/staff/").status_code == 200


def test_an_app_an_administrator_removes_in_the_admin_is_recorded(
    client, administrator, officer_account
):
    """The way back for someone who lost their phone and their recovery codes."""
    lost = set_up_app(officer_account)
    mine = set_up_app(administrator)
    verified_client(client, administrator, mine)

    response = client.post(f"/admin/otp_totp/totpdevice/{lost.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()
    [record] = records("authenticator app removed")
    assert (record.actor, record.subject_id) == (administrator, str(officer_account.pk))


def test_nobody_removes_another_persons_app(client, administrator, officer_account):
    theirs = set_up_app(officer_account)
    mine = set_up_app(administrator)
    verified_client(client, administrator, mine)

    response = client.post(f"/staff/account/security/apps/{theirs.pk}/remove/")

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=theirs.pk).exists()


def test_new_recovery_codes_replace_the_old_ones(client, administrator):
    device = set_up_app(administrator, recovery_codes=("abcde23456",))
    verified_client(client, administrator, device)

    response = client.post("/staff/account/security/recovery-codes/")

    codes = recovery_codes(response)
    assert len(codes) == 10
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(codes)
    assert len(records("new recovery codes")) == 1


def test_the_security_page_lists_apps_and_codes_left_in_bounded_queries(
    client, administrator, django_assert_max_num_queries
):
    device = set_up_app(administrator, recovery_codes=("abcde23456", "fghjk23456"))
    for _ in range(5):
        set_up_app(administrator)
    verified_client(client, administrator, device)

    with django_assert_max_num_queries(12):
        page = client.get(SECURITY).content.decode()

    removals = [
        shown
        for shown in elements(page, "*")
        if shown.own_text == "Remove" and elements(shown, "span", class_="govuk-visually-hidden")
    ]
    assert len(removals) == 6
    assert "You have 2 recovery codes left." in page


def test_a_language_prefix_does_not_open_the_staff_area_to_a_password_only_session(
    client, settings, officer_account
):
    """The staff area has one address in every language; whatever is asked under /cy/staff/, a
    password alone opens nothing there either."""
    settings.MFA_REQUIRED_FOR_ALL = True
    officer = OfficerFactory(user=officer_account)
    set_up_app(officer_account)
    sign_in_with_password(client, "officer")

    posted = client.post("/cy/staff/away/", {"away_until": "2030-01-01"})
    shown = client.get("/cy/staff/profile/", follow=True)

    assert posted.status_code == 302
    assert posted["Location"].removeprefix("/cy").startswith(CODE_STEP)
    officer.refresh_from_db()
    assert officer.away_until is None
    assert shown.redirect_chain[-1][0].startswith(CODE_STEP)
