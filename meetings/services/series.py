"""Creating a series' occurrences as Events, a few months ahead.

Idempotent: an occurrence is keyed by (series, the start the rule gave it), under a unique
constraint, so a second run, two workers at once, or an occurrence that was moved or
cancelled since never makes it again."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from meetings import series as rules
from meetings.models import Event, Series
from neighbourhoods import caching

logger = logging.getLogger(__name__)


def series_horizon(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=settings.SERIES_HORIZON_DAYS)


def series_materialise(*, series: Series, now: datetime.datetime | None = None) -> list[Event]:
    """Create the series' occurrences from now (or where the last run stopped) to the horizon,
    and return those created."""
    now = now or timezone.now()
    until = series_horizon(now)
    if series.ended_at is not None:
        until = min(until, series.ended_at)
    # Carry on after the last run; the first time, from just before the first start (which
    # is an occurrence itself). Never into the past.
    after = series.materialised_until or series.first_starts_at - datetime.timedelta(seconds=1)
    after = max(after, now)
    starts = rules.occurrences(series.rrule, series.first_starts_at, after, until)
    details = {field: getattr(series, field) for field in Series.DETAIL_FIELDS}
    with transaction.atomic():
        existing = set(
            Event.objects.filter(series=series, series_starts_at__in=starts).values_list(
                "series_starts_at", flat=True
            )
        )
        events = [
            Event(
                **details,
                series=series,
                series_starts_at=start,
                starts_at=start,
                ends_at=start + series.duration,
            )
            for start in starts
            if start not in existing
        ]
        # ignore_conflicts: a concurrent run that made the same occurrence wins quietly.
        Event.objects.bulk_create(events, ignore_conflicts=True)
        Series.objects.filter(pk=series.pk).update(materialised_until=until)
        series.materialised_until = until
        if events:
            # bulk_create sends no signals: move the public pages on ourselves.
            caching.bump_public_content_version()
            transaction.on_commit(caching.bump_public_content_version, robust=True)
    return events


def series_materialise_all(*, now: datetime.datetime | None = None) -> int:
    """Run every live series up to the horizon; the number of occurrences created."""
    now = now or timezone.now()
    live = Series.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now)).filter(
        Q(materialised_until__isnull=True) | Q(materialised_until__lt=series_horizon(now))
    )
    created = 0
    for series in live.iterator():
        try:
            created += len(series_materialise(series=series, now=now))
        except rules.RuleError:
            logger.exception(
                "Series %s has a rule that cannot be read: %r", series.pk, series.rrule
            )
    return created
