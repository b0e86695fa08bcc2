"""The public scorecards kept in the shared cache: worked out by the beat every
PUBLIC_SCORECARD_REFRESH_MINUTES (dashboards.tasks.refresh_public_scorecards) and kept for
longer, so a page reads them without touching the database. The neighbourhood page reads only
the cache (its SQL stays fixed); the performance pages and the open data work a missing
scorecard out and keep it. When the cache is down (config.caching logs it) the panel says the
figures are not available and the performance pages work them out on each request."""

import datetime

from django.conf import settings
from django.utils import timezone

from config import caching
from dashboards.selectors import scorecard as selectors
from dashboards.selectors.scorecard import Figures, Scorecard
from neighbourhoods.models import Division, Neighbourhood
from officers.scopes import Scope

KEY = "public-scorecard:v1:"


def _timeout() -> int:
    # Three refreshes missed before a scorecard goes, so one slow or failed run loses nothing.
    return settings.PUBLIC_SCORECARD_REFRESH_MINUTES * 60 * 4


def cached_neighbourhood_scorecard(slug: str) -> Scorecard | None:
    """The neighbourhood's scorecard from the cache only; None when it is not there."""
    found = caching.cache_get(f"{KEY}neighbourhood:{slug}")
    return found if isinstance(found, Scorecard) else None


def neighbourhood_scorecard(neighbourhood: Neighbourhood) -> Scorecard:
    key = f"{KEY}neighbourhood:{neighbourhood.slug}"
    found = caching.cache_get(key)
    if isinstance(found, Scorecard):
        return found
    card = selectors.neighbourhood_scorecard(neighbourhood=neighbourhood)
    caching.cache_set(key, card, timeout=_timeout())
    return card


def area_scorecard(scope: Scope) -> Scorecard:
    """The force's or a division's scorecard, from the cache or worked out and kept."""
    key = f"{KEY}{scope.key}"
    found = caching.cache_get(key)
    if isinstance(found, Scorecard):
        return found
    card = selectors.area_scorecard(scope=scope)
    caching.cache_set(key, card, timeout=_timeout())
    return card


def monthly_figures(
    scope: Scope, first_month: datetime.date, last_month: datetime.date
) -> tuple[list[Figures], datetime.datetime]:
    """The months' figures and when they were worked out, from the cache or worked out and
    kept (until the refresh: a month still running changes)."""
    today = timezone.localdate()
    key = f"{KEY}months:{scope.key}:{first_month:%Y-%m}:{last_month:%Y-%m}:{today}"
    found = caching.cache_get(key)
    if isinstance(found, tuple) and len(found) == 2:
        return found
    now = timezone.now()
    months = selectors.monthly_figures(
        scope=scope, first_month=first_month, last_month=last_month, now=now
    )
    caching.cache_set(key, (months, now), timeout=settings.PUBLIC_SCORECARD_REFRESH_MINUTES * 60)
    return months, now


def scorecards_refresh() -> int:
    """Work out every public scorecard again and keep it: the force, each division, each
    neighbourhood, and the force's and divisions' default months. Returns how many."""
    now = timezone.now()
    count = 0
    scopes = [selectors.force_scope()]
    scopes += [
        selectors.division_scope(division)
        for division in Division.objects.filter(force__slug=settings.FORCE_SLUG).order_by("pk")
    ]
    first, last = selectors.default_months(timezone.localdate())
    for scope in scopes:
        caching.cache_set(
            f"{KEY}{scope.key}", selectors.area_scorecard(scope=scope, now=now), _timeout()
        )
        months = selectors.monthly_figures(scope=scope, first_month=first, last_month=last, now=now)
        key = f"{KEY}months:{scope.key}:{first:%Y-%m}:{last:%Y-%m}:{timezone.localdate()}"
        caching.cache_set(key, (months, now), settings.PUBLIC_SCORECARD_REFRESH_MINUTES * 60)
        count += 1
    for neighbourhood in Neighbourhood.objects.order_by("pk").only("pk", "slug", "name"):
        card = selectors.neighbourhood_scorecard(neighbourhood=neighbourhood, now=now)
        caching.cache_set(f"{KEY}neighbourhood:{neighbourhood.slug}", card, _timeout())
        count += 1
    return count
