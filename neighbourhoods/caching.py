"""Version counters in the shared cache. Bumping one makes every process drop what it built
from the old data: the neighbourhood locator, and cached public pages."""

import secrets

from django.core.cache import cache

BOUNDARIES_KEY = "neighbourhoods:boundaries-version"
PUBLIC_CONTENT_KEY = "neighbourhoods:public-content-version"
# Long enough to matter, short enough that time-dependent content (the next events) moves on.
PUBLIC_PAGE_SECONDS = 300


def _fresh() -> int:
    # A counter that was lost (cache cleared, Redis restarted) starts again somewhere new, so
    # nothing built under an old value can be mistaken for current.
    return secrets.randbits(48)


def _version(key: str) -> int:
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh(), timeout=None)
        value = cache.get(key)
    return value if value is not None else _fresh()


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _fresh(), timeout=None)


def boundaries_version() -> int:
    return _version(BOUNDARIES_KEY)


def public_content_version() -> int:
    return _version(PUBLIC_CONTENT_KEY)


def bump_boundaries_version() -> None:
    _bump(BOUNDARIES_KEY)


def bump_public_content_version() -> None:
    _bump(PUBLIC_CONTENT_KEY)
