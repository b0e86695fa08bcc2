"""Reads for the staff inbox and a query's page: which queries a user sees, filtered and in
due order, the time left on each clock, and a query's timeline."""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, F, Q, When

from queries import permissions
from queries.models import Query, QueryEvent, QueryQuerySet

NEW_WITHIN = datetime.timedelta(hours=24)
DUE_WITHIN = datetime.timedelta(hours=24)
# Timeline entries whose text is the resident's own words, hidden from those who may not see
# the resident's details.
RESIDENT_WORDS = frozenset(
    {
        QueryEvent.Kind.SUBMITTED,
        QueryEvent.Kind.RESIDENT_MESSAGE,
        QueryEvent.Kind.RESIDENT_ESCALATION,
    }
)
# Timeline entries written by officers to or about the resident: they may quote the resident's
# name, address or phone number, so they are hidden from the same people.
MAY_NAME_THE_RESIDENT = frozenset(
    {
        QueryEvent.Kind.REPLY,
        QueryEvent.Kind.NOTE,
        QueryEvent.Kind.CLOSED,
        QueryEvent.Kind.REASSIGNED,
    }
)
HIDDEN_RESIDENT_WORDS = "Not shown: the resident's own words."
HIDDEN_MAY_NAME_THE_RESIDENT = "Hidden: may contain the resident's details."


class InboxFilter(StrEnum):
    CURRENT = ""
    NEW = "new"
    DUE_SOON = "due"
    BREACHED = "breached"
    ANSWERED = "answered"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return FILTER_LABELS[self]


FILTER_LABELS = {
    InboxFilter.CURRENT: "All not closed",
    InboxFilter.NEW: "New",
    InboxFilter.DUE_SOON: "Due within 24 hours",
    InboxFilter.BREACHED: "Overdue",
    InboxFilter.ANSWERED: "Answered",
    InboxFilter.CLOSED: "Closed",
}


def _filtered(queries: QueryQuerySet, chosen: InboxFilter, now: datetime.datetime):
    open_ = Q(status=Query.Status.OPEN)
    match chosen:
        case InboxFilter.NEW:
            return queries.filter(
                open_, first_response_at__isnull=True, submitted_at__gte=now - NEW_WITHIN
            )
        case InboxFilter.DUE_SOON:
            return queries.filter(open_, due_at__gte=now, due_at__lte=now + DUE_WITHIN)
        case InboxFilter.BREACHED:
            return queries.filter(open_, due_at__lt=now)
        case InboxFilter.ANSWERED:
            return queries.filter(status=Query.Status.ANSWERED)
        case InboxFilter.CLOSED:
            return queries.filter(status=Query.Status.CLOSED)
    return queries.exclude(status=Query.Status.CLOSED)


def inbox_queries(
    *,
    user: AbstractBaseUser | AnonymousUser,
    chosen: InboxFilter = InboxFilter.CURRENT,
    mine_only: bool = False,
    now: datetime.datetime,
) -> QueryQuerySet:
    """The queries the user may read, narrowed by a filter (and to those assigned to them):
    those waiting for a response first, soonest due first; then answered ones, most recently
    due first. One query for the rows, whatever their number."""
    queries = permissions.readable_queries(user)
    if mine_only:
        queries = queries.filter(assigned_officer__user_id=user.pk)
    return (
        _filtered(queries, chosen, now)
        .select_related("neighbourhood", "assigned_officer")
        .annotate(waiting=Case(When(status=Query.Status.OPEN, then=0), default=1))
        .order_by(
            "waiting",
            Case(When(status=Query.Status.OPEN, then=F("due_at"))).asc(),
            F("due_at").desc(),
            "pk",
        )
    )


def _span(delta: datetime.timedelta) -> str:
    """'2 days 3 hours', '5 hours', '40 minutes': the largest two units, rounded down."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)

    def unit(count: int, name: str) -> str:
        return f"{count} {name}{'' if count == 1 else 's'}"

    if days:
        return unit(days, "day") + (f" {unit(hours, 'hour')}" if hours else "")
    if hours:
        return unit(hours, "hour")
    if minutes:
        return unit(minutes, "minute")
    return ""


def time_left(query: Query, now: datetime.datetime) -> str:
    """The clock in words: '2 days 3 hours left', 'Overdue by 5 hours', 'Answered'."""
    if query.status == Query.Status.CLOSED:
        return "Closed"
    if query.status == Query.Status.ANSWERED:
        return "Answered"
    remaining = query.due_at - now
    if remaining >= datetime.timedelta(0):
        span = _span(remaining)
        return f"{span} left" if span else "Less than a minute left"
    span = _span(-remaining)
    return f"Overdue by {span}" if span else "Overdue by less than a minute"


def is_breached(query: Query, now: datetime.datetime) -> bool:
    return query.status == Query.Status.OPEN and now > query.due_at


@dataclass(frozen=True)
class StatusTag:
    text: str
    colour: str


def status_tag(query: Query, now: datetime.datetime) -> StatusTag:
    if query.status == Query.Status.CLOSED:
        return StatusTag("Closed", "grey")
    if query.status == Query.Status.ANSWERED:
        return StatusTag("Answered", "green")
    if is_breached(query, now):
        return StatusTag("Overdue", "red")
    return StatusTag("Waiting for a response", "blue")


@dataclass(frozen=True)
class InboxRow:
    query: Query
    time_left: str
    tag: StatusTag


def inbox_rows(queries, now: datetime.datetime) -> list[InboxRow]:
    """Rows of one page, with the clock in words; no further SQL."""
    return [InboxRow(q, time_left(q, now), status_tag(q, now)) for q in queries]


def query_for_staff(*, reference: str) -> Query:
    """A query with what its page shows; Query.DoesNotExist when there is none."""
    return Query.objects.select_related(
        "neighbourhood", "assigned_officer", "first_response_officer"
    ).get(reference=reference)


@dataclass(frozen=True)
class TimelineEntry:
    event: QueryEvent
    who: str
    body: str


def _who(event: QueryEvent) -> str:
    author = event.author
    if author is None:
        return "The resident" if event.kind in RESIDENT_WORDS else "The portal"
    officer = getattr(author, "officer", None)
    if officer is not None:
        return f"{officer.get_rank_display()} {officer.display_name}"
    return author.get_full_name() or author.get_username()


def _shown_body(event: QueryEvent, see_resident: bool) -> str:
    if see_resident or not event.body:
        return event.body
    if event.kind in RESIDENT_WORDS:
        return HIDDEN_RESIDENT_WORDS
    if event.kind in MAY_NAME_THE_RESIDENT:
        return HIDDEN_MAY_NAME_THE_RESIDENT
    return event.body


def query_timeline(*, query: Query, see_resident: bool) -> list[TimelineEntry]:
    """What happened to the query, oldest first, with who did it. Without `see_resident`, the
    resident's own words and whatever officers wrote to or about them (replies, notes, outcomes,
    reassignments) are left out: only the kind of entry, its author and its time are shown."""
    events = QueryEvent.objects.filter(query=query).select_related("author", "author__officer")
    return [
        TimelineEntry(event=event, who=_who(event), body=_shown_body(event, see_resident))
        for event in events
    ]
