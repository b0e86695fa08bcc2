from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

# The keys of each entry of Neighbourhood.locations, as data.police.uk names them.
LOCATION_KEYS = (
    "name",
    "type",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "description",
    "telephone",
)


class Force(models.Model):
    """A police force. `slug` is its data.police.uk id, e.g. `derbyshire`."""

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    # [{"url", "title", "description"}], as data.police.uk's engagement_methods.
    engagement_methods = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Division(models.Model):
    force = models.ForeignKey(Force, on_delete=models.CASCADE, related_name="divisions")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "slug"], name="division_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class NeighbourhoodQuerySet(models.QuerySet):
    def for_force(self, force: Force) -> "NeighbourhoodQuerySet":
        return self.filter(force=force)


class Neighbourhood(models.Model):
    """A policing neighbourhood. `code` is its force-scoped id, e.g. `DC01`."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="neighbourhoods")
    division = models.ForeignKey(
        Division, on_delete=models.PROTECT, related_name="neighbourhoods", null=True, blank=True
    )
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    # HTML: cleaned with nh3 by the admin form and the import, and again wherever it is shown.
    description = models.TextField(blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    # A GeoJSON Polygon or MultiPolygon geometry in WGS84 (longitude, latitude).
    boundary = models.JSONField(null=True, blank=True)
    centre_latitude = models.FloatField(null=True, blank=True)
    centre_longitude = models.FloatField(null=True, blank=True)
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    # The force's own page for the neighbourhood (data.police.uk's url_force).
    url_force = models.URLField(blank=True)
    # Other contact routes by data.police.uk's keys: {"facebook": url, "twitter": url, ...}.
    social_links = models.JSONField(default=dict, blank=True)
    # [{"url", "title", "description"}]
    links = models.JSONField(default=list, blank=True)
    # Police stations and other places: [{"name", "type", "address", "postcode",
    # "latitude", "longitude", "description", "telephone"}]
    locations = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeighbourhoodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["force", "code"], name="neighbourhood_unique_code"),
            # Public URLs carry the slug alone, so it is unique across forces.
            models.UniqueConstraint(fields=["slug"], name="neighbourhood_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("neighbourhoods:detail", kwargs={"slug": self.slug})

    _UNKNOWN = object()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._boundary_as_loaded = instance.__dict__.get("boundary", cls._UNKNOWN)
        return instance

    def boundary_changed(self) -> bool:
        """Whether the boundary differs from what was last read from or written to the
        database (a new neighbourhood's boundary counts as changed)."""
        return getattr(self, "_boundary_as_loaded", self._UNKNOWN) != self.boundary

    def boundary_stored(self) -> None:
        self._boundary_as_loaded = self.boundary


class Postcode(models.Model):
    """A postcode in normal form (`DE1 1AA`) and the neighbourhood its centre lies in."""

    postcode = models.CharField(max_length=8, unique=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, related_name="postcodes", null=True
    )

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode


class PriorityQuerySet(models.QuerySet):
    def current(self) -> "PriorityQuerySet":
        return self.exclude(status=Priority.Status.RESOLVED)

    def resolved(self) -> "PriorityQuerySet":
        return self.filter(status=Priority.Status.RESOLVED)


class Priority(models.Model):
    """A local priority: what residents raised and what the team is doing about it."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="priorities"
    )
    issue = models.TextField()
    action = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    issue_date = models.DateField()
    # When the action was last updated; for a resolved priority, the day it was resolved.
    action_date = models.DateField(null=True, blank=True)
    # When the team means to look at it again; a current priority past it is overdue.
    review_date = models.DateField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PriorityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issue_date", "pk"]
        verbose_name_plural = "priorities"
        indexes = [
            # The weekly overdue sweep and the staff lists read current priorities by age.
            models.Index(
                fields=["updated_at"],
                name="priority_current_by_update",
                condition=~Q(status="resolved"),
            ),
        ]

    def __str__(self) -> str:
        return self.issue[:60]


# Have your say: short surveys and residents' support for priorities. An answer or a support
# counts once its email address is confirmed (double opt-in); only a keyed hash of the address
# is kept on the row, so the results hold no resident's contact details.


class Survey(models.Model):
    """A short survey a neighbourhood team runs ("what should we focus on next?"). It takes
    answers from `opens_on` to `closes_on` inclusive (London days); results are public once
    it has closed."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="surveys"
    )
    question = models.CharField(max_length=200, default="What should we focus on next?")
    description = models.TextField(blank=True)
    allow_free_text = models.BooleanField(default=False)
    opens_on = models.DateField()
    closes_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} ({self.neighbourhood})"


class SurveyOption(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "label"], name="survey_option_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class SurveyResponse(models.Model):
    """One resident's answer. It counts once `confirmed_at` is set; free text is shown only
    once a member of staff has approved it."""

    class Moderation(models.TextChoices):
        PENDING = "pending", "Waiting for moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    option = models.ForeignKey(
        SurveyOption,
        on_delete=models.CASCADE,
        related_name="responses",
        null=True,
        blank=True,
    )
    free_text = models.TextField(blank=True)
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    email_hash = models.CharField(max_length=64)
    confirm_token_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "email_hash"],
                name="survey_response_once_per_email",
                condition=Q(confirmed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.survey_id}"


class PrioritySupport(models.Model):
    """A resident's support for a current priority, counted once its address is confirmed."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="supports")
    email_hash = models.CharField(max_length=64)
    confirm_token_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["priority", "email_hash"],
                name="priority_support_once_per_email",
                condition=Q(confirmed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Support for {self.priority_id}"


# Alerts: residents subscribed to neighbourhoods hear about new and changed events, new or
# updated priorities and survey openings, as each happens or in a daily digest.


class SubscriberQuerySet(models.QuerySet):
    def active(self) -> "SubscriberQuerySet":
        """Confirmed and not unsubscribed: the only subscribers who are sent alerts."""
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscriber(models.Model):
    """One email address that asked for alerts. It receives nothing until `confirmed_at` is
    set (double opt-in) and nothing after `unsubscribed_at`."""

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", "As it happens"
        DAILY = "daily", "Once a day, in a digest"

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
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
        EVENT = "event", "Events"
        PRIORITY = "priority", "Priorities"
        SURVEY = "survey", "Surveys"

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="alert_changes"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    key = models.CharField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    path = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when every immediate subscriber's email has been queued.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
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
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "change"], name="alert_delivered_once"),
        ]

    def __str__(self) -> str:
        return f"{self.change_id} to {self.subscriber_id}"
