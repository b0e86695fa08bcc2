"""Reads for the staff inbox and a query's page: which queries a user sees, filtered and in
due order, the time left on each clock, and a query's timeline."""

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, Count, F, Q, When
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from config.roles import Role
from officers.models import Assignment
from officers.permissions import OFFICER_ROLES, SUPERVISING_ROLES
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
HIDDEN_RESIDENT_WORDS = _("Not shown: the resident's own words.")
HIDDEN_MAY_NAME_THE_RESIDENT = _("Hidden: may contain the resident's details.")


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
    InboxFilter.CURRENT: _("All not closed"),
    InboxFilter.NEW: _("New"),
    InboxFilter.DUE_SOON: _("Due within 24 hours"),
    InboxFilter.BREACHED: _("Overdue"),
    InboxFilter.ANSWERED: _("Answered"),
    InboxFilter.CLOSED: _("Closed"),
}


def _bucket(chosen: InboxFilter, now: datetime.datetime) -> Q:
    """The rows a filter keeps, as one condition (the inbox filters by it, the staff home
    counts by it, so a count and the list its link opens always agree)."""
    open_ = Q(status=Query.Status.OPEN)
    match chosen:
        case InboxFilter.NEW:
            return open_ & Q(first_response_at__isnull=True, submitted_at__gte=now - NEW_WITHIN)
        case InboxFilter.DUE_SOON:
            # Due exactly now is still due, not overdue: an answer at the deadline meets it.
            return open_ & Q(due_at__gte=now, due_at__lte=now + DUE_WITHIN)
        case InboxFilter.BREACHED:
            return open_ & Q(due_at__lt=now)
        case InboxFilter.ANSWERED:
            return Q(status=Query.Status.ANSWERED)
        case InboxFilter.CLOSED:
            return Q(status=Query.Status.CLOSED)
    return ~Q(status=Query.Status.CLOSED)


class InboxWhose(StrEnum):
    """Whose queries the inbox lists, of those the user may read."""

    ALL = ""
    ASSIGNED = "mine"
    TEAM = "team"
    SUPERVISED = "supervised"

    @property
    def label(self) -> str:
        return WHOSE_LABELS[self]

    @property
    def heading(self) -> str:
        return WHOSE_HEADINGS[self]


WHOSE_LABELS = {
    InboxWhose.ALL: _("All the queries you can see"),
    InboxWhose.ASSIGNED: _("Assigned to you"),
    InboxWhose.TEAM: _("Assigned to you, or to your team with no one named"),
    InboxWhose.SUPERVISED: _("In the neighbourhoods you supervise"),
}
WHOSE_HEADINGS = {
    InboxWhose.ALL: "",
    InboxWhose.ASSIGNED: _("assigned to you"),
    InboxWhose.TEAM: _("for you and your team"),
    InboxWhose.SUPERVISED: _("in the neighbourhoods you supervise"),
}
# The assignments whose holders answer a query routed to the team (no officer assigned): the
# people told of it when it arrives (queries.services.resident).
TEAM_ROLES = (
    Assignment.Role.NAMED_OFFICER,
    Assignment.Role.TEAM_MEMBER,
    Assignment.Role.SERGEANT,
)


def whose_choices(roles: set[Role]) -> list[InboxWhose]:
    """The choices that mean something for a user with these roles: none for someone who
    can hold no queries (OPCC, an administrator without an officer's role)."""
    if not roles & OFFICER_ROLES:
        return []
    choices = [InboxWhose.ALL, InboxWhose.ASSIGNED, InboxWhose.TEAM]
    if Role.SUPERVISOR in roles:
        choices.append(InboxWhose.SUPERVISED)
    return choices


def _serving(user: AbstractBaseUser | AnonymousUser, roles) -> Q:
    """Queries of the neighbourhoods where the user serves now in one of `roles` (a subquery,
    not a separate read)."""
    areas = (
        Assignment.objects.current()
        .filter(officer__user_id=user.pk, role__in=roles)
        .values("neighbourhood_id")
    )
    return Q(neighbourhood_id__in=areas)


def _whose(whose: InboxWhose, user: AbstractBaseUser | AnonymousUser) -> Q:
    assigned = Q(assigned_officer__user_id=user.pk)
    match whose:
        case InboxWhose.ASSIGNED:
            return assigned
        case InboxWhose.TEAM:
            return assigned | (Q(assigned_officer__isnull=True) & _serving(user, TEAM_ROLES))
        case InboxWhose.SUPERVISED:
            return _serving(user, SUPERVISING_ROLES)
    return Q()


def inbox_queries(
    *,
    user: AbstractBaseUser | AnonymousUser,
    chosen: InboxFilter = InboxFilter.CURRENT,
    whose: InboxWhose = InboxWhose.ALL,
    now: datetime.datetime,
) -> QueryQuerySet:
    """The queries the user may read, narrowed by a filter and to whose they are: those
    waiting for a response first, flagged for urgent words at the top, then soonest due first;
    then answered ones, most recently due first. One query for the rows, whatever their
    number."""
    queries = permissions.readable_queries(user).filter(_whose(whose, user))
    return (
        queries.filter(_bucket(chosen, now))
        .select_related("neighbourhood", "assigned_officer")
        .annotate(
            waiting=Case(When(status=Query.Status.OPEN, then=0), default=1),
            urgent_first=Case(
                When(Q(status=Query.Status.OPEN) & ~Q(urgent_reasons=[]), then=0), default=1
            ),
        )
        .order_by(
            "waiting",
            "urgent_first",
            Case(When(status=Query.Status.OPEN, then=F("due_at"))).asc(),
            F("due_at").desc(),
            "pk",
        )
    )


# What the staff home counts, for each set of queries it shows.
ATTENTION = (InboxFilter.NEW, InboxFilter.DUE_SOON, InboxFilter.BREACHED)


@dataclass(frozen=True)
class AttentionCounts:
    """New, due within 24 hours and overdue queries of one set (whose), for the staff home."""

    whose: InboxWhose
    counts: dict[InboxFilter, int]

    @property
    def links(self) -> list[tuple[InboxFilter, int, str]]:
        """(filter, count, the inbox's query string listing exactly those queries)."""
        return [
            (chosen, self.counts[chosen], f"?show={chosen.value}&whose={self.whose.value}")
            for chosen in ATTENTION
        ]


def attention_counts(
    *, user: AbstractBaseUser | AnonymousUser, roles: set[Role], now: datetime.datetime
) -> list[AttentionCounts]:
    """For an officer, the queries they hold (assigned to them, or to their team with no one
    named) that are new, due within 24 hours or overdue; for a supervisor also those of the
    neighbourhoods they supervise. One aggregate query, whatever the number of queries."""
    sets = [w for w in whose_choices(roles) if w in (InboxWhose.TEAM, InboxWhose.SUPERVISED)]
    if not sets:
        return []
    conditions = {whose: _whose(whose, user) for whose in sets}
    any_set = Q()
    for condition in conditions.values():
        any_set |= condition
    totals = Query.objects.filter(any_set, status=Query.Status.OPEN).aggregate(
        **{
            f"{whose.value}_{chosen.value}": Count("pk", filter=condition & _bucket(chosen, now))
            for whose, condition in conditions.items()
            for chosen in ATTENTION
        }
    )
    return [
        AttentionCounts(
            whose=whose,
            counts={chosen: totals[f"{whose.value}_{chosen.value}"] for chosen in ATTENTION},
        )
        for whose in sets
    ]


def _span(delta: datetime.timedelta) -> str:
    """'2 days 3 hours', '5 hours', '40 minutes': the largest two units, rounded down."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)

    def day_text(count: int) -> str:
        return ngettext("%(count)s day", "%(count)s days", count) % {"count": count}

    def hour_text(count: int) -> str:
        return ngettext("%(count)s hour", "%(count)s hours", count) % {"count": count}

    if days:
        return day_text(days) + (f" {hour_text(hours)}" if hours else "")
    if hours:
        return hour_text(hours)
    if minutes:
        return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
    return ""


def time_left(query: Query, now: datetime.datetime) -> str:
    """The clock in words: '2 days 3 hours left', 'Overdue by 5 hours', 'Answered'."""
    if query.status == Query.Status.CLOSED:
        return gettext("Closed")
    if query.status == Query.Status.ANSWERED:
        return gettext("Answered")
    remaining = query.due_at - now
    if remaining >= datetime.timedelta(0):
        span = _span(remaining)
        if span:
            return gettext("%(span)s left") % {"span": span}
        return gettext("Less than a minute left")
    span = _span(-remaining)
    if span:
        return gettext("Overdue by %(span)s") % {"span": span}
    return gettext("Overdue by less than a minute")


def is_breached(query: Query, now: datetime.datetime) -> bool:
    return query.status == Query.Status.OPEN and now > query.due_at


@dataclass(frozen=True)
class StatusTag:
    text: str
    colour: str


def status_tag(query: Query, now: datetime.datetime) -> StatusTag:
    if query.status == Query.Status.CLOSED:
        return StatusTag(gettext("Closed"), "grey")
    if query.status == Query.Status.ANSWERED:
        return StatusTag(gettext("Answered"), "green")
    if is_breached(query, now):
        return StatusTag(gettext("Overdue"), "red")
    return StatusTag(gettext("Waiting for a response"), "blue")


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
        return gettext("The resident") if event.kind in RESIDENT_WORDS else gettext("The portal")
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
