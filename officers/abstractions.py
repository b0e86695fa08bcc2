"""Abstractions: the times officers are pulled away from their neighbourhood, and why.

Who logs them:
- An officer logs, ends and corrects their own.
- A sergeant or inspector, those of the officers they lead now (officers.permissions.supervises).
- An administrator, anyone's.
- Nobody else: OPCC users, accounts without a role, visitors.

Entries are corrected, never deleted: simple_history keeps each version and who made it. Two
entries of one officer never share any time: the services refuse it with a message naming the
clashing entry, and on PostgreSQL an exclusion constraint refuses it too.

The report counts hours in SQL: the overlap of each abstraction with each London week (Monday to
Sunday), an entry still open counting up to now. An entry counts once for its officer, and once
for each neighbourhood the officer serves now.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from config.dates import LONDON, date_time_text, time_text
from neighbourhoods.models import Neighbourhood
from officers import permissions
from officers.models import Abstraction, AbstractionQuerySet, Assignment, Officer
from officers.roles import Role, user_roles
from queries.dashboard_access import Scope, london_midnight

User = AbstractBaseUser | AnonymousUser

NOTE_MAX_LENGTH = 500
GUARANTEE_DAYS = 28
WEEK = datetime.timedelta(days=7)
REPORT_WEEKS = (4, 12, 26, 52)
DEFAULT_REPORT_WEEKS = 12

ENDS_BEFORE_START = "The end must be after the start"
NOT_STARTED = "This abstraction has not started yet: correct its times instead"
ALREADY_ENDED = "This abstraction has already ended"
RACE = "Another abstraction was logged for these times at the same moment. Check the list."


# --- Who may --------------------------------------------------------------------------------


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


# --- Words ----------------------------------------------------------------------------------


def period_text(starts_at: datetime.datetime, ends_at: datetime.datetime | None) -> str:
    """'from Tuesday 3 March 2026 at 9am to 5pm', '... to Wednesday 4 March 2026 at 9am',
    'from Tuesday 3 March 2026 at 9am, still away'."""
    text = f"from {date_time_text(starts_at)}"
    if ends_at is None:
        return f"{text}, still away"
    if ends_at.astimezone(LONDON).date() == starts_at.astimezone(LONDON).date():
        return f"{text} to {time_text(ends_at)}"
    return f"{text} to {date_time_text(ends_at)}"


def _clash_message(other: Abstraction, officer: Officer, by: User) -> str:
    own = officer.user_id is not None and officer.user_id == by.pk
    whose = "your" if own else f"{officer.display_name}\u2019s"
    reason = other.get_reason_display().lower()
    return (
        f"This overlaps {whose} {reason} abstraction {period_text(other.starts_at, other.ends_at)}"
    )


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
        raise ValidationError({"note": f"The note must be {NOTE_MAX_LENGTH:,} characters or fewer"})
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
    note = note.strip()
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
    note = note.strip()
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


# --- Reads ----------------------------------------------------------------------------------


def abstraction_current(
    officer: Officer, at: datetime.datetime | None = None
) -> Abstraction | None:
    """The entry under way at `at` (now by default), if any."""
    return Abstraction.objects.filter(officer=officer).covering(at or timezone.now()).first()


def abstractions_of(officer: Officer) -> AbstractionQuerySet:
    """An officer's entries, newest first, with who logged them."""
    return Abstraction.objects.filter(officer=officer).select_related("logged_by", "officer")


def abstractions_visible(user: User) -> AbstractionQuerySet:
    """The entries of the officers `user` may log for, newest first."""
    return Abstraction.objects.filter(officer__in=officers_loggable_by(user)).select_related(
        "logged_by", "officer"
    )


def abstractions_in(scope: Scope, day: datetime.date) -> AbstractionQuerySet:
    """The entries of a dashboard scope: its officer's, or those of the officers serving its
    neighbourhoods on `day`, or every entry for the force."""
    entries = Abstraction.objects.order_by()
    if scope.officer_id is not None:
        return entries.filter(officer_id=scope.officer_id)
    if scope.neighbourhood_ids is None:
        return entries
    serving = Assignment.objects.current(day).filter(neighbourhood_id__in=scope.neighbourhood_ids)
    return entries.filter(officer_id__in=serving.values("officer_id"))


def _at(moment: datetime.datetime) -> Value:
    return Value(moment, output_field=DateTimeField())


def overlap(start: datetime.datetime, end: datetime.datetime) -> tuple[ExpressionWrapper, Q]:
    """The time an entry shares with [start, end), an open entry counting up to `end`, and
    the condition for sharing any: sum the first with the second as its filter."""
    starts, ends = F("starts_at"), F("ends_at")
    shared = ExpressionWrapper(
        Least(Coalesce(ends, _at(end)), _at(end)) - Greatest(starts, _at(start)),
        output_field=DurationField(),
    )
    condition = Q(starts_at__lt=end) & (Q(ends_at__isnull=True) | Q(ends_at__gt=start))
    return shared, condition


def hours(value: datetime.timedelta | None) -> float:
    return round(value.total_seconds() / 3600, 1) if value else 0.0


# --- The Guarantee panel --------------------------------------------------------------------


@dataclass(frozen=True)
class AbstractionFigures:
    """Abstractions over the last 28 days for a scope."""

    hours: float
    officers: int
    top_reason: str  # a reason's label, "" when nobody was abstracted
    days: int = GUARANTEE_DAYS

    def __str__(self) -> str:
        if not self.officers:
            return f"No abstractions in the last {self.days} days"
        people = f"{self.officers} officer{'s' if self.officers != 1 else ''}"
        return (
            f"{self.hours:g} hours in the last {self.days} days, {people} abstracted; "
            f"most often for {self.top_reason.lower()}"
        )


def guarantee_subqueries(scope: Scope, now: datetime.datetime) -> dict[str, Subquery]:
    """Scalar subqueries for the Guarantee panel's abstraction figures, so the panel can read
    them in its own statement: the time abstracted in the last 28 days, the officers
    abstracted and the reason with the most time."""
    start = now - datetime.timedelta(days=GUARANTEE_DAYS)
    shared, condition = overlap(start, now)
    entries = abstractions_in(scope, now.astimezone(LONDON).date()).filter(condition)
    single = {"one": Value(1)}
    return {
        "abstracted_time": Subquery(
            entries.annotate(**single)
            .values("one")
            .annotate(total=Sum(shared))
            .values("total")[:1],
            output_field=DurationField(),
        ),
        "abstracted_officers": Subquery(
            entries.annotate(**single)
            .values("one")
            .annotate(officers=Count("officer_id", distinct=True))
            .values("officers")[:1]
        ),
        "abstracted_reason": Subquery(
            entries.values("reason")
            .annotate(total=Sum(shared))
            .order_by("-total", "reason")
            .values("reason")[:1]
        ),
    }


def guarantee_figures(
    *, time: datetime.timedelta | None, officers: int | None, reason: str | None
) -> AbstractionFigures:
    label = Abstraction.Reason(reason).label if reason else ""
    return AbstractionFigures(hours=hours(time), officers=officers or 0, top_reason=label)


# --- The report -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    first_day: datetime.date
    start: datetime.datetime
    end: datetime.datetime  # the end of the week, or now for the week under way


def report_weeks(*, weeks: int, now: datetime.datetime) -> list[Week]:
    """The last `weeks` London weeks, Monday to Sunday, the one under way last (up to now)."""
    today = now.astimezone(LONDON).date()
    monday = today - datetime.timedelta(days=today.weekday())
    firsts = [monday - WEEK * back for back in range(weeks - 1, -1, -1)]
    return [
        Week(
            first_day=first,
            start=london_midnight(first).astimezone(datetime.UTC),
            end=min(london_midnight(first + WEEK).astimezone(datetime.UTC), now),
        )
        for first in firsts
    ]


@dataclass(frozen=True)
class WeekRow:
    week_start: datetime.date
    by_reason: dict[str, float]  # reason value: hours

    @property
    def total(self) -> float:
        return round(sum(self.by_reason.values()), 1)

    def cells(self) -> list[float]:
        return [self.by_reason[reason] for reason in Abstraction.Reason.values]


@dataclass(frozen=True)
class TableRow:
    label: str
    hours: float
    officers: int = 0
    entries: int = 0
    division: str = ""
    by_reason: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    weeks: list[WeekRow]
    by_reason: list[TableRow]
    by_officer: list[TableRow]
    by_neighbourhood: list[TableRow]

    @property
    def total(self) -> float:
        return round(sum(row.total for row in self.weeks), 1)


def _week_sums(weeks: Iterable[Week]) -> dict[str, Sum]:
    sums = {}
    for index, week in enumerate(weeks):
        shared, condition = overlap(week.start, week.end)
        sums[f"w{index}"] = Sum(shared, filter=condition)
    return sums


def _neighbourhood_totals(
    scope: Scope, now: datetime.datetime, first: datetime.datetime, last: datetime.datetime
) -> QuerySet:
    """Per neighbourhood in the scope, the hours its current officers were abstracted and how
    many of them: each officer's entries once, however many roles they hold there."""
    shared, condition = overlap(first, last)
    current = Assignment.objects.current(now.astimezone(LONDON).date()).order_by()
    if scope.officer_id is not None:
        current = current.filter(officer_id=scope.officer_id)
    serving_here = current.filter(
        officer_id=OuterRef("officer_id"), neighbourhood_id=OuterRef(OuterRef("pk"))
    )
    entries = (
        Abstraction.objects.filter(condition, Exists(serving_here))
        .order_by()
        .annotate(one=Value(1))
        .values("one")
    )
    areas = Neighbourhood.objects.filter(Exists(current.filter(neighbourhood_id=OuterRef("pk"))))
    if scope.neighbourhood_ids is not None:
        areas = areas.filter(pk__in=scope.neighbourhood_ids)
    return (
        areas.annotate(
            total=Subquery(
                entries.annotate(total=Sum(shared)).values("total")[:1],
                output_field=DurationField(),
            ),
            officers=Subquery(
                entries.annotate(n=Count("officer_id", distinct=True)).values("n")[:1]
            ),
        )
        .filter(total__isnull=False)
        .values("pk", "name", "division__name", "total", "officers")
        .order_by("-total", "name", "pk")
    )


def abstraction_report(*, scope: Scope, weeks: int, now: datetime.datetime) -> Report:
    """Hours abstracted in the scope per week and reason, per officer and per neighbourhood,
    over the last `weeks` weeks. Three statements, whatever the number of entries."""
    periods = report_weeks(weeks=weeks, now=now)
    first, last = periods[0].start, periods[-1].end
    entries = abstractions_in(scope, now.astimezone(LONDON).date())
    shared, condition = overlap(first, last)

    per_reason = {
        row["reason"]: row
        for row in entries.filter(condition).values("reason").annotate(**_week_sums(periods))
    }
    week_rows = [
        WeekRow(
            week_start=week.first_day,
            by_reason={
                reason: hours(per_reason.get(reason, {}).get(f"w{index}"))
                for reason in Abstraction.Reason.values
            },
        )
        for index, week in enumerate(periods)
    ]
    by_reason = [
        TableRow(
            label=reason.label, hours=round(sum(r.by_reason[reason.value] for r in week_rows), 1)
        )
        for reason in Abstraction.Reason
    ]

    reason_sums = {
        f"r_{reason}": Sum(shared, filter=condition & Q(reason=reason))
        for reason in Abstraction.Reason.values
    }
    by_officer = [
        TableRow(
            label=f"{row['officer__rank']} {row['officer__display_name']}",
            hours=hours(row["total"]),
            entries=row["entries"],
            by_reason={reason: hours(row[f"r_{reason}"]) for reason in Abstraction.Reason.values},
        )
        for row in entries.filter(condition)
        .values("officer_id", "officer__rank", "officer__display_name")
        .annotate(total=Sum(shared), entries=Count("pk"), **reason_sums)
        .order_by("-total", "officer__display_name", "officer_id")
    ]

    by_neighbourhood = [
        TableRow(
            label=row["name"],
            division=row["division__name"] or "",
            hours=hours(row["total"]),
            officers=row["officers"],
        )
        for row in _neighbourhood_totals(scope, now, first, last)
    ]
    return Report(
        weeks=week_rows,
        by_reason=by_reason,
        by_officer=by_officer,
        by_neighbourhood=by_neighbourhood,
    )
