"""Django's Redis cache, made to fail fast when Redis is stopped, slow or hung.

Every caller of the shared cache already copes with it being unreachable (the page is built
afresh, the rate limit counts elsewhere). What it cannot cope with is waiting: a hung Redis
(alive but not answering) holds each call for the socket timeout. So after a call fails, calls
from this process skip Redis at once for CACHE_PAUSE_SECONDS, raising the same ConnectionError
a stopped Redis gives; then one call tries again.

When the broker lives on the same Redis (one REDIS_URL for both, as in production), a failed
cache call pauses publishing too: a request that found Redis hung through the cache does not
wait a second timeout to find it hung through the broker.
"""

import threading
import time
from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from config.publishing import publishing_pause

_lock = threading.Lock()
# Per server list, when this process may try Redis again (time.monotonic()).
_paused_until: dict[tuple[str, ...], float] = {}


class CachePaused(RedisConnectionError):
    """The cache was not tried: it failed a moment ago."""


def _redis_address(url: str) -> tuple[str | None, int] | None:
    parts = urlsplit(url)
    if not parts.scheme.startswith("redis"):
        return None
    return parts.hostname, parts.port or 6379


def _guarded(method):
    @wraps(method)
    def guarded(self, *args, **kwargs):
        servers = tuple(self._servers)
        if time.monotonic() < _paused_until.get(servers, 0.0):
            raise CachePaused("the cache failed a moment ago and is not tried for a while")
        try:
            return method(self, *args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError):
            with _lock:
                _paused_until[servers] = time.monotonic() + settings.CACHE_PAUSE_SECONDS
            broker = _redis_address(settings.CELERY_BROKER_URL)
            if broker is not None and broker in map(_redis_address, servers):
                publishing_pause()
            raise

    return guarded


class ResilientRedisCache(RedisCache):
    """RedisCache whose every operation fails at once for a while after one has failed."""


for _name in (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
):
    setattr(ResilientRedisCache, _name, _guarded(getattr(RedisCache, _name)))


def cache_pauses_forget() -> None:
    """Try the cache again on the next call (tests, and after an operator fixed Redis)."""
    with _lock:
        _paused_until.clear()
