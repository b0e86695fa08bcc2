"""Emails about a query: written to the outbox like every email, and linked to the query, so
the query's retention applies to them and staff find them by its reference."""

from collections.abc import Sequence
from dataclasses import replace

from config.bulk import rows_insert
from notifications.models import OutboxEmail
from notifications.services import OutboxDraft, outbox_email_enqueue, outbox_emails_enqueue
from queries.models import Query, QueryEmail


def query_email_outboxed(
    *,
    to: list[str],
    template: str,
    context: dict,
    redact_after_send: bool = False,
    send_after_commit: bool = True,
) -> OutboxEmail:
    """Write the email `queries/email/<template>` to the outbox (see outbox_email_enqueue),
    not yet linked to its query: the caller links it with query_emails_link in the same
    transaction (a batch links all its emails in one statement)."""
    return outbox_email_enqueue(
        to=to,
        template=f"queries/email/{template}",
        context=context,
        redact_after_send=redact_after_send,
        send_after_commit=send_after_commit,
    )


def query_emails_enqueue(*, emails: Sequence[tuple[Query, OutboxDraft]]) -> list[int]:
    """Many emails about queries, each a (query, draft) whose template is named under
    `queries/email/`: written to the outbox in one INSERT, linked to their queries in another,
    and sent after the commit by one task (see outbox_emails_enqueue). Returns the ids."""
    email_ids = outbox_emails_enqueue(
        drafts=[replace(draft, template=f"queries/email/{draft.template}") for _, draft in emails]
    )
    rows_insert(QueryEmail, columns={"email_id": email_ids, "query_id": [q.pk for q, _ in emails]})
    return email_ids


def query_emails_link(emails: list[tuple[OutboxEmail, Query]]) -> None:
    """Link each (email, query) pair: one INSERT."""
    QueryEmail.objects.bulk_create(QueryEmail(email=email, query=query) for email, query in emails)


def query_email_enqueue(
    *, query: Query, to: list[str], template: str, context: dict, redact_after_send: bool = False
) -> OutboxEmail:
    """One email about a query, written to the outbox and linked to it."""
    email = query_email_outboxed(
        to=to, template=template, context=context, redact_after_send=redact_after_send
    )
    query_emails_link([(email, query)])
    return email
