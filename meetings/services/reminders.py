"""The periodic work on events: reminders the day before, stale listings to the officers who
keep them, and removing residents' details from old registrations.

Each is safe to run twice, or on two workers at once: a reminder claims its registration with
`SELECT ... FOR UPDATE SKIP LOCKED` and marks it sent in the same transaction as its outbox
email; anonymising picks only registrations not yet anonymised."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.bilingual import force_name_context, in_language
from config.dates import LONDON
from config.http import absolute_url
from meetings.models import Event, Registration
from meetings.staleness import stale_listings
from neighbourhoods.models import Neighbourhood
from notifications.services import outbox_email_enqueue
from officers.selectors import current_officer_addresses_by_language

logger = logging.getLogger(__name__)

REMINDER_BATCH = 200
ANONYMISED_DOMAIN = "invalid"


# --- Reminders the day before ------------------------------------------------------------------


def reminder_window(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """Tomorrow in London, as [start, end): the calendar day after `now`'s London date, so
    an event at 00:30 on the 2nd is tomorrow all through the 1st, in BST as in GMT."""
    tomorrow = now.astimezone(LONDON).date() + datetime.timedelta(days=1)
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=LONDON)
    end = datetime.datetime.combine(
        tomorrow + datetime.timedelta(days=1), datetime.time.min, tzinfo=LONDON
    )
    return start, end


def registrations_due_reminder(*, now: datetime.datetime) -> QuerySet[Registration]:
    """Live registrations, not yet reminded, for scheduled events starting tomorrow."""
    start, end = reminder_window(now)
    return Registration.objects.filter(
        event__status=Event.Status.SCHEDULED,
        event__starts_at__gte=start,
        event__starts_at__lt=end,
        cancelled_at__isnull=True,
        reminder_sent_at__isnull=True,
    )


def _accessibility(event: Event) -> list[str]:
    lines = []
    if event.step_free_access:
        lines.append(_("Step-free access"))
    if event.hearing_loop:
        lines.append(_("Hearing loop"))
    if event.parking:
        lines.append(_("Parking"))
    return lines


def _reminder_context(registration: Registration) -> dict:
    event = registration.event
    return {
        "name": registration.name,
        "event": event,
        "title": in_language(event, "title"),
        "neighbourhood": in_language(event.neighbourhood, "name"),
        "venue": event.venue_in_language(),
        "accessibility": _accessibility(event),
        "accessibility_notes": event.accessibility_notes.strip(),
        "organiser": event.organiser.display_name if event.organiser_id else "",
        "event_url": absolute_url(event.get_absolute_url()),
        **force_name_context(),
        "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
        "report_online_url": settings.REPORT_ONLINE_URL,
    }


def _remind_batch(*, now: datetime.datetime, batch_size: int) -> int:
    """One transaction: claim up to `batch_size` registrations due a reminder, write an email
    for each to the outbox and mark them reminded. Registrations locked by another run are
    skipped: that run is reminding them. Only the registrations are locked: locking their event
    too would make a second run skip a whole event's rows and stop early. Returns how many were
    reminded."""
    with transaction.atomic():
        registrations = list(
            registrations_due_reminder(now=now)
            .select_related("event__neighbourhood", "event__organiser")
            .order_by("pk")
            .select_for_update(skip_locked=True, of=("self",))[:batch_size]
        )
        for registration in registrations:
            # In the language the resident registered in: its dates and links too.
            with translation.override(registration.language):
                outbox_email_enqueue(
                    to=[registration.email],
                    template="meetings/email/reminder",
                    context=_reminder_context(registration),
                    forget_after=registration.event.registrations_forget_after,
                    language=registration.language,
                )
        Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
            reminder_sent_at=now
        )
    return len(registrations)


def event_reminders_send(
    *, now: datetime.datetime | None = None, batch_size: int = REMINDER_BATCH
) -> int:
    """Email everyone registered for a scheduled event that starts tomorrow (London time) a
    reminder, once. Runs hourly, so a registration made late the day before is reminded too.
    Returns the number of reminders written to the outbox."""
    now = now or timezone.now()
    sent = 0
    while True:
        reminded = _remind_batch(now=now, batch_size=batch_size)
        sent += reminded
        if reminded < batch_size:
            return sent


# --- Stale listings ----------------------------------------------------------------------------


def stale_listings_notify(*, now: datetime.datetime | None = None) -> int:
    """Email the current officers of every neighbourhood whose listings are stale: no beat
    meeting in the next STALE_NO_MEETING_WEEKS weeks, or meetings held OUTCOME_OVERDUE_DAYS
    ago with no outcome. One email per neighbourhood; returns how many were written."""
    now = now or timezone.now()
    listings = stale_listings(neighbourhoods=Neighbourhood.objects.all(), now=now)
    recipients = current_officer_addresses_by_language(
        (listing.neighbourhood.pk for listing in listings), timezone.localdate(now)
    )
    staff_list_url = absolute_url(reverse("meetings_staff:list"))
    written = 0
    with transaction.atomic():
        for listing in listings:
            neighbourhood = listing.neighbourhood
            to = recipients.get(neighbourhood.pk, [])
            if not to:
                logger.warning(
                    "Listings of %s are stale, but no current officer has an email address",
                    neighbourhood.name,
                )
                continue
            # One email for each language its officers read, in it.
            for language, addresses in to:
                outbox_email_enqueue(
                    to=addresses,
                    template="meetings/email/stale_listings",
                    context={
                        "neighbourhood": in_language(neighbourhood, "name", language),
                        "no_upcoming_meeting": listing.no_upcoming_meeting,
                        "weeks": settings.STALE_NO_MEETING_WEEKS,
                        "overdue_days": settings.OUTCOME_OVERDUE_DAYS,
                        "outcomes_missing": [
                            {
                                "title": in_language(event, "title", language),
                                "starts_at": event.starts_at,
                                "url": absolute_url(
                                    reverse("meetings_staff:outcome", kwargs={"pk": event.pk})
                                ),
                            }
                            for event in listing.outcomes_missing
                        ],
                        "list_url": staff_list_url,
                    },
                    language=language,
                )
            written += 1
    return written


# --- Retention ---------------------------------------------------------------------------------


def registrations_anonymise(*, now: datetime.datetime | None = None) -> int:
    """Remove the name, email and access needs of every registration for an event that ended
    more than REGISTRATION_RETENTION_DAYS ago, in one UPDATE; whether they attended is kept
    for the figures. Returns how many were anonymised; a second run finds none left."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.REGISTRATION_RETENTION_DAYS)
    anonymised = Q(
        name="", email__startswith="anonymised-", email__endswith=f"@{ANONYMISED_DOMAIN}"
    )
    return (
        Registration.objects.filter(event__ends_at__lt=cutoff)
        .exclude(anonymised)
        .update(
            name="",
            email=Concat(
                Value("anonymised-"),
                Cast("pk", output_field=CharField()),
                Value(f"@{ANONYMISED_DOMAIN}"),
                output_field=CharField(),
            ),
            accessibility_needs="",
        )
    )
