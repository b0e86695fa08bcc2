"""Secrets residents hold (tracking and cancel links) and the rate limits on public forms,
shared by every app that takes submissions from the public."""

import datetime
import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import transaction
from django.utils.translation import gettext

from config.dates import london_time_display

logger = logging.getLogger(__name__)


def token_hash(token: str) -> str:
    """What is stored of a secret link's token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def retry_message(
    retry_at: datetime.datetime,
    *,
    what: str,
    call_if_urgent: bool = True,
    give_reference: bool = False,
    now: datetime.datetime | None = None,
) -> str:
    """What a resident over a limit is told, in their language: 'You can <what> after 3:45pm.
    If it cannot wait, call 101[ and give your reference]'. `what` comes translated."""
    # Django sets the process's time zone to TIME_ZONE (Europe/London), so a naive local `now`
    # reads as the same London day (mutation testing keeps `tz=None` alive here).
    now = now or datetime.datetime.now(tz=datetime.UTC)
    words = {
        "what": what,
        "time": london_time_display(retry_at, now),
        "number": settings.FORCE_NON_EMERGENCY_NUMBER,
    }
    if not call_if_urgent:
        return gettext("You can %(what)s after %(time)s") % words
    if give_reference:
        return (
            gettext(
                "You can %(what)s after %(time)s. If it cannot wait, call %(number)s and give "
                "your reference"
            )
            % words
        )
    return gettext("You can %(what)s after %(time)s. If it cannot wait, call %(number)s") % words


@contextmanager
def steady_answer() -> Iterator[None]:
    """Hold the answer to a request that looks up a secret (is this address an account, do this
    reference and email match) until STEADY_ANSWER_SECONDS after it began: writing the email
    when they match takes a few milliseconds that a miss does not, and timing must not tell."""
    started = time.monotonic()
    yield
    time.sleep(max(0.0, settings.STEADY_ANSWER_SECONDS - (time.monotonic() - started)))


def _rate_hit(
    cache: BaseCache, key: str, limit: int, window: int, now: datetime.datetime
) -> datetime.datetime | None:
    """Count one submission against `key`; when over `limit` in the window that began with
    the first of them, the time the window ends."""
    start_key, count_key = f"{key}:start", f"{key}:count"
    now_ts = now.timestamp()
    start = cache.get(start_key)
    if start is None or start + window <= now_ts:
        start = now_ts
        cache.set_many({start_key: start, count_key: 0}, timeout=window)
    try:
        count = cache.incr(count_key)
    except ValueError:
        # Gone between the two calls (the file cache keeps the counter to a whole second, so
        # it can go just before the start): this submission starts a new window. (Counters
        # that outlive their window change no count, since the next hit opens a new window by
        # the start time: mutation testing keeps `timeout=None` alive on the next line.)
        cache.set_many({start_key: now_ts, count_key: 1}, timeout=window)
        return None
    # Redis keeps a key's expiry through INCR, but the file and database caches re-save the
    # counter with their default timeout (five minutes): give it back the window's end, or the
    # count would restart five minutes after the last submission. The floor of one second only
    # keeps the timeout positive: a counter living a second longer past its window's end changes
    # nothing, since the next hit opens a new window by the start time (mutation testing keeps
    # `max(2, ...)` alive here).
    cache.touch(count_key, timeout=max(1, int(start + window - now_ts)))
    if count > limit:
        return datetime.datetime.fromtimestamp(start + window, tz=datetime.UTC)
    return None


def rate_limit_hit(
    *,
    scope: str,
    ip: str,
    email: str,
    per_ip: int,
    per_email: int,
    window: int,
    now: datetime.datetime,
) -> datetime.datetime | None:
    """Count a submission to `scope` from this IP address and email address. Returns None when
    it may go ahead, or the time after which it may be sent again.

    Counts in the shared cache; while that cannot be reached (Redis stopped or hung), in the
    database cache instead, so the limits keep holding through the outage (counting starts
    afresh there). Only when both fail is the submission let through: nothing a resident sends
    is lost to an outage."""
    # Submissions with no IP address share one counter; its name is never shown (mutation
    # testing keeps a different spelling of 'unknown' alive). Addresses differing only in case
    # share a count; upper() would fold them alike but for a few letters such as ß (mutation
    # testing keeps `.upper()` alive).
    ip_key = f"{scope}:rate:ip:{token_hash(ip or 'unknown')}"
    email_key = f"{scope}:rate:email:{token_hash(email.strip().lower())}" if email else None
    for alias in ("default", settings.RATE_LIMIT_FALLBACK_CACHE):
        cache = caches[alias]
        try:
            # The database cache runs inside the request's transaction: a savepoint keeps a
            # failure there from spoiling it.
            with transaction.atomic() if alias != "default" else nullcontext():
                retry_at = _rate_hit(cache, ip_key, per_ip, window, now)
                if retry_at is None and email_key:
                    retry_at = _rate_hit(cache, email_key, per_email, window, now)
        except Exception:
            logger.warning("Cache %r unreachable for %s rate limits", alias, scope, exc_info=True)
            continue
        return retry_at
    logger.error("No cache reachable: %s rate limits not applied", scope)
    return None


@dataclass(frozen=True)
class RateLimit:
    """One public form's limits: its scope in the cache and the settings that hold its numbers
    (per IP address, and per email address or whatever else identifies the sender), counted over
    QUERY_RATE_LIMIT_WINDOW_SECONDS. Called with the sender's IP address and email address, it
    counts a submission: None when it may go ahead, or the time after which it may be sent
    again (see rate_limit_hit)."""

    scope: str
    per_ip_setting: str
    per_email_setting: str

    def __call__(
        self, *, ip: str, email: str, now: datetime.datetime | None = None
    ) -> datetime.datetime | None:
        return rate_limit_hit(
            scope=self.scope,
            ip=ip,
            email=email,
            per_ip=getattr(settings, self.per_ip_setting),
            per_email=getattr(settings, self.per_email_setting),
            window=settings.QUERY_RATE_LIMIT_WINDOW_SECONDS,
            # Only the instant's timestamp is used, which a naive local `now` gives alike
            # (mutation testing keeps `tz=None` alive here).
            now=now or datetime.datetime.now(tz=datetime.UTC),
        )
