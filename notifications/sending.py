"""Sending the outbox, for its Celery tasks.

A row is sent at most once. Sending first claims the row (pending -> sending, under a row lock
taken with SKIP LOCKED, committed before any SMTP traffic), so two workers never send the same
row; a claim left by a worker killed mid-send expires after OUTBOX_CLAIM_SECONDS and the row can be
claimed again. While a row is `sending`, `next_attempt_at` holds the claim's expiry; while it is
`pending`, the earliest time of its next attempt."""

import datetime
import logging
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.models import OutboxEmail
from notifications.rendering import EmailTemplates

logger = logging.getLogger(__name__)

# A fresh row is left to the task its own commit enqueued for this long.
RESEND_GRACE = datetime.timedelta(seconds=20)
RESEND_BATCH = 500
# What is left of an email whose recipient's details have been removed.
FORGOTTEN = "[removed]"
FIRST_BACKOFF = datetime.timedelta(minutes=1)
MAX_BACKOFF = datetime.timedelta(hours=1)


class OutboxEmailRetryLater(Exception):
    """A send failed in a way worth retrying; the row is pending again until `retry_in` has
    passed."""

    def __init__(self, email_id: int, retry_in: datetime.timedelta, error: str) -> None:
        super().__init__(f"email {email_id} not sent ({error}); retrying in {retry_in}")
        self.email_id = email_id
        self.retry_in = retry_in


def claim_timeout() -> datetime.timedelta:
    """How long a claim lasts (OUTBOX_CLAIM_SECONDS): one older belongs to a worker that died
    mid-send. Longer than the slowest live send, so a live send is never claimed twice; if a
    killed worker's copy did reach the server, the second carries the same Message-ID and mail
    servers drop it."""
    return datetime.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS)


def outbox_backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4 ... minutes, at most
    an hour."""
    exponent = max(attempts - 1, 0)
    # Mutation testing keeps `> 10` and `>= 11` alive here: 2**10 and 2**11 minutes are both
    # past the cap, so either bound gives the hour. The bound only keeps 2**500 from overflowing.
    if exponent >= 10:  # 2**10 minutes is far past the cap already
        return MAX_BACKOFF
    return min(FIRST_BACKOFF * 2**exponent, MAX_BACKOFF)


def _claimable(now: datetime.datetime) -> Q:
    # Mutation testing keeps dropping `status=SENDING` alive: a sent or failed row never has a
    # `next_attempt_at` (both set it to None), so the second half matches only sending rows.
    return Q(status=OutboxEmail.Status.PENDING) | Q(
        status=OutboxEmail.Status.SENDING, next_attempt_at__lte=now
    )


def _claim(email_id: int) -> OutboxEmail | None:
    """Mark the row `sending` and commit, or None when it is sent, failed, gone, or being
    sent by someone else right now."""
    with transaction.atomic():
        now = timezone.now()
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(_claimable(now), pk=email_id)
            .first()
        )
        if email is None:
            return None
        if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            # Its last attempt's worker died mid-send: no attempt is left.
            _record_failure(email, "The last attempt did not finish.", final=True)
            logger.error("Outbox email %s failed: its last attempt did not finish", email.pk)
            return None
        email.status = OutboxEmail.Status.SENDING
        email.attempts += 1
        email.next_attempt_at = now + claim_timeout()
        fields = ["status", "attempts", "next_attempt_at"]
        if email.context is not None:
            try:
                _render(email)
            except Exception as exc:
                # A fault in the templates, not in delivery: another attempt would not help.
                # The context stays, so the email can be sent again once they are mended.
                _record_failure(email, f"{type(exc).__name__}: {exc}", final=True)
                logger.exception("Outbox email %s could not be rendered, marked failed", email.pk)
                return None
            fields += ["subject", "body_text", "body_html", "context"]
        # Mutation testing keeps `update_fields=None` alive here: the row is locked since it was
        # read, so saving every column writes back what is there.
        email.save(update_fields=fields)
    return email


def _render(email: OutboxEmail) -> None:
    """Render an email written to be rendered when sent (see outbox_emails_enqueue) in its
    language, and drop its context: from here on the row holds what is sent, as any other.
    Committed with the claim, so every attempt sends the same email."""
    email.subject, email.body_text, email.body_html = EmailTemplates(email.template).render(
        email.context, email.language
    )
    email.context = None


REDACTED = "[Removed once sent: it held the resident's private tracking link.]"


def _message(email: OutboxEmail) -> EmailMultiAlternatives:
    headers = dict(email.headers)
    # The same Message-ID on every attempt, so a receiver can drop a copy that a crash between
    # the SMTP server's acceptance and our record of it made us send again.
    # On the domain of the sender's address (not of its display name), else localhost.
    # Mutation testing keeps `.partition` alive: they differ only on an address with two "@".
    _local, at, domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")
    domain = domain if at else "localhost"
    headers.setdefault(
        "Message-ID", f"<outbox-{email.pk}-{email.created_at:%Y%m%d%H%M%S}@{domain}>"
    )
    # Mutation testing keeps a missing `from_email` and "TEXT/HTML" alive: EmailMessage falls
    # back to DEFAULT_FROM_EMAIL itself, and MIME types are read without regard to case.
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(email.to),
        headers=headers,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    return message


def _refused_for_good(exc: OSError) -> bool:
    """Whether the mail server refused this message permanently (a 5xx reply to its
    recipients or to its content): another attempt would get the same answer. A 5xx to the
    sign-in or the sender is the portal's configuration, and is retried until it is fixed.
    Mutation testing keeps `<= 600` and `< 601` alive in both tests: no reply code is 600 (RFC
    5321's run from 2yz to 5yz)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(
            500 <= code < 600 for code, _reply in exc.recipients.values()
        )
    return isinstance(exc, smtplib.SMTPDataError) and 500 <= exc.smtp_code < 600


def _record_failure(email: OutboxEmail, error: str, *, final: bool) -> None:
    """Back to pending for a later attempt, or `failed` when `final`."""
    email.last_error = error[:2000]
    if final:
        email.status = OutboxEmail.Status.FAILED
        email.next_attempt_at = None
    else:
        email.status = OutboxEmail.Status.PENDING
        email.next_attempt_at = timezone.now() + outbox_backoff(email.attempts)
    email.save(update_fields=["status", "last_error", "next_attempt_at"])


def outbox_email_send(*, email_id: int) -> bool:
    """Send one outbox row, at most once. True when this call sent it; False when there was
    nothing to do (already sent or failed, gone, claimed by another worker) or when this
    attempt was the last one allowed, or the mail server refused the email for good (5xx), and
    the row is now `failed`. Raises OutboxEmailRetryLater
    after a failure worth retrying, with the row pending again."""
    email = _claim(email_id)
    if email is None:
        return False
    try:
        # Mutation testing keeps `fail_silently=None` alive: as False, it lets errors through.
        _message(email).send(fail_silently=False)
    except OSError as exc:  # smtplib's errors are OSErrors, as are refused connections
        error = f"{type(exc).__name__}: {exc}"
        if _refused_for_good(exc):
            _record_failure(email, error, final=True)
            logger.error("Outbox email %s refused by the mail server for good: %s", email.pk, error)
            return False
        final = email.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        _record_failure(email, error, final=final)
        if final:
            logger.error(
                "Outbox email %s failed after %s attempts: %s", email.pk, email.attempts, error
            )
            return False
        retry_in = outbox_backoff(email.attempts)
        logger.warning(
            "Outbox email %s not sent (attempt %s of %s), retrying in %s: %s",
            email.pk,
            email.attempts,
            settings.OUTBOX_MAX_ATTEMPTS,
            retry_in,
            error,
        )
        raise OutboxEmailRetryLater(email.pk, retry_in, error) from exc
    except Exception as exc:
        # A fault in the row itself rather than in delivery: another attempt would not help.
        _record_failure(email, f"{type(exc).__name__}: {exc}", final=True)
        logger.exception("Outbox email %s could not be sent, marked failed", email.pk)
        raise
    email.status = OutboxEmail.Status.SENT
    email.sent_at = timezone.now()
    email.next_attempt_at = None
    email.last_error = ""
    fields = ["status", "sent_at", "next_attempt_at", "last_error"]
    if email.redact_after_send:
        email.body_text = REDACTED
        email.body_html = f"<p>{REDACTED}</p>" if email.body_html else ""
        fields += ["body_text", "body_html"]
    email.save(update_fields=fields)
    return True


def outbox_unsent_ids(*, limit: int = RESEND_BATCH) -> list[int]:
    """Rows left unsent, oldest first: pending rows due for an attempt (not the ones just
    written, which their own task is sending) and rows whose sending claim has expired.
    Reads through the partial index `outbox_unsent`."""
    now = timezone.now()
    # Mutation testing keeps two changes alive here: dropping `status=PENDING` below (a sending
    # row always has its claim's expiry in `next_attempt_at`, never NULL), and `values_list`
    # without "pk" (flat, it then gives the first column, which is the primary key).
    due = Q(next_attempt_at__lte=now) | Q(
        next_attempt_at__isnull=True,
        status=OutboxEmail.Status.PENDING,
        created_at__lte=now - RESEND_GRACE,
    )
    return list(
        OutboxEmail.objects.filter(
            due, status__in=[OutboxEmail.Status.PENDING, OutboxEmail.Status.SENDING]
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_emails_forget(*, now: datetime.datetime | None = None) -> int:
    """Remove the recipient, subject and bodies of sent or failed emails past their
    `forget_after`, keeping that they were sent. One UPDATE; returns how many rows."""
    now = now or timezone.now()
    return OutboxEmail.objects.filter(
        forget_after__lt=now,
        status__in=[OutboxEmail.Status.SENT, OutboxEmail.Status.FAILED],
    ).update(
        to=[FORGOTTEN],
        subject=FORGOTTEN,
        body_text=FORGOTTEN,
        body_html="",
        headers={},
        context=None,
        forget_after=None,
    )
