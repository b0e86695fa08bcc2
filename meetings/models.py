from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class EventQuerySet(models.QuerySet):
    def upcoming(self) -> "EventQuerySet":
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at")

    def past(self) -> "EventQuerySet":
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at")

    def for_neighbourhood(self, neighbourhood) -> "EventQuerySet":
        return self.filter(neighbourhood=neighbourhood)


class Event(models.Model):
    """A beat meeting or other neighbourhood event."""

    class Type(models.TextChoices):
        BEAT_MEETING = "beat_meeting", "Beat meeting"
        BEAT_SURGERY = "beat_surgery", "Beat surgery"
        STREET_BRIEFING = "street_briefing", "Street briefing"
        COMMUNITY_EVENT = "community_event", "Community event"
        ONLINE_MEETING = "online_meeting", "Online meeting"
        PARTNERSHIP_MEETING = "partnership_meeting", "Partnership meeting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"
        HELD = "held", "Held"

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.CASCADE, related_name="events"
    )
    event_type = models.CharField(max_length=30, choices=Type.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    venue_name = models.CharField(max_length=200, blank=True)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    organiser = models.ForeignKey(
        "officers.Officer",
        on_delete=models.SET_NULL,
        related_name="events",
        null=True,
        blank=True,
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["neighbourhood", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title
