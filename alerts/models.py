"""Alerts: residents subscribed to neighbourhoods hear about new and changed events, new or
updated priorities and survey openings, as each happens or in a daily digest.

These models began in the neighbourhoods app: their tables keep the names they had there
(Meta.db_table), so moving them lost and copied nothing."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Neighbourhood


class SubscriberQuerySet(models.QuerySet):
    def active(self) -> "SubscriberQuerySet":
        """Confirmed and not unsubscribed: the only subscribers who are sent alerts."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscriber(models.Model):
    """One email address that asked for alerts. It receives nothing until `confirmed_at` is
    set (double opt-in) and nothing after `unsubscribed_at`."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("As it happens")
        DAILY = "daily", _("Once a day, in a digest")

    email = models.EmailField(unique=True)
    neighbourhoods = models.ManyToManyField(Neighbourhood, related_name="subscribers")
    events = models.BooleanField(default=True)
    priorities = models.BooleanField(default=True)
    surveys = models.BooleanField(default=True)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    # The choices of the latest sign-up, applied only when its confirmation link is used, so
    # signing up again with a known address changes nothing until its owner confirms.
    pending_choices = models.JSONField(null=True, blank=True)
    confirm_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # When the pending confirmation link was sent: it works for CONFIRMATION_LINK_DAYS.
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    # Up to when the daily digest has covered this subscriber's changes.
    digest_covered_until = models.DateTimeField(null=True, blank=True)
    # The language the resident used (a code of LANGUAGES): emails to them are written in it.
    language = models.CharField(max_length=10, default="en-gb")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        db_table = "neighbourhoods_subscriber"
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["frequency", "id"],
                name="subscriber_active",
                condition=Q(confirmed_at__isnull=False, unsubscribed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"Subscriber {self.pk}"

    @property
    def is_active(self) -> bool:
        """As SubscriberQuerySet.active(): confirmed and not unsubscribed."""
        return self.confirmed_at is not None and self.unsubscribed_at is None


class AlertChange(models.Model):
    """Something subscribers of a neighbourhood hear about, recorded once per change (`key`
    is unique: e.g. the event and its SEQUENCE)."""

    class Kind(models.TextChoices):
        EVENT = "event", _("Events")
        PRIORITY = "priority", _("Priorities")
        SURVEY = "survey", _("Surveys")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="alert_changes"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    # The same in Welsh, where the force has Welsh on (alerts.changes words both).
    title_cy = models.CharField(max_length=300, blank=True)
    summary_cy = models.TextField(blank=True)
    path = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when every immediate subscriber's email has been queued.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "neighbourhoods_alertchange"
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["created_at"], name="alert_change_by_time"),
            models.Index(
                fields=["created_at"], name="alert_change_unsent", condition=Q(sent_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AlertDelivery(models.Model):
    """That a subscriber has been sent a change, as it happened or in a digest: at most once."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    change = models.ForeignKey(AlertChange, on_delete=models.CASCADE, related_name="deliveries")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "neighbourhoods_alertdelivery"
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "change"], name="alert_delivered_once"),
        ]

    def __str__(self) -> str:
        return f"{self.change_id} to {self.subscriber_id}"
