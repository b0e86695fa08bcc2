"""Version counters in the shared cache, and the public page cache that follows them. Bumping
a counter makes every process drop what it built from the old data: the neighbourhood locator,
and cached public pages."""

import logging
import secrets
import threading
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

logger = logging.getLogger(__name__)

BOUNDARIES_KEY = "neighbourhoods:boundaries-version"
PUBLIC_CONTENT_KEY = "neighbourhoods:public-content-version"
# Long enough to matter, short enough that time-dependent content (the next events) moves on.
PUBLIC_PAGE_SECONDS = 300
# How long a process trusts the public content version it last read from the shared cache: a
# change made in another process shows here within this time; one made here, at once.
LOCAL_VERSION_SECONDS = 1.0


def _fresh() -> int:
    # A counter that was lost (cache cleared, Redis restarted) starts again somewhere new, so
    # nothing built under an old value can be mistaken for current.
    return secrets.randbits(48)


def cache_get(key: str) -> Any:
    """The shared cache's value, or None when the cache cannot be reached (logged): pages are
    then built from the database, slower but right. /healthz reports the cache as down."""
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Shared cache unreachable reading %s", key, exc_info=True)
        return None


def cache_set(key: str, value, timeout: float | None) -> None:
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.warning("Shared cache unreachable writing %s", key, exc_info=True)


def _version(key: str) -> int | None:
    """The counter's value; None when the shared cache cannot be reached."""
    try:
        value = cache.get(key)
        if value is None:
            cache.add(key, _fresh(), timeout=None)
            value = cache.get(key)
    except Exception:
        logger.warning("Shared cache unreachable reading %s", key, exc_info=True)
        return None
    return value


def _bump(key: str) -> None:
    try:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, _fresh(), timeout=None)
    except Exception:
        # Nothing can be served from a cache that cannot be reached; once it is back, a
        # counter it lost starts again at a fresh value.
        logger.warning("Shared cache unreachable moving %s on", key, exc_info=True)


def boundaries_version() -> int | None:
    return _version(BOUNDARIES_KEY)


def public_content_version() -> int | None:
    return _version(PUBLIC_CONTENT_KEY)


def bump_boundaries_version() -> None:
    _bump(BOUNDARIES_KEY)


def bump_public_content_version() -> None:
    _bump(PUBLIC_CONTENT_KEY)
    _local_version.forget()


def public_content_changed(*args, **kwargs) -> None:
    """Something the public pages show changed: move the version on at once, and again when
    the transaction commits, so a page built in between from the old rows is never served."""
    bump_public_content_version()
    transaction.on_commit(bump_public_content_version, robust=True)


def public_pages_show(*models: type[Model]) -> None:
    """Move the public pages on whenever a row of these models is saved or deleted, however it
    changes: signals also catch the Django admin and imports, which call no service. Each app
    names its own models (in AppConfig.ready)."""
    for model in models:
        label = model._meta.label
        post_save.connect(public_content_changed, sender=model, dispatch_uid=f"{label}-save")
        post_delete.connect(public_content_changed, sender=model, dispatch_uid=f"{label}-delete")


class _LocalVersion:
    """The public content version as this process last read it, trusted for a second."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: int | None = None
        self._read_at = 0.0

    def get(self) -> int | None:
        with self._lock:
            if self._value is not None and time.monotonic() - self._read_at < LOCAL_VERSION_SECONDS:
                return self._value
        value = public_content_version()
        with self._lock:
            self._value, self._read_at = value, time.monotonic()
        return value

    def forget(self) -> None:
        with self._lock:
            self._value = None


_local_version = _LocalVersion()


def forget_local_state() -> None:
    """Drop what this process holds in memory (for tests that clear the shared cache)."""
    _local_version.forget()
    caches["local"].clear()


# Cookies that make a response personal: a signed-in session, or a message waiting to be shown.
PRIVATE_COOKIES = frozenset({settings.SESSION_COOKIE_NAME, "messages"})


def shared_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve an anonymous visitor the same bytes as the last one, until anything changes.

    Pages are held in this process's memory and in the shared cache, under the public content
    version; a hit in memory costs no round trip to the shared cache at all.

    For public pages with no form: the page must not use a CSRF token (the layout's
    `htmx_headers` block is emptied). Signed-in staff, and anyone with a message waiting, get
    the page rendered for them. The cookie notice's two states are cached apart."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in {"GET", "HEAD"} or PRIVATE_COOKIES & request.COOKIES.keys():
            return view(request, *args, **kwargs)
        notice_seen = request.COOKIES.get("cookie_notice_seen") == "1"
        # The London date is in the key: a page's dated content (open surveys, upcoming
        # events) moves on at midnight without any change to bump the version.
        today = timezone.localdate().isoformat()
        key = f"public-page:{request.path}:{int(notice_seen)}:{today}"
        version = _local_version.get()
        if version is None:
            return view(request, *args, **kwargs)
        local = caches["local"]
        entry = local.get(key)
        if entry is None or entry[0] != version:
            entry = cache_get(key)  # rendered by another process, perhaps
            if entry is not None and entry[0] == version:
                local.set(key, entry, timeout=PUBLIC_PAGE_SECONDS)
        if entry is not None and entry[0] == version:
            response = HttpResponse(entry[1])
        else:
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.cookies:
                entry = (version, response.content)
                cache_set(key, entry, timeout=PUBLIC_PAGE_SECONDS)
                local.set(key, entry, timeout=PUBLIC_PAGE_SECONDS)
        patch_vary_headers(response, ("Cookie",))
        return response

    return wrapper
