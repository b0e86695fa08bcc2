"""Periodic tasks of the meetings app, named by the beat schedule in config/settings/base.py.

Each calls one service and is safe to run twice, or on two workers at once: series occurrences
are unique per (series, start), a reminder is claimed with SKIP LOCKED and marked sent with its
outbox email, and anonymising picks only registrations not yet anonymised."""

import logging

from celery import shared_task

from meetings.services.reminders import (
    event_reminders_send,
    registrations_anonymise,
    stale_listings_notify,
)
from meetings.services.series import series_materialise_all

logger = logging.getLogger(__name__)


@shared_task
def materialise_series() -> int:
    """Create every live series' occurrences up to the horizon (nightly)."""
    created = series_materialise_all()
    if created:
        logger.info("Created %d series occurrence(s)", created)
    return created


@shared_task
def send_event_reminders() -> int:
    """Remind everyone registered for tomorrow's events (hourly)."""
    sent = event_reminders_send()
    if sent:
        logger.info("Wrote %d event reminder(s) to the outbox", sent)
    return sent


@shared_task
def notify_stale_listings() -> int:
    """Email the officers of neighbourhoods whose event listings are stale (weekly)."""
    written = stale_listings_notify()
    if written:
        logger.info("Emailed the officers of %d neighbourhood(s) with stale listings", written)
    return written


@shared_task
def anonymise_registrations() -> int:
    """Remove residents' details from registrations past the retention (daily)."""
    anonymised = registrations_anonymise()
    if anonymised:
        logger.info("Anonymised %d registration(s) past retention", anonymised)
    return anonymised
