"""Alerts, what there is to tell: each change to a neighbourhood's events, priorities and
surveys that its subscribers hear about, recorded once as an AlertChange with a unique key (the
event and its SEQUENCE, the priority's history record, the survey's opening). alerts.receivers
records them as the lower apps signal their changes; alerts.sending sends them."""

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from alerts.models import AlertChange
from config.bilingual import WELSH, in_language, welsh_on
from config.dates import LONDON, date_text, date_time_text
from engagement.models import Priority, Survey
from meetings.models import Event, Series
from meetings.services.common import MOVE_FIELDS
from neighbourhoods.models import Neighbourhood

TITLE_MAX_LENGTH = 300
SUMMARY_MAX_LENGTH = 1000

Texts = Callable[[], tuple[str, str]]


def _one_line(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def alert_change_record(
    *,
    neighbourhood: Neighbourhood,
    kind: str,
    key: str,
    texts: Texts,
    path: str,
) -> AlertChange | None:
    """Record something the neighbourhood's subscribers hear about, once per `key`, its title
    and summary (`texts`, which words them in the active language) in English and, where the
    force has Welsh on, in Welsh. Returns None when the key was recorded before (nothing new
    to tell). The caller sends it once its transaction commits (alerts.tasks.send_after_commit)."""
    fields = {}
    languages = [(settings.LANGUAGE_CODE, "")] + ([(WELSH, "_cy")] if welsh_on() else [])
    for language, suffix in languages:
        with translation.override(language):
            title, summary = texts()
        fields[f"title{suffix}"] = _one_line(title, TITLE_MAX_LENGTH)
        fields[f"summary{suffix}"] = (summary or "").strip()[:SUMMARY_MAX_LENGTH]
    change, created = AlertChange.objects.get_or_create(
        key=key,
        defaults={"neighbourhood": neighbourhood, "kind": kind, "path": path, **fields},
    )
    if not created:
        return None
    return change


def _event_where(event: Event | Series) -> str:
    """Where, in the active language."""
    place = ", ".join(
        part
        for part in (
            in_language(event, "venue_name"),
            in_language(event, "address"),
            event.postcode,
        )
        if part
    )
    if event.online_url:
        return gettext("%(place)s and online") % {"place": place} if place else gettext("Online")
    return place


def _named(text: str, where: Neighbourhood, what: Event | Series | Priority | Survey, field: str):
    return text % {"name": in_language(where, "name"), "title": in_language(what, field)}


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def alert_event_created(*, event: Event) -> AlertChange | None:
    """A new one-off event."""

    def texts() -> tuple[str, str]:
        where = _event_where(event)
        return (
            _named(
                gettext("New event in %(name)s: %(title)s"), event.neighbourhood, event, "title"
            ),
            _lines(
                gettext("When: %(when)s") % {"when": date_time_text(event.starts_at)},
                gettext("Where: %(where)s") % {"where": where} if where else "",
            ),
        )

    return alert_change_record(
        neighbourhood=event.neighbourhood,
        kind=AlertChange.Kind.EVENT,
        key=f"event:{event.pk}:{event.sequence}",
        texts=texts,
        path=event.get_absolute_url(),
    )


def alert_event_changed(*, event: Event, fields: Iterable[str]) -> AlertChange | None:
    """An event moved (its time or place changed: `fields` are those saved) or cancelled. Other
    edits (a title, a description) are not worth an email."""

    if event.is_cancelled:

        def texts() -> tuple[str, str]:
            title = gettext("Event cancelled in %(name)s: %(title)s")
            return (
                _named(title, event.neighbourhood, event, "title"),
                _lines(
                    gettext("It was to be held %(when)s.")
                    % {"when": date_time_text(event.starts_at)},
                    gettext("Reason: %(reason)s") % {"reason": event.cancelled_reason}
                    if event.cancelled_reason
                    else "",
                ),
            )

    elif set(fields) & set(MOVE_FIELDS):

        def texts() -> tuple[str, str]:
            where = _event_where(event)
            title = gettext("Event changed in %(name)s: %(title)s")
            return (
                _named(title, event.neighbourhood, event, "title"),
                _lines(
                    gettext("Now: %(when)s") % {"when": date_time_text(event.starts_at)},
                    gettext("Where: %(where)s") % {"where": where} if where else "",
                ),
            )

    else:
        return None
    return alert_change_record(
        neighbourhood=event.neighbourhood,
        kind=AlertChange.Kind.EVENT,
        key=f"event:{event.pk}:{event.sequence}",
        texts=texts,
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

    def texts() -> tuple[str, str]:
        where = _event_where(series)
        title = gettext("New repeating meeting in %(name)s: %(title)s")
        return (
            _named(title, series.neighbourhood, series, "title"),
            _lines(
                gettext("First meeting: %(when)s, then repeating.")
                % {"when": date_time_text(series.first_starts_at)},
                gettext("Where: %(where)s") % {"where": where} if where else "",
            ),
        )

    return alert_change_record(
        neighbourhood=series.neighbourhood,
        kind=AlertChange.Kind.EVENT,
        key=f"series:{series.pk}:new",
        texts=texts,
        path=first.get_absolute_url() if first else series.neighbourhood.get_absolute_url(),
    )


def alert_series_changed(*, series: Series, fields: Iterable[str]) -> AlertChange | None:
    """A series ended (its future meetings cancelled), or moved to another place: one change
    for the series, not one per meeting."""

    neighbourhood = series.neighbourhood
    if "ended_at" in fields:
        key = f"series:{series.pk}:ended"
        path = neighbourhood.get_absolute_url()

        def texts() -> tuple[str, str]:
            title = gettext("Repeating meeting ended in %(name)s: %(title)s")
            return (
                _named(title, neighbourhood, series, "title"),
                gettext("Its future meetings are cancelled."),
            )

    elif set(fields) & set(MOVE_FIELDS):
        key = f"series:{series.pk}:{series.updated_at.timestamp():.6f}"
        first = _series_first_event(series)
        path = first.get_absolute_url() if first else neighbourhood.get_absolute_url()

        def texts() -> tuple[str, str]:
            where = _event_where(series)
            title = gettext("Repeating meeting changed in %(name)s: %(title)s")
            return (
                _named(title, neighbourhood, series, "title"),
                gettext("Its future meetings are now at: %(where)s") % {"where": where}
                if where
                else "",
            )

    else:
        return None
    return alert_change_record(
        neighbourhood=neighbourhood, kind=AlertChange.Kind.EVENT, key=key, texts=texts, path=path
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
    if len(records) == 1:
        what = "new"
    elif (latest["status"], latest["action"]) != (records[1]["status"], records[1]["action"]):
        what = "resolved" if priority.status == Priority.Status.RESOLVED else "updated"
    else:
        return None

    def texts() -> tuple[str, str]:
        title = {
            "new": gettext("New local priority in %(name)s: %(title)s"),
            "resolved": gettext("Priority resolved in %(name)s: %(title)s"),
            "updated": gettext("Priority updated in %(name)s: %(title)s"),
        }[what]
        status = str(Priority.Status(priority.status).label)
        action = in_language(priority, "action")
        return (
            _named(title, neighbourhood, priority, "issue"),
            _lines(
                gettext("Status: %(status)s") % {"status": status},
                gettext("What we are doing: %(action)s") % {"action": action} if action else "",
            ),
        )

    return alert_change_record(
        neighbourhood=neighbourhood,
        kind=AlertChange.Kind.PRIORITY,
        key=f"priority:{priority.pk}:{latest['history_id']}",
        texts=texts,
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

            def texts(survey: Survey = survey) -> tuple[str, str]:
                title = gettext("Have your say in %(name)s: %(title)s")
                return (
                    _named(title, survey.neighbourhood, survey, "question"),
                    _lines(
                        gettext("Open until %(closes)s.") % {"closes": date_text(survey.closes_on)},
                        in_language(survey, "description"),
                    ),
                )

            change = alert_change_record(
                neighbourhood=survey.neighbourhood,
                kind=AlertChange.Kind.SURVEY,
                key=key,
                texts=texts,
                path=survey_path(survey),
            )
            if change is not None:
                recorded.append(change)
    return recorded
