"""What officers do with a query from the staff area: reply, note, reassign, close.

Each service checks the user may act, validates, locks the query's row (so an SLA sweep that
runs at the same moment skips it rather than escalating a query being answered), writes inside
one transaction with a QueryEvent for the timeline and a record in the audit (who, from which
address, which fields; never the words), and saves only the fields it changed."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.models import AuditRecord
from audit.services import audit_record
from config.bilingual import force_name_context, in_language
from config.forms import too_long
from config.text import plain_text
from officers.models import Assignment, Officer
from officers.selectors import officer_addresses_languages
from queries import clock, permissions
from queries.models import Query, QueryEvent, ResponseClock
from queries.services.emails import query_email_enqueue, query_staff_emails_enqueue
from queries.services.feedback import answer_feedback_url
from queries.services.resident import new_link_url

TEXT_MAX_LENGTH = 5000
QUERY_CLOSED = _("This query is closed. Open a new one if the resident needs more help.")


def _required_text(value: str, *, field: str, missing: str) -> str:
    text = plain_text(value)
    if not text:
        raise ValidationError({field: ValidationError(missing, code="required")})
    if len(text) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {field: ValidationError(too_long(TEXT_MAX_LENGTH), code="max_length")}
        )
    return text


def _locked(query: Query) -> Query:
    """The query's row, locked until the transaction ends, as it is now."""
    return (
        Query.objects.select_for_update(of=("self",))
        .select_related("neighbourhood", "assigned_officer")
        .get(pk=query.pk)
    )


def _officer_of(user: AbstractBaseUser) -> Officer | None:
    return Officer.objects.filter(user_id=user.pk).first()


def _author_name(user: AbstractBaseUser, officer: Officer | None) -> str:
    if officer is not None:
        return f"{officer.get_rank_display()} {officer.display_name}"
    return user.get_full_name() or user.get_username()


def _event_add(*, query: Query, kind: str, by: AbstractBaseUser, body: str, now) -> QueryEvent:
    event = QueryEvent(query=query, kind=kind, author=by, body=body, created_at=now)
    event.full_clean()
    event.save()
    return event


def _audit(*, query: Query, by: AbstractBaseUser, address: str, detail: str) -> None:
    audit_record(
        actor=by,
        action=AuditRecord.Action.CHANGED,
        subject_type="query",
        subject_id=query.pk,
        reference=query.reference,
        address=address,
        detail=detail,
    )


def _save(query: Query, fields: list[str]) -> None:
    query.full_clean(validate_unique=False, validate_constraints=False)
    query.save(update_fields=sorted({*fields, "updated_at"}))


def _copy_back(target: Query, source: Query, fields: list[str]) -> None:
    """Give the caller's instance the values saved from the locked row."""
    for name in {*fields, "updated_at"}:
        setattr(target, name, getattr(source, name))
    if "assigned_officer" in fields:
        target.assigned_officer = source.assigned_officer


def query_reply(
    *,
    query: Query,
    by: AbstractBaseUser,
    message: str,
    address: str = "",
    now: datetime.datetime | None = None,
) -> QueryEvent:
    """Send a reply to the resident: recorded on the timeline, emailed to them when they gave
    an email address (a resident who asked for a phone call is phoned, and the reply records
    what they were told), and, while their clock runs, it stops it."""
    now = now or timezone.now()
    if not permissions.can_act_on_query(by, query):
        raise PermissionDenied("You cannot reply to this query.")
    message = _required_text(
        message, field="message", missing=gettext("Enter your reply to the resident")
    )
    with transaction.atomic():
        locked = _locked(query)
        if locked.status == Query.Status.CLOSED:
            raise ValidationError({"message": ValidationError(QUERY_CLOSED, code="closed")})
        officer = _officer_of(by)
        changed: list[str] = []
        event = _event_add(query=locked, kind=QueryEvent.Kind.REPLY, by=by, body=message, now=now)
        answered = None
        if locked.status == Query.Status.OPEN:
            changed = clock.stop(locked, now, officer)
            _save(locked, changed)
            clock.record_answer(locked, now, answer=event)
            # The answer that stopped a clock asks the resident whether it helped.
            answered = ResponseClock.objects.get(query_id=locked.pk, number=locked.clock)

        def answered_url() -> str:
            return answer_feedback_url(clock=answered) if answered else ""

        stopped = f"; changed {', '.join(sorted(changed))}" if changed else ""
        _audit(query=locked, by=by, address=address, detail=f"reply sent{stopped}")
        if locked.email:
            # In the language the resident wrote in, whatever the officer's: its links too.
            with translation.override(locked.language):
                query_email_enqueue(
                    to=[locked.email],
                    template="reply",
                    context={
                        "query": locked,
                        "message": message,
                        "author": _author_name(by, officer),
                        "site_url": settings.SITE_URL,
                        "new_link_url": new_link_url(),
                        "feedback_url": answered_url(),
                        **force_name_context(),
                        "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
                    },
                    query=locked,
                    language=locked.language,
                )
    _copy_back(query, locked, changed)
    return event


def query_note(
    *,
    query: Query,
    by: AbstractBaseUser,
    body: str,
    address: str = "",
    now: datetime.datetime | None = None,
) -> QueryEvent:
    """An internal note for the team: on the timeline only. It never stops the clock and never
    reaches the resident."""
    now = now or timezone.now()
    if not permissions.can_act_on_query(by, query):
        raise PermissionDenied("You cannot add a note to this query.")
    body = _required_text(body, field="body", missing=gettext("Enter your note"))
    with transaction.atomic():
        locked = _locked(query)
        _audit(query=locked, by=by, address=address, detail="note added")
        return _event_add(query=locked, kind=QueryEvent.Kind.NOTE, by=by, body=body, now=now)


def reassign_candidates(query: Query) -> QuerySet[Officer]:
    """Officers a query may go to: those currently assigned to its neighbourhood, in any role,
    other than the one who holds it."""
    serving = Assignment.objects.current().filter(neighbourhood_id=query.neighbourhood_id)
    officers = Officer.objects.filter(pk__in=serving.values("officer_id"))
    if query.assigned_officer_id:
        officers = officers.exclude(pk=query.assigned_officer_id)
    return officers.order_by("display_name")


def query_reassign(
    *,
    query: Query,
    by: AbstractBaseUser,
    officer: Officer,
    reason: str = "",
    address: str = "",
    now: datetime.datetime | None = None,
) -> QueryEvent:
    """Give the query to another officer of its neighbourhood (supervisors only), and tell that
    officer by email. The email carries no resident contact details: they read the query in the
    staff area."""
    now = now or timezone.now()
    if not permissions.can_reassign_query(by, query):
        raise PermissionDenied("Only the neighbourhood's sergeant or inspector can reassign.")
    reason = plain_text(reason)
    if len(reason) > TEXT_MAX_LENGTH:
        raise ValidationError({"reason": ValidationError(too_long(TEXT_MAX_LENGTH))})
    with transaction.atomic():
        locked = _locked(query)
        if locked.status == Query.Status.CLOSED:
            raise ValidationError({"officer": ValidationError(QUERY_CLOSED, code="closed")})
        if locked.assigned_officer_id == officer.pk:
            raise ValidationError(
                {
                    "officer": gettext("%(name)s already has this query. Choose another.")
                    % {"name": officer.display_name}
                }
            )
        serving = (
            Assignment.objects.current()
            .filter(neighbourhood_id=locked.neighbourhood_id, officer=officer)
            .exists()
        )
        if not serving:
            raise ValidationError(
                {
                    "officer": gettext(
                        "%(name)s is not assigned to %(neighbourhood)s. Choose an officer of "
                        "this neighbourhood."
                    )
                    % {
                        "name": officer.display_name,
                        "neighbourhood": in_language(locked.neighbourhood, "name"),
                    }
                }
            )
        previous = locked.assigned_officer
        by_officer = _officer_of(by)
        by_name = _author_name(by, by_officer)
        locked.assigned_officer = officer
        locked.routing_reason = f"reassigned by {by_name}"[:200]
        changed = ["assigned_officer", "routing_reason"]
        _save(locked, changed)
        moved = (
            f"From {previous.display_name} to {officer.display_name}."
            if previous
            else f"To {officer.display_name}."
        )
        body = f"{moved}\nReason: {reason}" if reason else moved
        _audit(
            query=locked,
            by=by,
            address=address,
            detail=f"reassigned (assigned_officer, routing_reason): {moved}",
        )
        event = _event_add(query=locked, kind=QueryEvent.Kind.REASSIGNED, by=by, body=body, now=now)
        if officer.contact_email:
            query_staff_emails_enqueue(
                query=locked,
                to=[officer.contact_email],
                languages=officer_addresses_languages([officer]),
                template="reassigned",
                context=lambda: {
                    "query": locked,
                    "officer": officer,
                    "by_name": by_name,
                    "reason": reason,
                    "query_url": settings.SITE_URL + locked.get_absolute_url(),
                },
            )
    _copy_back(query, locked, changed)
    return event


def query_close(
    *,
    query: Query,
    by: AbstractBaseUser,
    outcome: str,
    address: str = "",
    now: datetime.datetime | None = None,
) -> QueryEvent:
    """Close the query with its outcome. No more escalations follow."""
    now = now or timezone.now()
    if not permissions.can_act_on_query(by, query):
        raise PermissionDenied("You cannot close this query.")
    outcome = _required_text(
        outcome, field="outcome", missing=gettext("Enter the outcome of the query")
    )
    with transaction.atomic():
        locked = _locked(query)
        if locked.status == Query.Status.CLOSED:
            raise ValidationError({"outcome": ValidationError(QUERY_CLOSED, code="closed")})
        locked.status = Query.Status.CLOSED
        locked.closed_at = now
        locked.outcome = outcome
        locked.next_escalation_at = None
        locked.next_escalation_step = ""
        changed = ["status", "closed_at", "outcome", "next_escalation_at", "next_escalation_step"]
        _save(locked, changed)
        clock.record_end(locked, now)
        _audit(query=locked, by=by, address=address, detail=f"closed: {', '.join(changed)}")
        event = _event_add(query=locked, kind=QueryEvent.Kind.CLOSED, by=by, body=outcome, now=now)
    _copy_back(query, locked, changed)
    return event
