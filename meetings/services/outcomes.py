"""After the meeting: what came of it ("you said, we did"), the issues raised made priorities
of the neighbourhood, and who attended."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config import caching
from config.dates import LONDON, date_time_text
from config.text import plain_text
from engagement.models import Priority
from engagement.priorities import priorities_mark_discussed, priority_raise_from_meeting
from meetings.models import (
    Event,
    Outcome,
    Registration,
)
from meetings.services.common import (
    TEXT_MAX_LENGTH,
    locked_event,
    officer_of,
    raise_if_any,
    require_manager,
    save_fields,
)


def outcome_refusal(event: Event, *, now: datetime.datetime | None = None) -> str:
    """Why no outcome can be recorded for the event yet, or "" when it can."""
    now = now or timezone.now()
    if event.is_cancelled:
        return _("This event was cancelled, so it has no outcome to record.")
    if event.starts_at > now:
        return _("You can record the outcome once the event has started, on %(when)s.") % {
            "when": date_time_text(event.starts_at)
        }
    return ""


def _issue_key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class OutcomeInput:
    """An outcome as typed, tidied and checked by outcome_clean: what outcome_write saves."""

    attendance: int
    summary: str
    issues: list[str]
    create_priorities: bool
    discussed: list[Priority]
    # The Welsh of the summary and the issues (config.bilingual); None: left as it is.
    summary_cy: str | None = None
    issues_raised_cy: str | None = None


def outcome_clean(
    *,
    neighbourhood_id: int | None,
    attendance: int | None,
    summary: str,
    issues_raised: str,
    create_priorities: bool,
    priorities: Iterable[Priority],
    summary_cy: str | None = None,
    issues_raised_cy: str | None = None,
) -> OutcomeInput:
    """Check an outcome for a meeting of the neighbourhood: a ValidationError keyed by field."""
    summary = plain_text(summary)
    issues_text = plain_text(issues_raised)
    welsh = {
        "summary_cy": None if summary_cy is None else plain_text(summary_cy),
        "issues_raised_cy": None if issues_raised_cy is None else plain_text(issues_raised_cy),
    }
    issues = [" ".join(line.split()) for line in issues_text.splitlines() if line.strip()]
    errors: dict[str, list[ValidationError]] = {}
    if attendance is None or attendance < 0:
        errors["attendance"] = [
            ValidationError(_("Enter how many people came, as a whole number"), code="invalid")
        ]
    if not summary:
        errors["summary"] = [ValidationError(_("Enter a summary of the meeting"), code="required")]
    elif len(summary) > TEXT_MAX_LENGTH:
        errors["summary"] = [
            ValidationError(
                _("Write %(count)s characters or fewer") % {"count": f"{TEXT_MAX_LENGTH:,}"},
                "max_length",
            )
        ]
    if len(issues_text) > TEXT_MAX_LENGTH:
        errors["issues_raised"] = [
            ValidationError(
                _("Write %(count)s characters or fewer") % {"count": f"{TEXT_MAX_LENGTH:,}"},
                "max_length",
            )
        ]
    elif create_priorities and not issues:
        errors["issues_raised"] = [
            ValidationError(
                _("Enter the issues raised, one per line, to add them as priorities"), "required"
            )
        ]
    for name, text in welsh.items():
        if text is not None and len(text) > TEXT_MAX_LENGTH:
            errors[name] = [
                ValidationError(
                    _("Write %(count)s characters or fewer") % {"count": f"{TEXT_MAX_LENGTH:,}"},
                    "max_length",
                )
            ]
    discussed = list(priorities)
    if any(
        p.neighbourhood_id != neighbourhood_id or p.status == Priority.Status.RESOLVED
        for p in discussed
    ):
        errors["priorities"] = [
            ValidationError(
                _("Choose only current priorities of the event's neighbourhood"), "invalid"
            )
        ]
    raise_if_any(errors)
    return OutcomeInput(
        attendance=attendance,
        summary=summary,
        issues=issues,
        create_priorities=create_priorities,
        discussed=discussed,
        **welsh,
    )


def outcome_record(
    *,
    user: AbstractBaseUser,
    event: Event,
    attendance: int,
    summary: str,
    issues_raised: str,
    create_priorities: bool,
    priorities: Iterable[Priority],
    summary_cy: str | None = None,
    issues_raised_cy: str | None = None,
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
    require_manager(user, event.neighbourhood_id)
    given = outcome_clean(
        neighbourhood_id=event.neighbourhood_id,
        attendance=attendance,
        summary=summary,
        issues_raised=issues_raised,
        create_priorities=create_priorities,
        priorities=priorities,
        summary_cy=summary_cy,
        issues_raised_cy=issues_raised_cy,
    )
    with transaction.atomic():
        locked = locked_event(event)
        refusal = outcome_refusal(locked, now=now)
        if refusal:
            raise ValidationError(refusal, code="not_held")
        outcome = outcome_write(user=user, locked=locked, given=given, now=now)
    event.status = locked.status
    return outcome


def outcome_write(
    *, user: AbstractBaseUser, locked: Event, given: OutcomeInput, now: datetime.datetime
) -> Outcome:
    """Save the outcome of a held meeting (`locked`, in the caller's transaction) under
    outcome_record's rules, and mark the meeting held."""
    outcome = Outcome.objects.filter(event=locked).first()
    fields = {
        "attendance": given.attendance,
        "summary": given.summary,
        "issues_raised": "\n".join(given.issues),
        "recorded_by": officer_of(user),
    }
    for name in ("summary_cy", "issues_raised_cy"):
        if getattr(given, name) is not None:
            fields[name] = getattr(given, name)
    if outcome is None:
        outcome = Outcome(event=locked, **fields)
        outcome.full_clean()
        outcome.save()
        linked_before: list[Priority] = []
    else:
        for name, value in fields.items():
            setattr(outcome, name, value)
        save_fields(outcome, fields)
        linked_before = list(outcome.priorities.all())
    linked = {p.pk: p for p in given.discussed}
    if given.create_priorities:
        known: dict[str, Priority] = {}
        current = Priority.objects.current().filter(neighbourhood_id=locked.neighbourhood_id)
        for priority in [*current, *linked_before]:
            known.setdefault(_issue_key(priority.issue), priority)
        meeting_date = locked.starts_at.astimezone(LONDON).date()
        for issue in given.issues:
            priority = known.get(_issue_key(issue))
            if priority is None:
                priority = priority_raise_from_meeting(
                    user=user,
                    neighbourhood_id=locked.neighbourhood_id,
                    issue=issue,
                    raised_on=meeting_date,
                )
                known[_issue_key(issue)] = priority
            linked[priority.pk] = priority
    outcome.priorities.set(linked.values())
    if given.discussed:
        priorities_mark_discussed(priority_ids=[p.pk for p in given.discussed], now=now)
    if locked.status != Event.Status.HELD:
        locked.status = Event.Status.HELD
        save_fields(locked, ["status"])
    # Queryset updates and many-to-many changes send no signals: move the pages on.
    caching.public_content_changed()
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
    require_manager(user, event.neighbourhood_id)
    if event.starts_at > now:
        raise ValidationError(
            _("You can record who attended once the event has started."), code="not_started"
        )
    if event.is_cancelled:
        raise ValidationError(_("This event was cancelled."), code="cancelled")
    ids = {int(pk) for pk in attended_ids}
    with transaction.atomic():
        live = Registration.objects.select_for_update().filter(
            event_id=event.pk, cancelled_at__isnull=True
        )
        came = live.filter(pk__in=ids).update(attended=True)
        live.exclude(pk__in=ids).update(attended=False)
    return came
