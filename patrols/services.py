"""Hotspots and patrols: who may define and log them, and the writing of both.

Who does what:
- Hotspots are defined and changed by the sergeants and inspectors of their neighbourhood (now)
  and by administrators.
- A patrol is logged by an officer (or sergeant, inspector) with an officer profile, against a
  hotspot of the divisions they serve now (their own neighbourhoods when one has no division);
  the officers on it are the logger and others serving in the hotspot's division now.
- OPCC staff read the figures; they define and log nothing. Accounts without a role, nothing.

A patrol is visible time in the neighbourhood: it is kept apart from abstractions (officers
.abstractions), and no abstraction figure reads it. Each patrol is added to its hotspot's
month (PatrolMonth) in the same transaction, so the summaries read a tally, not every patrol.
"""

import datetime
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from config.dates import LONDON
from config.roles import Role, user_roles
from config.text import plain_text
from neighbourhoods.models import Neighbourhood
from officers.models import Assignment, Officer
from officers.permissions import OFFICER_ROLES, SUPERVISING_ROLES
from patrols import areas
from patrols.models import OUTCOME_FIELDS, Hotspot, Patrol, PatrolMonth

User = AbstractBaseUser | AnonymousUser
NOTE_MAX_LENGTH = 500
REASON_MAX_LENGTH = 500
# Longer than any shift: a patrol over midnight is fine, a day and a night is a typing error.
MAX_PATROL_HOURS = 12
# How long after its plan ends a hotspot is still offered for logging (a late entry).
LATE_LOGGING_DAYS = 31
ENDS_BEFORE_START = gettext_lazy("The end must be after the start")
TOO_LONG = format_lazy(
    gettext_lazy(
        "A patrol can last {hours} hours at most: check the end date and time, "
        "or log a longer one as two patrols"
    ),
    hours=MAX_PATROL_HOURS,
)
IN_FUTURE = gettext_lazy("The end cannot be in the future: log a patrol once it has ended")
PLAN_ENDS_BEFORE_START = gettext_lazy("The end of the plan must be on or after its start")
NEGATIVE = gettext_lazy("Enter 0 or more")


# --- Who may do what ---------------------------------------------------------------------------


def hotspot_neighbourhoods(user: User, today: datetime.date | None = None) -> QuerySet:
    """The neighbourhoods where `user` may define hotspots."""
    roles = user_roles(user)
    if Role.ADMINISTRATOR in roles:
        return Neighbourhood.objects.all()
    if Role.SUPERVISOR not in roles:
        return Neighbourhood.objects.none()
    led = (
        Assignment.objects.current(today)
        .filter(officer__user_id=user.pk, role__in=SUPERVISING_ROLES)
        .values("neighbourhood_id")
    )
    return Neighbourhood.objects.filter(pk__in=led)


def can_define_hotspots(user: User) -> bool:
    return hotspot_neighbourhoods(user).exists()


def logging_officer(user: User) -> Officer | None:
    """The officer profile a patrol is logged as: an officer's or supervisor's own."""
    if not user_roles(user) & OFFICER_ROLES:
        return None
    return Officer.objects.filter(user_id=user.pk).first()


def _patrol_area(officer: Officer, today: datetime.date | None) -> Q:
    """The neighbourhoods of the divisions `officer` serves now, or their own neighbourhoods
    where one has no division."""
    serving = Assignment.objects.current(today).filter(officer=officer)
    return Q(
        division_id__in=serving.exclude(neighbourhood__division=None).values(
            "neighbourhood__division_id"
        )
    ) | Q(pk__in=serving.values("neighbourhood_id"))


def patrol_hotspots(user: User, today: datetime.date | None = None) -> QuerySet[Hotspot]:
    """The hotspots `user` may log patrols against, by name; none for someone who may log none."""
    officer = logging_officer(user)
    if officer is None:
        return Hotspot.objects.none()
    day = today or timezone.localdate()
    area = Neighbourhood.objects.filter(_patrol_area(officer, day)).values("pk")
    return (
        Hotspot.objects.filter(
            neighbourhood_id__in=area,
            plan_starts_on__lte=day,
            plan_ends_on__gte=day - datetime.timedelta(days=LATE_LOGGING_DAYS),
        )
        .select_related("neighbourhood")
        .order_by("name", "pk")
    )


def patrol_team(user: User, today: datetime.date | None = None) -> QuerySet[Officer]:
    """The other officers who may be on `user`'s patrols: those serving now in the same area."""
    officer = logging_officer(user)
    if officer is None:
        return Officer.objects.none()
    area = Neighbourhood.objects.filter(_patrol_area(officer, today)).values("pk")
    serving = Assignment.objects.current(today).filter(neighbourhood_id__in=area)
    return (
        Officer.objects.filter(pk__in=serving.values("officer_id"))
        .exclude(pk=officer.pk)
        .order_by("display_name", "pk")
    )


# --- Hotspots ----------------------------------------------------------------------------------


def _hotspot_check(
    *, neighbourhood: Neighbourhood, polygon, starts_on, ends_on, reason: str
) -> dict:
    errors = {}
    if ends_on < starts_on:
        errors["plan_ends_on"] = PLAN_ENDS_BEFORE_START
    if len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = gettext("The reason must be %(limit)s characters or fewer") % {
            "limit": REASON_MAX_LENGTH
        }
    try:
        areas.check_within(polygon, neighbourhood)
    except areas.AreaError as error:
        errors["area"] = str(error)
    if errors:
        raise ValidationError(errors)
    return areas.geojson(polygon)


def hotspot_save(
    *,
    by: User,
    neighbourhood: Neighbourhood,
    name: str,
    reason: str,
    polygon,
    centre: tuple[float, float] | None,
    radius_metres: int | None,
    plan_starts_on: datetime.date,
    plan_ends_on: datetime.date,
    planned_hours: int,
    hotspot: Hotspot | None = None,
) -> Hotspot:
    """Define a hotspot (or change `hotspot`): its place, why, and the patrol plan. `polygon` is
    the area (patrols.areas), `centre` and `radius_metres` what a circle was drawn from."""
    allowed = hotspot_neighbourhoods(by)
    if not allowed.filter(pk=neighbourhood.pk).exists() or (
        hotspot is not None and not allowed.filter(pk=hotspot.neighbourhood_id).exists()
    ):
        raise PermissionDenied(gettext("You cannot define hotspots in this neighbourhood."))
    reason = plain_text(reason)
    area = _hotspot_check(
        neighbourhood=neighbourhood,
        polygon=polygon,
        starts_on=plan_starts_on,
        ends_on=plan_ends_on,
        reason=reason,
    )
    hotspot = hotspot or Hotspot()
    hotspot.neighbourhood = neighbourhood
    hotspot.name = name.strip()
    hotspot.reason = reason
    hotspot.area = area
    hotspot.centre_latitude, hotspot.centre_longitude = centre or (None, None)
    hotspot.radius_metres = radius_metres
    hotspot.plan_starts_on = plan_starts_on
    hotspot.plan_ends_on = plan_ends_on
    hotspot.planned_hours = planned_hours
    hotspot._history_user = by
    with transaction.atomic():
        hotspot.full_clean()
        hotspot.save()
    return hotspot


# --- Patrols -----------------------------------------------------------------------------------


def month_of(moment: datetime.datetime) -> datetime.date:
    """The first day of the London month `moment` falls in."""
    return moment.astimezone(LONDON).date().replace(day=1)


def _patrol_check(
    *,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    outcomes: Mapping[str, int],
    note: str,
    now: datetime.datetime,
) -> None:
    errors: dict[str, str] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = ENDS_BEFORE_START
    elif ends_at - starts_at > datetime.timedelta(hours=MAX_PATROL_HOURS):
        errors["ends_at"] = TOO_LONG
    elif ends_at > now:
        errors["ends_at"] = IN_FUTURE
    for name in OUTCOME_FIELDS:
        value = outcomes.get(name, 0)
        if not isinstance(value, int) or value < 0:
            errors[name] = NEGATIVE
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = gettext("The note must be %(limit)s characters or fewer") % {
            "limit": NOTE_MAX_LENGTH
        }
    if errors:
        raise ValidationError(errors)


def _tally(patrol: Patrol, officers: int) -> None:
    """Add the patrol to its hotspot's month, in the caller's transaction."""
    month, _ = PatrolMonth.objects.select_for_update().get_or_create(
        hotspot_id=patrol.hotspot_id, month=month_of(patrol.starts_at)
    )
    minutes = patrol.minutes
    PatrolMonth.objects.filter(pk=month.pk).update(
        patrols=F("patrols") + 1,
        minutes=F("minutes") + minutes,
        officer_minutes=F("officer_minutes") + minutes * officers,
        **{name: F(name) + getattr(patrol, name) for name in OUTCOME_FIELDS},
    )


def patrol_log(
    *,
    by: User,
    hotspot: Hotspot,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    others: Iterable[Officer] = (),
    outcomes: Mapping[str, int] | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Patrol:
    """Log a patrol of `hotspot` by the officer signed in as `by`, with `others` from their
    team, and its outcomes (each 0 or more, 0 when not given)."""
    officer = logging_officer(by)
    if officer is None or not patrol_hotspots(by).filter(pk=hotspot.pk).exists():
        raise PermissionDenied(gettext("You cannot log patrols of this hotspot."))
    outcomes = dict(outcomes or {})
    note = plain_text(note)
    _patrol_check(
        starts_at=starts_at,
        ends_at=ends_at,
        outcomes=outcomes,
        note=note,
        now=now or timezone.now(),
    )
    others = list(others)
    team = set(patrol_team(by).values_list("pk", flat=True))
    strangers = [other for other in others if other.pk not in team]
    if strangers:
        raise ValidationError(
            {
                "others": gettext("%(name)s is not in your team: choose from the list")
                % {"name": strangers[0].display_name}
            }
        )
    return patrol_record(
        hotspot=hotspot,
        starts_at=starts_at,
        ends_at=ends_at,
        officers=[officer, *others],
        outcomes=outcomes,
        note=note,
        logged_by=by,
    )


def patrol_record(
    *,
    hotspot: Hotspot,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    officers: Iterable[Officer],
    outcomes: Mapping[str, int],
    note: str = "",
    logged_by: User | None = None,
) -> Patrol:
    """Write a patrol and add it to its hotspot's month. The checks of who may log it are the
    caller's: patrol_log's, or the demo data's."""
    patrol = Patrol(
        hotspot=hotspot,
        starts_at=starts_at,
        ends_at=ends_at,
        logged_by=logged_by,
        note=note,
        **{name: outcomes.get(name, 0) for name in OUTCOME_FIELDS},
    )
    crew = {officer.pk for officer in officers}
    with transaction.atomic():
        patrol.full_clean()
        patrol.save()
        patrol.officers.set(crew)
        _tally(patrol, len(crew))
    return patrol
