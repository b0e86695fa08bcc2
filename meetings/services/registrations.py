"""A resident's place at an event: taking one, and giving it back through the cancel link.

A registration locks its event's row before counting the places taken, so registrations that
arrive together queue on the lock and an event is never booked beyond its capacity. The
confirmation email is written to the outbox in the same transaction as the registration."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.bilingual import force_name_context, in_language
from config.dates import date_time_text, time_text
from config.http import absolute_url
from config.languages import language_or_default
from config.limits import RateLimit, token_hash
from config.text import null_characters_refused, plain_text
from meetings.models import Event, Registration
from meetings.selectors import live_registrations
from notifications.services import outbox_email_enqueue

NAME_MAX_LENGTH = 200
NEEDS_MAX_LENGTH = 1000

FULL = "full"
CANCELLED = "cancelled"
STARTED = "started"
ALREADY_REGISTERED = "already_registered"
ALREADY_CANCELLED = "already_cancelled"
ENDED = "ended"


def event_when_text(event: Event) -> str:
    """'Tuesday 6 October 2026 at 7pm to 8:30pm', in London time."""
    starts, ends = event.starts_at, event.ends_at
    end = time_text(ends) if timezone.localdate(starts) == timezone.localdate(ends) else None
    return _("%(start)s to %(end)s") % {
        "start": date_time_text(starts),
        "end": end or date_time_text(ends),
    }


def registration_refusal(event: Event, *, now: datetime.datetime) -> ValidationError | None:
    """Why the event takes no registrations now, apart from capacity (which needs the count),
    or None."""
    if event.is_cancelled:
        return ValidationError(
            _("This event has been cancelled, so you cannot register for it"), code=CANCELLED
        )
    if event.starts_at <= now or event.status != Event.Status.SCHEDULED:
        return ValidationError(
            _("This event has already started, so you cannot register for it"), code=STARTED
        )
    return None


def _check_details(name: str, email: str, accessibility_needs: str) -> None:
    null_characters_refused(name=name, email=email, accessibility_needs=accessibility_needs)
    errors = {}
    if not name:
        errors["name"] = _("Enter your name")
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = _("Your name must be {limit} characters or fewer").format(
            limit=NAME_MAX_LENGTH
        )
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter an email address in the correct format, like name@example.com")
    if len(accessibility_needs) > NEEDS_MAX_LENGTH:
        errors["accessibility_needs"] = _(
            "Your access needs must be {limit} characters or fewer"
        ).format(limit=f"{NEEDS_MAX_LENGTH:,}")
    if errors:
        raise ValidationError(errors)


def _email_context(event: Event) -> dict:
    return {
        "title": in_language(event, "title"),
        "neighbourhood_name": in_language(event.neighbourhood, "name"),
        "when": event_when_text(event),
        "where": event.venue_in_language(),
        "online_url": event.online_url,
        "event_url": absolute_url(event.get_absolute_url()),
        "ics_url": absolute_url(reverse("meetings:event_ics", kwargs={"pk": event.pk})),
        "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
        **force_name_context(),
    }


def _already_registered_tell(registration: Registration, *, event: Event, language: str) -> str:
    """Email the holder of a place that someone (they, most likely) asked for it again, with a
    new cancel link. Returns the new raw token."""
    token = secrets.token_urlsafe(32)
    registration.cancel_token_hash = token_hash(token)
    registration.save(update_fields=["cancel_token_hash"])
    # In the language of the page that asked for it again.
    with translation.override(language):
        outbox_email_enqueue(
            to=[registration.email],
            template="meetings/email/already_registered",
            context={
                **_email_context(event),
                "name": registration.name,
                "cancel_url": absolute_url(
                    reverse("meetings:registration_cancel", kwargs={"token": token})
                ),
            },
            forget_after=event.registrations_forget_after,
            redact_after_send=True,
            language=language,
        )
    return token


def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    accessibility_needs: str,
    language: str = "",
    now: datetime.datetime | None = None,
) -> tuple[Registration, str]:
    """Take a place at the event and queue the confirmation email with the cancel link.
    Returns the registration and the raw cancel token, which is never stored: only its hash
    is. Refuses (ValidationError, with a code) a cancelled or started event and a full event.

    An address already registered is answered as a new one, so the page tells nobody who is
    coming: the place is kept, and the email to that address says so, with a fresh cancel
    link (the old one stops working). `language`: the one the resident used (the active one
    by default): the emails about their place are written in it."""
    now = now or timezone.now()
    language = language_or_default(language)
    name = name.strip()
    email = email.strip().lower()
    accessibility_needs = plain_text(accessibility_needs)
    _check_details(name, email, accessibility_needs)
    with transaction.atomic():
        # The lock every registration for this event queues on: counting the places taken
        # and adding one happen with no other registration in between.
        event = Event.objects.select_for_update().select_related("neighbourhood").get(pk=event.pk)
        refusal = registration_refusal(event, now=now)
        if refusal is not None:
            raise refusal
        live = live_registrations(event)
        existing = live.select_for_update().filter(email=email).first()
        if existing is not None:
            return existing, _already_registered_tell(existing, event=event, language=language)
        if event.capacity is not None and live.count() >= event.capacity:
            raise ValidationError(_("This event is full"), code=FULL)
        token = secrets.token_urlsafe(32)
        registration = Registration(
            event=event,
            name=name,
            email=email,
            accessibility_needs=accessibility_needs,
            cancel_token_hash=token_hash(token),
            language=language,
        )
        registration.full_clean(validate_unique=False, validate_constraints=False)
        registration.save(force_insert=True)
        with translation.override(language):
            cancel_url = absolute_url(
                reverse("meetings:registration_cancel", kwargs={"token": token})
            )
            outbox_email_enqueue(
                to=[email],
                template="meetings/email/registered",
                context={
                    **_email_context(event),
                    "name": name,
                    "accessibility_needs": accessibility_needs,
                    "cancel_url": cancel_url,
                },
                forget_after=event.registrations_forget_after,
                # The cancel link is the token itself: once sent, the row forgets it.
                redact_after_send=True,
                language=language,
            )
    return registration, token


def registration_cancel(*, token: str, now: datetime.datetime | None = None) -> Registration:
    """Give the place back: the registration is kept, marked cancelled, and the resident told.
    Raises Registration.DoesNotExist for a token that is no one's, and ValidationError for a
    place already given back or an event that has ended."""
    now = now or timezone.now()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .select_related("event__neighbourhood")
            .get(cancel_token_hash=token_hash(token))
        )
        if registration.cancelled_at is not None:
            raise ValidationError(
                _("You have already cancelled your place at this event"), code=ALREADY_CANCELLED
            )
        if registration.event.ends_at <= now:
            raise ValidationError(_("This event has already taken place"), code=ENDED)
        registration.cancelled_at = now
        registration.save(update_fields=["cancelled_at"])
        if registration.email:
            with translation.override(registration.language):
                outbox_email_enqueue(
                    to=[registration.email],
                    template="meetings/email/registration_cancelled",
                    context={**_email_context(registration.event), "name": registration.name},
                    forget_after=registration.event.registrations_forget_after,
                    language=registration.language,
                )
    return registration


# Registrations, per IP address and per email address.
registration_rate_limit_hit = RateLimit(
    "meetings", "REGISTRATION_RATE_LIMIT_PER_IP", "REGISTRATION_RATE_LIMIT_PER_EMAIL"
)
