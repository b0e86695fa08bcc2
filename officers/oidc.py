"""Staff sign-in through the force's OpenID Connect provider, with mozilla-django-oidc: the
authorisation code flow with PKCE and a nonce; the ID token's signature, issuer, audience and
expiry checked; the account found by the provider's issuer and subject (`sub`), never by email.

Everything comes from settings (config.settings.base, "Single sign-on"): SSO is off unless
OIDC_ISSUER and OIDC_RP_CLIENT_ID are set, and the provider's endpoints come from its discovery
document unless they are set one by one. Local passwords are `LocalPasswordBackend`'s.
"""

import logging
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.core.cache import caches
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.functional import cached_property
from django_htmx.http import HttpResponseClientRedirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.middleware import SessionRefresh as OIDCSessionRefresh
from mozilla_django_oidc.utils import import_from_settings

from config.roles import Role
from officers.identities import oidc_identity_sign_in

logger = logging.getLogger(__name__)

# The settings mozilla-django-oidc reads, and the discovery document's name for each.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "OIDC_OP_END_SESSION_ENDPOINT": "end_session_endpoint",
}
DISCOVERY_SECONDS = 60 * 60
# Seconds of difference between the provider's clock and ours that an ID token's times allow.
CLOCK_LEEWAY_SECONDS = 60


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID)


def discovery() -> dict[str, Any]:
    """The provider's discovery document, kept an hour in each process. Its issuer must be
    the configured one (OpenID Connect Discovery 1.0, section 4.3)."""
    cache = caches["local"]
    key = f"oidc-discovery:{settings.OIDC_ISSUER}"
    document = cache.get(key)
    if document is None:
        response = requests.get(
            f"{settings.OIDC_ISSUER}/.well-known/openid-configuration",
            timeout=settings.OIDC_TIMEOUT,
        )
        response.raise_for_status()
        document = response.json()
        if str(document.get("issuer", "")).rstrip("/") != settings.OIDC_ISSUER:
            raise ImproperlyConfigured(
                f"The provider at OIDC_ISSUER={settings.OIDC_ISSUER} names another issuer "
                f"({document.get('issuer')!r}) in its discovery document."
            )
        cache.set(key, document, DISCOVERY_SECONDS)
    return document


def provider_setting(attr: str, *default: Any) -> Any:
    """A mozilla-django-oidc setting: an endpoint not set explicitly comes from discovery."""
    if attr in DISCOVERED and not getattr(settings, attr, ""):
        return discovery().get(DISCOVERED[attr], "")
    return import_from_settings(attr, *default)


@register()
def check_group_roles(app_configs=None, **kwargs) -> list[Error]:
    """A mapping to a role the portal does not have stops start-up, not a sign-in."""
    known = {role.value for role in Role}
    return [
        Error(
            f"OIDC_GROUP_ROLES maps the group {group!r} to {role!r}, which is not a role.",
            hint=f"Roles: {', '.join(sorted(known))}.",
            id="officers.E001",
        )
        for group, role in settings.OIDC_GROUP_ROLES.items()
        if role not in known
    ]


@register(deploy=True)
def check_issuer_is_https(app_configs=None, **kwargs) -> list[Error]:
    """In production the provider is reached over HTTPS only: its tokens are the keys in."""
    if settings.OIDC_ISSUER and not settings.OIDC_ISSUER.startswith("https://"):
        return [
            Error(
                f"OIDC_ISSUER={settings.OIDC_ISSUER} is not an https:// address.",
                id="officers.E002",
            )
        ]
    return []


class LocalPasswordBackend(ModelBackend):
    """Usernames and passwords. With LOCAL_PASSWORD_SIGN_IN off only superusers may use them
    (break-glass, for when the provider is down); everyone else signs in through the provider,
    and password sessions of other accounts end."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and (
            settings.LOCAL_PASSWORD_SIGN_IN or user.is_superuser
        )


class ProviderBackend(OIDCAuthenticationBackend):
    """The callback's half of the code flow: the code (with the PKCE verifier) for tokens, the
    ID token checked, and the account of its issuer and subject (officers.identities)."""

    def __init__(self, *args, **kwargs) -> None:
        # mozilla-django-oidc reads every endpoint here; they are read when used instead, so
        # that nothing is fetched while SSO is off or on a password sign-in.
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    get_settings = staticmethod(provider_setting)

    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = property(lambda self: provider_setting("OIDC_RP_IDP_SIGN_KEY", None))
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: provider_setting("OIDC_OP_JWKS_ENDPOINT"))

    def authenticate(self, request, **kwargs):
        # Only the callback view's call (nonce and code verifier), never a password form's.
        if not sso_enabled() or set(kwargs) != {"nonce", "code_verifier"}:
            return None
        return super().authenticate(request, **kwargs)

    def get_payload_data(self, token, key) -> dict[str, Any]:
        """The ID token's claims, if its signature, issuer, audience and times hold."""
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[settings.OIDC_RP_SIGN_ALGO],
                audience=settings.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc
        audience = claims["aud"]
        # Several audiences: the token must have been issued to this client (OIDC Core 3.1.3.7).
        several = isinstance(audience, list) and len(audience) > 1
        if several and claims.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token refused: issued to another client")
        return claims

    def get_userinfo(self, access_token, id_token, payload) -> dict[str, Any]:
        """The verified ID token's claims, with the userinfo endpoint's for the same subject
        where the provider has one (Entra ID sends groups in the ID token only)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if info.get("sub") != payload["sub"]:
                raise SuspiciousOperation("The userinfo answer is about another subject")
            protected = {"iss", "sub", "aud", "exp", "iat", "nonce", "azp"}
            claims.update({name: value for name, value in info.items() if name not in protected})
        return claims

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        identity = oidc_identity_sign_in(
            issuer=payload["iss"], subject=payload["sub"], claims=claims
        )
        user = identity.user
        user.oidc_identity = identity
        return user


class SessionRefresh(OIDCSessionRefresh):
    """mozilla-django-oidc's SessionRefresh: an account signed in through the provider goes
    back to it (silently, `prompt=none`, while its sign-in there holds) once its ID token is
    OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS old, and so gets its groups read again. Off with SSO."""

    def __init__(self, get_response) -> None:
        MiddlewareMixin.__init__(self, get_response)

    get_settings = staticmethod(provider_setting)

    OIDC_EXEMPT_URLS: list = []
    OIDC_OP_AUTHORIZATION_ENDPOINT = property(
        lambda self: provider_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
    )
    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_STATE_SIZE = 32
    OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
    OIDC_RP_SCOPES = property(lambda self: settings.OIDC_RP_SCOPES)
    OIDC_USE_NONCE = True
    OIDC_NONCE_SIZE = 32

    @cached_property
    def exempt_urls(self) -> set[str]:
        return {
            reverse("oidc_authentication_init"),
            reverse("oidc_authentication_callback"),
            reverse("officers:logout"),
        }

    def process_response(self, request, response):
        """The sign-out button of a provider session posts a form that ends at the provider's
        end_session_endpoint: the page's Content-Security-Policy (form-action 'self') must let
        that form go there, or the browser stops it and the provider session stays open."""
        if sso_enabled() and signed_in_through_provider(request):
            endpoint = provider_sign_out_endpoint()
            if endpoint:
                parts = urlsplit(endpoint)
                update = getattr(response, "_csp_update", None) or {}
                form_action = [*update.get("form-action", []), f"{parts.scheme}://{parts.netloc}"]
                response._csp_update = {**update, "form-action": form_action}
        return response

    def process_request(self, request):
        if not sso_enabled():
            return None
        response = super().process_request(request)
        if response is not None and request.htmx and "Location" in response:
            # htmx cannot follow a redirect to the provider's origin: the browser goes there
            # itself (HX-Redirect) and comes back to the page it is on, not to the fragment.
            current = request.htmx.current_url_abs_path
            request.session["oidc_login_next"] = current or reverse(settings.LOGIN_REDIRECT_URL)
            return HttpResponseClientRedirect(response["Location"])
        return response


def signed_in_through_provider(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return session is not None and session.get(BACKEND_SESSION_KEY) == (
        f"{ProviderBackend.__module__}.{ProviderBackend.__qualname__}"
    )


def provider_sign_out_endpoint() -> str:
    """The provider's end_session_endpoint, or "" when it has none or cannot be reached."""
    try:
        return provider_setting("OIDC_OP_END_SESSION_ENDPOINT") or ""
    except (requests.RequestException, ValueError, ImproperlyConfigured) as exc:
        logger.warning("The identity provider's discovery failed at sign-out: %s", exc)
        return ""


def provider_sign_out_url(request: HttpRequest) -> str:
    """Where signing out sends the browser (OIDC_OP_LOGOUT_URL_METHOD): a session signed in
    through the provider ends there too (OpenID Connect RP-Initiated Logout 1.0), at its
    end_session_endpoint with the ID token as the hint, and the provider sends the browser back
    to the portal's signed-out page. Any other session, or a provider without that endpoint or
    out of reach, gets the signed-out page straight away (the portal's session ends either way)."""
    signed_out = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not sso_enabled() or not signed_in_through_provider(request) or not id_token:
        return signed_out
    endpoint = provider_sign_out_endpoint()
    if not endpoint:
        return signed_out
    query = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": request.build_absolute_uri(signed_out),
        "client_id": settings.OIDC_RP_CLIENT_ID,
    }
    return f"{endpoint}?{urlencode(query)}"
