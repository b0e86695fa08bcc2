"""Pages that belong to the whole portal rather than one domain: health, errors, cookies."""

import logging
import sys
from concurrent.futures import ThreadPoolExecutor, wait
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from kombu import Connection

from config.http import API_UNAVAILABLE, api_error, is_api_request

logger = logging.getLogger(__name__)

COOKIE_NOTICE_MAX_AGE = 60 * 60 * 24 * 365


# /healthz answers within this time, whatever hangs: a check still running then is "down".
HEALTH_CHECK_SECONDS = 1.5


def _check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        # The check runs in a thread of its own: do not leave its connection open.
        connection.close()


def _check_cache() -> None:
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return what was stored")


def _check_broker() -> None:
    with Connection(
        settings.CELERY_BROKER_URL,
        transport_options={
            **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            "socket_timeout": HEALTH_CHECK_SECONDS,
            "socket_connect_timeout": HEALTH_CHECK_SECONDS,
        },
        connect_timeout=HEALTH_CHECK_SECONDS,
    ) as conn:
        # Connecting opens a channel, which asks Redis for an answer (PING): a hung Redis
        # accepts the connection but never answers.
        conn.ensure_connection(max_retries=1, timeout=HEALTH_CHECK_SECONDS)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The state of each part the portal needs: 200 when all are up, 503 otherwise."""
    checks = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}
    # Each check in its own thread, all given the same deadline: a part that hangs is reported
    # down in time for the monitor, instead of holding the answer (and a web worker) with it.
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="healthz")
    futures = {name: pool.submit(check) for name, check in checks.items()}
    wait(futures.values(), timeout=HEALTH_CHECK_SECONDS)
    pool.shutdown(wait=False, cancel_futures=True)
    states = {}
    for name, future in futures.items():
        if not future.done():
            logger.error("healthz: %s did not answer within %ss", name, HEALTH_CHECK_SECONDS)
            states[name] = "down"
        elif future.exception() is not None:
            logger.error("healthz: %s is down", name, exc_info=future.exception())
            states[name] = "down"
        else:
            states[name] = "ok"
    healthy = all(state == "ok" for state in states.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **states}, status=200 if healthy else 503
    )


@csrf_exempt  # it only hides a notice; cached public pages carry no token
@require_POST
def cookie_notice_hide(request: HttpRequest) -> HttpResponse:
    """Remember that the essential-cookies notice was read; works with or without JavaScript."""
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponse(status=204) if request.htmx else HttpResponseRedirect(next_url)
    response.set_cookie(
        "cookie_notice_seen",
        "1",
        max_age=COOKIE_NOTICE_MAX_AGE,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return api_error(400, "Bad request.")
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return api_error(403, "Forbidden.")
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return api_error(404, "Not found.")
    return render(request, "errors/404.html", status=404)


FALLBACK_500 = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
    "<title>Sorry, there is a problem with the service</title></head><body><main>"
    "<h1>Sorry, there is a problem with the service</h1><p>Try again later.</p>"
    "<p>In an emergency call 999. For non-emergencies call 101.</p></main></body></html>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        # Django calls this while handling the exception: a database that cannot be reached
        # is an outage to wait out (503), anything else a fault (500).
        if isinstance(sys.exc_info()[1], DatabaseError):
            return api_error(503, API_UNAVAILABLE)
        return api_error(500, "Sorry, there is a problem with the service. Try again later.")
    # A database that cannot be reached is an outage to wait out (503, as for the API); any
    # other exception a fault (500). Residents see the same page either way.
    outage = isinstance(sys.exc_info()[1], DatabaseError)
    status = 503 if outage else 500
    try:
        response = render(request, "errors/500.html", status=status)
    except Exception:
        # The layout reads the session; when the database is what failed, say the same plainly.
        logger.exception("The styled 500 page could not render")
        response = HttpResponse(FALLBACK_500, status=status)
    if outage:
        response["Retry-After"] = "60"
    return response


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice, with what the settings in force make true: how long links and
    emails are kept, and which map tile server residents' browsers ask (it sees their address)."""
    context = {
        "confirmation_link_days": settings.CONFIRMATION_LINK_DAYS,
        "alert_email_days": settings.ALERT_EMAIL_DAYS,
        "map_tile_host": urlsplit(settings.MAP_TILE_URL.replace("{s}.", "")).hostname or "",
    }
    return render(request, "pages/privacy.html", context)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/403_csrf.html", status=403)


# The admin addresses of models that moved to another app: (old app label, model) -> new app
# label. Bookmarks and links in old emails keep working.
MOVED_ADMIN_PAGES = {
    ("queries", "outboxemail"): "notifications",
    ("neighbourhoods", "priority"): "engagement",
    ("neighbourhoods", "prioritysupport"): "engagement",
    ("neighbourhoods", "survey"): "engagement",
    ("neighbourhoods", "surveyresponse"): "engagement",
}


@require_safe
def moved_admin_page(request: HttpRequest, app_label: str, model: str, rest: str) -> HttpResponse:
    """An admin page of a model that moved app: the same page at its new address."""
    target = MOVED_ADMIN_PAGES.get((app_label, model))
    if target is None:
        raise Http404("No such administration page")
    query = request.META.get("QUERY_STRING", "")
    path = f"{reverse('admin:index')}{target}/{model}/{rest}"
    return HttpResponsePermanentRedirect(path + (f"?{query}" if query else ""))
