"""Staff single sign-on through a real OpenID Connect provider (tests/oidc_provider, its own
process): the code flow with PKCE, groups to roles, approval, and every way a sign-in must be
refused without a server error."""

import datetime
import importlib
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from audit.models import AuditRecord
from config.roles import Role, user_roles
from officers.identities import oidc_identity_approve
from officers.models import OidcIdentity
from officers.oidc import check_group_roles, check_issuer_is_https
from tests.factories import PASSWORD, UserFactory
from tests.fixtures.oidc import PROVIDER_NAME, ProviderBrowser
from tests.html import hrefs
from tests.ports import unused_port

pytestmark = pytest.mark.django_db

User = get_user_model()


def start(client) -> str:
    """The portal's redirect to the provider's authorisation endpoint."""
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, browser: ProviderBrowser, username: str | None = None):
    return client.get(browser.authorize(start(client), username))


def approved(username: str, *, by) -> User:
    identity = OidcIdentity.objects.get(user__username=username)
    oidc_identity_approve(identity=identity, by=by)
    return identity.user


@pytest.fixture
def administrator(make_account):
    return make_account(Role.ADMINISTRATOR, username="root")


@pytest.fixture
def browser(sso):
    return ProviderBrowser(sso)


def test_the_portal_asks_for_a_code_with_pkce_a_nonce_and_the_configured_scopes(client, sso):
    location = urlsplit(start(client))
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso.issuer}/authorize/"
    assert query["response_type"] == ["code"]
    assert query["client_id"] == ["portal"]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["nonce"] and query["state"]
    assert query["scope"] == ["openid email profile"]
    assert query["redirect_uri"] == ["http://testserver/oidc/callback/"]


def test_first_sign_in_makes_an_account_with_no_role_waiting_for_approval(client, browser):
    browser.provider.user("newcomer", "NPT-Officers")

    response = sign_in(client, browser, "newcomer")

    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/waiting/"
    page = client.get(response["Location"])
    assert "Your account is waiting for approval" in page.text
    identity = OidcIdentity.objects.get(subject__isnull=False)
    assert identity.issuer == browser.provider.issuer
    assert identity.user.username == "newcomer"
    assert identity.groups == ["NPT-Officers"]
    assert not identity.approved
    assert not identity.user.groups.exists()
    assert not identity.user.has_usable_password()
    assert "_auth_user_id" not in client.session
    assert client.get("/staff/").status_code == 302


def test_after_approval_sign_in_lands_on_the_staff_home_with_the_mapped_role(
    client, browser, administrator
):
    browser.provider.user("priya", "NPT-Officers", "Canteen-Users")
    sign_in(client, browser, "priya")
    user = approved("priya", by=administrator)
    assert user_roles(user) == {Role.OFFICER}

    response = sign_in(client, browser)

    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    home = client.get("/staff/")
    assert home.status_code == 200
    assert "Staff area" in home.text
    assert home.context["user"] == user


def test_groups_map_to_roles_and_roles_outside_the_mapping_are_left_alone(
    client, browser, administrator
):
    browser.provider.user("mark", "NPT-Officers")
    sign_in(client, browser, "mark")
    user = approved("mark", by=administrator)
    user.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR.value)[0])
    browser.provider.user("mark", "NPT-Sergeants", "OPCC-Analysts")

    sign_in(client, browser)

    assert user_roles(user) == {Role.SUPERVISOR, Role.OPCC, Role.ADMINISTRATOR}
    changes = set(
        AuditRecord.objects.filter(
            action=AuditRecord.Action.ROLE_CHANGED, subject_id=str(user.pk)
        ).values_list("detail", flat=True)
    )
    assert {"added to Supervisor", "added to OPCC", "removed from Officer"} <= changes


def test_a_user_removed_from_every_mapped_group_loses_access_at_the_next_sign_in(
    client, browser, administrator
):
    browser.provider.user("leaver", "NPT-Officers")
    sign_in(client, browser, "leaver")
    user = approved("leaver", by=administrator)
    assert sign_in(client, browser)["Location"] == "/staff/"
    client.post("/staff/sign-out/")
    browser.provider.user("leaver", "Canteen-Users")

    response = sign_in(client, browser)

    assert response["Location"] == "/staff/sign-in/no-access/"
    page = client.get(response["Location"])
    assert "You do not have access to the staff area" in page.text
    assert user_roles(user) == set()
    assert client.get("/staff/").status_code == 302


def test_a_bad_state_is_refused_with_a_page_saying_so(client, browser):
    browser.provider.user("priya", "NPT-Officers")
    callback = browser.authorize(start(client), "priya")
    path, query = callback.split("?")
    params = parse_qs(query)

    response = client.get(path, {"code": params["code"][0], "state": "forged-state"})

    assert response.status_code == 400
    assert "You could not be signed in" in response.text
    assert not OidcIdentity.objects.exists()


def test_a_replayed_authorisation_code_is_refused(client, browser, administrator):
    browser.provider.user("priya", "NPT-Officers")
    sign_in(client, browser, "priya")
    approved("priya", by=administrator)
    first = browser.authorize(start(client))
    assert client.get(first)["Location"] == "/staff/"
    client.post("/staff/sign-out/")
    # The same code again, with the state of a new sign-in so it reaches the provider.
    code = parse_qs(urlsplit(first).query)["code"][0]
    state = parse_qs(urlsplit(start(client)).query)["state"][0]

    response = client.get("/oidc/callback/", {"code": code, "state": state})

    assert response.status_code == 400
    assert "You could not be signed in" in response.text
    assert "_auth_user_id" not in client.session


def test_the_same_callback_twice_is_refused(client, browser, administrator):
    browser.provider.user("priya", "NPT-Officers")
    sign_in(client, browser, "priya")
    approved("priya", by=administrator)
    callback = browser.authorize(start(client))
    assert client.get(callback)["Location"] == "/staff/"

    response = client.get(callback)

    assert response.status_code == 400
    assert "You could not be signed in" in response.text


def test_an_id_token_for_another_audience_is_refused(client, browser):
    browser.provider.user("wrong-audience", "NPT-Officers")

    response = sign_in(client, browser, "wrong-audience")

    assert response.status_code == 400
    assert "You could not be signed in" in response.text
    assert not OidcIdentity.objects.exists()


def test_an_expired_id_token_is_refused(client, browser):
    browser.provider.user("expired", "NPT-Officers")

    response = sign_in(client, browser, "expired")

    assert response.status_code == 400
    assert "You could not be signed in" in response.text
    assert not OidcIdentity.objects.exists()


def test_the_provider_saying_no_is_refused_with_a_page(client, sso):
    state = parse_qs(urlsplit(start(client)).query)["state"][0]

    response = client.get("/oidc/callback/", {"error": "access_denied", "state": state})

    assert response.status_code == 400
    assert "You could not be signed in" in response.text


def test_the_sign_in_page_offers_the_provider(client, sso):
    page = client.get("/staff/sign-in/?next=/staff/coverage/")
    assert f"Sign in with {PROVIDER_NAME}" in page.text
    assert "/oidc/authenticate/?next=%2Fstaff%2Fcoverage%2F" in hrefs(page.text)


def test_sso_is_off_without_an_issuer(client, settings):
    settings.OIDC_ISSUER = ""
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert "Sign in with" not in client.get("/staff/sign-in/").text


def test_an_identity_is_never_matched_by_email(client, browser, make_account):
    local = make_account(Role.OFFICER, username="priya", email="priya@example.police.uk")
    browser.provider.user("priya", "NPT-Officers")

    sign_in(client, browser, "priya")

    identity = OidcIdentity.objects.get()
    assert identity.user != local
    assert identity.user.username == "priya-2"


def test_only_an_administrator_approves(browser, client, make_account):
    browser.provider.user("newcomer", "NPT-Officers")
    sign_in(client, browser, "newcomer")
    identity = OidcIdentity.objects.get()

    with pytest.raises(PermissionDenied):
        oidc_identity_approve(identity=identity, by=make_account(Role.SUPERVISOR))
    identity.refresh_from_db()
    assert not identity.approved


# --- Sessions: their length, and the ID token's age --------------------------------------------


def test_a_provider_session_goes_back_to_the_provider_once_its_id_token_is_old(
    client, browser, administrator, settings
):
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 600
    browser.provider.user("priya", "NPT-Officers")
    sign_in(client, browser, "priya")
    user = approved("priya", by=administrator)
    sign_in(client, browser)
    assert client.get("/staff/").status_code == 200
    browser.provider.user("priya", "Canteen-Users")

    with time_machine.travel(datetime.timedelta(seconds=601)):
        response = client.get("/staff/")
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == (
            f"{browser.provider.issuer}/authorize/"
        )
        assert parse_qs(location.query)["prompt"] == ["none"]
        # Still signed in at the provider: it answers at once, and the groups are read again.
        back = browser.authorize(response["Location"])
        answer = client.get(back)

    assert answer["Location"] == "/staff/sign-in/no-access/"
    assert user_roles(user) == set()
    assert client.get("/staff/").status_code == 302


def test_a_password_session_is_not_sent_to_the_provider(client, sso, officer_account, settings):
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 600
    client.post("/staff/sign-in/", {"username": "officer", "password": PASSWORD})
    with time_machine.travel(datetime.timedelta(seconds=601)):
        assert client.get("/staff/").status_code == 200


def test_the_session_length_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SESSION_MAX_AGE_HOURS", "4")
    monkeypatch.setenv("OIDC_GROUP_ROLES", "NPT-Sergeants=Supervisor,NPT-Officers=Officer")
    settings_module = importlib.reload(importlib.import_module("config.settings.base"))
    try:
        assert settings_module.SESSION_COOKIE_AGE == 4 * 60 * 60
        assert settings_module.OIDC_GROUP_ROLES == {
            "NPT-Sergeants": "Supervisor",
            "NPT-Officers": "Officer",
        }
    finally:
        monkeypatch.undo()
        importlib.reload(settings_module)


# --- Local passwords -------------------------------------------------------------------------


def test_with_local_passwords_off_an_officer_cannot_sign_in_with_a_password(
    client, officer_account, settings
):
    settings.LOCAL_PASSWORD_SIGN_IN = False

    response = client.post("/staff/sign-in/", {"username": "officer", "password": PASSWORD})

    assert response.status_code == 200
    assert "Enter a correct username and password" in response.text
    assert "for administrators only" in response.text
    assert "_auth_user_id" not in client.session


def test_with_local_passwords_off_a_superuser_still_signs_in_with_a_password(client, settings):
    UserFactory(username="breakglass", is_superuser=True, is_staff=True)
    settings.LOCAL_PASSWORD_SIGN_IN = False

    response = client.post("/staff/sign-in/", {"username": "breakglass", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_turning_local_passwords_off_ends_an_officers_password_session(
    client, officer_account, settings
):
    client.post("/staff/sign-in/", {"username": "officer", "password": PASSWORD})
    assert client.get("/staff/").status_code == 200
    settings.LOCAL_PASSWORD_SIGN_IN = False

    assert client.get("/staff/").status_code == 302


def test_unknown_roles_in_the_mapping_stop_start_up(settings):
    settings.OIDC_GROUP_ROLES = {"NPT-Officers": "Constable"}
    errors = check_group_roles()
    assert [error.id for error in errors] == ["officers.E001"]
    assert "'Constable'" in errors[0].msg


def test_check_deploy_refuses_a_provider_over_plain_http(settings):
    settings.OIDC_ISSUER = "http://login.example.police.uk"
    assert [error.id for error in check_issuer_is_https()] == ["officers.E002"]
    settings.OIDC_ISSUER = "https://login.microsoftonline.com/tenant-id/v2.0"
    assert check_issuer_is_https() == []


# --- Approval in the admin, and what the pages cost ---------------------------------------------


def test_an_administrator_approves_in_the_admin_and_the_account_gets_its_groups_roles(
    client, browser, administrator
):
    browser.provider.user("newcomer", "NPT-Sergeants")
    sign_in(client, browser, "newcomer")
    identity = OidcIdentity.objects.get()
    client.force_login(administrator)

    listing = client.get("/admin/officers/oidcidentity/?approved_at__isempty=1")
    assert "newcomer" in listing.text
    response = client.post(
        "/admin/officers/oidcidentity/",
        {"action": "approve", "_selected_action": [identity.pk]},
        follow=True,
    )

    assert "Approved 1 account(s)." in response.text
    identity.refresh_from_db()
    assert identity.approved_by == administrator
    assert user_roles(identity.user) == {Role.SUPERVISOR}
    records = AuditRecord.objects.filter(subject_id=str(identity.user_id)).order_by("pk")
    assert [(record.actor_name, record.detail) for record in records] == [
        ("root", "approved for sign-in through the identity provider"),
        ("root", "added to Supervisor"),
    ]


def test_the_admin_approve_action_is_refused_to_a_non_administrator(client, make_account):
    identity = OidcIdentity.objects.create(
        user=UserFactory(username="newcomer"), issuer="https://idp", subject="abc"
    )
    client.force_login(make_account(Role.SUPERVISOR, is_staff=True))

    response = client.post(
        "/admin/officers/oidcidentity/",
        {"action": "approve", "_selected_action": [identity.pk]},
    )

    assert response.status_code in (302, 403)
    identity.refresh_from_db()
    assert not identity.approved


def test_the_callback_and_the_new_pages_run_a_bounded_number_of_queries(
    client, browser, administrator, django_assert_max_num_queries
):
    browser.provider.user("priya", "NPT-Officers", "NPT-Sergeants", "OPCC-Analysts")
    sign_in(client, browser, "priya")
    approved("priya", by=administrator)
    callback = browser.authorize(start(client))

    with django_assert_max_num_queries(30):
        assert client.get(callback)["Location"] == "/staff/"
    client.logout()
    with django_assert_max_num_queries(0):
        assert "waiting for approval" in client.get("/staff/sign-in/waiting/").text
        assert "do not have access" in client.get("/staff/sign-in/no-access/").text


def test_a_session_whose_provider_sign_in_has_ended_is_signed_out(
    client, browser, administrator, settings
):
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 600
    browser.provider.user("priya", "NPT-Officers")
    sign_in(client, browser, "priya")
    approved("priya", by=administrator)
    sign_in(client, browser)
    browser.session.cookies.clear()  # signed out at the provider

    with time_machine.travel(datetime.timedelta(seconds=601)):
        refresh = client.get("/staff/")["Location"]
        response = client.get(browser.authorize(refresh))

    assert response.status_code == 400
    assert "You could not be signed in" in response.text
    assert client.get("/staff/").status_code == 302


def test_linking_an_existing_account_keeps_its_roles_until_its_first_sign_in(
    client, browser, administrator, make_account
):
    local = make_account(Role.OFFICER, username="pcsmith")
    browser.provider.user("smith", "NPT-Sergeants")
    identity = OidcIdentity.objects.create(user=local, issuer=browser.provider.issuer, subject="x")
    oidc_identity_approve(identity=identity, by=administrator)
    assert user_roles(local) == {Role.OFFICER}
    # The subject the provider gives "smith", as an administrator would copy it.
    sign_in(client, browser, "smith")
    subject = OidcIdentity.objects.exclude(pk=identity.pk).get().subject
    OidcIdentity.objects.exclude(pk=identity.pk).delete()
    identity.subject = subject
    identity.save(update_fields=["subject"])

    response = sign_in(client, browser)

    assert response["Location"] == "/staff/"
    assert client.get("/staff/").context["user"] == local
    assert user_roles(local) == {Role.SUPERVISOR}


def test_a_provider_that_cannot_be_reached_gets_a_page_saying_so(client, settings):
    settings.OIDC_ISSUER = f"http://127.0.0.1:{unused_port()}"
    settings.OIDC_RP_CLIENT_ID = "portal"
    settings.OIDC_TIMEOUT = 2

    response = client.get("/oidc/authenticate/")

    assert response.status_code == 502
    assert "Sign in is not working at the moment" in response.text


def test_a_provider_sign_in_needs_no_second_factor_here_even_when_everyone_must_have_one(
    client, browser, administrator, settings
):
    """The force's identity provider asks for its own factors; the portal's authenticator app
    is for password sign-ins. A password session of the same kind is still stopped."""
    settings.MFA_ENFORCED = True
    settings.MFA_REQUIRED_FOR_ALL = True
    browser.provider.user("priya", "NPT-Officers")
    sign_in(client, browser, "priya")
    approved("priya", by=administrator)

    assert sign_in(client, browser)["Location"] == "/staff/"
    home = client.get("/staff/")
    assert home.status_code == 200
    assert "Staff area" in home.text

    client.logout()
    client.force_login(administrator, backend="officers.oidc.LocalPasswordBackend")
    assert client.get("/staff/")["Location"].startswith("/staff/account/security/setup/")


def test_an_htmx_request_with_an_old_id_token_is_told_to_navigate_to_the_provider(
    client, browser, administrator, settings
):
    """htmx cannot follow a redirect to another origin: the silent re-check is a full
    navigation (HX-Redirect), and it comes back to the page the browser was on."""
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 600
    browser.provider.user("priya", "NPT-Officers")
    sign_in(client, browser, "priya")
    approved("priya", by=administrator)
    sign_in(client, browser)

    with time_machine.travel(datetime.timedelta(seconds=601)):
        response = client.get(
            "/staff/queries/?page=2",
            headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/staff/queries/"},
        )
        assert response.status_code == 200
        assert "Location" not in response
        target = urlsplit(response["HX-Redirect"])
        assert f"{target.scheme}://{target.netloc}{target.path}" == (
            f"{browser.provider.issuer}/authorize/"
        )
        assert parse_qs(target.query)["prompt"] == ["none"]
        answer = client.get(browser.authorize(response["HX-Redirect"]))

    assert answer.status_code == 302
    assert answer["Location"] == "/staff/queries/"
    assert client.get("/staff/").status_code == 200


def test_an_htmx_request_from_another_origin_comes_back_to_the_staff_home(
    client, browser, administrator, settings
):
    settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS = 600
    browser.provider.user("priya", "NPT-Officers")
    sign_in(client, browser, "priya")
    approved("priya", by=administrator)
    sign_in(client, browser)

    with time_machine.travel(datetime.timedelta(seconds=601)):
        response = client.get(
            "/staff/queries/?page=2",
            headers={"HX-Request": "true", "HX-Current-URL": "https://elsewhere.example/x"},
        )
        answer = client.get(browser.authorize(response["HX-Redirect"]))

    assert answer["Location"] == "/staff/"


def test_signing_out_of_a_provider_session_signs_out_at_the_provider_too(
    client, browser, administrator
):
    browser.provider.user("priya", "NPT-Officers")
    sign_in(client, browser, "priya")
    approved("priya", by=administrator)
    sign_in(client, browser)
    id_token = client.session["oidc_id_token"]

    response = client.post("/staff/sign-out/")

    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == (
        f"{browser.provider.issuer}/logout/"
    )
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/"]
    assert client.get("/staff/").status_code == 302  # signed out here already
    # The provider ends its own session and sends the browser back to the portal.
    back = browser.session.get(response["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    assert back.headers["Location"] == "http://testserver/"
    # Signing in again asks for the provider's password: its session has ended.
    again = browser.session.get(start(client), allow_redirects=False, timeout=10)
    assert "/login/" in again.headers["Location"]


def test_a_password_session_signs_out_here_only(client, sso, officer_account):
    client.post("/staff/sign-in/", {"username": "officer", "password": PASSWORD})
    assert client.get("/staff/").status_code == 200

    response = client.post("/staff/sign-out/")

    assert response["Location"] == "/"
    assert client.get("/staff/").status_code == 302


def test_the_end_session_endpoint_can_be_set_without_discovery(
    client, browser, administrator, settings
):
    settings.OIDC_OP_END_SESSION_ENDPOINT = "https://login.example/logout"
    browser.provider.user("priya", "NPT-Officers")
    sign_in(client, browser, "priya")
    approved("priya", by=administrator)
    sign_in(client, browser)

    response = client.post("/staff/sign-out/")

    assert response["Location"].startswith("https://login.example/logout?")
    assert parse_qs(urlsplit(response["Location"]).query)["client_id"] == ["portal"]
