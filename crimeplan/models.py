"""The Police and Crime Plan the Police and Crime Commissioner publishes: its period and the
priorities the Chief Constable is held to account for. Neighbourhood priorities are tagged
with the plan priorities they serve (the relation lives here: engagement is the lower app)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PlanQuerySet(models.QuerySet):
    def in_force_on(self, day) -> "PlanQuerySet":
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Plan(models.Model):
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="plan_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanPriority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # The neighbourhood priorities that serve this plan priority, tagged by their officers.
    neighbourhood_priorities = models.ManyToManyField(
        "engagement.Priority", related_name="plan_priorities", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["plan", "position", "pk"]
        verbose_name_plural = _("plan priorities")

    def __str__(self) -> str:
        return self.title
