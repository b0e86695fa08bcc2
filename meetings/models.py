"""Beat meetings and other neighbourhood events, the series that repeat them, residents'
registrations, and what came of a meeting once it was held."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.bilingual import in_language


class EventType(models.TextChoices):
    BEAT_MEETING = "beat_meeting", _("Beat meeting")
    BEAT_SURGERY = "beat_surgery", _("Beat surgery")
    STREET_BRIEFING = "street_briefing", _("Street briefing")
    COMMUNITY_EVENT = "community_event", _("Community event")
    ONLINE_MEETING = "online_meeting", _("Online meeting")
    PARTNERSHIP_MEETING = "partnership_meeting", _("Partnership meeting")


class EventDetails(models.Model):
    """What a resident needs to go: shared by an event and the series it comes from, so a
    series hands its occurrences the same fields."""

    neighbourhood = models.ForeignKey("neighbourhoods.Neighbourhood", on_delete=models.CASCADE)
    event_type = models.CharField(max_length=30, choices=EventType.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    venue_name = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    # The Welsh of the text above (config.bilingual), blank until written.
    title_cy = models.CharField(_("title in Welsh"), max_length=200, blank=True)
    description_cy = models.TextField(_("description in Welsh"), blank=True)
    venue_name_cy = models.CharField(_("venue in Welsh"), max_length=200, blank=True)
    address_cy = models.CharField(_("address in Welsh"), max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    step_free_access = models.BooleanField(default=False)
    hearing_loop = models.BooleanField(default=False)
    parking = models.BooleanField(default=False)
    accessibility_notes = models.TextField(blank=True)
    online_url = models.URLField(max_length=500, blank=True)
    organiser = models.ForeignKey(
        "officers.Officer", on_delete=models.SET_NULL, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # The fields a series copies to each occurrence it creates.
    DETAIL_FIELDS = (
        "neighbourhood",
        "event_type",
        "title",
        "description",
        "venue_name",
        "address",
        "title_cy",
        "description_cy",
        "venue_name_cy",
        "address_cy",
        "postcode",
        "step_free_access",
        "hearing_loop",
        "parking",
        "accessibility_notes",
        "online_url",
        "organiser",
        "capacity",
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class Series(EventDetails):
    """A meeting that repeats ("first Tuesday of every month at 7pm"): an RFC 5545 RRULE read in
    Europe/London wall-clock time from `first_starts_at`, so 7pm stays 7pm across the clock
    changes. A periodic task creates its occurrences as Events a few months ahead."""

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.CASCADE, related_name="series"
    )
    organiser = models.ForeignKey(
        "officers.Officer",
        on_delete=models.SET_NULL,
        related_name="series",
        null=True,
        blank=True,
    )
    rrule = models.CharField(max_length=200, help_text=_("An RFC 5545 RRULE, e.g. FREQ=MONTHLY"))
    first_starts_at = models.DateTimeField()
    duration = models.DurationField()
    # Occurrences exist as Events up to here; the task carries on from it.
    materialised_until = models.DateTimeField(null=True, blank=True)
    # Set when an officer ends the series: no occurrence after it is created.
    ended_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "materialised_until"])

    class Meta:
        verbose_name_plural = _("series")
        ordering = ["neighbourhood", "title"]

    def get_absolute_url(self) -> str:
        return reverse("meetings_staff:series", kwargs={"pk": self.pk})


# The longest an event the portal lists may last. Bounding it lets "upcoming" start its index
# scan at (now - this) instead of reading every past event.
MAX_EVENT_LENGTH = datetime.timedelta(hours=24)


class EventQuerySet(models.QuerySet):
    def upcoming(self) -> "EventQuerySet":
        now = timezone.now()
        return self.filter(ends_at__gte=now, starts_at__gte=now - MAX_EVENT_LENGTH).order_by(
            "starts_at"
        )

    def past(self) -> "EventQuerySet":
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at")

    def for_neighbourhood(self, neighbourhood) -> "EventQuerySet":
        return self.filter(neighbourhood=neighbourhood)

    def listed(self) -> "EventQuerySet":
        """What residents see in lists: scheduled and held events (a cancelled one stays on
        its own page and in calendar feeds, so calendars learn of the cancellation)."""
        return self.exclude(status=Event.Status.CANCELLED)


class Event(EventDetails):
    """A beat meeting or other neighbourhood event, on its own or one occurrence of a series."""

    Type = EventType

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        HELD = "held", "Held"

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.CASCADE, related_name="events"
    )
    organiser = models.ForeignKey(
        "officers.Officer",
        on_delete=models.SET_NULL,
        related_name="events",
        null=True,
        blank=True,
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_reason = models.TextField(blank=True)
    series = models.ForeignKey(
        Series, on_delete=models.SET_NULL, related_name="events", null=True, blank=True
    )
    # The start the series rule gave this occurrence, kept when the occurrence is moved, so
    # the task never creates it twice.
    series_starts_at = models.DateTimeField(null=True, blank=True)
    # iCalendar: a UID that never changes, and a SEQUENCE moved on by every change a calendar
    # must pick up (time, place, cancellation).
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["neighbourhood", "starts_at"]),
            models.Index(fields=["starts_at"], name="event_starts_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "series_starts_at"],
                name="event_once_per_series_start",
                condition=Q(series__isnull=False),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("meetings:event", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def registrations_forget_after(self) -> datetime.datetime:
        """When residents' details for this event are removed, from its registrations (see
        registrations_anonymise) and from the emails sent to them (outbox `forget_after`)."""
        return self.ends_at + datetime.timedelta(days=settings.REGISTRATION_RETENTION_DAYS)

    @property
    def venue(self) -> str:
        """Where it is, in one line."""
        return ", ".join(part for part in (self.venue_name, self.address, self.postcode) if part)

    def venue_in_language(self, language: str | None = None) -> str:
        """Where it is, in one line, in `language` (the active one by default): the Welsh venue
        and address where they are written."""
        parts = (
            in_language(self, "venue_name", language),
            in_language(self, "address", language),
            self.postcode,
        )
        return ", ".join(part for part in parts if part)


class Registration(models.Model):
    """A resident's place at an event. The cancel link's token is stored only as its SHA-256
    hash; `cancelled_at` is set when the resident gives the place back."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    accessibility_needs = models.TextField(blank=True)
    cancel_token_hash = models.CharField(max_length=64, unique=True)
    attended = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # The language the resident used (a code of LANGUAGES): emails to them are written in it.
    language = models.CharField(max_length=10, default="en-gb")

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                name="registration_once_per_email",
                condition=Q(cancelled_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.event}"


class Outcome(models.Model):
    """What happened at a meeting once held: shown publicly on the neighbourhood page ("you
    said, we did"), with the priorities it created or updated."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="outcome")
    attendance = models.PositiveIntegerField()
    summary = models.TextField()
    issues_raised = models.TextField(blank=True, help_text=_("One issue per line"))
    # The Welsh of `summary` and `issues_raised` (config.bilingual), blank until written.
    summary_cy = models.TextField(_("summary in Welsh"), blank=True)
    issues_raised_cy = models.TextField(
        _("issues raised in Welsh"), blank=True, help_text=_("One issue per line")
    )
    priorities = models.ManyToManyField("engagement.Priority", related_name="outcomes", blank=True)
    recorded_by = models.ForeignKey(
        "officers.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    def __str__(self) -> str:
        return f"Outcome of {self.event}"

    @property
    def issues(self) -> list[str]:
        return [line.strip() for line in self.issues_raised.splitlines() if line.strip()]
