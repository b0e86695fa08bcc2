"""Alerts, what there is to tell: each change to a neighbourhood's events, priorities and
surveys that its subscribers hear about, recorded once as an AlertChange with a unique key (the
event and its SEQUENCE, the priority's history record, the survey's opening). alerts.receivers
records them as the lower apps signal their changes; alerts.sending sends them."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from alerts.models import AlertChange
from config.dates import LONDON, date_time_text
from engagement.models import Priority, Survey
from meetings.models import Event, Series
from meetings.services.common import MOVE_FIELDS
from neighbourhoods.models import Neighbourhood

TITLE_MAX_LENGTH = 300
SUMMARY_MAX_LENGTH = 1000


def _one_line(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def alert_change_record(
    *,
    neighbourhood: Neighbourhood,
    kind: str,
    key: str,
    title: str,
    summary: str,
    path: str,
) -> AlertChange | None:
    """Record something the neighbourhood's subscribers hear about, once per `key`. Returns
    None when the key was recorded before (nothing new to tell). The caller sends it once its
    transaction commits (alerts.tasks.send_after_commit)."""
    change, created = AlertChange.objects.get_or_create(
        key=key,
        defaults={
            "neighbourhood": neighbourhood,
            "kind": kind,
            "title": _one_line(title, TITLE_MAX_LENGTH),
            "summary": (summary or "").strip()[:SUMMARY_MAX_LENGTH],
            "path": path,
        },
    )
    if not created:
        return None
    return change


def _event_where(event: Event | Series) -> str:
    place = ", ".join(part for part in (event.venue_name, event.address, event.postcode) if part)
    if event.online_url:
        return f"{place} and online" if place else "Online"
    return place


def alert_event_created(*, event: Event) -> AlertChange | None:
    """A new one-off event."""
    where = _event_where(event)
    return alert_change_record(
        neighbourhood=event.neighbourhood,
        kind=AlertChange.Kind.EVENT,
        key=f"event:{event.pk}:{event.sequence}",
        title=f"New event in {event.neighbourhood.name}: {event.title}",
        summary=f"When: {date_time_text(event.starts_at)}" + (f"\nWhere: {where}" if where else ""),
        path=event.get_absolute_url(),
    )


def alert_event_changed(*, event: Event, fields: Iterable[str]) -> AlertChange | None:
    """An event moved (its time or place changed: `fields` are those saved) or cancelled. Other
    edits (a title, a description) are not worth an email."""

    if event.is_cancelled:
        what = "Event cancelled"
        summary = f"It was to be held {date_time_text(event.starts_at)}."
        if event.cancelled_reason:
            summary += f"\nReason: {event.cancelled_reason}"
    elif set(fields) & set(MOVE_FIELDS):
        what = "Event changed"
        where = _event_where(event)
        summary = f"Now: {date_time_text(event.starts_at)}" + (f"\nWhere: {where}" if where else "")
    else:
        return None
    return alert_change_record(
        neighbourhood=event.neighbourhood,
        kind=AlertChange.Kind.EVENT,
        key=f"event:{event.pk}:{event.sequence}",
        title=f"{what} in {event.neighbourhood.name}: {event.title}",
        summary=summary,
        path=event.get_absolute_url(),
    )


def _series_first_event(series: Series) -> Event | None:
    return (
        Event.objects.filter(series=series, status=Event.Status.SCHEDULED)
        .order_by("starts_at")
        .first()
    )


def alert_series_created(*, series: Series) -> AlertChange | None:
    """A new repeating meeting is announced once, with its first meeting; the occurrences the
    series creates (now, and each night ahead) are not announced one by one."""
    first = _series_first_event(series)
    where = _event_where(series)
    summary = f"First meeting: {date_time_text(series.first_starts_at)}, then repeating."
    if where:
        summary += f"\nWhere: {where}"
    return alert_change_record(
        neighbourhood=series.neighbourhood,
        kind=AlertChange.Kind.EVENT,
        key=f"series:{series.pk}:new",
        title=f"New repeating meeting in {series.neighbourhood.name}: {series.title}",
        summary=summary,
        path=first.get_absolute_url() if first else series.neighbourhood.get_absolute_url(),
    )


def alert_series_changed(*, series: Series, fields: Iterable[str]) -> AlertChange | None:
    """A series ended (its future meetings cancelled), or moved to another place: one change
    for the series, not one per meeting."""

    neighbourhood = series.neighbourhood
    if "ended_at" in fields:
        key = f"series:{series.pk}:ended"
        title = f"Repeating meeting ended in {neighbourhood.name}: {series.title}"
        summary = "Its future meetings are cancelled."
        path = neighbourhood.get_absolute_url()
    elif set(fields) & set(MOVE_FIELDS):
        key = f"series:{series.pk}:{series.updated_at.timestamp():.6f}"
        title = f"Repeating meeting changed in {neighbourhood.name}: {series.title}"
        where = _event_where(series)
        summary = f"Its future meetings are now at: {where}" if where else ""
        first = _series_first_event(series)
        path = first.get_absolute_url() if first else neighbourhood.get_absolute_url()
    else:
        return None
    return alert_change_record(
        neighbourhood=neighbourhood,
        kind=AlertChange.Kind.EVENT,
        key=key,
        title=title,
        summary=summary,
        path=path,
    )


def alert_priority_saved(*, priority: Priority) -> AlertChange | None:
    """A new priority, or one whose status or action changed, from its history: the newest
    record against the one before it. Call after the save, in its transaction."""
    records = list(
        priority.history.order_by("-history_id").values("history_id", "status", "action")[:2]
    )
    if not records:
        return None
    latest = records[0]
    neighbourhood = priority.neighbourhood
    status = Priority.Status(priority.status).label
    if len(records) == 1:
        what = "New local priority"
    elif (latest["status"], latest["action"]) != (records[1]["status"], records[1]["action"]):
        what = (
            "Priority resolved"
            if priority.status == Priority.Status.RESOLVED
            else ("Priority updated")
        )
    else:
        return None
    summary = f"Status: {status}"
    if priority.action:
        summary += f"\nWhat we are doing: {priority.action}"
    return alert_change_record(
        neighbourhood=neighbourhood,
        kind=AlertChange.Kind.PRIORITY,
        key=f"priority:{priority.pk}:{latest['history_id']}",
        title=f"{what} in {neighbourhood.name}: {priority.issue}",
        summary=summary,
        path=neighbourhood.get_absolute_url(),
    )


def survey_path(survey: Survey) -> str:
    """The survey's public page, where residents answer it."""
    return reverse("surveys:survey", kwargs={"pk": survey.pk})


def survey_openings_record(*, now: datetime.datetime | None = None) -> list[AlertChange]:
    """Record each survey open today (London) that has not been announced yet. Returns the
    changes recorded."""
    now = now or timezone.now()
    today = now.astimezone(LONDON).date()
    surveys = {
        f"survey:{survey.pk}:opened": survey
        for survey in Survey.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("neighbourhood")
        .order_by("pk")
    }
    if not surveys:
        return []
    known = set(AlertChange.objects.filter(key__in=surveys).values_list("key", flat=True))
    recorded = []
    with transaction.atomic():
        for key, survey in surveys.items():
            if key in known:
                continue
            closes = f"{survey.closes_on.day} {survey.closes_on:%B %Y}"
            change = alert_change_record(
                neighbourhood=survey.neighbourhood,
                kind=AlertChange.Kind.SURVEY,
                key=key,
                title=f"Have your say in {survey.neighbourhood.name}: {survey.question}",
                summary=f"Open until {closes}."
                + (f"\n{survey.description}" if survey.description else ""),
                path=survey_path(survey),
            )
            if change is not None:
                recorded.append(change)
    return recorded
