"""Emails about a query: written to the outbox like every email, and linked to the query, so
the query's retention applies to them and staff find them by its reference."""

from collections.abc import Callable, Sequence
from dataclasses import replace

from django.conf import settings
from django.utils import translation

from config.bulk import rows_insert
from notifications.models import OutboxEmail
from notifications.services import (
    OutboxDraft,
    outbox_email_enqueue,
    outbox_emails_enqueue,
    recipients_by_language,
)
from queries.models import Query, QueryEmail


def query_email_outboxed(
    *,
    to: list[str],
    template: str,
    context: dict,
    redact_after_send: bool = False,
    send_after_commit: bool = True,
    language: str = "",
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
        language=language,
    )


def query_staff_emails_outboxed(
    *,
    to: list[str],
    languages: dict[str, str],
    template: str,
    context: Callable[[], dict],
    send_after_commit: bool = True,
) -> list[OutboxEmail]:
    """One email about a query to members of staff, as query_email_outboxed, written in each
    one's language (`languages`, by address in lower case, e.g. from
    officers.selectors.officer_addresses_languages; an address with no one's language, a team
    inbox, reads the default): one email per language, its `context()` made in it."""
    emails = []
    for language, addresses in recipients_by_language(to, languages, settings.LANGUAGE_CODE):
        with translation.override(language):
            emails.append(
                query_email_outboxed(
                    to=addresses,
                    template=template,
                    context=context(),
                    send_after_commit=send_after_commit,
                    language=language,
                )
            )
    return emails


def query_emails_enqueue(*, emails: Sequence[tuple[Query, OutboxDraft]]) -> list[int]:
    """Many emails about queries, each a (query, draft) whose template is named under
    `queries/email/`: written to the outbox in one INSERT, linked to their queries in another,
    and sent after the commit by one task (see outbox_emails_enqueue). The worker renders
    each as it sends it, so the caller's transaction (the SLA sweep's, which holds its queries'
    row locks) does not wait on the templates: the contexts must be JSON. Returns the ids."""
    email_ids = outbox_emails_enqueue(
        drafts=[replace(draft, template=f"queries/email/{draft.template}") for _, draft in emails],
        render_when_sent=True,
    )
    rows_insert(QueryEmail, columns={"email_id": email_ids, "query_id": [q.pk for q, _ in emails]})
    return email_ids


def query_emails_link(emails: list[tuple[OutboxEmail, Query]]) -> None:
    """Link each (email, query) pair: one INSERT."""
    QueryEmail.objects.bulk_create(QueryEmail(email=email, query=query) for email, query in emails)


def query_email_enqueue(
    *,
    query: Query,
    to: list[str],
    template: str,
    context: dict,
    redact_after_send: bool = False,
    language: str = "",
) -> OutboxEmail:
    """One email about a query, written to the outbox and linked to it."""
    email = query_email_outboxed(
        to=to,
        template=template,
        context=context,
        redact_after_send=redact_after_send,
        language=language,
    )
    query_emails_link([(email, query)])
    return email


def query_staff_emails_enqueue(
    *,
    query: Query,
    to: list[str],
    languages: dict[str, str],
    template: str,
    context: Callable[[], dict],
) -> list[OutboxEmail]:
    """query_staff_emails_outboxed, linked to the query."""
    emails = query_staff_emails_outboxed(
        to=to, languages=languages, template=template, context=context
    )
    query_emails_link([(email, query) for email in emails])
    return emails
