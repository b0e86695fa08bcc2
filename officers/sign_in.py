"""Signing in, as django-axes limits it: how many tries are left before the lock, how long the
lock lasts and when it ends, all from the AXES_* settings."""

import datetime

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from config.dates import london_time_display
from config.http import client_ip


def failure_limit(request: HttpRequest, credentials: dict | None = None) -> int:
    """Axes' failure limit (AXES_FAILURE_LIMIT), per username and address:
    SIGN_IN_FAILURES_PER_ACCOUNT. An address that has failed SIGN_IN_FAILURES_PER_ADDRESS times
    across every username in the cool-off (password spraying) gets a limit of 0, so every
    account is locked from there until the cool-off passes; other addresses are not touched."""
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    since = timezone.now() - (get_cool_off(request) or datetime.timedelta(days=365))
    failures = (
        AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
            total=Sum("failures_since_start")
        )["total"]
        or 0
    )
    if failures >= settings.SIGN_IN_FAILURES_PER_ADDRESS:
        return 0
    return settings.SIGN_IN_FAILURES_PER_ACCOUNT


def duration_text(delta: datetime.timedelta) -> str:
    """'15 minutes', '1 hour', '1 hour 30 minutes'."""
    hours, minutes = divmod(round(delta.total_seconds() / 60), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours})
    if minutes or not hours:
        parts.append(
            ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts)


def lock_text(request: HttpRequest) -> str:
    """How long sign-in is locked for: 'for 15 minutes', or 'until an administrator unlocks
    it' when the lock does not end by itself."""
    cool_off = get_cool_off(request)
    if not cool_off:
        return gettext("until an administrator unlocks it")
    return gettext("for %(duration)s") % {"duration": duration_text(cool_off)}


def tries_left_text(request: HttpRequest, credentials: dict) -> str:
    """After a failed attempt: 'You have 2 more tries before sign-in is locked for 15
    minutes.'; empty when axes counted nothing (no attempt recorded, or the lock is on)."""
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return ""
    left = get_failure_limit(request, credentials) - failures
    if left < 1:
        return ""
    return ngettext(
        "You have %(count)s more try before sign-in is locked %(lock)s.",
        "You have %(count)s more tries before sign-in is locked %(lock)s.",
        left,
    ) % {"count": left, "lock": lock_text(request)}


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """The page axes shows instead of signing in while the lock is on (AXES_LOCKOUT_CALLABLE).
    Every attempt while locked starts the cool-off again, so the lock ends a cool-off after
    this one."""
    cool_off = get_cool_off(request)
    attempted = getattr(request, "axes_attempt_time", None) or timezone.now()
    context = {"lock_text": lock_text(request), "try_again_at": None}
    if cool_off:
        context["try_again_at"] = london_time_display(attempted + cool_off, attempted)
    return render(
        request, "officers/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )
