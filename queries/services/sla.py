"""The SLA engine: the sweep that takes each due ladder step exactly once, and retention.

The sweep claims due queries with `SELECT ... FOR UPDATE SKIP LOCKED`, so overlapping sweeps
share the work instead of repeating it, and records each step as an `EscalationStep` row whose
unique constraint refuses a step already taken. Everything a step does (the step row, its email
in the outbox, the history event, the move to the next step) commits together or not at all.
A batch writes each kind of row in one statement, whatever its size, and hands its emails to
the sender in one task after the commit."""

import datetime
import re
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import NoReverseMatch
from django.utils import timezone, translation
from django.utils.translation import ngettext

from config.bilingual import in_language
from config.bulk import rows_insert
from config.dates import date_time_text
from config.http import absolute_url
from notifications.models import OutboxEmail
from notifications.services import OutboxDraft, recipients_by_language, unique_addresses
from officers.models import Assignment, Officer
from officers.selectors import current_teams, officer_addresses_languages
from queries import clock
from queries.converters import ReferenceConverter
from queries.models import EscalationStep, Query, QueryEmail, QueryEvent, QueryQuerySet, Topic
from queries.services.emails import query_emails_enqueue
from queries.services.feedback import answer_feedback_comments_remove

REMOVED = "[removed]"

# The email template and history event of each step of the default ladder; a step added to the
# ladder under another name is reported as an escalation.
_STEP_KINDS = {
    "first_look": QueryEvent.Kind.FIRST_LOOK,
    "reminder": QueryEvent.Kind.REMINDER,
    "breach": QueryEvent.Kind.BREACH,
    "escalation": QueryEvent.Kind.ESCALATION,
}
_STEP_PHRASES = {
    "first_look": "First-look request",
    "reminder": "Reminder",
    "breach": "Breach notice",
    "escalation": "Escalation",
}
_TOPIC_NAMES = dict(Topic.choices)
_ADVANCED_FIELDS = ["next_escalation_step", "next_escalation_at", "updated_at"]
# What a step reads of its query, the query's neighbourhood and officer: not the resident's
# message or contact details.
_SWEPT_FIELDS = [
    "reference",
    "topic",
    "clock",
    "clock_started_at",
    "due_at",
    "urgent_reasons",
    *_ADVANCED_FIELDS,
    "neighbourhood__name",
    "neighbourhood__name_cy",
    "assigned_officer__display_name",
    "assigned_officer__email",
    "assigned_officer__user__email",
    "assigned_officer__user__staff_language__language",
]


# --- Display helpers -------------------------------------------------------------------------


def waited_display(waited: datetime.timedelta) -> str:
    """'49 hours' or '1 hour'; under an hour, in minutes."""
    # Mutation testing keeps `max(..., 1)` alive: under a minute reads "0 minutes" either way.
    seconds = max(int(waited.total_seconds()), 0)
    hours = seconds // 3600
    if hours:
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours}
    minutes = seconds // 60
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}


def query_staff_url(query: Query) -> str:
    """The query's staff page as an absolute link for emails."""
    try:
        path = query.get_absolute_url()
    except NoReverseMatch:
        path = f"/staff/queries/{query.reference}/"
    return absolute_url(path)


def _staff_urls() -> Callable[[Query], str]:
    """query_staff_url for a batch of queries: the path reversed once, each reference set in
    its place (the URL converter passes a valid reference through unchanged)."""
    # Mutation testing keeps alive another marker and partition() for rpartition(): any marker
    # found once in the path makes the same links, by this path or query_staff_url's.
    marker = "REFERENCE"
    before, _, after = query_staff_url(Query(reference=marker)).rpartition(marker)
    valid = re.compile(ReferenceConverter.regex)

    def url(query: Query) -> str:
        if valid.fullmatch(query.reference):
            return f"{before}{query.reference}{after}"
        return query_staff_url(query)

    return url


# --- Recipients ------------------------------------------------------------------------------


def _recipients_and_officers(
    query: Query, step: clock.Step, team: dict[str, list[Officer]]
) -> tuple[list[str], list[Officer]]:
    """The addresses a step notifies, and the officers among them (for their languages)."""
    Role = Assignment.Role
    addresses: list[str] = []
    notified: list[Officer] = []
    for who in step.notify:
        if who == "assigned_officer":
            if query.assigned_officer_id:
                officers = [query.assigned_officer]
            else:
                # Unassigned: the named officer, or, with none, the team and its sergeant.
                officers = team.get(Role.NAMED_OFFICER) or (
                    team.get(Role.TEAM_MEMBER, []) + team.get(Role.SERGEANT, [])
                )
            notified += officers
            addresses += [officer.contact_email for officer in officers]
        elif who == "sergeant":
            notified += team.get(Role.SERGEANT, [])
            addresses += [officer.contact_email for officer in team.get(Role.SERGEANT, [])]
        elif who == "inspector":
            notified += team.get(Role.INSPECTOR, [])
            addresses += [officer.contact_email for officer in team.get(Role.INSPECTOR, [])]
        elif who == "opcc":
            addresses.append(settings.OPCC_CONTACT_EMAIL)
        else:
            raise ValueError(f"QUERY_ESCALATION_LADDER: unknown recipient {who!r}")
    return unique_addresses(addresses), notified


# --- The sweep -------------------------------------------------------------------------------


def sla_sweep(*, now: datetime.datetime | None = None, batch_size: int = 500) -> int:
    """Take every ladder step that has fallen due by `now`, each exactly once, in batches of
    `batch_size` queries (one transaction each). Returns the number of steps taken."""
    # Mutation testing keeps a default batch of 501 alive: only the size of a transaction.
    now = now or timezone.now()
    taken = 0
    while True:
        claimed, steps = _sweep_batch(now=now, batch_size=batch_size)
        taken += steps
        if not claimed:
            return taken


def _claim_steps(
    queries: list[Query], steps: dict[int, clock.Step], now: datetime.datetime
) -> set[int]:
    """Insert the EscalationStep rows of the batch in one statement; return the ids of the
    queries whose step this transaction created (a step already taken inserts nothing)."""
    if not queries:
        return set()
    table = connection.ops.quote_name(EscalationStep._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(EscalationStep._meta.get_field(name).column)
        for name in ("query", "clock", "step", "taken_at")
    )
    query_column = connection.ops.quote_name(EscalationStep._meta.get_field("query").column)
    taken_at = connection.ops.adapt_datetimefield_value(now)
    # PostgreSQL runs the VALUES form below as well (one statement either way, only slower), so
    # mutation testing keeps alive the vendor's name changed and the SQL's keywords in lower
    # case; SQLite's branch is tested on SQLite (tests/queries/test_sla_on_sqlite.py).
    if connection.vendor == "postgresql":
        # Three arrays rather than four parameters a row: 0.02 s less Python per 1,000 steps.
        rows = "SELECT v.*, %s::timestamptz FROM unnest(%s::bigint[], %s::int[], %s::text[]) AS v"
        params = [
            taken_at,
            [query.pk for query in queries],
            [query.clock for query in queries],
            [steps[query.pk].name for query in queries],
        ]
    else:
        rows = "VALUES " + ", ".join(["(%s, %s, %s, %s)"] * len(queries))
        params = []
        for query in queries:
            params += [query.pk, query.clock, steps[query.pk].name, taken_at]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {rows} "
            f"ON CONFLICT DO NOTHING RETURNING {query_column}",
            params,
        )
        return {row[0] for row in cursor.fetchall()}


def _sweep_batch(*, now: datetime.datetime, batch_size: int) -> tuple[int, int]:
    """One transaction: claim up to `batch_size` due queries and take their next step.
    Returns (queries claimed, steps taken)."""
    with transaction.atomic():
        queries = list(
            Query.objects.escalation_due(now)
            .filter(status=Query.Status.OPEN)
            # Mutation testing keeps alive the mutants of this exclude: every service that
            # clears the next step clears its time too, and escalation_due needs a time.
            .exclude(next_escalation_step="")
            .select_related("neighbourhood", "assigned_officer__user__staff_language")
            .only(*_SWEPT_FIELDS)
            .order_by("next_escalation_at")
            .select_for_update(skip_locked=True, of=("self",))[:batch_size]
        )
        if not queries:
            return 0, 0
        ladder = clock.steps_by_name()
        steps = {
            q.pk: ladder[q.next_escalation_step]
            for q in queries
            if q.next_escalation_step in ladder
        }
        # A step taken off the ladder since the query was pointed at it: nothing is left to take.
        for query in queries:
            if query.pk not in steps:
                query.next_escalation_step, query.next_escalation_at = "", None
        created = _claim_steps([q for q in queries if q.pk in steps], steps, now)
        teams = current_teams((q.neighbourhood_id for q in queries), timezone.localdate(now))
        staff_url = _staff_urls()

        # The history events as columns, written in one statement (see rows_insert).
        events: dict[str, list] = {"query_id": [], "kind": [], "body": []}
        emails = []
        updated_at = timezone.now()
        for query in queries:
            query.updated_at = updated_at
            step = steps.get(query.pk)
            if step is None:
                continue
            if query.pk in created:
                team = teams[query.neighbourhood_id]
                kind, body, drafts = _take_step(query, step, team, now, staff_url)
                events["query_id"].append(query.pk)
                events["kind"].append(kind)
                events["body"].append(body)
                emails += [(query, draft) for draft in drafts]
            # A step already taken is never repeated; the query still moves past it.
            clock.advance(query, step)
        rows_insert(QueryEvent, columns=events, created_at=now)
        query_emails_enqueue(emails=emails)
        _advance_all(queries)
        return len(queries), len(created)


def _advance_all(queries: list[Query]) -> None:
    """Save each query's next step, its time and `updated_at`: one UPDATE. On PostgreSQL the
    values go as three arrays (Django's bulk_update spends milliseconds building a CASE per
    field and row); elsewhere bulk_update writes them."""
    # Mutation testing keeps alive the vendor's name changed: bulk_update is right on
    # PostgreSQL too, only slower. Its line is tested on SQLite (test_sla_on_sqlite.py).
    if connection.vendor != "postgresql":
        Query.objects.bulk_update(queries, _ADVANCED_FIELDS)
        return
    meta = Query._meta
    quote = connection.ops.quote_name
    pk, step, at, updated = (
        quote(meta.get_field(name).column)
        for name in ("id", "next_escalation_step", "next_escalation_at", "updated_at")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS q SET {step} = v.step, {at} = v.at, "
            f"{updated} = %s "
            f"FROM unnest(%s::bigint[], %s::text[], %s::timestamptz[]) AS v(id, step, at) "
            f"WHERE q.{pk} = v.id",
            [
                queries[0].updated_at,
                [query.pk for query in queries],
                [query.next_escalation_step for query in queries],
                [query.next_escalation_at for query in queries],
            ],
        )


def step_template(step: clock.Step) -> str:
    """The step's email template under `queries/email/`; a step added to the ladder under
    another name sends the escalation email."""
    return step.name if step.name in _STEP_KINDS else "escalation"


def step_email_context(
    query: Query, now: datetime.datetime, staff_url: Callable[[Query], str] = query_staff_url
) -> dict:
    """What a step's email says about its query at `now` (no resident's contact details);
    `staff_url`: how to make the link to its page (a batch makes them all alike)."""
    return {
        "reference": query.reference,
        "neighbourhood": in_language(query.neighbourhood, "name"),
        # Not get_topic_display(), which flattens the field's choices on every call (a third
        # of this function's time); as text in the active language, since the worker renders
        # the email from this context (as JSON) when it sends it.
        "topic": str(_TOPIC_NAMES.get(query.topic, query.topic)),
        "waited": waited_display(now - query.clock_started_at),
        "due": date_time_text(query.due_at),
        "url": staff_url(query),
        "assigned_officer": query.assigned_officer.display_name
        if query.assigned_officer_id
        else "",
        "urgent_reasons": ", ".join(query.urgent_reasons),
    }


def _take_step(
    query: Query,
    step: clock.Step,
    team: dict[str, list[Officer]],
    now: datetime.datetime,
    staff_url: Callable[[Query], str],
) -> tuple[str, str, list[OutboxDraft]]:
    """The kind and body of the step's history event, and its emails (drafts: one for each
    language its recipients read, each in it), which the batch writes with the others of the
    batch: one statement each, whatever the batch's size. The officers' languages were read
    with the batch (select_related), so this reads nothing more; the OPCC's inbox reads the
    default language."""
    recipients, officers = _recipients_and_officers(query, step, team)
    phrase = _STEP_PHRASES.get(step.name, f"{step.name.capitalize()} notice")
    # Mutation testing keeps alive `staff_url` dropped (the default makes the same link,
    # reversing it for each query).
    drafts = []
    if recipients:
        languages = officer_addresses_languages(officers)
        for language, addresses in recipients_by_language(
            recipients, languages, settings.LANGUAGE_CODE
        ):
            with translation.override(language):
                drafts.append(
                    OutboxDraft(
                        to=addresses,
                        context=step_email_context(query, now, staff_url),
                        template=step_template(step),
                        language=language,
                    )
                )
        body = f"{phrase} emailed to {', '.join(recipients)}."
    else:
        body = f"{phrase} due, but no one to email: the neighbourhood has no one in that role."
    return _STEP_KINDS.get(step.name, QueryEvent.Kind.ESCALATION), body, drafts


# --- Retention -------------------------------------------------------------------------------

# Kinds of history event whose body is the resident's own words, or what officers wrote to or
# about them (which may quote their name, address or phone number).
_PERSONAL_EVENT_KINDS = [
    QueryEvent.Kind.SUBMITTED,
    QueryEvent.Kind.RESIDENT_MESSAGE,
    QueryEvent.Kind.RESIDENT_ESCALATION,
    QueryEvent.Kind.REPLY,
    QueryEvent.Kind.NOTE,
    QueryEvent.Kind.CLOSED,
    QueryEvent.Kind.REASSIGNED,
]


def queries_anonymise_expired(
    *, now: datetime.datetime | None = None, batch_size: int = 500
) -> int:
    """Remove residents' personal data from answered and closed queries whose last activity is
    more than QUERY_RETENTION_DAYS old, keeping the figures. Returns how many queries it
    anonymised; a second run finds none left."""
    # Mutation testing keeps a default batch of 501 alive: only the size of a transaction.
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.QUERY_RETENTION_DAYS)
    total = 0
    while True:
        done = _anonymise_batch(now=now, cutoff=cutoff, batch_size=batch_size)
        total += done
        if done < batch_size:
            return total


def _expired(cutoff: datetime.datetime) -> QueryQuerySet:
    """Answered and closed queries not yet anonymised whose last activity (the latest of the
    submission, the first response, the resident's escalation, the closing and the newest
    history event) is older than `cutoff`. An open query is never expired: its clock runs."""
    newest_event = (
        QueryEvent.objects.filter(query_id=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    # The coalescing is for SQLite, whose GREATEST (MAX) of a NULL is NULL: tested there
    # (tests/queries/test_sla_on_sqlite.py). Mutation testing keeps alive the first `since`
    # dropped: nothing happens to a query before its submission.
    since = F("submitted_at")
    return (
        Query.objects.filter(
            # Cheap bounds first: the last activity is no earlier than any of these. Mutation
            # testing keeps alive the mutants that drop a bound (`submitted_at__lt`, either
            # `..._at__lt`), which the last_activity filter decides alone, and the one dropping
            # CLOSED, since only closing sets closed_at.
            Q(status=Query.Status.ANSWERED, first_response_at__lt=cutoff)
            | Q(status=Query.Status.CLOSED, closed_at__lt=cutoff),
            submitted_at__lt=cutoff,
            anonymised_at__isnull=True,
        )
        .annotate(
            # Every service that sets first_response_at, resident_escalated_at or closed_at
            # writes a history event at the same moment, which the newest event counts; so
            # mutation testing keeps alive the mutants dropping one of those three columns or
            # putting NULL in its place; and NULL for the newest event's `since`, since every
            # query has the event of its submission.
            last_activity=Greatest(
                since,
                Coalesce("first_response_at", since),
                Coalesce("resident_escalated_at", since),
                Coalesce("closed_at", since),
                Coalesce(Subquery(newest_event), since),
            )
        )
        .filter(last_activity__lt=cutoff)
    )


def _anonymise_batch(*, now: datetime.datetime, cutoff: datetime.datetime, batch_size: int) -> int:
    with transaction.atomic():
        queries = list(
            _expired(cutoff)
            .order_by("pk")
            # Mutation testing keeps alive `of` dropped (no join: only these rows are locked
            # either way) and "pk" dropped from only() (Django always loads the key).
            .select_for_update(skip_locked=True, of=("self",))
            .only("pk", "email", "phone")[:batch_size]
        )
        if not queries:
            return 0
        ids = [query.pk for query in queries]
        # Mutation testing keeps `- {"XXXX"}` alive: no email goes to an empty address.
        contacts = {query.pk: {query.email.lower(), query.phone} - {""} for query in queries}

        # Emails sent to the resident carry their address and words: keep that they were sent.
        links = QueryEmail.objects.filter(query_id__in=ids).select_related("email")
        # Mutation testing keeps only("query_id") alive: select_related then loads the whole
        # email, in the same one statement.
        to_resident = [
            link.email
            for link in links.only("query_id", "email__to")
            if {str(address).lower() for address in link.email.to} & contacts[link.query_id]
        ]
        for email in to_resident:
            email.to = [REMOVED]
            email.subject = REMOVED
            email.body_text = REMOVED
            email.body_html = ""
            email.context = None
        OutboxEmail.objects.bulk_update(
            to_resident, ["to", "subject", "body_text", "body_html", "context"]
        )

        QueryEvent.objects.filter(query_id__in=ids, kind__in=_PERSONAL_EVENT_KINDS).exclude(
            body=""
        ).update(body=REMOVED)
        answer_feedback_comments_remove(query_ids=ids)
        QueryEvent.objects.bulk_create(
            QueryEvent(
                query_id=pk,
                kind=QueryEvent.Kind.ANONYMISED,
                body=(
                    f"Personal details removed after {settings.QUERY_RETENTION_DAYS} days, "
                    "as the retention policy requires."
                ),
                created_at=now,
            )
            for pk in ids
        )
        Query.objects.filter(pk__in=ids).update(
            name="", email="", phone="", message=REMOVED, anonymised_at=now, updated_at=now
        )
        Query.objects.filter(pk__in=ids).exclude(outcome="").update(outcome=REMOVED)
        return len(ids)
