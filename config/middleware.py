"""Rules for every request and answer of the portal: the size of what may be sent, the browser
features a page may use, and staff answers that must never be stored."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from config.http import api_error, is_api_request

Middleware = Callable[[HttpRequest], HttpResponse]

# Residents' details are on every page under these: no browser or proxy may keep a copy.
STAFF_PATH_PREFIXES = ("/staff/", "/admin/")


def is_staff_path(request: HttpRequest) -> bool:
    """Under a staff area, with or without a language prefix: the staff pages that share the
    public pages' address table answer under /cy/ too (a post there is never redirected), and
    every rule of the staff area holds for them there."""
    path = request.path_info
    language = translation.get_language_from_path(path)
    if language:
        path = path[len(language) + 1 :]
    return path.startswith(STAFF_PATH_PREFIXES)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}MB"


def _refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if is_api_request(request):
        return api_error(status, message)
    context = {"message": message, "photo_max_size": _megabytes(settings.OFFICER_PHOTO_MAX_BYTES)}
    return render(request, f"errors/{status}.html", context, status=status)


def request_body_limit(get_response: Middleware) -> Middleware:
    """Refuse a request body over REQUEST_BODY_MAX_BYTES by its Content-Length, before a byte
    of it is read (multipart files would otherwise be spooled to disk whatever their size),
    and a body that does not say its length (Django would read none of it)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        limit = settings.REQUEST_BODY_MAX_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _refusal(request, 400, "The request's Content-Length is not a number.")
        if length > limit:
            return _refusal(request, 413, f"What you sent is larger than {_megabytes(limit)}.")
        if not length and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            return _refusal(request, 411, "The request did not give its Content-Length.")
        return get_response(request)

    return middleware


def staff_never_cache(get_response: Middleware) -> Middleware:
    """`Cache-Control: no-store` (and private) on every answer under the staff areas: pages,
    CSV exports, redirects and errors alike."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if is_staff_path(request):
            add_never_cache_headers(response)
        return response

    return middleware


def _policy_value(policy: dict[str, list[str]]) -> str:
    def allowlist(origins: list[str]) -> str:
        return " ".join(o if o in ("self", "*") else f'"{o}"' for o in origins)

    return ", ".join(f"{feature}=({allowlist(origins)})" for feature, origins in policy.items())


def permissions_policy(get_response: Middleware) -> Middleware:
    """The Permissions-Policy header from PERMISSIONS_POLICY on every answer."""
    value = _policy_value(settings.PERMISSIONS_POLICY)

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", value)
        return response

    return middleware
