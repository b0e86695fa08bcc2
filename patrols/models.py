"""Hotspots (places in a neighbourhood where officers patrol on purpose), the patrols officers
log against them, and the monthly tally of those patrols that the public summary and the
dashboard read (PatrolMonth: a few rows a hotspot a month, however many patrols there are)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from neighbourhoods.models import Neighbourhood
from officers.models import Officer

# The outcomes of a patrol, in the order forms, tables and CSV files show them, with the words
# the public summary uses for one and for several.
OUTCOMES = (
    ("people_engaged", _("People engaged"), "person engaged", "people engaged"),
    ("groups_dispersed", _("Groups dispersed"), "group dispersed", "groups dispersed"),
    ("dispersal_orders", _("Dispersal orders"), "dispersal order", "dispersal orders"),
    ("arrests", _("Arrests"), "arrest", "arrests"),
    (
        "immediate_justice",
        _("Immediate Justice referrals"),
        "Immediate Justice referral",
        "Immediate Justice referrals",
    ),
    (
        "safeguarding",
        _("Safeguarding referrals"),
        "safeguarding referral",
        "safeguarding referrals",
    ),
    ("intelligence", _("Intelligence submitted"), "intelligence report", "intelligence reports"),
)
OUTCOME_FIELDS = tuple(name for name, *_ in OUTCOMES)
OUTCOME_LABELS = {name: label for name, label, *_ in OUTCOMES}
# The order the public summary names them in (the ones residents ask about first).
PUBLIC_ORDER = (
    "arrests",
    "groups_dispersed",
    "dispersal_orders",
    "immediate_justice",
    "safeguarding",
    "people_engaged",
    "intelligence",
)


class Hotspot(models.Model):
    """A named place in a neighbourhood (a street, a park, a shopping parade) with its area,
    why officers patrol it, and the patrol plan: from when, until when, how many hours."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="hotspots"
    )
    name = models.CharField(max_length=120)
    reason = models.TextField(max_length=500)
    # The area as a GeoJSON Polygon (longitude, latitude); for a radius around a point, the
    # circle drawn as a polygon, with the point and radius kept to show them back.
    area = models.JSONField()
    centre_latitude = models.FloatField(null=True, blank=True)
    centre_longitude = models.FloatField(null=True, blank=True)
    radius_metres = models.PositiveIntegerField(null=True, blank=True)
    plan_starts_on = models.DateField()
    plan_ends_on = models.DateField()
    planned_hours = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan_ends_on__gte=F("plan_starts_on")),
                name="hotspot_plan_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Patrol(models.Model):
    """One patrol of a hotspot: when, who, and what came of it. The note is for staff only:
    it never appears in public figures."""

    hotspot = models.ForeignKey(Hotspot, on_delete=models.PROTECT, related_name="patrols")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    officers = models.ManyToManyField(Officer, related_name="patrols")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    people_engaged = models.PositiveIntegerField(default=0)
    groups_dispersed = models.PositiveIntegerField(default=0)
    dispersal_orders = models.PositiveIntegerField(default=0)
    arrests = models.PositiveIntegerField(default=0)
    immediate_justice = models.PositiveIntegerField(default=0)
    safeguarding = models.PositiveIntegerField(default=0)
    intelligence = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["hotspot", "starts_at"], name="patrol_hotspot_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="patrol_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"Patrol of {self.hotspot} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class PatrolMonth(models.Model):
    """The patrols of one hotspot in one London month (by when each started), summed: kept by
    patrols.services as each patrol is logged, in the same transaction."""

    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="months")
    month = models.DateField()  # the first day of the month
    patrols = models.PositiveIntegerField(default=0)
    # How long the patrols lasted, and that times the officers on each (officer time).
    minutes = models.PositiveBigIntegerField(default=0)
    officer_minutes = models.PositiveBigIntegerField(default=0)
    people_engaged = models.PositiveIntegerField(default=0)
    groups_dispersed = models.PositiveIntegerField(default=0)
    dispersal_orders = models.PositiveIntegerField(default=0)
    arrests = models.PositiveIntegerField(default=0)
    immediate_justice = models.PositiveIntegerField(default=0)
    safeguarding = models.PositiveIntegerField(default=0)
    intelligence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hotspot", "month"], name="patrol_month_unique"),
        ]
        indexes = [models.Index(fields=["month"], name="patrol_month_month")]

    def __str__(self) -> str:
        return f"{self.hotspot} in {self.month:%B %Y}"
