"""What a resident sees of their own query through its private link, and how its times read."""

import datetime
import hmac
from dataclasses import dataclass

from config.dates import london_due_display
from config.limits import token_hash
from queries.models import AnswerFeedback, Query, QueryEvent, ResponseClock

# A token is 43 characters (32 random bytes); anything far longer is not one of ours. The
# URLs refuse such tokens already (config.converters); this guards any other caller.
TOKEN_MAX_LENGTH = 128
# What a resident sees of a query's history: their own words and the replies sent to them.
RESIDENT_VISIBLE_KINDS = (
    QueryEvent.Kind.SUBMITTED,
    QueryEvent.Kind.RESIDENT_MESSAGE,
    QueryEvent.Kind.REPLY,
)


@dataclass
class TrackedMessage:
    """One message in the conversation: from the resident, or a reply from an officer."""

    from_resident: bool
    sender: str
    sent_at: datetime.datetime
    body: str

    @property
    def sent_display(self) -> str:
        return london_due_display(self.sent_at)


@dataclass
class TrackingPage:
    query: Query
    messages: list[TrackedMessage]
    answered_at: datetime.datetime | None
    overdue: bool
    can_escalate: bool
    # The latest answer's clock, whose answer the page asks about, and what the resident said.
    answered_clock: ResponseClock | None = None
    feedback: AnswerFeedback | None = None

    @property
    def due_display(self) -> str:
        return london_due_display(self.query.due_at)

    @property
    def submitted_display(self) -> str:
        return london_due_display(self.query.submitted_at)

    @property
    def answered_display(self) -> str:
        return london_due_display(self.answered_at) if self.answered_at else ""

    @property
    def feedback_answered_display(self) -> str:
        answered = self.answered_clock.answered_at if self.answered_clock else None
        return london_due_display(answered) if answered else ""

    @property
    def closed_display(self) -> str:
        return london_due_display(self.query.closed_at) if self.query.closed_at else ""

    @property
    def escalated_display(self) -> str:
        escalated = self.query.resident_escalated_at
        return london_due_display(escalated) if escalated else ""


def query_overdue(query: Query, now: datetime.datetime) -> bool:
    """Still waiting for an answer after the time promised."""
    return query.status == Query.Status.OPEN and now > query.due_at


def query_can_escalate(query: Query, now: datetime.datetime) -> bool:
    """A resident may escalate once, when the query is still unanswered after its due time."""
    return query_overdue(query, now) and query.resident_escalated_at is None


def query_for_token(*, token: str) -> Query | None:
    """The query whose tracking token this is, or None. Looked up by the token's hash, which
    is then compared in constant time."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    digest = token_hash(token)
    query = Query.objects.select_related("neighbourhood").filter(token_hash=digest).first()
    if query is None or not hmac.compare_digest(query.token_hash, digest):
        return None
    return query


def _sender(event: QueryEvent) -> str:
    """The replying officer's public name and rank; never more than the public profile."""
    officer = getattr(event.author, "officer", None) if event.author_id else None
    if officer is None:
        return "Your neighbourhood team"
    return f"{officer.display_name}, {officer.get_rank_display()}"


def latest_answered_clock(*, query: Query) -> ResponseClock | None:
    """The clock of the query's latest answer (a reply that stopped a clock), with its
    feedback: the answer its tracking page asks about. One statement."""
    return (
        ResponseClock.objects.select_related("feedback")
        .filter(query_id=query.pk, answer__isnull=False)
        .order_by("-number")
        .first()
    )


def tracking_page(*, query: Query, now: datetime.datetime) -> TrackingPage:
    """The query's page for its resident, in two more SQL queries: its messages, and its
    latest answer with the resident's feedback on it."""
    events = (
        QueryEvent.objects.filter(query=query, kind__in=RESIDENT_VISIBLE_KINDS)
        .select_related("author__officer")
        .order_by("created_at", "pk")
    )
    messages = []
    answered_at = None
    for event in events:
        from_resident = event.kind != QueryEvent.Kind.REPLY
        if not from_resident:
            answered_at = event.created_at
        messages.append(
            TrackedMessage(
                from_resident=from_resident,
                sender="You" if from_resident else _sender(event),
                sent_at=event.created_at,
                body=event.body,
            )
        )
    answered = latest_answered_clock(query=query)
    return TrackingPage(
        query=query,
        messages=messages,
        answered_at=answered_at,
        overdue=query_overdue(query, now),
        can_escalate=query_can_escalate(query, now),
        answered_clock=answered,
        feedback=getattr(answered, "feedback", None) if answered else None,
    )
