"""What officers do with their neighbourhoods' events: create, edit, cancel, repeat as a series,
record the outcome and who attended.

Each service checks the user may manage the neighbourhood first (PermissionDenied), validates
with messages an officer can act on (ValidationError keyed by field), writes inside one
transaction and saves only the fields it changed. A change a calendar must pick up moves the
event's iCalendar SEQUENCE on; moving an event (its time or place) or cancelling it also emails
everyone registered, through the outbox, in the same transaction."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from config.dates import LONDON, date_time_text, time_text
from meetings import series as rules
from meetings.models import (
    MAX_EVENT_LENGTH,
    Event,
    EventDetails,
    Outcome,
    Registration,
    Series,
)
from meetings.permissions import can_manage_events, can_use_event_listings
from meetings.services.series import series_materialise
from neighbourhoods import alerts, caching
from neighbourhoods.models import Priority
from neighbourhoods.postcodes import normalise_postcode
from officers.models import Officer
from queries.services.outbox import outbox_email_enqueue

TEXT_MAX_LENGTH = 5000
# Fields whose change moves an event: everyone registered is told.
MOVE_FIELDS = ("starts_at", "ends_at", "venue_name", "address", "postcode", "online_url")
# What an officer may set on an event or series (the organiser comes from who creates it).
EDITABLE_DETAILS = tuple(name for name in EventDetails.DETAIL_FIELDS if name != "organiser")
CHANGE_LABELS = {
    "venue_name": "Venue",
    "address": "Address",
    "postcode": "Postcode",
    "online_url": "Joining link",
}
NOT_ALLOWED = "You cannot manage events for this neighbourhood."
# A joining link residents can follow: http(s) only, never javascript: or the like.
WEB_ADDRESS = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Change:
    """One line of a "this event has changed" email."""

    label: str
    old: str
    new: str


# --- Helpers ------------------------------------------------------------------------------------


def _require_manager(user: AbstractBaseUser, neighbourhood_id: int | None) -> None:
    if neighbourhood_id is None:
        if not can_use_event_listings(user):
            raise PermissionDenied(NOT_ALLOWED)
        return
    if not can_manage_events(user, neighbourhood_id):
        raise PermissionDenied(NOT_ALLOWED)


def _officer_of(user: AbstractBaseUser) -> Officer | None:
    return Officer.objects.filter(user_id=user.pk).first()


def _plain_text(value: str | None) -> str:
    """Text as typed, with one kind of line break and no space around it."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _raise_if_any(errors: dict[str, list[ValidationError]]) -> None:
    if errors:
        raise ValidationError(errors)


def _is_web_address(value: str) -> bool:
    try:
        WEB_ADDRESS(value)
    except ValidationError:
        return False
    return True


def _clean_details(data: Mapping[str, Any]) -> dict[str, Any]:
    """The detail fields from `data`, tidied, with every rule checked: a ValidationError keyed
    by field names the officer can act on."""
    details: dict[str, Any] = {}
    for name in EDITABLE_DETAILS:
        if name in data:
            details[name] = data[name]
    for name in ("title", "venue_name", "address"):
        if name in details:
            details[name] = " ".join((details[name] or "").split())
    for name in ("description", "accessibility_notes"):
        if name in details:
            details[name] = _plain_text(details[name])
    for name in ("step_free_access", "hearing_loop", "parking"):
        if name in details:
            details[name] = bool(details[name])
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not details.get("neighbourhood"):
        refuse("neighbourhood", "Choose the neighbourhood", "required")
    if details.get("event_type") not in Event.Type.values:
        refuse("event_type", "Choose the type of event", "required")
    if not details.get("title"):
        refuse("title", "Enter a title", "required")
    postcode = (details.get("postcode") or "").strip()
    if postcode:
        normal = normalise_postcode(postcode)
        if normal is None:
            refuse("postcode", "Enter a real postcode, like DE1 1AA", "invalid")
        else:
            details["postcode"] = normal
    else:
        details["postcode"] = ""
    online_url = (details.get("online_url") or "").strip()
    details["online_url"] = online_url
    if online_url and not _is_web_address(online_url):
        refuse(
            "online_url",
            "Enter a joining link that starts with https://, like https://meet.example.com/123",
            "invalid",
        )
    if details.get("event_type") == Event.Type.ONLINE_MEETING and not online_url:
        refuse("online_url", "Enter the joining link for the online meeting", "required")
    if (
        details.get("event_type") != Event.Type.ONLINE_MEETING
        and not online_url
        and not details.get("venue_name")
        and not details.get("address")
    ):
        refuse(
            "venue_name",
            "Enter the venue or address, or a joining link if the event is held online",
            "required",
        )
    capacity = details.get("capacity")
    if capacity is not None and capacity < 1:
        refuse("capacity", "Enter a capacity of 1 or more, or leave it empty for no limit", "min")
    for name in ("description", "accessibility_notes"):
        if len(details.get(name) or "") > TEXT_MAX_LENGTH:
            refuse(name, f"Write {TEXT_MAX_LENGTH:,} characters or fewer", "max_length")
    _raise_if_any(errors)
    return details


def _check_times(
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    *,
    now: datetime.datetime,
    new_start: bool,
) -> None:
    errors: dict[str, list[ValidationError]] = {}
    if starts_at is None:
        errors["starts_at"] = [ValidationError("Enter the date and start time", code="required")]
    elif new_start and starts_at <= now:
        errors["starts_at"] = [
            ValidationError(
                "The event must start in the future: check the date and start time",
                code="past",
            )
        ]
    if ends_at is None:
        errors["ends_at"] = [ValidationError("Enter the end time", code="required")]
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = [
            ValidationError("The end time must be after the start time", code="before_start")
        ]
    elif starts_at is not None and ends_at - starts_at > MAX_EVENT_LENGTH:
        errors["ends_at"] = [ValidationError("An event can last 24 hours at most", code="too_long")]
    _raise_if_any(errors)


def _live_registrations(event: Event) -> QuerySet[Registration]:
    return event.registrations.filter(cancelled_at__isnull=True).order_by("created_at", "pk")


def _check_capacity(event: Event, capacity: int | None, *, which: str = "") -> None:
    if capacity is None:
        return
    registered = _live_registrations(event).count()
    if capacity < registered:
        people = "1 person is" if registered == 1 else f"{registered} people are"
        raise _error(
            "capacity",
            f"{people} registered{which}: enter a capacity of {registered} or more, or leave "
            "it empty for no limit",
            "below_registrations",
        )


def _email_context(event: Event, **extra: Any) -> dict[str, Any]:
    return {
        "event": event,
        "when": date_time_text(event.starts_at),
        "ends": date_time_text(event.ends_at),
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        "force_name": settings.FORCE_NAME,
        "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
        **extra,
    }


def _tell_registrations(event: Event, template: str, **extra: Any) -> int:
    """One email to each live registration, written to the outbox in this transaction."""
    sent = 0
    for registration in _live_registrations(event):
        outbox_email_enqueue(
            to=[registration.email],
            template=f"meetings/email/{template}",
            context=_email_context(event, registration=registration, **extra),
            forget_after=event.registrations_forget_after,
        )
        sent += 1
    return sent


def _changes(old: Event, new: Event) -> list[Change]:
    """What moved, in words a resident reads."""
    changes: list[Change] = []
    if old.starts_at != new.starts_at or old.ends_at != new.ends_at:
        changes.append(
            Change(
                "When",
                f"{date_time_text(old.starts_at)} to {_end_text(old)}",
                f"{date_time_text(new.starts_at)} to {_end_text(new)}",
            )
        )
    for name, label in CHANGE_LABELS.items():
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(Change(label, before or "None", after or "None"))
    return changes


def _end_text(event: Event) -> str:
    same_day = event.starts_at.astimezone(LONDON).date() == event.ends_at.astimezone(LONDON).date()
    return time_text(event.ends_at) if same_day else date_time_text(event.ends_at)


def _snapshot(event: Event) -> Event:
    """The event's time and place as they were, to compare with after a change."""
    return Event(**{name: getattr(event, name) for name in MOVE_FIELDS})


def _locked_event(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "organiser")
        .get(pk=event.pk)
    )


def _save(instance: Event | Series | Outcome, fields: Iterable[str]) -> None:
    instance.full_clean(validate_unique=False, validate_constraints=False)
    instance.save(update_fields=sorted({*fields, "updated_at"}))


def _copy_back(target: Event | Series, source: Event | Series, fields: Iterable[str]) -> None:
    for name in {*fields, "updated_at"}:
        setattr(target, name, getattr(source, name))


def _apply_to_event(locked: Event, changes: Mapping[str, Any], *, which: str = "") -> list[str]:
    """Apply `changes` to a locked event under event_update's rules; return the fields saved
    (none when nothing differs)."""
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if not changed:
        return []
    if "capacity" in changed:
        _check_capacity(locked, changes["capacity"], which=which)
    before = _snapshot(locked)
    for name in changed:
        setattr(locked, name, changes[name])
    locked.sequence += 1
    fields = [*changed, "sequence"]
    _save(locked, fields)
    moved = _changes(before, locked)
    if moved:
        _tell_registrations(
            locked,
            "event_changed",
            changes=moved,
            old_when=date_time_text(before.starts_at),
            time_moved=before.starts_at != locked.starts_at or before.ends_at != locked.ends_at,
        )
    return fields


def _cancel_locked(locked: Event, reason: str) -> None:
    locked.status = Event.Status.CANCELLED
    locked.cancelled_reason = reason
    locked.sequence += 1
    _save(locked, ["status", "cancelled_reason", "sequence"])
    _tell_registrations(locked, "event_cancelled", reason=reason)


def _required_reason(reason: str, *, what: str) -> str:
    text = _plain_text(reason)
    if not text:
        raise _error("reason", f"Enter the reason for cancelling {what}", "required")
    if len(text) > TEXT_MAX_LENGTH:
        raise _error("reason", f"Write {TEXT_MAX_LENGTH:,} characters or fewer", "max_length")
    return text


# --- Events -------------------------------------------------------------------------------------


def event_create(
    *, user: AbstractBaseUser, data: Mapping[str, Any], now: datetime.datetime | None = None
) -> Event:
    """A new one-off event. `data` holds the detail fields, `starts_at` and `ends_at`; the
    organiser is the user's officer unless `data` names one."""
    now = now or timezone.now()
    neighbourhood = data.get("neighbourhood")
    _require_manager(user, neighbourhood.pk if neighbourhood else None)
    details = _clean_details(data)
    starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
    _check_times(starts_at, ends_at, now=now, new_start=True)
    organiser = data.get("organiser") or _officer_of(user)
    event = Event(**details, organiser=organiser, starts_at=starts_at, ends_at=ends_at)
    with transaction.atomic():
        event.full_clean()
        event.save()
        alerts.alert_event_created(event=event)
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
    _require_manager(user, event.neighbourhood_id)
    neighbourhood = data.get("neighbourhood")
    if neighbourhood is not None and neighbourhood.pk != event.neighbourhood_id:
        _require_manager(user, neighbourhood.pk)
    with transaction.atomic():
        locked = _locked_event(event)
        if locked.is_cancelled:
            raise ValidationError(
                "This event is cancelled, so it cannot be changed. Add a new event instead.",
                code="cancelled",
            )
        current = {name: getattr(locked, name) for name in EDITABLE_DETAILS}
        details = _clean_details({**current, **data})
        starts_at = data.get("starts_at", locked.starts_at)
        ends_at = data.get("ends_at", locked.ends_at)
        _check_times(starts_at, ends_at, now=now, new_start=starts_at != locked.starts_at)
        fields = _apply_to_event(locked, {**details, "starts_at": starts_at, "ends_at": ends_at})
        alerts.alert_event_changed(event=locked, fields=fields)
    _copy_back(event, locked, [*fields, "sequence"])
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
    _require_manager(user, event.neighbourhood_id)
    with transaction.atomic():
        locked = _locked_event(event)
        if locked.is_cancelled:
            raise ValidationError("This event is already cancelled.", code="cancelled")
        if locked.starts_at <= now:
            raise ValidationError(
                "This event has already started or taken place, so it cannot be cancelled.",
                code="past",
            )
        text = _required_reason(reason, what="the event")
        _cancel_locked(locked, text)
        alerts.alert_event_changed(event=locked, fields=["status"])
    _copy_back(event, locked, ["status", "cancelled_reason", "sequence"])
    return event


def event_cancel_refusal(event: Event, *, now: datetime.datetime | None = None) -> str:
    """Why the event cannot be cancelled, or "" when it can (for the cancel page)."""
    now = now or timezone.now()
    if event.is_cancelled:
        return "This event is already cancelled."
    if event.starts_at <= now:
        return "This event has already started or taken place, so it cannot be cancelled."
    return ""


# --- Series -------------------------------------------------------------------------------------


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
    """A repeating meeting from a pattern (`pattern`: a meetings.series.Pattern), the first
    date (`first_date`), and London wall-clock `start_time` and `end_time`, with the detail
    fields. Its occurrences up to the horizon exist as events when this returns. The first
    meeting is the first date on or after `first_date` that fits the pattern."""
    now = now or timezone.now()
    neighbourhood = data.get("neighbourhood")
    _require_manager(user, neighbourhood.pk if neighbourhood else None)
    details = _clean_details(data)
    pattern: rules.Pattern | None = data.get("pattern")
    first_date: datetime.date | None = data.get("first_date")
    start_time: datetime.time | None = data.get("start_time")
    end_time: datetime.time | None = data.get("end_time")
    errors: dict[str, list[ValidationError]] = {}
    if pattern is None:
        errors["pattern"] = [ValidationError("Choose how often it repeats", code="required")]
    if first_date is None:
        errors["first_date"] = [ValidationError("Enter the date of the first meeting", "required")]
    if start_time is None:
        errors["start_time"] = [ValidationError("Enter the start time", code="required")]
    if end_time is None:
        errors["end_time"] = [ValidationError("Enter the end time", code="required")]
    elif start_time is not None and end_time <= start_time:
        errors["end_time"] = [
            ValidationError("The end time must be after the start time", code="before_start")
        ]
    _raise_if_any(errors)
    first_starts_at = _series_first_start(
        pattern=pattern, first_date=first_date, start_time=start_time
    )
    if first_starts_at is None or first_starts_at <= now:
        raise _error(
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
        organiser=data.get("organiser") or _officer_of(user),
        rrule=rule,
        first_starts_at=first_starts_at,
        duration=duration,
    )
    with transaction.atomic():
        series.full_clean()
        series.save()
        series_materialise(series=series, now=now)
        alerts.alert_series_created(series=series)
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
    _require_manager(user, series.neighbourhood_id)
    neighbourhood = data.get("neighbourhood")
    if neighbourhood is not None and neighbourhood.pk != series.neighbourhood_id:
        _require_manager(user, neighbourhood.pk)
    with transaction.atomic():
        locked = Series.objects.select_for_update().get(pk=series.pk)
        if locked.ended_at is not None and locked.ended_at <= now:
            raise ValidationError("This series has ended, so it cannot be changed.", "ended")
        current = {name: getattr(locked, name) for name in EDITABLE_DETAILS}
        details = _clean_details({**current, **data})
        changed = {name: value for name, value in details.items() if getattr(locked, name) != value}
        if not changed:
            return series
        for name, value in changed.items():
            setattr(locked, name, value)
        _save(locked, changed)
        for occurrence in _future_occurrences(locked, now).select_for_update(of=("self",)):
            _apply_to_event(
                occurrence, changed, which=f" for {date_time_text(occurrence.starts_at)}"
            )
        alerts.alert_series_changed(series=locked, fields=changed)
    _copy_back(series, locked, changed)
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
    _require_manager(user, series.neighbourhood_id)
    with transaction.atomic():
        locked = Series.objects.select_for_update().get(pk=series.pk)
        if locked.ended_at is not None and locked.ended_at <= now:
            raise ValidationError("This series has already ended.", code="ended")
        text = _required_reason(reason, what="the series")
        locked.ended_at = now
        _save(locked, ["ended_at"])
        for occurrence in _future_occurrences(locked, now).select_for_update(of=("self",)):
            _cancel_locked(occurrence, text)
        alerts.alert_series_changed(series=locked, fields=["ended_at"])
    _copy_back(series, locked, ["ended_at"])
    return series


# --- After the meeting --------------------------------------------------------------------------


def _public_content_changed() -> None:
    """Queryset updates and many-to-many changes send no signals: move the public pages on."""
    caching.bump_public_content_version()
    transaction.on_commit(caching.bump_public_content_version, robust=True)


def outcome_refusal(event: Event, *, now: datetime.datetime | None = None) -> str:
    """Why no outcome can be recorded for the event yet, or "" when it can."""
    now = now or timezone.now()
    if event.is_cancelled:
        return "This event was cancelled, so it has no outcome to record."
    if event.starts_at > now:
        return (
            f"You can record the outcome once the event has started, on "
            f"{date_time_text(event.starts_at)}."
        )
    return ""


def _issue_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def outcome_record(
    *,
    user: AbstractBaseUser,
    event: Event,
    attendance: int,
    summary: str,
    issues_raised: str,
    create_priorities: bool,
    priorities: Iterable[Priority],
    now: datetime.datetime | None = None,
) -> Outcome:
    """Record what came of a meeting ("you said, we did"); the event is then held.

    With `create_priorities`, each issue raised (one per line) becomes an open priority of the
    neighbourhood dated the day of the meeting, unless the neighbourhood already has a current
    priority with that wording or this outcome created it before: that one is linked instead,
    so recording again never duplicates. `priorities` are current priorities discussed at the
    meeting: they are linked and marked as updated. Recording again edits the same outcome;
    its history keeps what it said before."""
    now = now or timezone.now()
    _require_manager(user, event.neighbourhood_id)
    summary = _plain_text(summary)
    issues_text = _plain_text(issues_raised)
    issues = [" ".join(line.split()) for line in issues_text.splitlines() if line.strip()]
    errors: dict[str, list[ValidationError]] = {}
    if attendance is None or attendance < 0:
        errors["attendance"] = [
            ValidationError("Enter how many people came, as a whole number", code="invalid")
        ]
    if not summary:
        errors["summary"] = [ValidationError("Enter a summary of the meeting", code="required")]
    elif len(summary) > TEXT_MAX_LENGTH:
        errors["summary"] = [
            ValidationError(f"Write {TEXT_MAX_LENGTH:,} characters or fewer", "max_length")
        ]
    if len(issues_text) > TEXT_MAX_LENGTH:
        errors["issues_raised"] = [
            ValidationError(f"Write {TEXT_MAX_LENGTH:,} characters or fewer", "max_length")
        ]
    elif create_priorities and not issues:
        errors["issues_raised"] = [
            ValidationError(
                "Enter the issues raised, one per line, to add them as priorities", "required"
            )
        ]
    discussed = list(priorities)
    if any(
        p.neighbourhood_id != event.neighbourhood_id or p.status == Priority.Status.RESOLVED
        for p in discussed
    ):
        errors["priorities"] = [
            ValidationError(
                "Choose only current priorities of the event's neighbourhood", "invalid"
            )
        ]
    _raise_if_any(errors)
    with transaction.atomic():
        locked = _locked_event(event)
        refusal = outcome_refusal(locked, now=now)
        if refusal:
            raise ValidationError(refusal, code="not_held")
        outcome = Outcome.objects.filter(event=locked).first()
        fields = {
            "attendance": attendance,
            "summary": summary,
            "issues_raised": "\n".join(issues),
            "recorded_by": _officer_of(user),
        }
        if outcome is None:
            outcome = Outcome(event=locked, **fields)
            outcome.full_clean()
            outcome.save()
            linked_before: list[Priority] = []
        else:
            for name, value in fields.items():
                setattr(outcome, name, value)
            _save(outcome, fields)
            linked_before = list(outcome.priorities.all())
        linked = {p.pk: p for p in discussed}
        if create_priorities:
            known: dict[str, Priority] = {}
            current = Priority.objects.current().filter(neighbourhood_id=locked.neighbourhood_id)
            for priority in [*current, *linked_before]:
                known.setdefault(_issue_key(priority.issue), priority)
            meeting_date = locked.starts_at.astimezone(LONDON).date()
            for issue in issues:
                priority = known.get(_issue_key(issue))
                if priority is None:
                    priority = Priority(
                        neighbourhood_id=locked.neighbourhood_id,
                        issue=issue,
                        status=Priority.Status.OPEN,
                        issue_date=meeting_date,
                    )
                    priority.full_clean()
                    priority.save()
                    alerts.alert_priority_saved(priority=priority)
                    known[_issue_key(issue)] = priority
                linked[priority.pk] = priority
        outcome.priorities.set(linked.values())
        if discussed:
            Priority.objects.filter(pk__in=[p.pk for p in discussed]).update(updated_at=now)
        if locked.status != Event.Status.HELD:
            locked.status = Event.Status.HELD
            _save(locked, ["status"])
        _public_content_changed()
    event.status = locked.status
    return outcome


def registration_attendance_set(
    *,
    user: AbstractBaseUser,
    event: Event,
    attended_ids: Iterable[int],
    now: datetime.datetime | None = None,
) -> int:
    """Mark who came: the live registrations listed attended, the others not. Returns how many
    attended."""
    now = now or timezone.now()
    _require_manager(user, event.neighbourhood_id)
    if event.starts_at > now:
        raise ValidationError(
            "You can record who attended once the event has started.", code="not_started"
        )
    if event.is_cancelled:
        raise ValidationError("This event was cancelled.", code="cancelled")
    ids = {int(pk) for pk in attended_ids}
    with transaction.atomic():
        live = Registration.objects.select_for_update().filter(
            event_id=event.pk, cancelled_at__isnull=True
        )
        came = live.filter(pk__in=ids).update(attended=True)
        live.exclude(pk__in=ids).update(attended=False)
    return came
