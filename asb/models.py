"""Anti-social behaviour: the force's ASB lead (and divisions' leads), the ASB action plan
they keep with the people they delegate, and the "Who do I report this to?" guide."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.bilingual import in_language


class Lead(models.Model):
    """An officer who leads on ASB: for the force (no division), or for a division."""

    officer = models.ForeignKey(
        "officers.Officer", on_delete=models.CASCADE, related_name="asb_leads"
    )
    division = models.ForeignKey(
        "neighbourhoods.Division",
        on_delete=models.CASCADE,
        related_name="asb_leads",
        null=True,
        blank=True,
        help_text=_("Empty for the force's ASB lead."),
    )
    role = models.CharField(max_length=200, default="Anti-social behaviour lead")
    responsibilities = models.TextField(blank=True)
    contact = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("How residents reach them, if not the officer's email or telephone."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = [models.F("division__name").asc(nulls_first=True), "pk"]
        constraints = [
            # One lead per division; the force's one lead (no division) is checked in clean().
            models.UniqueConstraint(fields=["division"], name="asb_lead_one_per_division"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.officer}"

    def clean(self) -> None:
        super().clean()
        if self.division_id is None:
            others = Lead.objects.filter(division__isnull=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError({"division": _("The force already has an ASB lead.")})


class Delegation(models.Model):
    """A member of staff a lead has trusted to edit the action plan as they would: the force
    lead's delegates edit all of it, a division lead's their division's actions."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="delegations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asb_delegations"
    )

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lead", "user"], name="asb_delegation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} for {self.lead}"


class Section(models.Model):
    """A part of the action plan: town centres, residential areas, or one the lead adds."""

    title = models.CharField(max_length=200, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Action(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DELAYED = "delayed", _("Delayed")

    class OwnerKind(models.TextChoices):
        DIVISION = "division", _("A division")
        NEIGHBOURHOOD = "neighbourhood", _("A neighbourhood team")
        PARTNER = "partner", _("A partner organisation")

    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="actions")
    # Whose plan it is part of: a division's lead keeps theirs; none, the force lead's.
    division = models.ForeignKey(
        "neighbourhoods.Division",
        on_delete=models.PROTECT,
        related_name="asb_actions",
        null=True,
        blank=True,
    )
    title = models.CharField(max_length=300)
    owner_kind = models.CharField(max_length=20, choices=OwnerKind.choices)
    owner_division = models.ForeignKey(
        "neighbourhoods.Division",
        on_delete=models.PROTECT,
        related_name="asb_actions_owned",
        null=True,
        blank=True,
    )
    owner_neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood",
        on_delete=models.PROTECT,
        related_name="asb_actions_owned",
        null=True,
        blank=True,
    )
    owner_partner = models.CharField(max_length=200, blank=True)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.TextField(blank=True)
    plan_priorities = models.ManyToManyField(
        "crimeplan.PlanPriority", related_name="asb_actions", blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["section", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_name(self) -> str:
        if self.owner_kind == self.OwnerKind.DIVISION and self.owner_division_id:
            return self.owner_division.name
        if self.owner_kind == self.OwnerKind.NEIGHBOURHOOD and self.owner_neighbourhood_id:
            return gettext("%(name)s neighbourhood team") % {
                "name": in_language(self.owner_neighbourhood, "name")
            }
        return self.owner_partner


# --- "Who do I report this to?" -------------------------------------------------------------


class Organisation(models.Model):
    """Where a resident reports something: the council, a housing provider, the police."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text=_("When to contact them, in a sentence."))
    url = models.URLField(blank=True)
    link_text = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class BehaviourKind(models.Model):
    """A kind of behaviour a resident may want to report, and whom to report it to."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    hint = models.CharField(max_length=300, blank=True)
    # 999 first, "if someone is in danger now", where the behaviour can put someone in danger.
    danger_first = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class ReportRoute(models.Model):
    kind = models.ForeignKey(BehaviourKind, on_delete=models.CASCADE, related_name="routes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(
        max_length=300, blank=True, help_text=_("For example, “if it is at night”.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "organisation"], name="report_route_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.organisation}"
