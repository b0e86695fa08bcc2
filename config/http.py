"""Who is asking (the client's address when the portal runs behind proxies), and pages that
must stay private to the resident who holds their link."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers


def client_ip(request: HttpRequest) -> str:
    """The address of the client, not of the proxy in front of the portal.

    With TRUSTED_PROXY_COUNT proxies in front (each appending to X-Forwarded-For), the client is
    the entry that many places from the right: entries further left could be forged by the
    client itself. With no trusted proxy, REMOTE_ADDR."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


API_PATH_PREFIX = "/api/"
# How long a client should wait before asking again after a 503.
RETRY_AFTER_SECONDS = 60
API_UNAVAILABLE = "The service is unavailable. Try again in a minute."


def is_api_request(request: HttpRequest) -> bool:
    """The JSON API answers every error in JSON, whatever went wrong."""
    return request.path.startswith(API_PATH_PREFIX)


def api_error(status: int, message: str) -> JsonResponse:
    """An error of the JSON API, shaped as its document says: {"error": "..."}. A server error
    is never cached; a 503 says when to try again."""
    response = JsonResponse({"error": message}, status=status)
    response["Access-Control-Allow-Origin"] = "*"
    if status >= 500:
        response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def private_page(view: Callable) -> Callable:
    """For pages that carry a resident's secret link (a tracking or cancel token): never
    cached, and their address never sent to another site as a referrer (same-origin: the
    page's own forms still pass the CSRF origin check)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        add_never_cache_headers(response)
        return response

    return wrapped


def absolute_url(path: str) -> str:
    """A link for an email: the site's address (SITE_URL) and the path."""
    return f"{settings.SITE_URL}{path}"
