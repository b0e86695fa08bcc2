"""The email outbox: every email the portal sends, recorded before it is sent."""

from django.db import models
from django.db.models import Q


class OutboxEmail(models.Model):
    """An email, written in the same transaction as the change that causes it, then sent by a
    Celery task. `status` guards against sending twice."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    to = models.JSONField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # The templates it is written from (e.g. `queries/email/reminder`, see
    # notifications.rendering), and for an email written to be rendered when it is sent (the SLA
    # sweep's, see outbox_emails_enqueue), the context and language to render it with: until
    # then its subject and bodies are empty. The worker that first claims it renders it and
    # clears the context, so from then on the row is as if it had been rendered when written.
    template = models.CharField(max_length=200, blank=True)
    context = models.JSONField(null=True, blank=True)
    language = models.CharField(max_length=35, blank=True)
    # For an email that carries a secret (the resident's tracking link): once it is sent, its
    # bodies are replaced, so the secret is kept nowhere.
    redact_after_send = models.BooleanField(default=False)
    # For an email to someone whose details have a retention of their own (a resident
    # registered for an event): after this time, once sent or failed, the address, subject and
    # bodies are removed. Emails about a query follow the query's retention instead (the
    # queries app links them).
    forget_after = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Created by the queries app, which first held the outbox: the table keeps its name.
        db_table = "queries_outboxemail"
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_unsent",
                condition=Q(status__in=["pending", "sending"]),
            ),
            # Failed emails are counted on the staff home: keep that cheap as the outbox grows.
            models.Index(fields=["created_at"], name="outbox_failed", condition=Q(status="failed")),
            models.Index(
                fields=["forget_after"],
                name="outbox_to_forget",
                condition=Q(forget_after__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.template} to {', '.join(self.to)}"
