"""Local priorities: what residents raised and what the team does about it, kept current by
the officers of each neighbourhood.

Rules:
- A priority is "updated" whenever it is saved (its `updated_at`): through priority_create or
  priority_update here, by an import, or when a meeting's outcome says it was discussed.
- A current (not resolved) priority is **overdue for review** when it was last updated more
  than PRIORITY_REVIEW_DAYS ago (default 91, about three months), or its review date has
  passed. Its officers are emailed each week (overdue_priorities_notify) and supervisors see
  it on the staff list.
- A resolved priority must say what was done (`action`); its `action_date` is the day it was
  resolved. Residents see the last few under "You said, we did" for a year.
- Who may add and change a neighbourhood's priorities is who may manage its events
  (officers.permissions): officers assigned to it in any role, and administrators.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.bilingual import in_language
from config.dates import LONDON
from config.http import absolute_url
from config.roles import Role, user_roles
from config.text import plain_text
from engagement.models import Priority, PrioritySupport
from engagement.signals import priority_saved
from neighbourhoods.models import Neighbourhood
from notifications.models import OutboxEmail
from notifications.services import outbox_email_enqueue
from officers.models import Assignment
from officers.permissions import (
    SUPERVISING_ROLES,
    manageable_neighbourhoods,
    require_listing_manager,
)
from officers.selectors import current_officer_addresses_by_language

logger = logging.getLogger(__name__)

User = AbstractBaseUser | AnonymousUser

TEXT_MAX_LENGTH = 5000
# "You said, we did": how many resolved priorities the public page shows, and for how long.
RESOLVED_ON_PAGE = 5
RESOLVED_SHOWN_DAYS = 365
# The staff list shows at most this many rows; filters narrow it down.
STAFF_LIST_LIMIT = 200
SUPERVISOR_OVERDUE_LIMIT = 50
NOT_ALLOWED = gettext_lazy("You cannot manage the priorities of this neighbourhood.")
# The header that marks the weekly overdue email of one neighbourhood for one week.
NOTICE_HEADER = "X-Portal-Notice"
EDITABLE_FIELDS = ("issue", "action", "status", "issue_date", "action_date", "review_date")
# The Welsh of the issue and the action, where the force has Welsh switched on.
WELSH_FIELDS = ("issue_cy", "action_cy")


# --- The overdue rule ---------------------------------------------------------------------------


def review_days() -> int:
    return settings.PRIORITY_REVIEW_DAYS


def _today(now: datetime.datetime) -> datetime.date:
    return now.astimezone(LONDON).date()


def overdue_filter(*, now: datetime.datetime) -> Q:
    """Current and either not updated for PRIORITY_REVIEW_DAYS or past its review date."""
    updated_before = now - datetime.timedelta(days=review_days())
    return ~Q(status=Priority.Status.RESOLVED) & (
        Q(updated_at__lt=updated_before) | Q(review_date__lt=_today(now))
    )


def is_overdue(priority: Priority, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    if priority.status == Priority.Status.RESOLVED:
        return False
    if priority.updated_at and priority.updated_at < now - datetime.timedelta(days=review_days()):
        return True
    return priority.review_date is not None and priority.review_date < _today(now)


def _with_overdue(queryset: QuerySet[Priority], now: datetime.datetime) -> QuerySet[Priority]:
    return queryset.annotate(
        is_overdue=Case(
            When(overdue_filter(now=now), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


# --- Services -----------------------------------------------------------------------------------


def _validate(
    data: dict[str, Any], *, today: datetime.date, before: Priority | None
) -> dict[str, Any]:
    """The cleaned values, or a ValidationError naming each field that is wrong."""
    errors: dict[str, list[ValidationError]] = defaultdict(list)
    issue = plain_text(data.get("issue"))
    action = plain_text(data.get("action"))
    status = data.get("status") or ""
    issue_date = data.get("issue_date")
    action_date = data.get("action_date")
    review_date = data.get("review_date")

    if not issue:
        errors["issue"].append(ValidationError(_("Enter the issue"), code="required"))
    elif len(issue) > TEXT_MAX_LENGTH:
        errors["issue"].append(
            ValidationError(
                _("Write %(count)s characters or fewer") % {"count": f"{TEXT_MAX_LENGTH:,}"},
                code="max_length",
            )
        )
    if len(action) > TEXT_MAX_LENGTH:
        errors["action"].append(
            ValidationError(
                _("Write %(count)s characters or fewer") % {"count": f"{TEXT_MAX_LENGTH:,}"},
                code="max_length",
            )
        )
    if status not in Priority.Status.values:
        errors["status"].append(
            ValidationError(_("Choose open, in progress or resolved"), code="invalid_choice")
        )
    elif status == Priority.Status.RESOLVED and not action:
        errors["action"].append(
            ValidationError(
                _("Enter what was done, to mark the priority resolved"), code="required"
            )
        )
    if not isinstance(issue_date, datetime.date):
        errors["issue_date"].append(
            ValidationError(_("Enter the date the issue was raised"), code="required")
        )
        issue_date = None
    elif issue_date > today:
        errors["issue_date"].append(
            ValidationError(
                _("The date the issue was raised must be today or in the past"), "future"
            )
        )
    if action_date is not None:
        if action_date > today:
            errors["action_date"].append(
                ValidationError(_("The action date must be today or in the past"), code="future")
            )
        elif issue_date and action_date < issue_date:
            errors["action_date"].append(
                ValidationError(
                    _("The action date must be on or after the date the issue was raised"),
                    code="before_issue",
                )
            )
    if status == Priority.Status.RESOLVED:
        # Nothing is left to review once it is resolved.
        review_date = None
    elif review_date is not None:
        unchanged = before is not None and before.review_date == review_date
        if review_date < today and not unchanged:
            errors["review_date"].append(
                ValidationError(_("The review date must be today or in the future"), code="past")
            )
        elif review_date < today:
            errors["review_date"].append(
                ValidationError(
                    _("This review date has passed: set a new one, or leave it empty"),
                    code="passed",
                )
            )
    # The Welsh (config.bilingual): given only where the force has Welsh switched on.
    welsh = {name: plain_text(data[name]) for name in WELSH_FIELDS if data.get(name) is not None}
    for name, text in welsh.items():
        if len(text) > TEXT_MAX_LENGTH:
            errors[name].append(
                ValidationError(
                    _("Write %(count)s characters or fewer") % {"count": f"{TEXT_MAX_LENGTH:,}"},
                    code="max_length",
                )
            )
    if errors:
        raise ValidationError(dict(errors))
    if status == Priority.Status.RESOLVED and action_date is None:
        # The day it was resolved, unless it was already resolved with a date.
        kept = before is not None and before.status == Priority.Status.RESOLVED
        action_date = before.action_date if kept and before.action_date else today
    elif action_date is None and action and (before is None or before.action != action):
        action_date = today
    return {
        "issue": issue,
        "action": action,
        "status": status,
        "issue_date": issue_date,
        "action_date": action_date,
        "review_date": review_date,
        **welsh,
    }


def priority_create(
    *,
    user: User,
    neighbourhood: Neighbourhood,
    data: dict[str, Any],
    now: datetime.datetime | None = None,
) -> Priority:
    """Add a priority to the neighbourhood. `data` holds the EDITABLE_FIELDS; a resolved one
    needs its action, and is dated today unless an action date is given."""
    now = now or timezone.now()
    require_listing_manager(user, neighbourhood.pk, refusal=NOT_ALLOWED)
    values = _validate(data, today=_today(now), before=None)
    priority = Priority(neighbourhood=neighbourhood, updated_by=user, **values)
    priority.full_clean()
    priority._history_user = user
    with transaction.atomic():
        priority.save()
        priority_saved.send(sender=Priority, priority=priority)
    return priority


def priority_update(
    *,
    user: User,
    priority: Priority,
    data: dict[str, Any],
    now: datetime.datetime | None = None,
) -> Priority:
    """Change a priority (its status too). Saving it counts as reviewing it, so it is no
    longer overdue until PRIORITY_REVIEW_DAYS have passed again."""
    now = now or timezone.now()
    require_listing_manager(user, priority.neighbourhood_id, refusal=NOT_ALLOWED)
    with transaction.atomic():
        locked = Priority.objects.select_for_update().get(pk=priority.pk)
        values = _validate(data, today=_today(now), before=locked)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.updated_by = user
        locked.full_clean()
        locked._history_user = user
        locked.save(update_fields=[*values, "updated_by", "updated_at"])
        priority_saved.send(sender=Priority, priority=locked)
    for name in (*values, "updated_by_id", "updated_at"):
        setattr(priority, name, getattr(locked, name))
    return priority


def priority_raise_from_meeting(
    *, user: User, neighbourhood_id: int, issue: str, raised_on: datetime.date
) -> Priority:
    """An issue raised at a beat meeting, as an open priority of its neighbourhood dated the
    day of the meeting (for meetings.services.outcomes, in its transaction)."""
    require_listing_manager(user, neighbourhood_id, refusal=NOT_ALLOWED)
    priority = Priority(
        neighbourhood_id=neighbourhood_id,
        issue=issue,
        status=Priority.Status.OPEN,
        issue_date=raised_on,
    )
    priority.full_clean()
    priority.save()
    priority_saved.send(sender=Priority, priority=priority)
    return priority


def priorities_mark_discussed(*, priority_ids: list[int], now: datetime.datetime) -> None:
    """Priorities discussed at a meeting count as updated (reviewed) then. For
    meetings.services.outcomes, in its transaction."""
    Priority.objects.filter(pk__in=priority_ids).update(updated_at=now)


# --- Selectors ----------------------------------------------------------------------------------


def priority_for_staff(*, pk: int) -> Priority:
    """Raises Priority.DoesNotExist."""
    return Priority.objects.select_related("neighbourhood", "updated_by").get(pk=pk)


def overdue_priority_count(*, user: User, now: datetime.datetime | None = None) -> int:
    """How many priorities of the user's neighbourhoods are overdue for review (one query)."""
    now = now or timezone.now()
    return Priority.objects.filter(
        overdue_filter(now=now), neighbourhood__in=manageable_neighbourhoods(user)
    ).count()


def supervised_neighbourhoods(user: User) -> QuerySet[Neighbourhood]:
    """The neighbourhoods a supervisor leads now, as sergeant or inspector."""
    if Role.SUPERVISOR not in user_roles(user):
        return Neighbourhood.objects.none()
    led = (
        Assignment.objects.current()
        .filter(officer__user_id=user.pk, role__in=SUPERVISING_ROLES)
        .values("neighbourhood_id")
    )
    return Neighbourhood.objects.filter(pk__in=led)


@dataclass
class NeighbourhoodPriorities:
    neighbourhood: Neighbourhood
    priorities: list[Priority] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for p in self.priorities if p.is_overdue)


@dataclass
class StaffPriorities:
    groups: list[NeighbourhoodPriorities]
    shown: int
    total: int
    # For supervisors: the overdue priorities of the neighbourhoods they lead.
    supervised_overdue: list[Priority]
    supervised_overdue_total: int


STATUS_FILTERS = {
    "current": ~Q(status=Priority.Status.RESOLVED),
    "open": Q(status=Priority.Status.OPEN),
    "in_progress": Q(status=Priority.Status.IN_PROGRESS),
    "resolved": Q(status=Priority.Status.RESOLVED),
    "all": Q(),
}


def _supporters() -> Coalesce:
    """How many residents confirmed their support for the priority (Have your say)."""
    confirmed = (
        PrioritySupport.objects.filter(priority=OuterRef("pk"), confirmed_at__isnull=False)
        .order_by()
        .values("priority")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(confirmed), 0)


def staff_priorities(
    *,
    user: User,
    neighbourhood: Neighbourhood | None = None,
    status: str = "current",
    overdue_only: bool = False,
    now: datetime.datetime | None = None,
) -> StaffPriorities:
    """The user's neighbourhoods' priorities grouped by neighbourhood (by name), overdue ones
    first in each, then the newest. At most STAFF_LIST_LIMIT rows; three or four queries."""
    now = now or timezone.now()
    areas = manageable_neighbourhoods(user)
    if neighbourhood is not None:
        areas = areas.filter(pk=neighbourhood.pk)
    rows = _with_overdue(
        Priority.objects.filter(STATUS_FILTERS.get(status, STATUS_FILTERS["current"])).filter(
            neighbourhood__in=areas
        ),
        now,
    )
    if overdue_only:
        rows = rows.filter(is_overdue=True)
    total = rows.count()
    shown = list(
        rows.select_related("neighbourhood", "updated_by")
        .annotate(supporters=_supporters())
        .order_by("neighbourhood__name", "neighbourhood_id", "-is_overdue", "-issue_date", "-pk")[
            :STAFF_LIST_LIMIT
        ]
    )
    groups: list[NeighbourhoodPriorities] = []
    for priority in shown:
        if not groups or groups[-1].neighbourhood.pk != priority.neighbourhood_id:
            groups.append(NeighbourhoodPriorities(neighbourhood=priority.neighbourhood))
        groups[-1].priorities.append(priority)
    supervised: list[Priority] = []
    supervised_total = 0
    led = supervised_neighbourhoods(user)
    if Role.SUPERVISOR in user_roles(user):
        overdue = Priority.objects.filter(overdue_filter(now=now), neighbourhood__in=led)
        supervised_total = overdue.count()
        if supervised_total:
            supervised = list(
                overdue.select_related("neighbourhood").order_by(
                    "updated_at", "neighbourhood__name", "pk"
                )[:SUPERVISOR_OVERDUE_LIMIT]
            )
    return StaffPriorities(
        groups=groups,
        shown=len(shown),
        total=total,
        supervised_overdue=supervised,
        supervised_overdue_total=supervised_total,
    )


# --- The weekly email ---------------------------------------------------------------------------


def _notice_key(neighbourhood_id: int, now: datetime.datetime) -> str:
    year, week, _ = _today(now).isocalendar()
    return f"overdue-priorities {neighbourhood_id} {year}-W{week:02d}"


def overdue_priorities_notify(*, now: datetime.datetime | None = None) -> int:
    """Email the current officers of each neighbourhood with overdue priorities: one email per
    neighbourhood, listing them with a link to edit each. A neighbourhood emailed already this
    (ISO) week is skipped, so running again, or on two workers at once, writes nothing more.
    Returns how many emails were written."""
    now = now or timezone.now()
    list_url = absolute_url(reverse("priorities_staff:list"))
    written = 0
    with transaction.atomic():
        overdue = list(
            Priority.objects.filter(overdue_filter(now=now))
            .select_related("neighbourhood")
            .order_by("neighbourhood__name", "neighbourhood_id", "updated_at", "pk")
        )
        by_area: dict[int, list[Priority]] = defaultdict(list)
        for priority in overdue:
            by_area[priority.neighbourhood_id].append(priority)
        if not by_area:
            return 0
        # Lock the neighbourhoods, so a second run waits for this one and then sees its emails.
        list(
            Neighbourhood.objects.select_for_update()
            .filter(pk__in=list(by_area))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        keys = {pk: _notice_key(pk, now) for pk in by_area}
        sent = set(
            OutboxEmail.objects.filter(
                **{f"headers__{NOTICE_HEADER}__in": list(keys.values())}
            ).values_list(f"headers__{NOTICE_HEADER}", flat=True)
        )
        recipients = current_officer_addresses_by_language(list(by_area), _today(now))
        for pk, priorities in by_area.items():
            neighbourhood = priorities[0].neighbourhood
            if keys[pk] in sent:
                continue
            to = recipients.get(pk, [])
            if not to:
                logger.warning(
                    "%s has overdue priorities, but no current officer has an email address",
                    neighbourhood.name,
                )
                continue
            # One email for each language its officers read, in it: the names and statuses too.
            for language, addresses in to:
                with translation.override(language):
                    context = {
                        "neighbourhood": in_language(neighbourhood, "name"),
                        "review_days": review_days(),
                        "priorities": [
                            {
                                "issue": in_language(priority, "issue"),
                                "status": priority.get_status_display(),
                                "updated_on": priority.updated_at.astimezone(LONDON).date(),
                                "review_date": priority.review_date,
                                "url": absolute_url(
                                    reverse("priorities_staff:edit", kwargs={"pk": priority.pk})
                                ),
                            }
                            for priority in priorities
                        ],
                        "list_url": f"{list_url}?neighbourhood={neighbourhood.slug}&overdue=1",
                    }
                outbox_email_enqueue(
                    to=addresses,
                    template="engagement/email/overdue_priorities",
                    context=context,
                    headers={NOTICE_HEADER: keys[pk]},
                    language=language,
                )
            written += 1
    return written
