"""The public scorecard: how a neighbourhood, a division or the force keeps the Guarantee, in
figures anyone may see. The figures are the staff dashboard's (dashboards.selectors.sla), read
for the same scope and days, so the public and staff pages can never disagree; this module only
chooses which of them to publish and hides those counted over too few queries.

- queries: responses decided in the period (answered, or past their deadline), the dashboard's
  met + missed. Answered within the target: met. The share: the dashboard's share within target.
- typical time to answer: the dashboard's median time to first response.
- fewer than PUBLIC_SUPPRESSION_THRESHOLD queries: no count, no share, no typical time.

Only aggregates: no query's words, no resident, no officer's own figures.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max, Min, Q
from django.utils import timezone

from config.dates import LONDON
from dashboards.periods import days_period
from dashboards.selectors import sla
from dashboards.selectors.shares import share_percent
from engagement.models import Priority
from meetings.models import Event
from meetings.staleness import BEAT_MEETING_TYPES
from neighbourhoods.models import Division, Neighbourhood
from officers.models import Assignment
from officers.scopes import FORCE, Scope

# "Recently": the panel's and the pages' headline period, the dashboard's 90-day preset.
RECENT_DAYS = 90
TREND_MONTHS = 12
# The longest run of months the open data answers at once.
MOST_MONTHS = 36


@dataclass(frozen=True)
class Figures:
    """The published SLA figures of one period. Suppressed: fewer than the threshold decided,
    so `queries`, `met`, `share_percent` and `median_seconds` are all None."""

    first_day: datetime.date
    last_day: datetime.date
    suppressed: bool
    queries: int | None
    met: int | None
    share_percent: int | None
    median_seconds: int | None

    @property
    def median_hours(self) -> int | None:
        """The typical time in whole hours, rounded to the nearest."""
        return None if self.median_seconds is None else (self.median_seconds + 1800) // 3600


@dataclass(frozen=True)
class Scorecard:
    """A scope's recent figures, and for a neighbourhood its Guarantee dates, as of
    `computed_at`."""

    scope_key: str
    label: str
    figures: Figures
    computed_at: datetime.datetime
    last_beat_meeting: datetime.datetime | None = None
    next_beat_meeting: datetime.datetime | None = None
    priorities_updated: datetime.datetime | None = None
    named_officer_since: datetime.date | None = None
    # For a division or the force: its neighbourhoods' recent figures, for the comparison.
    neighbourhoods: list["AreaFigures"] = field(default_factory=list)


@dataclass(frozen=True)
class AreaFigures:
    name: str
    slug: str
    code: str
    division_name: str
    figures: Figures


def threshold() -> int:
    return settings.PUBLIC_SUPPRESSION_THRESHOLD


def published(
    *,
    first_day: datetime.date,
    last_day: datetime.date,
    met: int,
    missed: int,
    median_seconds: int | None,
) -> Figures:
    """What may be published of the dashboard's counts."""
    decided = met + missed
    if decided < threshold():
        return Figures(first_day, last_day, True, None, None, None, None)
    return Figures(
        first_day,
        last_day,
        False,
        decided,
        met,
        share_percent(sla.share(met, missed)),
        median_seconds,
    )


def scorecard_figures(
    *,
    scope: Scope,
    start: datetime.date,
    end: datetime.date,
    now: datetime.datetime | None = None,
) -> Figures:
    """The published figures of the scope over the London days `start` to `end` inclusive:
    the staff dashboard's sla_figures for the same scope and days."""
    if scope.officer_id is not None:
        raise ValueError("Officers' own figures are not published.")
    now = now or timezone.now()
    figures = sla.sla_figures(scope=scope, period=days_period(start, end), now=now)
    return published(
        first_day=start,
        last_day=end,
        met=figures.met,
        missed=figures.missed,
        median_seconds=figures.median_seconds,
    )


# --- Months -----------------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> int:
    """How many months from `first`'s to `last`'s, both included."""
    return (last.year - first.year) * 12 + last.month - first.month + 1


def default_months(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last TREND_MONTHS whole months before this one."""
    last = add_months(month_start(today), -1)
    return add_months(last, -(TREND_MONTHS - 1)), last


def monthly_figures(
    *,
    scope: Scope,
    first_month: datetime.date,
    last_month: datetime.date,
    now: datetime.datetime | None = None,
) -> list[Figures]:
    """Each London calendar month from `first_month` to `last_month` (firsts of months) with
    its published figures; the current month up to today."""
    now = now or timezone.now()
    today = now.astimezone(LONDON).date()
    months = []
    month = first_month
    while month <= last_month:
        end = min(add_months(month, 1) - datetime.timedelta(days=1), today)
        months.append(scorecard_figures(scope=scope, start=month, end=end, now=now))
        month = add_months(month, 1)
    return months


# --- Scopes and the neighbourhood's Guarantee dates -------------------------------------------


def force_scope() -> Scope:
    return Scope(key=FORCE, label=settings.FORCE_NAME, neighbourhood_ids=None)


def division_scope(division: Division) -> Scope:
    ids = frozenset(division.neighbourhoods.values_list("pk", flat=True))
    return Scope(key=f"division:{division.slug}", label=division.name, neighbourhood_ids=ids)


def neighbourhood_scope(neighbourhood: Neighbourhood) -> Scope:
    return Scope(
        key=f"neighbourhood:{neighbourhood.slug}",
        label=neighbourhood.name,
        neighbourhood_ids=frozenset({neighbourhood.pk}),
    )


def recent_days(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=RECENT_DAYS - 1), today


def _guarantee_dates(neighbourhood: Neighbourhood, now: datetime.datetime) -> dict:
    beat = Event.objects.listed().filter(
        neighbourhood=neighbourhood, event_type__in=BEAT_MEETING_TYPES
    )
    meetings = beat.order_by().aggregate(
        last=Max("starts_at", filter=Q(starts_at__lte=now)),
        next=Min("starts_at", filter=Q(starts_at__gt=now)),
    )
    priorities = Priority.objects.filter(neighbourhood=neighbourhood).aggregate(
        updated=Max("updated_at")
    )
    named = (
        Assignment.objects.current(now.astimezone(LONDON).date())
        .filter(neighbourhood=neighbourhood, role=Assignment.Role.NAMED_OFFICER)
        .order_by("start_date")
        .values_list("start_date", flat=True)
        .first()
    )
    return {
        "last_beat_meeting": meetings["last"],
        "next_beat_meeting": meetings["next"],
        "priorities_updated": priorities["updated"],
        "named_officer_since": named,
    }


def neighbourhood_scorecard(
    *, neighbourhood: Neighbourhood, now: datetime.datetime | None = None
) -> Scorecard:
    now = now or timezone.now()
    start, end = recent_days(now.astimezone(LONDON).date())
    scope = neighbourhood_scope(neighbourhood)
    return Scorecard(
        scope_key=scope.key,
        label=scope.label,
        figures=scorecard_figures(scope=scope, start=start, end=end, now=now),
        computed_at=now,
        **_guarantee_dates(neighbourhood, now),
    )


def area_scorecard(*, scope: Scope, now: datetime.datetime | None = None) -> Scorecard:
    """A division's or the force's recent figures, with each of its neighbourhoods' (the
    dashboard's neighbourhood table, so the same counts; medians are not in it)."""
    now = now or timezone.now()
    start, end = recent_days(now.astimezone(LONDON).date())
    rows = sla.neighbourhood_table(scope=scope, period=days_period(start, end), now=now)
    codes = dict(
        Neighbourhood.objects.filter(pk__in=[row.neighbourhood_id for row in rows]).values_list(
            "pk", "code"
        )
    )
    areas = [
        AreaFigures(
            name=row.name,
            slug=row.slug,
            code=codes.get(row.neighbourhood_id, ""),
            division_name=row.division_name,
            figures=published(
                first_day=start,
                last_day=end,
                met=row.met,
                missed=row.missed,
                median_seconds=None,
            ),
        )
        for row in rows
    ]
    return Scorecard(
        scope_key=scope.key,
        label=scope.label,
        figures=scorecard_figures(scope=scope, start=start, end=end, now=now),
        computed_at=now,
        neighbourhoods=areas,
    )
