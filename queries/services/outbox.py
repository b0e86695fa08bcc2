"""The email outbox: every email is a row written in the same transaction as the change that
causes it, and sent after the commit by a Celery task."""

from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from queries.models import OutboxEmail, Query


def outbox_email_enqueue(
    *,
    to: list[str],
    template: str,
    context: dict,
    query: Query | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxEmail:
    """Write an email to the outbox from the templates `queries/email/<template>_subject.txt`,
    `<template>.txt` and (if present) `<template>.html`, and send it once the surrounding
    transaction commits. Call inside the transaction of the change the email reports."""
    subject = " ".join(render_to_string(f"queries/email/{template}_subject.txt", context).split())
    body_text = render_to_string(f"queries/email/{template}.txt", context)
    try:
        body_html = get_template(f"queries/email/{template}.html").render(context)
    except TemplateDoesNotExist:
        body_html = ""
    email = OutboxEmail.objects.create(
        to=list(to),
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        headers=headers or {},
        query=query,
    )
    transaction.on_commit(lambda: _send_soon(email.pk), robust=True)
    return email


def _send_soon(email_id: int) -> None:
    # Imported here: the task module imports this one.
    from queries.tasks.outbox import send_outbox_email

    send_outbox_email.delay(email_id)
