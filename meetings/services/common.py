"""What the services of events, series and outcomes share: who may manage a neighbourhood's
listings, the rules of an event's details and times, saving only what changed, and telling
those registered when an event moves or is cancelled.

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
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from config.bilingual import force_name_context
from config.dates import LONDON, date_time_text, time_text
from config.text import plain_text
from meetings.models import (
    MAX_EVENT_LENGTH,
    Event,
    EventDetails,
    Outcome,
    Registration,
    Series,
)
from neighbourhoods.postcodes import normalise_postcode
from notifications.services import outbox_email_enqueue
from officers.models import Officer
from officers.permissions import can_use_listings, require_listing_manager

TEXT_MAX_LENGTH = 5000


# Fields whose change moves an event: everyone registered is told.
MOVE_FIELDS = ("starts_at", "ends_at", "venue_name", "address", "postcode", "online_url")


# What an officer may set on an event or series (the organiser comes from who creates it).
EDITABLE_DETAILS = tuple(name for name in EventDetails.DETAIL_FIELDS if name != "organiser")


CHANGE_LABELS = {
    "venue_name": gettext_lazy("Venue"),
    "address": gettext_lazy("Address"),
    "postcode": gettext_lazy("Postcode"),
    "online_url": gettext_lazy("Joining link"),
}


NOT_ALLOWED = gettext_lazy("You cannot manage events for this neighbourhood.")


# A joining link residents can follow: http(s) only, never javascript: or the like.
WEB_ADDRESS = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class Change:
    """One line of a "this event has changed" email."""

    label: str
    old: str
    new: str


def require_manager(user: AbstractBaseUser, neighbourhood_id: int | None) -> None:
    if neighbourhood_id is None:
        if not can_use_listings(user):
            raise PermissionDenied(NOT_ALLOWED)
        return
    require_listing_manager(user, neighbourhood_id, refusal=NOT_ALLOWED)


def officer_of(user: AbstractBaseUser) -> Officer | None:
    return Officer.objects.filter(user_id=user.pk).first()


def field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def raise_if_any(errors: dict[str, list[ValidationError]]) -> None:
    if errors:
        raise ValidationError(errors)


def _is_web_address(value: str) -> bool:
    try:
        WEB_ADDRESS(value)
    except ValidationError:
        return False
    return True


def clean_details(data: Mapping[str, Any]) -> dict[str, Any]:
    """The detail fields from `data`, tidied, with every rule checked: a ValidationError keyed
    by field names the officer can act on."""
    details: dict[str, Any] = {}
    for name in EDITABLE_DETAILS:
        if name in data:
            details[name] = data[name]
    for name in ("title", "venue_name", "address", "title_cy", "venue_name_cy", "address_cy"):
        if name in details:
            details[name] = " ".join((details[name] or "").split())
    for name in ("description", "accessibility_notes", "description_cy"):
        if name in details:
            details[name] = plain_text(details[name])
    for name in ("step_free_access", "hearing_loop", "parking"):
        if name in details:
            details[name] = bool(details[name])
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not details.get("neighbourhood"):
        refuse("neighbourhood", _("Choose the neighbourhood"), "required")
    if details.get("event_type") not in Event.Type.values:
        refuse("event_type", _("Choose the type of event"), "required")
    if not details.get("title"):
        refuse("title", _("Enter a title"), "required")
    postcode = (details.get("postcode") or "").strip()
    if postcode:
        normal = normalise_postcode(postcode)
        if normal is None:
            refuse("postcode", _("Enter a real postcode, like DE1 1AA"), "invalid")
        else:
            details["postcode"] = normal
    else:
        details["postcode"] = ""
    online_url = (details.get("online_url") or "").strip()
    details["online_url"] = online_url
    if online_url and not _is_web_address(online_url):
        refuse(
            "online_url",
            _("Enter a joining link that starts with https://, like https://meet.example.com/123"),
            "invalid",
        )
    if details.get("event_type") == Event.Type.ONLINE_MEETING and not online_url:
        refuse("online_url", _("Enter the joining link for the online meeting"), "required")
    if (
        details.get("event_type") != Event.Type.ONLINE_MEETING
        and not online_url
        and not details.get("venue_name")
        and not details.get("address")
    ):
        refuse(
            "venue_name",
            _("Enter the venue or address, or a joining link if the event is held online"),
            "required",
        )
    capacity = details.get("capacity")
    if capacity is not None and capacity < 1:
        refuse(
            "capacity", _("Enter a capacity of 1 or more, or leave it empty for no limit"), "min"
        )
    for name in ("description", "accessibility_notes", "description_cy"):
        if len(details.get(name) or "") > TEXT_MAX_LENGTH:
            refuse(
                name,
                _("Write %(count)s characters or fewer") % {"count": f"{TEXT_MAX_LENGTH:,}"},
                "max_length",
            )
    raise_if_any(errors)
    return details


def check_times(
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    *,
    now: datetime.datetime,
    new_start: bool,
) -> None:
    errors: dict[str, list[ValidationError]] = {}
    # Compared as instants: two London times compare by their wall clocks, which is wrong across
    # a clock change (1:30 to 2:30am on the March Sunday lasts no time at all).
    if starts_at is not None:
        starts_at = starts_at.astimezone(datetime.UTC)
    if ends_at is not None:
        ends_at = ends_at.astimezone(datetime.UTC)
    if starts_at is None:
        errors["starts_at"] = [ValidationError(_("Enter the date and start time"), code="required")]
    elif new_start and starts_at <= now:
        errors["starts_at"] = [
            ValidationError(
                _("The event must start in the future: check the date and start time"),
                code="past",
            )
        ]
    if ends_at is None:
        errors["ends_at"] = [ValidationError(_("Enter the end time"), code="required")]
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = [
            ValidationError(_("The end time must be after the start time"), code="before_start")
        ]
    elif starts_at is not None and ends_at - starts_at > MAX_EVENT_LENGTH:
        errors["ends_at"] = [
            ValidationError(_("An event can last 24 hours at most"), code="too_long")
        ]
    raise_if_any(errors)


def _live_registrations(event: Event) -> QuerySet[Registration]:
    return event.registrations.filter(cancelled_at__isnull=True).order_by("created_at", "pk")


def check_capacity(event: Event, capacity: int | None, *, which: str = "") -> None:
    if capacity is None:
        return
    registered = _live_registrations(event).count()
    if capacity < registered:
        message = ngettext(
            "%(count)s person is registered%(which)s: enter a capacity of %(count)s or more, "
            "or leave it empty for no limit",
            "%(count)s people are registered%(which)s: enter a capacity of %(count)s or more, "
            "or leave it empty for no limit",
            registered,
        ) % {"count": registered, "which": which}
        raise field_error("capacity", message, "below_registrations")


def _email_context(event: Event, **extra: Any) -> dict[str, Any]:
    return {
        "event": event,
        "when": date_time_text(event.starts_at),
        "ends": date_time_text(event.ends_at),
        "event_url": settings.SITE_URL + event.get_absolute_url(),
        **force_name_context(),
        "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
        **extra,
    }


def tell_registrations(event: Event, template: str, **extra: Any) -> int:
    """One email to each live registration, written to the outbox in this transaction, in
    the language the resident registered in: its dates and links too. A callable in `extra`
    gives its value in that language (called once per language)."""
    sent = 0
    in_language: dict[str, dict[str, Any]] = {}
    for registration in _live_registrations(event):
        with translation.override(registration.language):
            if registration.language not in in_language:
                in_language[registration.language] = {
                    name: value() if callable(value) else value for name, value in extra.items()
                }
            outbox_email_enqueue(
                to=[registration.email],
                template=f"meetings/email/{template}",
                context=_email_context(
                    event, registration=registration, **in_language[registration.language]
                ),
                forget_after=event.registrations_forget_after,
                language=registration.language,
            )
        sent += 1
    return sent


def changes_between(old: Event, new: Event) -> list[Change]:
    """What moved, in words a resident reads (in the active language)."""
    changes: list[Change] = []
    if old.starts_at != new.starts_at or old.ends_at != new.ends_at:
        changes.append(
            Change(
                _("When"),
                _("%(start)s to %(end)s")
                % {"start": date_time_text(old.starts_at), "end": _end_text(old)},
                _("%(start)s to %(end)s")
                % {"start": date_time_text(new.starts_at), "end": _end_text(new)},
            )
        )
    for name, label in CHANGE_LABELS.items():
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            changes.append(Change(str(label), before or _("None"), after or _("None")))
    return changes


def _end_text(event: Event) -> str:
    same_day = event.starts_at.astimezone(LONDON).date() == event.ends_at.astimezone(LONDON).date()
    return time_text(event.ends_at) if same_day else date_time_text(event.ends_at)


def snapshot(event: Event) -> Event:
    """The event's time and place as they were, to compare with after a change."""
    return Event(**{name: getattr(event, name) for name in MOVE_FIELDS})


def locked_event(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "organiser")
        .get(pk=event.pk)
    )


def save_fields(instance: Event | Series | Outcome, fields: Iterable[str]) -> None:
    instance.full_clean(validate_unique=False, validate_constraints=False)
    instance.save(update_fields=sorted({*fields, "updated_at"}))


def copy_back(target: Event | Series, source: Event | Series, fields: Iterable[str]) -> None:
    for name in {*fields, "updated_at"}:
        setattr(target, name, getattr(source, name))


def apply_to_event(locked: Event, changes: Mapping[str, Any], *, which: str = "") -> list[str]:
    """Apply `changes` to a locked event under event_update's rules; return the fields saved
    (none when nothing differs)."""
    changed = [name for name, value in changes.items() if getattr(locked, name) != value]
    if not changed:
        return []
    if "capacity" in changed:
        check_capacity(locked, changes["capacity"], which=which)
    before = snapshot(locked)
    for name in changed:
        setattr(locked, name, changes[name])
    locked.sequence += 1
    fields = [*changed, "sequence"]
    save_fields(locked, fields)
    if changes_between(before, locked):
        tell_registrations(
            locked,
            "event_changed",
            changes=lambda: changes_between(before, locked),
            old_when=lambda: date_time_text(before.starts_at),
            time_moved=before.starts_at != locked.starts_at or before.ends_at != locked.ends_at,
        )
    return fields


def cancel_locked(locked: Event, reason: str) -> None:
    locked.status = Event.Status.CANCELLED
    locked.cancelled_reason = reason
    locked.sequence += 1
    save_fields(locked, ["status", "cancelled_reason", "sequence"])
    tell_registrations(locked, "event_cancelled", reason=reason)


def required_reason(reason: str, *, missing: str) -> str:
    """The reason, tidied; `missing` is the message when there is none."""
    text = plain_text(reason)
    if not text:
        raise field_error("reason", missing, "required")
    if len(text) > TEXT_MAX_LENGTH:
        raise field_error(
            "reason",
            _("Write %(count)s characters or fewer") % {"count": f"{TEXT_MAX_LENGTH:,}"},
            "max_length",
        )
    return text
