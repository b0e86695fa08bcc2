"""Emails about a query: written to the outbox like every email, and linked to the query, so
the query's retention applies to them and staff find them by its reference."""

from notifications.services import outbox_email_enqueue
from queries.models import Query, QueryEmail


def query_email_write(
    *, query: Query, to: list[str], template: str, context: dict, redact_after_send: bool = False
) -> QueryEmail:
    """Send the email `queries/email/<template>` about `query` (see outbox_email_enqueue), and
    return its link to the query, unsaved: a batch saves its links together."""
    email = outbox_email_enqueue(
        to=to,
        template=f"queries/email/{template}",
        context=context,
        redact_after_send=redact_after_send,
    )
    return QueryEmail(email=email, query=query)


def query_email_enqueue(
    *, query: Query, to: list[str], template: str, context: dict, redact_after_send: bool = False
) -> QueryEmail:
    """One email about a query, linked at once (see query_email_write)."""
    link = query_email_write(
        query=query,
        to=to,
        template=template,
        context=context,
        redact_after_send=redact_after_send,
    )
    link.save(force_insert=True)
    return link
