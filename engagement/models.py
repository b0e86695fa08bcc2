"""Local priorities and Have your say: what residents raised and what the team does about it,
residents' support for priorities, and short surveys.

These models began in the neighbourhoods app: their tables keep the names they had there
(Meta.db_table), so moving them lost and copied nothing."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from neighbourhoods.models import Neighbourhood


class PriorityQuerySet(models.QuerySet):
    def current(self) -> "PriorityQuerySet":
        return self.exclude(status=Priority.Status.RESOLVED)

    def resolved(self) -> "PriorityQuerySet":
        return self.filter(status=Priority.Status.RESOLVED)


class Priority(models.Model):
    """A local priority: what residents raised and what the team is doing about it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="priorities"
    )
    issue = models.TextField()
    action = models.TextField(blank=True)
    # The Welsh of `issue` and `action` (config.bilingual), blank until written.
    issue_cy = models.TextField(_("issue in Welsh"), blank=True)
    action_cy = models.TextField(_("action in Welsh"), blank=True)
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
    history = HistoricalRecords(table_name="neighbourhoods_historicalpriority")

    class Meta:
        db_table = "neighbourhoods_priority"
        ordering = ["-issue_date", "pk"]
        verbose_name_plural = _("priorities")
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
    # The Welsh of `question` and `description` (config.bilingual), blank until written.
    question_cy = models.CharField(_("question in Welsh"), max_length=200, blank=True)
    description_cy = models.TextField(_("description in Welsh"), blank=True)
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

    history = HistoricalRecords(table_name="neighbourhoods_historicalsurvey")

    class Meta:
        db_table = "neighbourhoods_survey"
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
    label_cy = models.CharField(_("label in Welsh"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "neighbourhoods_surveyoption"
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
    # The language the resident used (a code of LANGUAGES): emails to them are written in it.
    language = models.CharField(max_length=10, default="en-gb")

    class Meta:
        db_table = "neighbourhoods_surveyresponse"
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
    # The language the resident used (a code of LANGUAGES): emails to them are written in it.
    language = models.CharField(max_length=10, default="en-gb")

    class Meta:
        db_table = "neighbourhoods_prioritysupport"
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
