"""A password alone does not open the staff areas (/staff/, /admin/) to an account that needs a
second factor (officers.second_factor): it is sent to enter its code, or to set an app up."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from config.middleware import is_staff_path
from officers.oidc import signed_in_through_provider
from officers.second_factor import has_second_factor, second_factor_missing

Middleware = Callable[[HttpRequest], HttpResponse]

# The pages a password-only session may still reach: signing in and out, resetting a password,
# and the second step itself.
OPEN_URL_NAMES = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "second_factor_code",
        "second_factor_recovery",
        "second_factor_setup",
        "recovery_codes",
    }
)


def second_factor_required(get_response: Middleware) -> Middleware:
    def middleware(request: HttpRequest) -> HttpResponse:
        request.second_factor_missing = False
        if signed_in_through_provider(request):
            # Django does not say which backend signed a session's user in: this request's views
            # and services learn it here.
            request.user.signed_in_through_provider = True
        if is_staff_path(request) and second_factor_missing(request.user):
            request.second_factor_missing = True
            if not _open(request.path_info):
                return _second_step(request)
        return get_response(request)

    return middleware


# django-otp-webauthn's steps of checking a security key, the second step's other way.
OPEN_KEY_URL_NAMES = frozenset(
    {"credential-authentication-begin", "credential-authentication-complete", "js-i18n-catalog"}
)


def _open(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.namespace == "otp_webauthn":
        return match.url_name in OPEN_KEY_URL_NAMES
    return match.namespace == "officers" and match.url_name in OPEN_URL_NAMES


def _second_step(request: HttpRequest) -> HttpResponse:
    name = "second_factor_code" if has_second_factor(request.user) else "second_factor_setup"
    target = request.get_full_path() if request.method in ("GET", "HEAD") else ""
    url = reverse(f"officers:{name}")
    return redirect(f"{url}?{urlencode({'next': target})}" if target else url)
