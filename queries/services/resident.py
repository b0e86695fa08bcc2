"""What a resident does with a query: send it, follow it up, escalate it when no answer came.

A query is committed with its history and its confirmation email (an outbox row) in one
transaction, so nothing a resident sends is lost when Redis or the mail server is down."""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.bilingual import force_name_context, in_language
from config.dates import date_time_text, london_due_display
from config.http import absolute_url
from config.limits import RateLimit, retry_message, token_hash
from config.text import null_characters_refused
from neighbourhoods.models import Neighbourhood
from notifications.models import OutboxEmail
from notifications.services import outbox_emails_send_after_commit, unique_addresses
from officers.models import Assignment, Officer
from officers.selectors import officer_addresses_languages
from queries import clock
from queries.models import ContactPreference, Query, QueryEvent, Topic
from queries.selectors.tracking import query_can_escalate
from queries.services.emails import (
    query_email_enqueue,
    query_email_outboxed,
    query_emails_link,
    query_staff_emails_enqueue,
    query_staff_emails_outboxed,
)
from queries.urgency import message_urgency

logger = logging.getLogger(__name__)

# Letters and digits that cannot be mistaken for one another (no I, O, 0 or 1).
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
REFERENCE_ATTEMPTS = 10

ROUTED_TO_NAMED_OFFICER = "Named officer"
NO_NAMED_OFFICER = "No named officer: for the team and sergeant"
NAMED_OFFICER_AWAY = "Named officer away: for the team and sergeant"


# --- Tokens and references -------------------------------------------------------------------


def reference_generate() -> str:
    """A short reference a resident can read out, like DY-7K3P-Q9X: random, not sequential."""
    prefix = getattr(settings, "QUERY_REFERENCE_PREFIX", "DY")
    first = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))
    second = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(3))
    return f"{prefix}-{first}-{second}"


def resident_language(code: str | None) -> str:
    """One of LANGUAGES' codes for a resident's language; the default for any other."""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def tracking_url(token: str) -> str:
    return absolute_url(reverse("queries:track", kwargs={"token": token}))


def new_link_url() -> str:
    """Where a resident who lost their tracking link asks for a new one."""
    return absolute_url(reverse("queries:new_link"))


def _staff_url(query: Query) -> str:
    try:
        path = query.get_absolute_url()
    except NoReverseMatch:
        path = "/staff/queries/"
    return absolute_url(path)


# --- Routing ---------------------------------------------------------------------------------


def _officer_available(officer: Officer, at: datetime.datetime) -> bool:
    """Whether the officer can take a new query at `at`: not marked away that day and not
    abstracted at that moment. The one place to ask about leave and abstractions."""
    away = officer.away_until is not None and timezone.localdate(at) <= officer.away_until
    return not away and not officer.is_abstracted(at)


def query_route(
    *, neighbourhood: Neighbourhood, now: datetime.datetime
) -> tuple[Officer | None, str]:
    """Who a new query goes to, and why. None means the neighbourhood's team and sergeant,
    who see every query of their neighbourhoods anyway."""
    named = (
        Assignment.objects.current(on=timezone.localdate(now))
        .filter(neighbourhood=neighbourhood, role=Assignment.Role.NAMED_OFFICER)
        .select_related("officer__user")
        .order_by("-start_date")
        .first()
    )
    if named is None:
        return None, NO_NAMED_OFFICER
    if not _officer_available(named.officer, now):
        return None, NAMED_OFFICER_AWAY
    return named.officer, ROUTED_TO_NAMED_OFFICER


def _neighbourhood_officers(neighbourhood: Neighbourhood, roles: list[str]) -> list[Officer]:
    """The neighbourhood's officers currently in `roles`, with their chosen languages."""
    assignments = (
        Assignment.objects.current()
        .filter(neighbourhood=neighbourhood, role__in=roles)
        .select_related("officer__user__staff_language")
        .order_by("role", "officer__display_name")
    )
    return [a.officer for a in assignments]


# --- Validation shared by the services -------------------------------------------------------


def _check_message(message: str, field: str = "message") -> None:
    limit = settings.QUERY_MESSAGE_MAX_LENGTH
    null_characters_refused(**{field: message})
    if not message.strip():
        raise ValidationError({field: _("Enter your message")})
    if len(message) > limit:
        raise ValidationError(
            {
                field: _("Your message must be {limit} characters or fewer").format(
                    limit=f"{limit:,}"
                )
            }
        )


def _add_event(query: Query, kind: str, body: str, now: datetime.datetime) -> QueryEvent:
    return QueryEvent.objects.create(query=query, kind=kind, author=None, body=body, created_at=now)


# --- Submitting ------------------------------------------------------------------------------


def query_submit(
    *,
    neighbourhood: Neighbourhood,
    topic: str,
    message: str,
    name: str,
    email: str,
    phone: str,
    contact_preference: str,
    source: str = "",
    language: str = "",
    now: datetime.datetime | None = None,
) -> tuple[Query, str]:
    """Record a resident's query, start its clock, route it and queue the confirmation email,
    all in one transaction. Returns the query and the raw tracking token, which is never
    stored: only its hash is. `source` names where it came from when not the portal's own
    form (an Open311 client), for staff to see. `language`: what the resident wrote in (the
    active language by default); the emails to them are written in it."""
    now = now or timezone.now()
    language = resident_language(language or translation.get_language())
    _check_message(message)
    null_characters_refused(
        topic=topic, name=name, email=email, phone=phone, contact_preference=contact_preference
    )
    if contact_preference == ContactPreference.EMAIL and not email:
        raise ValidationError({"email": _("Enter an email address so we can reply by email")})
    if contact_preference == ContactPreference.PHONE and not phone:
        raise ValidationError({"phone": _("Enter a telephone number so we can call you back")})

    officer, reason = query_route(neighbourhood=neighbourhood, now=now)
    # Words that read as an emergency flag the query for staff; they never delay or block it.
    urgent = [found.label for found in message_urgency(message)]
    with transaction.atomic():
        for attempt in range(REFERENCE_ATTEMPTS):
            token = secrets.token_urlsafe(32)
            query = Query(
                reference=reference_generate(),
                token_hash=token_hash(token),
                neighbourhood=neighbourhood,
                topic=topic,
                message=message,
                name=name,
                email=email,
                phone=phone,
                contact_preference=contact_preference,
                consented_at=now,
                assigned_officer=officer,
                routing_reason=reason,
                urgent_reasons=urgent,
                source=source,
                language=language,
                submitted_at=now,
                clock=1,
            )
            clock.start(query, now)
            query.full_clean(validate_unique=False, validate_constraints=False)
            try:
                # A savepoint, so a reference that clashes is retried inside this transaction.
                with transaction.atomic():
                    query.save(force_insert=True)
                break
            except IntegrityError:
                if attempt == REFERENCE_ATTEMPTS - 1:
                    raise
                logger.info("Query reference %s already taken; drawing another", query.reference)

        clock.record_start(query)
        _add_event(query, QueryEvent.Kind.SUBMITTED, message, now)
        routed_to = f"{officer.get_rank_display()} {officer.display_name}" if officer else ""
        _add_event(
            query, QueryEvent.Kind.ROUTED, f"{reason}: {routed_to}" if officer else reason, now
        )
        if urgent:
            _add_event(query, QueryEvent.Kind.URGENT, "; ".join(urgent), now)
        emails = []
        if email:
            with translation.override(language):
                emails.append(
                    query_email_outboxed(
                        to=[email],
                        template="confirmation",
                        context={
                            "reference": query.reference,
                            "neighbourhood_name": in_language(neighbourhood, "name"),
                            "due": london_due_display(query.due_at),
                            "tracking_url": tracking_url(token),
                            "new_link_url": new_link_url(),
                            "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
                            "report_online_url": settings.REPORT_ONLINE_URL,
                            **force_name_context(),
                        },
                        # The link is the token itself: once sent, the row forgets it.
                        redact_after_send=True,
                        send_after_commit=False,
                        language=language,
                    )
                )
        # Staff read their own language, whatever language the resident's request was in.
        emails += _new_query_notices(query, officer)
        query_emails_link([(outboxed, query) for outboxed in emails])
        # Both emails go to the broker in one call after the commit: the resident's request
        # waits on the broker no longer than for one email.
        outbox_emails_send_after_commit([outboxed.pk for outboxed in emails])
    return query, token


def _new_query_notices(query: Query, officer: Officer | None) -> list[OutboxEmail]:
    """Tell whoever holds a new query that it has arrived: the officer it was routed to, or,
    when it went to the team (no named officer, or the named officer away), the team members
    and sergeants, the people who answer it, each in their language (one email a language).
    Only what identifies the query goes in the email: never the resident's words or contact
    details."""
    if officer is not None:
        officers = [officer]
    else:
        roles = [Assignment.Role.TEAM_MEMBER, Assignment.Role.SERGEANT]
        officers = _neighbourhood_officers(query.neighbourhood, roles)
    if query.urgent_reasons:
        # Words that read as an emergency: the whole team and the sergeant hear of it at once.
        roles = [
            Assignment.Role.NAMED_OFFICER,
            Assignment.Role.TEAM_MEMBER,
            Assignment.Role.SERGEANT,
        ]
        officers = [*officers, *_neighbourhood_officers(query.neighbourhood, roles)]
    to = unique_addresses(o.contact_email for o in officers)
    if not to:
        logger.warning("No one to tell of new query %s", query.reference)
        return []

    def context() -> dict:
        return {
            "reference": query.reference,
            "neighbourhood": in_language(query.neighbourhood, "name"),
            "topic": Topic(query.topic).label,
            "due": date_time_text(query.due_at),
            "to_team": officer is None,
            "to_team_because": (
                _("the named officer is away")
                if query.routing_reason == NAMED_OFFICER_AWAY
                else _("the neighbourhood has no named officer")
            ),
            "url": _staff_url(query),
            "urgent_reasons": ", ".join(query.urgent_reasons),
        }

    return query_staff_emails_outboxed(
        to=to,
        languages=officer_addresses_languages(officers),
        template="new_query",
        context=context,
        send_after_commit=False,
    )


# --- Rate limits -----------------------------------------------------------------------------


# Queries sent, per IP address and per email address.
query_rate_limit_hit = RateLimit("queries", "QUERY_RATE_LIMIT_PER_IP", "QUERY_RATE_LIMIT_PER_EMAIL")


def rate_limit_message(retry_at: datetime.datetime, now: datetime.datetime | None = None) -> str:
    return retry_message(retry_at, what=_("send another query"), now=now)


# --- A new tracking link ---------------------------------------------------------------------


def query_tracking_link_renew(*, reference: str, email: str) -> bool:
    """A resident who lost their tracking link asks for a new one with the query's reference
    and the email address they gave (each compared ignoring case and surrounding spaces). When
    both match, the query gets a new token, so the old link stops working, and the new link is
    emailed to the address stored with the query, never to the one typed. Returns whether they
    matched: the caller tells the resident the same either way."""
    reference = reference.strip().upper()
    email = email.strip().lower()
    if not reference or not email or "\x00" in reference + email:
        # No query has a NUL character in its reference or address (PostgreSQL stores none).
        return False
    with transaction.atomic():
        query = (
            Query.objects.select_for_update(of=("self",))
            .select_related("neighbourhood")
            .filter(reference=reference, anonymised_at__isnull=True)
            .first()
        )
        if query is None or not query.email or query.email.strip().lower() != email:
            return False
        token = secrets.token_urlsafe(32)
        query.token_hash = token_hash(token)
        query.save(update_fields=["token_hash", "updated_at"])
        # In the language the query was sent in, whatever the page asking for it.
        with translation.override(query.language):
            query_email_enqueue(
                to=[query.email],
                template="new_link",
                context={
                    "reference": query.reference,
                    "neighbourhood_name": in_language(query.neighbourhood, "name"),
                    "tracking_url": tracking_url(token),
                    "new_link_url": new_link_url(),
                    "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
                    **force_name_context(),
                },
                query=query,
                # The link is the token itself: once the email is sent, the row forgets it.
                redact_after_send=True,
                language=query.language,
            )
    logger.info("New tracking link sent for query %s", query.reference)
    return True


# Requests for a new tracking link, per IP address and per email address.
query_new_link_rate_limit_hit = RateLimit(
    "queries-new-link", "QUERY_NEW_LINK_RATE_LIMIT_PER_IP", "QUERY_NEW_LINK_RATE_LIMIT_PER_EMAIL"
)


def new_link_rate_limit_message(
    retry_at: datetime.datetime, now: datetime.datetime | None = None
) -> str:
    return retry_message(retry_at, what=_("ask for another link"), give_reference=True, now=now)


# Follow-up messages (each one emails the officers), per IP address and per query: called with
# the query's reference where the other forms give an email address.
follow_up_rate_limit_hit = RateLimit(
    "queries-follow-up", "FOLLOW_UP_RATE_LIMIT_PER_IP", "FOLLOW_UP_RATE_LIMIT_PER_QUERY"
)


def follow_up_rate_limit_message(
    retry_at: datetime.datetime, now: datetime.datetime | None = None
) -> str:
    return retry_message(retry_at, what=_("send another message"), give_reference=True, now=now)


# --- Following a query -----------------------------------------------------------------------


def query_resident_reply(
    *, query: Query, message: str, now: datetime.datetime | None = None
) -> Query:
    """The resident's follow-up message. After an answer it starts a new clock; while the
    query is open the running clock is unchanged. A closed query takes no more messages."""
    now = now or timezone.now()
    _check_message(message)
    with transaction.atomic():
        query = Query.objects.select_for_update().select_related("neighbourhood").get(pk=query.pk)
        if query.status == Query.Status.CLOSED:
            raise ValidationError({"message": _("This query is closed. Send a new query instead")})
        _add_event(query, QueryEvent.Kind.RESIDENT_MESSAGE, message, now)
        restarted = query.status == Query.Status.ANSWERED
        if restarted:
            query.clock += 1
            clock.start(query, now)
            query.save(update_fields=[*clock.CLOCK_FIELDS, "updated_at"])
            clock.record_start(query)
        _notify_team_of_message(query, restarted=restarted)
    return query


def _notify_team_of_message(query: Query, *, restarted: bool) -> None:
    """Tell whoever has the query of the resident's message; `restarted` when the message
    came after an answer and so started a new clock."""
    if query.assigned_officer_id:
        officers = [
            Officer.objects.select_related("user__staff_language").get(pk=query.assigned_officer_id)
        ]
    else:
        roles = [
            Assignment.Role.NAMED_OFFICER,
            Assignment.Role.TEAM_MEMBER,
            Assignment.Role.SERGEANT,
        ]
        officers = _neighbourhood_officers(query.neighbourhood, roles)
    to = unique_addresses(officer.contact_email for officer in officers)
    if not to:
        logger.warning("No one to tell of a follow-up message on query %s", query.reference)
        return
    query_staff_emails_enqueue(
        query=query,
        to=to,
        languages=officer_addresses_languages(officers),
        template="resident_message",
        context=lambda: {
            "reference": query.reference,
            "neighbourhood_name": in_language(query.neighbourhood, "name"),
            "due": london_due_display(query.due_at),
            "restarted": restarted,
            "staff_url": _staff_url(query),
        },
    )


def query_resident_escalate(*, query: Query, now: datetime.datetime | None = None) -> Query:
    """The resident's recourse when the target passed with no answer: the neighbourhood's
    sergeants and the OPCC contact are told, once. The email carries no contact details."""
    now = now or timezone.now()
    with transaction.atomic():
        query = Query.objects.select_for_update().select_related("neighbourhood").get(pk=query.pk)
        if query.resident_escalated_at is not None:
            raise ValidationError(_("You have already escalated this query"))
        if not query_can_escalate(query, now):
            raise ValidationError(_("You can escalate a query only when its reply is overdue"))
        query.resident_escalated_at = now
        query.save(update_fields=["resident_escalated_at", "updated_at"])
        _add_event(
            query,
            QueryEvent.Kind.RESIDENT_ESCALATION,
            "The resident escalated the query: no reply by the time promised.",
            now,
        )
        sergeants = _neighbourhood_officers(query.neighbourhood, [Assignment.Role.SERGEANT])
        to = unique_addresses(
            [*(officer.contact_email for officer in sergeants), settings.OPCC_CONTACT_EMAIL]
        )
        # Each sergeant in their language; the OPCC's inbox in the default one.
        query_staff_emails_enqueue(
            query=query,
            to=to,
            languages=officer_addresses_languages(sergeants),
            template="resident_escalation",
            context=lambda: {
                "reference": query.reference,
                "neighbourhood_name": in_language(query.neighbourhood, "name"),
                "topic": Topic(query.topic).label,
                "submitted": london_due_display(query.submitted_at),
                "due": london_due_display(query.due_at),
                "clock": query.clock,
                "staff_url": _staff_url(query),
            },
        )
    return query
