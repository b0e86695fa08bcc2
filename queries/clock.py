"""The response clock. A target is elapsed time (72 real hours by default), so a clock that
crosses the change to or from British Summer Time still runs exactly 72 hours; residents see
the deadline in Europe/London time."""

import datetime
from dataclasses import dataclass

from django.conf import settings

from queries.models import Query, QueryEvent, ResponseClock


@dataclass(frozen=True)
class Step:
    name: str
    after: datetime.timedelta
    notify: tuple[str, ...]


def target() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.RESPONSE_TARGET_HOURS)


def ladder() -> list[Step]:
    steps = [
        Step(s["step"], datetime.timedelta(hours=s["after_hours"]), tuple(s["notify"]))
        for s in settings.QUERY_ESCALATION_LADDER
    ]
    return sorted(steps, key=lambda s: s.after)


def first_look() -> Step:
    """The step a query with urgent words takes before the ladder: if nobody has answered it
    within QUERY_URGENT_FIRST_LOOK_HOURS, its holder and the sergeant are asked to look now."""
    return Step(
        "first_look",
        datetime.timedelta(hours=settings.QUERY_URGENT_FIRST_LOOK_HOURS),
        ("assigned_officer", "sergeant"),
    )


def ladder_for(query: Query) -> list[Step]:
    """The steps of the query's running clock: the ladder, after a first look on the first
    clock of a query flagged for urgent words."""
    steps = ladder()
    if query.urgent_reasons and query.clock == 1:
        return [first_look(), *steps]
    return steps


def steps_by_name() -> dict[str, Step]:
    """Every step a query can be pointed at, by name."""
    return {step.name: step for step in [first_look(), *ladder()]}


def step_named(name: str) -> Step:
    return steps_by_name()[name]


def next_step_after(query: Query, taken: str | None) -> Step | None:
    """The step of the query's clock that follows `taken` (the first when None)."""
    steps = ladder_for(query)
    if taken is None:
        return steps[0] if steps else None
    names = [step.name for step in steps]
    index = names.index(taken) + 1
    return steps[index] if index < len(steps) else None


def start(query: Query, at: datetime.datetime) -> None:
    """Start a new clock at `at` (a submission, or a resident's follow-up after an answer).
    Sets the fields; the caller saves them inside its transaction."""
    at = at.astimezone(datetime.UTC)  # elapsed hours, whatever zone the caller's time is in
    query.clock_started_at = at
    query.due_at = at + target()
    first = next_step_after(query, None)
    query.next_escalation_step = first.name if first else ""
    query.next_escalation_at = at + first.after if first else None
    query.status = Query.Status.OPEN


CLOCK_FIELDS = [
    "clock",
    "clock_started_at",
    "due_at",
    "next_escalation_at",
    "next_escalation_step",
    "status",
]


def stop(query: Query, at: datetime.datetime, officer) -> list[str]:
    """Stop the running clock at the first response sent to the resident. Records the first
    response of the first clock for the dashboards. Returns the fields it changed."""
    changed = ["status", "next_escalation_at", "next_escalation_step"]
    query.status = Query.Status.ANSWERED
    query.next_escalation_at = None
    query.next_escalation_step = ""
    if query.first_response_at is None:
        query.first_response_at = at
        query.first_response_seconds = int((at - query.submitted_at).total_seconds())
        query.first_response_met_target = at <= query.due_at
        query.first_response_officer = officer
        changed += [
            "first_response_at",
            "first_response_seconds",
            "first_response_met_target",
            "first_response_officer",
        ]
    return changed


def advance(query: Query, taken: Step) -> list[str]:
    """Point the query at the step after `taken` on the same clock. Returns changed fields."""
    following = next_step_after(query, taken.name)
    query.next_escalation_step = following.name if following else ""
    query.next_escalation_at = query.clock_started_at + following.after if following else None
    return ["next_escalation_step", "next_escalation_at"]


# --- The record the dashboards count (one ResponseClock row per clock) ---------------------------


def record_start(query: Query) -> ResponseClock:
    """Record the clock `start` began, once the query is saved."""
    return ResponseClock.objects.create(
        query=query,
        number=query.clock,
        neighbourhood_id=query.neighbourhood_id,
        topic=query.topic,
        started_at=query.clock_started_at,
        due_at=query.due_at,
    )


def _running(query: Query):
    return ResponseClock.objects.filter(
        query_id=query.pk, number=query.clock, answered_at__isnull=True, ended_at__isnull=True
    )


def record_answer(query: Query, at: datetime.datetime, answer: QueryEvent | None = None) -> None:
    """Record the answer that stopped the running clock (the reply `answer`, which the
    resident is asked about), and who held the query then."""
    # UTC for a tidy value only: `at` is used only by subtraction, comparison and the database,
    # which all take the instant whatever its zone, so no test can tell `astimezone(None)` (the
    # server's zone) from UTC here; the mutation test keeps that one mutant alive.
    at = at.astimezone(datetime.UTC)
    started = query.clock_started_at
    _running(query).update(
        answered_at=at,
        response_seconds=max(int((at - started).total_seconds()), 0),
        met_target=at <= query.due_at,
        held_by_id=query.assigned_officer_id,
        answer=answer,
    )


def record_end(query: Query, at: datetime.datetime) -> None:
    """Record that the query was closed with its clock still running, unanswered."""
    _running(query).update(ended_at=at)
