"""The email outbox: every email is a row written in the same transaction as the change that
causes it, and sent after the commit by a Celery task (notifications.tasks, which sends through
notifications.sending). Every app sends its emails through here."""

import datetime
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation

from config.bulk import rows_insert
from config.publishing import task_publish
from config.roles import is_administrator
from notifications.models import OutboxEmail
from notifications.rendering import EmailTemplates
from notifications.tasks import send_outbox_email, send_outbox_emails

logger = logging.getLogger(__name__)


def unique_addresses(addresses: Iterable[str]) -> list[str]:
    """Drop empty addresses and repeats (ignoring case), keeping the order."""
    unique: dict[str, str] = {}
    for address in addresses:
        address = (address or "").strip()
        if address:
            unique.setdefault(address.lower(), address)
    return list(unique.values())


@dataclass(frozen=True)
class OutboxDraft:
    """One email of a bulk enqueue: its recipients, the context its templates are rendered
    with, its own headers, and its own template when the emails of one enqueue use several
    (see outbox_emails_enqueue)."""

    to: list[str]
    context: dict
    headers: dict[str, str] = field(default_factory=dict)
    template: str = ""
    # The language it is written in (a code of LANGUAGES); empty: the active one.
    language: str = ""


class _Templates(EmailTemplates):
    """An email's templates (see EmailTemplates), and the outbox row of one email."""

    def row(
        self,
        draft: OutboxDraft,
        *,
        redact_after_send: bool,
        forget_after: datetime.datetime | None,
    ) -> OutboxEmail:
        subject, body_text, body_html = self.render(draft.context, draft.language)
        return OutboxEmail(
            to=list(draft.to),
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            headers=dict(draft.headers),
            redact_after_send=redact_after_send,
            forget_after=forget_after,
        )


def outbox_email_enqueue(
    *,
    to: list[str],
    template: str,
    context: dict,
    headers: dict[str, str] | None = None,
    redact_after_send: bool = False,
    forget_after: datetime.datetime | None = None,
    send_after_commit: bool = True,
    language: str = "",
) -> OutboxEmail:
    """Write an email to the outbox from the templates `<template>_subject.txt`,
    `<template>.txt` and (if present) `<template>.html`, e.g. `meetings/email/registered`, and
    send it once the surrounding transaction commits. Call inside the transaction of the change
    the email reports. `forget_after`: when the recipient's details are to be removed from the
    row (see notifications.sending.outbox_emails_forget). `send_after_commit=False` when the
    caller sends several emails of one change together (outbox_emails_send_after_commit).
    `language`: the recipient's (a code of LANGUAGES), the active one when empty; a caller
    builds the context's dates and links in it too (`translation.override`)."""
    draft = OutboxDraft(to=list(to), context=context, headers=headers or {}, language=language)
    email = _Templates(template).row(
        draft, redact_after_send=redact_after_send, forget_after=forget_after
    )
    email.template = template
    # Mutation testing keeps `force_insert=False` alive: a row without a primary key is
    # inserted either way; True only spares Django's check for an existing row.
    email.save(force_insert=True)
    if send_after_commit:
        _after_commit(lambda: _send_soon(email.pk))
    return email


def outbox_emails_send_after_commit(email_ids: list[int]) -> None:
    """Send emails written with `send_after_commit=False` once the transaction commits, with
    one call to the broker however many they are (a request waits on the broker once)."""
    if len(email_ids) == 1:
        _after_commit(lambda: _send_soon(email_ids[0]))
    elif email_ids:
        _after_commit(lambda: _send_many_soon(list(email_ids)))


def outbox_emails_enqueue(
    *,
    drafts: Sequence[OutboxDraft],
    template: str = "",
    redact_after_send: bool = False,
    forget_after: datetime.datetime | None = None,
    render_when_sent: bool = False,
) -> list[int]:
    """Write many emails in one INSERT, and after the commit enqueue their sending as one
    task: a constant number of statements and broker calls, whatever the number of emails.
    Each is rendered from `template` (see outbox_email_enqueue), or without it from its draft's
    own; each template is loaded once. Returns the new rows' ids, in the drafts' order.

    `render_when_sent`: write each email's template, context and language instead, and leave
    the rendering to the worker that sends it (notifications.sending), keeping the templates
    off the caller's transaction: a thousand emails of the SLA sweep rendered here were two
    thirds of its time. The contexts must then be JSON (text, numbers, lists and dicts of
    them), rendered as plain text: a value marked safe is escaped in the HTML like any other."""
    if not drafts:
        return []
    paths = [template or draft.template for draft in drafts]
    columns: dict[str, list] = {
        "to": [list(draft.to) for draft in drafts],
        "headers": [dict(draft.headers) for draft in drafts],
        "template": paths,
    }
    if render_when_sent:
        columns["context"] = [draft.context for draft in drafts]
        active = translation.get_language()
        columns["language"] = [draft.language or active for draft in drafts]
    else:
        templates: dict[str, _Templates] = {}
        rendered = []
        for draft in drafts:
            path = template or draft.template
            if path not in templates:
                templates[path] = _Templates(path)
            rendered.append(templates[path].render(draft.context, draft.language))
        columns["subject"] = [subject for subject, _text, _html in rendered]
        columns["body_text"] = [text for _subject, text, _html in rendered]
        columns["body_html"] = [body_html for _subject, _text, body_html in rendered]
    email_ids = rows_insert(
        OutboxEmail,
        columns=columns,
        redact_after_send=redact_after_send,
        forget_after=forget_after,
    )
    _after_commit(lambda: _send_many_soon(email_ids))
    return email_ids


def _after_commit(publish: Callable[[], None]) -> None:
    """Ask for a send once the transaction commits. An error in asking never fails the change
    that wrote the rows: they are committed, and the periodic task sends them anyway.
    Mutation testing keeps `robust=False` (or no `robust`) alive: task_publish catches every
    error itself, so none reaches here; robust stays in case that ever changes."""
    transaction.on_commit(publish, robust=True)


def _send_many_soon(email_ids: list[int]) -> None:
    """Ask a worker to send these rows now. Never waits on the broker: when it is down or hung
    the rows stay pending and resend_unsent_emails sends them once it is back."""
    task_publish(send_outbox_emails, email_ids)


def _send_soon(email_id: int) -> None:
    """Ask a worker to send this row now; as _send_many_soon, the row is safe either way."""
    task_publish(send_outbox_email, email_id)


def recipients_by_language(
    addresses: Iterable[str], languages: dict[str, str], default: str
) -> list[tuple[str, list[str]]]:
    """Split one email's addresses by the language each reads (`languages`, by address; an
    address not in it, a team inbox, reads `default`): one (language, addresses) per email,
    the languages in the order their first address comes."""
    groups: dict[str, list[str]] = {}
    for address in unique_addresses(addresses):
        groups.setdefault(languages.get(address.lower(), default), []).append(address)
    return list(groups.items())


def outbox_email_send_again(*, email_ids: list[int], by: AbstractBaseUser) -> int:
    """Put failed emails back in the outbox with a fresh set of attempts, and send them after
    the commit. Rows that are not `failed` are left alone. Returns how many were requeued."""
    if not is_administrator(by):
        raise PermissionDenied("Only administrators can send failed emails again.")
    with transaction.atomic():
        emails = list(
            OutboxEmail.objects.select_for_update().filter(
                pk__in=email_ids, status=OutboxEmail.Status.FAILED
            )
        )
        for email in emails:
            email.status = OutboxEmail.Status.PENDING
            email.attempts = 0
            email.next_attempt_at = None
            # Mutation testing keeps `update_fields=None` alive: the row is locked since it was
            # read, so saving every column writes back what is there.
            email.save(update_fields=["status", "attempts", "next_attempt_at"])
            _after_commit(lambda pk=email.pk: _send_soon(pk))
    if emails:
        logger.info("%s failed outbox emails sent again by %s", len(emails), by.get_username())
    return len(emails)
