"""Abstractions: the times officers are pulled away from their neighbourhood, and why.

Who logs them:
- An officer logs, ends and corrects their own.
- A sergeant or inspector, those of the officers they lead now (officers.permissions.supervises).
- An administrator, anyone's.
- Nobody else: OPCC users, accounts without a role, visitors.

Entries are corrected, never deleted: simple_history keeps each version and who made it. Two
entries of one officer never share any time: the services refuse it with a message naming the
clashing entry, and on PostgreSQL an exclusion constraint refuses it too.

How much time was abstracted, per week and reason, is dashboards.selectors.abstractions.
"""

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.dates import LONDON, date_time_text, time_text
from config.roles import Role, user_roles
from config.text import plain_text
from officers import permissions
from officers.models import Abstraction, AbstractionQuerySet, Assignment, Officer

User = AbstractBaseUser | AnonymousUser
NOTE_MAX_LENGTH = 500
ENDS_BEFORE_START = _("The end must be after the start")
NOT_STARTED = _("This abstraction has not started yet: correct its times instead")
ALREADY_ENDED = _("This abstraction has already ended")
RACE = _("Another abstraction was logged for these times at the same moment. Check the list.")


def can_log_abstraction(user: User, officer: Officer) -> bool:
    """The officer themselves, a sergeant or inspector who leads them now, an administrator:
    the same people who may change their profile and availability."""
    return permissions.can_edit_officer_profile(user, officer)


def officers_loggable_by(user: User) -> QuerySet[Officer]:
    """The officers whose abstractions `user` may log, by name: their own officer and the
    officers they lead now; every officer for an administrator."""
    roles = user_roles(user)
    if Role.ADMINISTRATOR in roles:
        return Officer.objects.order_by("display_name", "pk")
    if not roles & permissions.OFFICER_ROLES:
        return Officer.objects.none()
    current = Assignment.objects.current()
    led = Q(user_id=user.pk)
    for lead_role, led_roles in permissions.LEADS.items():
        areas = current.filter(officer__user_id=user.pk, role=lead_role).values("neighbourhood_id")
        led |= Q(
            pk__in=current.filter(role__in=led_roles, neighbourhood_id__in=areas).values(
                "officer_id"
            )
        )
    return Officer.objects.filter(led).order_by("display_name", "pk")


def period_text(starts_at: datetime.datetime, ends_at: datetime.datetime | None) -> str:
    """'from Tuesday 3 March 2026 at 9am to 5pm', '... to Wednesday 4 March 2026 at 9am',
    'from Tuesday 3 March 2026 at 9am, still away'."""
    start = date_time_text(starts_at)
    if ends_at is None:
        return gettext("from %(start)s, still away") % {"start": start}
    if ends_at.astimezone(LONDON).date() == starts_at.astimezone(LONDON).date():
        end = time_text(ends_at)
    else:
        end = date_time_text(ends_at)
    return gettext("from %(start)s to %(end)s") % {"start": start, "end": end}


def _clash_message(other: Abstraction, officer: Officer, by: User) -> str:
    own = officer.user_id is not None and officer.user_id == by.pk
    words = {
        "name": officer.display_name,
        "reason": other.get_reason_display().lower(),
        "period": period_text(other.starts_at, other.ends_at),
    }
    if own:
        return gettext("This overlaps your %(reason)s abstraction %(period)s") % words
    overlaps = gettext("This overlaps %(name)s’s %(reason)s abstraction %(period)s")
    return overlaps % words


def _check(
    *,
    officer: Officer,
    by: User,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None,
    note: str,
    exclude: int | None = None,
) -> None:
    if ends_at is not None and ends_at <= starts_at:
        raise ValidationError({"ends_at": ENDS_BEFORE_START})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": gettext("The note must be %(limit)s characters or fewer")
                % {"limit": f"{NOTE_MAX_LENGTH:,}"}
            }
        )
    clash = (
        Abstraction.objects.filter(officer=officer)
        .exclude(pk=exclude)
        .overlapping(starts_at, ends_at)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise ValidationError({"starts_at": _clash_message(clash, officer, by)})


def _save(abstraction: Abstraction, by: User, update_fields: list[str] | None = None) -> None:
    abstraction._history_user = by
    try:
        with transaction.atomic():
            abstraction.full_clean()
            abstraction.save(update_fields=update_fields)
    except IntegrityError as exc:
        # Two overlapping entries committed at once: the exclusion constraint refused one.
        raise ValidationError({"starts_at": RACE}) from exc


def abstraction_log(
    *,
    by: User,
    officer: Officer,
    reason: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None,
    note: str = "",
) -> Abstraction:
    """Log that `officer` is (or was) away from `starts_at` until `ends_at` (None: still away).
    Refuses an entry sharing any time with another of theirs, naming the one it overlaps."""
    if not can_log_abstraction(by, officer):
        raise PermissionDenied("You cannot log abstractions for this officer.")
    note = plain_text(note)
    _check(
        officer=officer,
        by=by,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
    )
    abstraction = Abstraction(
        officer=officer,
        reason=reason,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
        logged_by=by,
    )
    _save(abstraction, by)
    return abstraction


def abstraction_end(
    *, by: User, abstraction: Abstraction, at: datetime.datetime | None = None
) -> Abstraction:
    """The officer is back at `at` (now by default): the open entry ends then."""
    if not can_log_abstraction(by, abstraction.officer):
        raise PermissionDenied("You cannot change this officer's abstractions.")
    at = at or timezone.now()
    if abstraction.ends_at is not None and abstraction.ends_at <= at:
        raise ValidationError({"ends_at": ALREADY_ENDED})
    if at <= abstraction.starts_at:
        raise ValidationError({"ends_at": NOT_STARTED})
    abstraction.ends_at = at
    _save(abstraction, by, update_fields=["ends_at", "updated_at"])
    return abstraction


def abstraction_correct(
    *,
    by: User,
    abstraction: Abstraction,
    reason: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None,
    note: str = "",
) -> Abstraction:
    """Correct an entry's reason, times or note; the history keeps the version before."""
    if not can_log_abstraction(by, abstraction.officer):
        raise PermissionDenied("You cannot change this officer's abstractions.")
    note = plain_text(note)
    _check(
        officer=abstraction.officer,
        by=by,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
        exclude=abstraction.pk,
    )
    abstraction.reason = reason
    abstraction.starts_at = starts_at
    abstraction.ends_at = ends_at
    abstraction.note = note
    _save(abstraction, by, update_fields=["reason", "starts_at", "ends_at", "note", "updated_at"])
    return abstraction


def abstraction_current(
    officer: Officer, at: datetime.datetime | None = None
) -> Abstraction | None:
    """The entry under way at `at` (now by default), if any."""
    return Abstraction.objects.filter(officer=officer).covering(at or timezone.now()).first()


def abstractions_visible(user: User) -> AbstractionQuerySet:
    """The entries of the officers `user` may log for, newest first."""
    return Abstraction.objects.filter(officer__in=officers_loggable_by(user)).select_related(
        "logged_by", "officer"
    )
