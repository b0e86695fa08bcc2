"""Repeating meetings: officers create, change and end a series; its occurrences are created as
Events a few months ahead.

Creating occurrences is idempotent: an occurrence is keyed by (series, the start the rule gave
it), under a unique constraint, so a second run, two workers at once, or an occurrence that was
moved or cancelled since never makes it again."""

import datetime
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from config import caching
from config.dates import LONDON, date_time_text
from meetings import recurrence as rules
from meetings.models import (
    Event,
    Series,
)
from meetings.services.common import (
    EDITABLE_DETAILS,
    apply_to_event,
    cancel_locked,
    clean_details,
    copy_back,
    field_error,
    officer_of,
    raise_if_any,
    require_manager,
    required_reason,
    save_fields,
)
from meetings.signals import series_changed, series_created

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
            caching.public_content_changed()
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


# --- Officers' series ---------------------------------------------------------------------------


def _series_first_start(
    *, pattern: rules.Pattern, first_date: datetime.date, start_time: datetime.time
) -> datetime.datetime | None:
    """The first start the pattern gives on or after `first_date`, in London time."""
    candidate = datetime.datetime.combine(first_date, start_time, tzinfo=LONDON)
    starts = rules.occurrences(
        pattern.rrule(),
        candidate,
        candidate - datetime.timedelta(seconds=1),
        candidate + datetime.timedelta(days=400),
    )
    return starts[0] if starts else None


def series_create(
    *, user: AbstractBaseUser, data: Mapping[str, Any], now: datetime.datetime | None = None
) -> Series:
    """A repeating meeting from a pattern (`pattern`: a meetings.recurrence.Pattern), the first
    date (`first_date`), and London wall-clock `start_time` and `end_time`, with the detail
    fields. Its occurrences up to the horizon exist as events when this returns. The first
    meeting is the first date on or after `first_date` that fits the pattern."""
    now = now or timezone.now()
    neighbourhood = data.get("neighbourhood")
    require_manager(user, neighbourhood.pk if neighbourhood else None)
    details = clean_details(data)
    pattern: rules.Pattern | None = data.get("pattern")
    first_date: datetime.date | None = data.get("first_date")
    start_time: datetime.time | None = data.get("start_time")
    end_time: datetime.time | None = data.get("end_time")
    errors: dict[str, list[ValidationError]] = {}
    if pattern is None:
        errors["pattern"] = [ValidationError(_("Choose how often it repeats"), code="required")]
    if first_date is None:
        errors["first_date"] = [
            ValidationError(_("Enter the date of the first meeting"), "required")
        ]
    if start_time is None:
        errors["start_time"] = [ValidationError(_("Enter the start time"), code="required")]
    if end_time is None:
        errors["end_time"] = [ValidationError(_("Enter the end time"), code="required")]
    elif start_time is not None and end_time <= start_time:
        errors["end_time"] = [
            ValidationError(_("The end time must be after the start time"), code="before_start")
        ]
    raise_if_any(errors)
    first_starts_at = _series_first_start(
        pattern=pattern, first_date=first_date, start_time=start_time
    )
    if first_starts_at is None or first_starts_at <= now:
        raise field_error(
            "first_date",
            "The first meeting must be in the future: check the first date and start time",
            "past",
        )
    rule = pattern.rrule()
    rules.validate_rule(rule)
    duration = datetime.datetime.combine(first_date, end_time) - datetime.datetime.combine(
        first_date, start_time
    )
    series = Series(
        **details,
        organiser=data.get("organiser") or officer_of(user),
        rrule=rule,
        first_starts_at=first_starts_at,
        duration=duration,
    )
    with transaction.atomic():
        series.full_clean()
        series.save()
        series_materialise(series=series, now=now)
        series_created.send(sender=Series, series=series)
    return series


def _future_occurrences(series: Series, now: datetime.datetime) -> QuerySet[Event]:
    return Event.objects.filter(
        series=series, status=Event.Status.SCHEDULED, starts_at__gt=now
    ).order_by("starts_at")


def series_update(
    *,
    user: AbstractBaseUser,
    series: Series,
    data: Mapping[str, Any],
    now: datetime.datetime | None = None,
) -> Series:
    """Change a series' details (not its rule or times). Each detail that changed is given to
    every future scheduled occurrence under event_update's rules (SEQUENCE, and an email to
    those registered when the place changes); an occurrence's own different value for a
    detail the series did not change is kept."""
    now = now or timezone.now()
    require_manager(user, series.neighbourhood_id)
    neighbourhood = data.get("neighbourhood")
    if neighbourhood is not None and neighbourhood.pk != series.neighbourhood_id:
        require_manager(user, neighbourhood.pk)
    with transaction.atomic():
        locked = Series.objects.select_for_update().get(pk=series.pk)
        if locked.ended_at is not None and locked.ended_at <= now:
            raise ValidationError(_("This series has ended, so it cannot be changed."), "ended")
        current = {name: getattr(locked, name) for name in EDITABLE_DETAILS}
        details = clean_details({**current, **data})
        changed = {name: value for name, value in details.items() if getattr(locked, name) != value}
        if not changed:
            return series
        for name, value in changed.items():
            setattr(locked, name, value)
        save_fields(locked, changed)
        for occurrence in _future_occurrences(locked, now).select_for_update(of=("self",)):
            apply_to_event(
                occurrence,
                changed,
                which=_(" for %(when)s") % {"when": date_time_text(occurrence.starts_at)},
            )
        series_changed.send(sender=Series, series=locked, fields=changed)
    copy_back(series, locked, changed)
    return series


def series_end(
    *,
    user: AbstractBaseUser,
    series: Series,
    reason: str,
    now: datetime.datetime | None = None,
) -> Series:
    """End a series now: no further occurrence is created, and each future scheduled one is
    cancelled with the reason (everyone registered is emailed)."""
    now = now or timezone.now()
    require_manager(user, series.neighbourhood_id)
    with transaction.atomic():
        locked = Series.objects.select_for_update().get(pk=series.pk)
        if locked.ended_at is not None and locked.ended_at <= now:
            raise ValidationError(_("This series has already ended."), code="ended")
        text = required_reason(reason, missing=_("Enter the reason for cancelling the series"))
        locked.ended_at = now
        save_fields(locked, ["ended_at"])
        for occurrence in _future_occurrences(locked, now).select_for_update(of=("self",)):
            cancel_locked(occurrence, text)
        series_changed.send(sender=Series, series=locked, fields=["ended_at"])
    copy_back(series, locked, ["ended_at"])
    return series
