"""Signing in through the force's identity provider (officers.oidc): mozilla-django-oidc's two
views, refusing with a page of the portal's own instead of a server error, and the pages an
account without staff access is shown instead of the staff area."""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.views import LogoutView
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from config.roles import user_roles
from officers.oidc import provider_setting, signed_in_through_provider, sso_enabled

logger = logging.getLogger(__name__)
# What went wrong between the portal and the provider: never a server error for the user.
PROVIDER_FAILURES = (SuspiciousOperation, requests.RequestException, jwt.PyJWTError)


def sign_in_refused(request: HttpRequest, *, unreachable: bool = False) -> HttpResponse:
    return render(
        request,
        "officers/sso_refused.html",
        {"unreachable": unreachable},
        status=502 if unreachable else 400,
    )


class SignInStart(OIDCAuthenticationRequestView):
    """/oidc/authenticate/: off to the provider, with state, nonce and a PKCE challenge."""

    http_method_names = ["get", "head"]  # HEAD answers as GET does, as everywhere here

    def __init__(self, *args, **kwargs) -> None:
        View.__init__(self, *args, **kwargs)

    get_settings = staticmethod(provider_setting)
    OIDC_RP_CLIENT_ID = property(lambda self: provider_setting("OIDC_RP_CLIENT_ID"))
    OIDC_OP_AUTH_ENDPOINT = property(
        lambda self: provider_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
    )

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        try:
            return super().get(request)
        except (*PROVIDER_FAILURES, ImproperlyConfigured, ValueError) as exc:
            logger.warning("The identity provider's discovery failed: %s", exc)
            return sign_in_refused(request, unreachable=True)


class SignInCallback(OIDCAuthenticationCallbackView):
    """/oidc/callback/: the provider's answer. A wrong or used state, a code the provider
    refuses (replayed, or without the PKCE verifier), an ID token of another issuer or
    audience or past its time: refused with a page saying so. An account waiting for approval
    or without a role is told so and not signed in."""

    http_method_names = ["get", "head"]
    get_settings = staticmethod(provider_setting)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso_enabled():
            raise Http404
        try:
            return super().get(request)
        except PROVIDER_FAILURES as exc:
            logger.warning("Sign-in through the identity provider refused: %s", exc)
            return sign_in_refused(request)

    def login_failure(self) -> HttpResponse:
        return sign_in_refused(self.request)

    def login_success(self) -> HttpResponse:
        identity = getattr(self.user, "oidc_identity", None)
        if identity is None or not identity.approved or not user_roles(self.user):
            if self.request.user.is_authenticated:
                auth.logout(self.request)
            if identity is None or not identity.approved:
                return redirect("officers:sso_waiting")
            return redirect("officers:sso_no_access")
        return super().login_success()


@require_safe
def waiting(request: HttpRequest) -> HttpResponse:
    return render(request, "officers/sso_waiting.html")


@require_safe
def no_access(request: HttpRequest) -> HttpResponse:
    return render(request, "officers/sso_no_access.html")


class SignOut(LogoutView):
    """/staff/sign-out/: Django's sign-out; a session signed in through the provider then
    signs out there too (mozilla-django-oidc's OIDC_OP_LOGOUT_URL_METHOD), the URL made before
    the session, and the ID token in it, is gone."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        at_provider = None
        if request.user.is_authenticated and signed_in_through_provider(request):
            at_provider = import_string(settings.OIDC_OP_LOGOUT_URL_METHOD)(request)
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(at_provider) if at_provider else response
