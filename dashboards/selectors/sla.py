"""The SLA and Guarantee dashboards' figures, for a scope and a period.

Every figure is an aggregate computed by the database over ResponseClock rows (one per clock a
query runs), so each function runs the same few statements however many clocks there are. On
PostgreSQL the period's counts for the force, a division or a neighbourhood are summed from
the day counts the database keeps with the clocks (dashboards.selectors.tallied), so they cost
the same whatever the history; an officer's, and any on SQLite, count the clock rows. The
percentiles find the hour of response time holding them from hour counts kept the same way
and read only that hour's first answers, to the second. The definitions,
which the dashboard's help text repeats:

- A clock is in a scope when its neighbourhood is; for an officer, when it was answered while
  they held the query (`held_by`), or is unanswered and the query is assigned to them now.
- received: first clocks started in the period (queries sent in it). responses due: every clock
  started in the period, follow-ups included. answered: those with an answer.
- met: answered by the deadline (an answer exactly at the deadline meets it). missed: answered
  late, or unanswered with the deadline passed and not closed before it.
- share within target: met / (met + missed); None when both are 0. Clocks still running and not
  yet due are not decided, so they are in neither.
- median and 90th percentile time to first response: nearest rank (the p-th of v1..vn sorted is
  v[ceil(p * n)]) over the first clocks started in the period and answered.
- open now, at risk (due within 24 hours) and breached and still open: running clocks (neither
  answered nor closed), whatever the period.
- resident escalations: queries of the scope a resident escalated in the period.
"""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from config.dates import LONDON
from dashboards.periods import Period
from dashboards.selectors import percentiles, tallied
from dashboards.selectors.abstractions import AbstractionFigures
from dashboards.selectors.abstractions import guarantee_figures as abstraction_figures
from dashboards.selectors.abstractions import guarantee_subqueries as abstraction_subqueries
from engagement.models import Priority
from meetings.models import Event
from meetings.staleness import BEAT_MEETING_TYPES, meetings_without_outcome
from neighbourhoods.models import Neighbourhood
from officers.models import Assignment
from officers.scopes import Scope
from queries.models import Query, ResponseClock, Topic

AT_RISK_WITHIN = datetime.timedelta(hours=24)
# "Recent" for the Guarantee panel: priorities updated and beat meetings held.
GUARANTEE_RECENT = datetime.timedelta(days=90)
# The figures a drill-down lists the queries behind.
FIGURES = (
    "received",
    "answered",
    "met",
    "missed",
    "open",
    "at_risk",
    "breached",
    "escalated",
    "urgent",
)
# The figures of the clocks running now: a query has at most one running clock.
RUNNING_FIGURES = ("open", "at_risk", "breached")
# What a drill-down never reads: the resident's details and words, and what officers wrote
# that may quote them, and each neighbourhood's boundary (large, and not needed).
NOT_LOADED = (
    "name",
    "email",
    "phone",
    "message",
    "token_hash",
    "contact_preference",
    "consented_at",
    "outcome",
    "neighbourhood__boundary",
)


# --- The rules, as conditions on ResponseClock rows -------------------------------------------

RUNNING = Q(answered_at__isnull=True, ended_at__isnull=True)
ANSWERED = Q(answered_at__isnull=False)
MET = Q(met_target=True)


def _started_in(period: Period) -> Q:
    return Q(started_at__gte=period.start, started_at__lt=period.end)


def _missed(now: datetime.datetime) -> Q:
    """Answered late, or unanswered past its deadline and not closed before it."""
    unanswered_past_due = Q(answered_at__isnull=True, due_at__lt=now) & (
        Q(ended_at__isnull=True) | Q(ended_at__gte=F("due_at"))
    )
    return Q(met_target=False) | unanswered_past_due


def _at_risk(now: datetime.datetime) -> Q:
    return RUNNING & Q(due_at__gte=now, due_at__lt=now + AT_RISK_WITHIN)


def _breached_open(now: datetime.datetime) -> Q:
    return RUNNING & Q(due_at__lt=now)


def clocks_in(scope: Scope) -> QuerySet[ResponseClock]:
    """The clocks whose figures belong to the scope."""
    clocks = ResponseClock.objects.order_by()
    if scope.officer_id is not None:
        assigned_now = Query.objects.filter(assigned_officer_id=scope.officer_id).values("pk")
        # `held_by` is written only with the answer (queries.clock.record_answer, the demo's
        # answered history): mutation testing keeps the first clause without
        # `answered_at__isnull=False` alive.
        return clocks.filter(
            Q(answered_at__isnull=False, held_by_id=scope.officer_id)
            | Q(answered_at__isnull=True, query_id__in=assigned_now)
        )
    if scope.neighbourhood_ids is not None:
        return clocks.filter(neighbourhood_id__in=scope.neighbourhood_ids)
    return clocks


def queries_in(scope: Scope) -> QuerySet[Query]:
    """The queries of the scope: of its neighbourhoods; for an officer, those assigned to them
    now and those they held when a clock was answered."""
    queries = Query.objects.order_by()
    if scope.officer_id is not None:
        held = ResponseClock.objects.filter(query_id=OuterRef("pk"), held_by_id=scope.officer_id)
        return queries.filter(Q(assigned_officer_id=scope.officer_id) | Exists(held))
    if scope.neighbourhood_ids is not None:
        return queries.filter(neighbourhood_id__in=scope.neighbourhood_ids)
    return queries


def share(met: int, missed: int) -> float | None:
    decided = met + missed
    return met / decided if decided else None


def _decided_counts(period: Period, now: datetime.datetime) -> dict[str, Count]:
    """The period's counts, as aggregate expressions."""
    started = _started_in(period)
    return {
        "received": Count("pk", filter=started & Q(number=1)),
        "responses_due": Count("pk", filter=started),
        "answered": Count("pk", filter=started & ANSWERED),
        "met": Count("pk", filter=started & MET),
        "missed": Count("pk", filter=started & _missed(now)),
    }


def _running_counts(now: datetime.datetime) -> dict[str, Count]:
    return {
        "open_now": Count("pk", filter=RUNNING),
        "breached_open": Count("pk", filter=_breached_open(now)),
    }


# --- Headline figures -------------------------------------------------------------------------


@dataclass(frozen=True)
class SlaFigures:
    received: int
    responses_due: int
    answered: int
    met: int
    missed: int
    share_met: float | None
    median_seconds: int | None
    p90_seconds: int | None
    open_now: int
    at_risk: int
    breached_open: int
    resident_escalations: int
    urgent_flagged: int


def _escalated_in(period: Period) -> Q:
    return Q(resident_escalated_at__gte=period.start, resident_escalated_at__lt=period.end)


def _urgent_in(period: Period) -> Q:
    """Queries sent in the period whose message read as an emergency (queries.urgency)."""
    return Q(submitted_at__gte=period.start, submitted_at__lt=period.end) & ~Q(urgent_reasons=[])


def _flagged_counts(scope: Scope, period: Period) -> dict[str, int]:
    """The queries a resident escalated in the period and those sent in it with urgent words:
    one statement, each counted from its own partial index (which holds the neighbourhood),
    reading the index alone for the force, a division or a neighbourhood."""
    escalated, urgent = _escalated_in(period), _urgent_in(period)
    # Both forms count the same queries for any scope, in one statement; only the plan differs
    # (an officer's queries are not in those indexes): mutation testing keeps `is None` alive.
    if scope.officer_id is not None:
        return (
            queries_in(scope)
            .filter(escalated | urgent)
            .aggregate(escalations=Count("pk", filter=escalated), urgent=Count("pk", filter=urgent))
        )
    counted = [
        queries_in(scope).filter(escalated).values("resident_escalated_at"),
        queries_in(scope).filter(urgent).values("submitted_at"),
    ]
    compiled = [rows.query.sql_with_params() for rows in counted]
    selects = ", ".join(f"(SELECT count(*) FROM ({sql}) AS flagged)" for sql, _ in compiled)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selects}", [param for _, params in compiled for param in params])
        escalations, urgent_count = cursor.fetchone()
    return {"escalations": escalations, "urgent": urgent_count}


def sla_figures(*, scope: Scope, period: Period, now: datetime.datetime) -> SlaFigures:
    """The headline figures: four statements (the counts, the escalations and urgent words,
    and one for each percentile)."""
    clocks = clocks_in(scope)
    started = _started_in(period)
    joined = tallied.applies(scope)
    if joined:
        counts = tallied.period_counts(scope=scope, period=period)
        running = tallied.running_counts(
            scope=scope,
            period=period,
            now=now,
            at_risk=_at_risk(now),
        )
        counts["missed"] -= running.pop("not_yet_due")
        counts.update(running)
    else:
        counts = clocks.filter(started | RUNNING).aggregate(
            **_decided_counts(period, now),
            **_running_counts(now),
            at_risk=Count("pk", filter=_at_risk(now)),
            first_answered=Count("pk", filter=started & Q(number=1) & ANSWERED),
        )
        answered_first = counts.pop("first_answered")
    flagged = _flagged_counts(scope, period)
    if joined:
        median, p90 = percentiles.from_hours(scope=scope, period=period)
    else:
        # PostgreSQL sorts the unanswered clocks' empty times last, after the ranks asked for
        # (at most the answered count): mutation testing keeps the filter without ANSWERED
        # alive there; SQLite would sort them first.
        first_answers = clocks.filter(started, ANSWERED, number=1)
        median, p90 = percentiles.median_and_p90(first_answers, answered_first)
    return SlaFigures(
        **counts,
        share_met=share(counts["met"], counts["missed"]),
        median_seconds=median,
        p90_seconds=p90,
        resident_escalations=flagged["escalations"],
        urgent_flagged=flagged["urgent"],
    )


# --- Weekly trend -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekRow:
    week_start: datetime.date  # a Monday, London time
    responses_due: int
    answered: int
    met: int
    missed: int
    share_met: float | None


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def weekly_trend(
    *, scope: Scope, period: Period, now: datetime.datetime | None = None
) -> list[WeekRow]:
    """For each London week (Monday to Sunday) overlapping the period, the clocks started in
    it within the period; weeks without any are rows of zeros. One statement."""
    now = now or timezone.now()
    counts = _decided_counts(period, now)
    del counts["received"]
    if tallied.applies(scope):
        by_week = tallied.by_week(scope=scope, period=period, now=now)
    else:
        # Django's current time zone, and the process's, are TIME_ZONE (Europe/London):
        # mutation testing keeps `tzinfo=None` (or no tzinfo) and `astimezone(None)` alive here.
        rows = (
            clocks_in(scope)
            .filter(_started_in(period))
            .annotate(week=TruncWeek("started_at", tzinfo=LONDON))
            .values("week")
            .annotate(**counts)
        )
        by_week = {row.pop("week").astimezone(LONDON).date(): row for row in rows}
    weeks = []
    week = _monday(period.first_day)
    while week <= period.last_day:
        row = by_week.get(week, dict.fromkeys(counts, 0))
        weeks.append(WeekRow(week_start=week, **row, share_met=share(row["met"], row["missed"])))
        week += datetime.timedelta(weeks=1)
    return weeks


# --- Neighbourhoods ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRow:
    neighbourhood_id: int
    name: str
    slug: str
    division_name: str
    received: int
    responses_due: int
    answered: int
    met: int
    missed: int
    share_met: float | None
    open_now: int
    breached_open: int


def neighbourhood_table(*, scope: Scope, period: Period, now: datetime.datetime) -> list[AreaRow]:
    """Each neighbourhood of the scope with its figures, the worst share first (no share
    last), then by name. For an officer: the neighbourhoods they serve now and any where
    their clocks fall. Two statements."""
    counts = {**_decided_counts(period, now), **_running_counts(now)}
    if tallied.applies(scope):
        figures = tallied.by_neighbourhood(scope=scope, period=period, now=now)
    else:
        figures = {
            row.pop("neighbourhood_id"): row
            for row in clocks_in(scope)
            .filter(_started_in(period) | RUNNING)
            .values("neighbourhood_id")
            .annotate(**counts)
        }
    areas = Neighbourhood.objects.order_by()
    if scope.officer_id is not None:
        areas = areas.filter(pk__in={*(scope.neighbourhood_ids or ()), *figures})
    elif scope.neighbourhood_ids is not None:
        areas = areas.filter(pk__in=scope.neighbourhood_ids)
    rows = []
    for pk, name, slug, division_name in areas.values_list("pk", "name", "slug", "division__name"):
        row = figures.get(pk, dict.fromkeys(counts, 0))
        rows.append(
            AreaRow(
                neighbourhood_id=pk,
                name=name,
                slug=slug,
                division_name=division_name or "",
                **row,
                share_met=share(row["met"], row["missed"]),
            )
        )
    rows.sort(key=lambda r: (r.share_met is None, r.share_met or 0.0, r.name, r.neighbourhood_id))
    return rows


# --- Topics -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicRow:
    topic: str
    label: str
    received: int
    responses_due: int
    met: int
    missed: int
    share_met: float | None


def topic_table(
    *, scope: Scope, period: Period, now: datetime.datetime | None = None
) -> list[TopicRow]:
    """Every topic, in the order residents choose them, with its figures for the period.
    One statement."""
    now = now or timezone.now()
    counts = _decided_counts(period, now)
    del counts["answered"]
    if tallied.applies(scope):
        figures = tallied.by_topic(scope=scope, period=period, now=now)
    else:
        figures = {
            row.pop("topic"): row
            for row in clocks_in(scope)
            .filter(_started_in(period))
            .values("topic")
            .annotate(**counts)
        }
    labels = dict(Topic.choices)
    topics = [*labels, *sorted(set(figures) - set(labels))]
    rows = []
    for topic in topics:
        row = figures.get(topic, dict.fromkeys(counts, 0))
        rows.append(
            TopicRow(
                topic=topic,
                label=labels.get(topic, topic),
                **row,
                share_met=share(row["met"], row["missed"]),
            )
        )
    return rows


# --- The Guarantee ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GuaranteeFigures:
    neighbourhoods: int
    with_named_officer: int
    priorities_recent: int
    meeting_held_recent: int
    meeting_scheduled: int
    held_and_scheduled: int
    meetings_without_outcome: int
    # Hours abstracted in the last 28 days, officers abstracted and the top reason.
    abstractions: AbstractionFigures

    def _of_all(self, count: int) -> float | None:
        return count / self.neighbourhoods if self.neighbourhoods else None

    @property
    def share_with_named_officer(self) -> float | None:
        return self._of_all(self.with_named_officer)

    @property
    def share_priorities_recent(self) -> float | None:
        return self._of_all(self.priorities_recent)

    @property
    def share_meeting_held_recent(self) -> float | None:
        return self._of_all(self.meeting_held_recent)

    @property
    def share_meeting_scheduled(self) -> float | None:
        return self._of_all(self.meeting_scheduled)

    @property
    def share_held_and_scheduled(self) -> float | None:
        return self._of_all(self.held_and_scheduled)


def _areas_of(scope: Scope) -> QuerySet[Neighbourhood]:
    areas = Neighbourhood.objects.order_by()
    if scope.neighbourhood_ids is not None:
        areas = areas.filter(pk__in=scope.neighbourhood_ids)
    return areas


def guarantee_panel(*, scope: Scope, now: datetime.datetime) -> GuaranteeFigures:
    """The Guarantee over the scope's neighbourhoods (an officer's: those they serve now): how
    many have a named officer now, a priority updated in the last 90 days, a beat meeting
    held in the last 90 days and one scheduled; and the meetings missing an outcome. Two
    statements."""
    # Django sets the process's time zone to TIME_ZONE (Europe/London): mutation testing keeps
    # `astimezone(None)` alive here.
    today = now.astimezone(LONDON).date()
    named = Assignment.objects.current(today).filter(
        neighbourhood_id=OuterRef("pk"), role=Assignment.Role.NAMED_OFFICER
    )
    priority = Priority.objects.filter(
        neighbourhood_id=OuterRef("pk"), updated_at__gte=now - GUARANTEE_RECENT
    )
    beat_meetings = Event.objects.filter(
        neighbourhood_id=OuterRef("pk"), event_type__in=BEAT_MEETING_TYPES
    )
    held = beat_meetings.exclude(status=Event.Status.CANCELLED).filter(
        ends_at__gte=now - GUARANTEE_RECENT, ends_at__lt=now
    )
    scheduled = beat_meetings.filter(status=Event.Status.SCHEDULED, starts_at__gt=now)
    areas = _areas_of(scope)
    counts = areas.aggregate(
        neighbourhoods=Count("pk"),
        with_named_officer=Count("pk", filter=Exists(named)),
        priorities_recent=Count("pk", filter=Exists(priority)),
        meeting_held_recent=Count("pk", filter=Exists(held)),
        meeting_scheduled=Count("pk", filter=Exists(scheduled)),
        held_and_scheduled=Count("pk", filter=Exists(held) & Exists(scheduled)),
        # Scalar subqueries, read in the same statement (NULL when the scope has no areas).
        **{name: Max(sub) for name, sub in abstraction_subqueries(scope, now).items()},
    )
    abstractions = abstraction_figures(
        time=counts.pop("abstracted_time"),
        officers=counts.pop("abstracted_officers"),
        reason=counts.pop("abstracted_reason"),
    )
    missing = meetings_without_outcome(now=now)
    if scope.neighbourhood_ids is not None:
        missing = missing.filter(neighbourhood_id__in=scope.neighbourhood_ids)
    return GuaranteeFigures(
        **counts, meetings_without_outcome=missing.count(), abstractions=abstractions
    )


# --- Drill-down -------------------------------------------------------------------------------


def _figure_condition(figure: str, period: Period, now: datetime.datetime) -> Q:
    started = _started_in(period)
    match figure:
        case "received":
            return started & Q(number=1)
        case "answered":
            return started & ANSWERED
        case "met":
            return started & MET
        case "missed":
            return started & _missed(now)
        case "open":
            return RUNNING
        case "at_risk":
            return _at_risk(now)
        case "breached":
            return _breached_open(now)
    raise ValueError(f"“{figure[:40]}” is not a dashboard figure.")


def drilldown(
    *, scope: Scope, period: Period, figure: str, now: datetime.datetime
) -> QuerySet[Query]:
    """The queries behind a figure, newest first, with their neighbourhood and assigned
    officer and without the resident's details. A query with several clocks counted (a
    follow-up) is listed once. Raises ValueError for a figure that is not one of FIGURES
    (from _figure_condition, which every other figure reaches)."""
    if figure == "escalated":
        queries = queries_in(scope).filter(_escalated_in(period))
    elif figure == "urgent":
        queries = queries_in(scope).filter(_urgent_in(period))
    elif figure in RUNNING_FIGURES:
        # Newest first through the index on submission, each query checked against its
        # running clock (clock_running_query) until the page is full: the page reads the few
        # queries it lists (and those not yet due), however many are breached. (Both forms
        # list the same queries; only the plan differs, which bench/dashboard.py times:
        # mutation testing keeps `not in RUNNING_FIGURES` alive here.)
        behind = clocks_in(scope).filter(_figure_condition(figure, period, now))
        queries = Query.objects.filter(Exists(behind.filter(query_id=OuterRef("pk"))))
    else:
        behind = clocks_in(scope).filter(_figure_condition(figure, period, now))
        queries = Query.objects.filter(pk__in=behind.values("query_id"))
    # "-pk" puts queries sent at the same moment in a fixed order; PostgreSQL happened to
    # return those of the tests in it without (mutation testing keeps that alive).
    return (
        queries.select_related("neighbourhood", "assigned_officer")
        .defer(*NOT_LOADED)
        .order_by("-submitted_at", "-pk")
    )


def drilldown_count(
    *, scope: Scope, period: Period, figure: str, now: datetime.datetime
) -> int | None:
    """How many queries the drill-down of a running figure lists, from the running counts
    kept with the clocks (one statement, whatever the number of rows), or None where they
    are not kept (an officer's figures, SQLite) or for another figure: count the list."""
    if figure not in RUNNING_FIGURES or not tallied.applies(scope):
        return None
    running = tallied.running_counts(scope=scope, period=period, now=now, at_risk=_at_risk(now))
    return {"open": running["open_now"], "at_risk": running["at_risk"]}.get(
        figure, running["breached_open"]
    )
