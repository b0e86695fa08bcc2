import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Rank(models.TextChoices):
    PC = "PC", "Police Constable"
    PCSO = "PCSO", "Police Community Support Officer"
    SC = "SC", "Special Constable"
    SGT = "Sgt", "Sergeant"
    INSP = "Insp", "Inspector"
    CH_INSP = "Ch Insp", "Chief Inspector"


class Officer(models.Model):
    """An officer's public profile, linked to their staff account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="officer",
        null=True,
        blank=True,
    )
    display_name = models.CharField(max_length=150)
    rank = models.CharField(max_length=10, choices=Rank.choices)
    collar_number = models.CharField(max_length=20, blank=True)
    # Re-encoded by the portal (see officers.photos): never the bytes that were uploaded.
    photo = models.ImageField(upload_to="officers/photos/", blank=True)
    bio = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    responsibilities = models.TextField(blank=True)
    languages = models.JSONField(default=list, blank=True)
    # Marked away (leave, training, other duties): new queries go to the team and sergeant until
    # the end of this day. The abstractions log will also feed this in.
    away_until = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return f"{self.rank} {self.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("officers:profile", kwargs={"pk": self.pk})

    @property
    def contact_email(self) -> str:
        """Where the portal emails this officer: their public address, else their account's."""
        if self.email:
            return self.email
        return self.user.email if self.user_id else ""

    def is_away(self, on: datetime.date) -> bool:
        return self.away_until is not None and on <= self.away_until

    @property
    def photo_alt(self) -> str:
        return f"Photo of {self.get_rank_display()} {self.display_name}"


class AssignmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> "AssignmentQuerySet":
        day = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class Assignment(models.Model):
    """An officer's place in a neighbourhood's team, for a period."""

    class Role(models.TextChoices):
        NAMED_OFFICER = "named", "Named officer"
        TEAM_MEMBER = "team", "Team member"
        SERGEANT = "sergeant", "Sergeant"
        INSPECTOR = "inspector", "Inspector"

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="assignments")
    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.CASCADE, related_name="assignments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["neighbourhood", "role", "start_date"]
        constraints = [
            # One open-ended named officer per neighbourhood; handing over ends the old one.
            # On PostgreSQL an exclusion constraint also refuses overlapping named-officer
            # periods (migration 0004); the service checks the same on every database.
            models.UniqueConstraint(
                fields=["neighbourhood"],
                condition=Q(role="named", end_date__isnull=True),
                name="assignment_one_named_officer",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer}, {self.get_role_display()}, {self.neighbourhood}"

    def clean(self) -> None:
        """One named officer per neighbourhood on any day: refuse a period that overlaps
        another named officer's (PostgreSQL's exclusion constraint refuses it too)."""
        super().clean()
        if self.role != self.Role.NAMED_OFFICER or not self.neighbourhood_id or not self.start_date:
            return
        overlapping = (
            Assignment.objects.filter(neighbourhood_id=self.neighbourhood_id, role=self.role)
            .exclude(pk=self.pk)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
            .select_related("officer")
        )
        if self.end_date:
            overlapping = overlapping.filter(start_date__lte=self.end_date)
        other = overlapping.first()
        if other:
            until = f"until {other.end_date:%-d %B %Y}" if other.end_date else "with no end date"
            raise ValidationError(
                {
                    "start_date": (
                        f"{other.officer.display_name} is the named officer here from "
                        f"{other.start_date:%-d %B %Y} {until}. End that assignment before "
                        "this one starts."
                    )
                }
            )
