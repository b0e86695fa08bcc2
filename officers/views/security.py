"""The second factor's pages: the second step of signing in (a code from the authenticator
app, or a recovery code), setting an app up, and managing one's apps and recovery codes."""

from urllib.parse import urlencode

import segno
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.http import client_ip
from config.limits import retry_message
from officers import second_factor
from officers.forms import RecoveryCodeForm, SecondFactorCodeForm

SETUP_KEY = "second_factor_setup_key"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("officers:staff_home")


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _rate_limited(request: HttpRequest, form) -> bool:
    retry_at = second_factor.second_factor_rate_limit_hit(
        ip=client_ip(request), email=request.user.get_username()
    )
    if retry_at is None:
        return False
    what = gettext("enter a code again")
    form.add_error(None, retry_message(retry_at, what=what, call_if_urgent=False))
    return True


def _locked(request: HttpRequest, locked: second_factor.SecondFactorLocked) -> HttpResponse:
    context = {"minutes": locked.minutes_left()}
    return render(request, "officers/security/locked.html", context, status=429)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the authenticator app."""
    return _second_step(request, recovery=False)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def recovery(request: HttpRequest) -> HttpResponse:
    """The second step with a recovery code instead, when the app is not to hand."""
    return _second_step(request, recovery=True)


def _second_step(request: HttpRequest, *, recovery: bool) -> HttpResponse:
    user = request.user
    if not second_factor.second_factor_missing(user):
        return redirect(_next_url(request))
    if not second_factor.has_second_factor(user):
        return redirect(_with_next("officers:second_factor_setup", request))
    form_class = RecoveryCodeForm if recovery else SecondFactorCodeForm
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid() and not _rate_limited(request, form):
        try:
            device = second_factor.second_factor_verify(
                user=user, code=form.cleaned_data["code"], recovery=recovery, request=request
            )
        except second_factor.SecondFactorLocked as locked:
            return _locked(request, locked)
        if device is not None:
            return redirect(_next_url(request))
        wrong = (
            gettext("That recovery code is not right, or was used before")
            if recovery
            else str(second_factor.WRONG_CODE)
        )
        form.add_error("code", f"{wrong}. {second_factor.tries_left_text(user)}".strip())
    if request.method == "POST" and form.errors:
        status = 429 if form.non_field_errors() else 400
    elif request.method != "POST":
        until = second_factor.second_factor_locked_until(user)
        if until is not None:
            return _locked(request, second_factor.SecondFactorLocked(until))
    template = "officers/security/recovery.html" if recovery else "officers/security/code.html"
    context = {
        "form": form,
        "next": _next_url(request),
        "has_app": second_factor.has_authenticator_app(user),
        "has_key": second_factor.has_security_key(user),
    }
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: its secret as text and as a QR code, confirmed with a
    code; then the recovery codes, shown once. An account that has an app must give its code
    before it can add another."""
    user = request.user
    if second_factor.second_factor_missing(user) and second_factor.has_second_factor(user):
        return redirect(_with_next("officers:second_factor_code", request))
    key = request.session.get(SETUP_KEY) or second_factor.new_secret()
    request.session[SETUP_KEY] = key
    form = SecondFactorCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and not _rate_limited(request, form):
            try:
                done = second_factor.totp_device_confirm(
                    user=user, key=key, code=form.cleaned_data["code"], request=request
                )
            except ValidationError as error:
                form.add_error("code", error.message_dict["code"][0])
            else:
                del request.session[SETUP_KEY]
                return _show_recovery_codes(request, done.recovery_codes, set_up=True)
        status = 429 if form.non_field_errors() else 400
    qr = segno.make(second_factor.setup_url(user=user, key=key), error="m")
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": second_factor.secret_text(key),
        "qr_data_uri": qr.svg_data_uri(scale=5, border=4, dark="#0b0c0c", light="#ffffff"),
    }
    return render(request, "officers/security/setup.html", context, status=status)


def _show_recovery_codes(request: HttpRequest, codes: list[str], *, set_up: bool) -> HttpResponse:
    context = {"codes": codes, "set_up": set_up, "next": _next_url(request)}
    return render(request, "officers/security/recovery_codes.html", context)


@require_POST
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes in place of the old ones, shown once."""
    codes = second_factor.recovery_codes_renew(user=request.user, request=request)
    return _show_recovery_codes(request, codes, set_up=False)


@require_safe
@login_required
def security(request: HttpRequest) -> HttpResponse:
    return _render_security(request)


def _render_security(request: HttpRequest, error: str = "") -> HttpResponse:
    user = request.user
    context = {
        "apps": TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("created_at"),
        "keys": second_factor.security_keys(user),
        "codes_left": second_factor.recovery_codes_left(user),
        "required": second_factor.second_factor_required(user),
        "error": error,
    }
    return render(request, "officers/security/security.html", context, status=400 if error else 200)


@require_POST
@login_required
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of one's own authenticator apps (refused for the last one of an account that
    must keep one)."""
    try:
        second_factor.totp_device_remove(user=request.user, device_id=pk)
    except ValidationError as error:
        return _render_security(request, error=error.messages[0])
    return redirect("officers:security")


@require_POST
@login_required
def key_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove one of one's own security keys or passkeys (refused for the last app or key of an
    account that must keep one)."""
    try:
        second_factor.security_key_remove(user=request.user, device_id=pk)
    except ValidationError as error:
        return _render_security(request, error=error.messages[0])
    return redirect("officers:security")
