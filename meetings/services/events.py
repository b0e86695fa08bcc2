"""What officers do with their neighbourhoods' one-off events: list, edit and cancel them, and
record one that took place without being listed (the rules they share with series are
meetings.services.common)."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from engagement.models import Priority
from meetings.models import Event
from meetings.services.common import (
    EDITABLE_DETAILS,
    apply_to_event,
    cancel_locked,
    check_times,
    clean_details,
    copy_back,
    field_error,
    locked_event,
    officer_of,
    raise_if_any,
    require_manager,
    required_reason,
)
from meetings.services.outcomes import outcome_clean, outcome_write
from meetings.signals import event_changed, event_created


def event_create(
    *, user: AbstractBaseUser, data: Mapping[str, Any], now: datetime.datetime | None = None
) -> Event:
    """A new one-off event. `data` holds the detail fields, `starts_at` and `ends_at`; the
    organiser is the user's officer unless `data` names one."""
    now = now or timezone.now()
    neighbourhood = data.get("neighbourhood")
    require_manager(user, neighbourhood.pk if neighbourhood else None)
    details = clean_details(data)
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    check_times(starts_at, ends_at, now=now, new_start=True)
    organiser = data.get("organiser") or officer_of(user)
    event = Event(**details, organiser=organiser, starts_at=starts_at, ends_at=ends_at)
    with transaction.atomic():
        event.full_clean()
        event.save()
        event_created.send(sender=Event, event=event)
    return event


def event_update(
    *,
    user: AbstractBaseUser,
    event: Event,
    data: Mapping[str, Any],
    now: datetime.datetime | None = None,
) -> Event:
    """Change an event. Any change moves its SEQUENCE on (calendars pick up new titles too);
    a new time or place also emails everyone registered. The row is locked, so a capacity
    lowered here and a registration made at the same moment never overbook the event."""
    now = now or timezone.now()
    require_manager(user, event.neighbourhood_id)
    neighbourhood = data.get("neighbourhood")
    if neighbourhood is not None and neighbourhood.pk != event.neighbourhood_id:
        require_manager(user, neighbourhood.pk)
    with transaction.atomic():
        locked = locked_event(event)
        if locked.is_cancelled:
            raise ValidationError(
                _("This event is cancelled, so it cannot be changed. Add a new event instead."),
                code="cancelled",
            )
        current = {name: getattr(locked, name) for name in EDITABLE_DETAILS}
        details = clean_details({**current, **data})
        starts_at = data.get("starts_at", locked.starts_at)
        ends_at = data.get("ends_at", locked.ends_at)
        check_times(starts_at, ends_at, now=now, new_start=starts_at != locked.starts_at)
        fields = apply_to_event(locked, {**details, "starts_at": starts_at, "ends_at": ends_at})
        event_changed.send(sender=Event, event=locked, fields=fields)
    copy_back(event, locked, [*fields, "sequence"])
    return event


def event_cancel(
    *,
    user: AbstractBaseUser,
    event: Event,
    reason: str,
    now: datetime.datetime | None = None,
) -> Event:
    """Cancel an event that has not started: it stays on its page and in calendar feeds as
    cancelled, with the reason, and everyone registered is emailed."""
    now = now or timezone.now()
    require_manager(user, event.neighbourhood_id)
    with transaction.atomic():
        locked = locked_event(event)
        if locked.is_cancelled:
            raise ValidationError(_("This event is already cancelled."), code="cancelled")
        if locked.starts_at <= now:
            raise ValidationError(
                _("This event has already started or taken place, so it cannot be cancelled."),
                code="past",
            )
        text = required_reason(reason, missing=_("Enter the reason for cancelling the event"))
        cancel_locked(locked, text)
        event_changed.send(sender=Event, event=locked, fields=["status"])
    copy_back(event, locked, ["status", "cancelled_reason", "sequence"])
    return event


def event_cancel_refusal(event: Event, *, now: datetime.datetime | None = None) -> str:
    """Why the event cannot be cancelled, or "" when it can (for the cancel page)."""
    now = now or timezone.now()
    if event.is_cancelled:
        return _("This event is already cancelled.")
    if event.starts_at <= now:
        return _("This event has already started or taken place, so it cannot be cancelled.")
    return ""


# How far back a meeting that was not listed in advance may be recorded: long enough for the
# last few beat meetings, short enough that a mistyped year is caught.
PAST_MEETING_LIMIT = datetime.timedelta(days=365)


def _check_past_times(
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    *,
    now: datetime.datetime,
) -> None:
    """The times of a meeting that has taken place: over by now, within PAST_MEETING_LIMIT."""
    check_times(starts_at, ends_at, now=now, new_start=False)
    if starts_at > now:
        raise field_error(
            "starts_at",
            "The meeting must have taken place already: check the date and start time. "
            "To list a meeting still to come, add an event",
            "future",
        )
    if starts_at < now - PAST_MEETING_LIMIT:
        raise field_error(
            "starts_at",
            "Enter a date in the last 12 months: older meetings cannot be recorded here",
            "too_old",
        )
    if ends_at > now:
        raise field_error(
            "ends_at", "The meeting must have ended already: check the end time", "not_ended"
        )


def event_record_past(
    *,
    user: AbstractBaseUser,
    data: Mapping[str, Any],
    attendance: int | None,
    summary: str,
    issues_raised: str,
    create_priorities: bool,
    priorities: Iterable[Priority] = (),
    summary_cy: str | None = None,
    issues_raised_cy: str | None = None,
    now: datetime.datetime | None = None,
) -> Event:
    """A meeting that took place without being listed beforehand, recorded as held with its
    outcome in one transaction. `data` is as event_create's; the outcome's arguments are
    outcome_record's, under its rules (issues raised can become priorities).

    Nobody is told: no alert goes to subscribers (event_created is not sent) and nobody can
    have registered. The meeting shows in the neighbourhood's past meetings, never as upcoming."""
    now = now or timezone.now()
    neighbourhood = data.get("neighbourhood")
    require_manager(user, neighbourhood.pk if neighbourhood else None)
    errors: dict[str, list[ValidationError]] = {}
    details: dict[str, Any] = {}
    try:
        details = clean_details(data)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    try:
        _check_past_times(starts_at, ends_at, now=now)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        given = outcome_clean(
            neighbourhood_id=neighbourhood.pk if neighbourhood else None,
            attendance=attendance,
            summary=summary,
            issues_raised=issues_raised,
            create_priorities=create_priorities,
            priorities=priorities,
            summary_cy=summary_cy,
            issues_raised_cy=issues_raised_cy,
        )
    except ValidationError as exc:
        errors.update(exc.error_dict)
    raise_if_any(errors)
    event = Event(
        **details,
        organiser=data.get("organiser") or officer_of(user),
        starts_at=starts_at,
        ends_at=ends_at,
        status=Event.Status.HELD,
    )
    with transaction.atomic():
        event.full_clean()
        event.save()
        outcome_write(user=user, locked=event, given=given, now=now)
    return event
