import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from config.dates import date_text


class Rank(models.TextChoices):
    PC = "PC", _("Police Constable")
    PCSO = "PCSO", _("Police Community Support Officer")
    SC = "SC", _("Special Constable")
    SGT = "Sgt", _("Sergeant")
    INSP = "Insp", _("Inspector")
    CH_INSP = "Ch Insp", _("Chief Inspector")


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
    # The Welsh of `bio` and `responsibilities` (config.bilingual), blank until written.
    bio_cy = models.TextField(_("about you in Welsh"), blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    responsibilities = models.TextField(blank=True)
    responsibilities_cy = models.TextField(_("responsibilities in Welsh"), blank=True)
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
        return reverse("officer_profiles:profile", kwargs={"pk": self.pk})

    @property
    def contact_email(self) -> str:
        """Where the portal emails this officer: their public address, else their account's."""
        if self.email:
            return self.email
        return self.user.email if self.user_id else ""

    def is_away(self, on: datetime.date) -> bool:
        """Marked away that day, or, for today, abstracted at this moment (one query)."""
        if self.away_until is not None and on <= self.away_until:
            return True
        if on == timezone.localdate():
            return self.is_abstracted()
        return Abstraction.objects.filter(officer=self).covering_day(on).exists()

    def is_abstracted(self, at: datetime.datetime | None = None) -> bool:
        """Whether an abstraction covers the moment `at` (now by default): one query."""
        return Abstraction.objects.filter(officer=self).covering(at or timezone.now()).exists()

    @property
    def photo_alt(self) -> str:
        return gettext("Photo of %(rank)s %(name)s") % {
            "rank": self.get_rank_display(),
            "name": self.display_name,
        }


class AssignmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> "AssignmentQuerySet":
        day = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class Assignment(models.Model):
    """An officer's place in a neighbourhood's team, for a period."""

    class Role(models.TextChoices):
        NAMED_OFFICER = "named", _("Named officer")
        TEAM_MEMBER = "team", _("Team member")
        SERGEANT = "sergeant", _("Sergeant")
        INSPECTOR = "inspector", _("Inspector")

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
            names = {"name": other.officer.display_name, "start": date_text(other.start_date)}
            if other.end_date:
                message = gettext(
                    "%(name)s is the named officer here from %(start)s until %(end)s. End that "
                    "assignment before this one starts."
                ) % {**names, "end": date_text(other.end_date)}
            else:
                message = (
                    gettext(
                        "%(name)s is the named officer here from %(start)s with no end date. End "
                        "that assignment before this one starts."
                    )
                    % names
                )
            raise ValidationError({"start_date": message})


class AbstractionQuerySet(models.QuerySet):
    def covering(self, at: datetime.datetime) -> "AbstractionQuerySet":
        """The abstractions under way at the moment `at`."""
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at), starts_at__lte=at)

    def covering_day(self, day: datetime.date) -> "AbstractionQuerySet":
        """The abstractions that cover any part of the local calendar day `day`."""
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        end = timezone.make_aware(
            datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
        )
        return self.overlapping(start, end)

    def overlapping(
        self, start: datetime.datetime, end: datetime.datetime | None
    ) -> "AbstractionQuerySet":
        """The abstractions that share some time with [start, end); end None: open-ended."""
        overlapping = self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=start))
        if end is not None:
            overlapping = overlapping.filter(starts_at__lt=end)
        return overlapping


class Abstraction(models.Model):
    """A time an officer was pulled away from their neighbourhood, and why. Corrected, never
    deleted: the history keeps every version."""

    class Reason(models.TextChoices):
        RESPONSE_COVER = "response_cover", _("Response cover")
        PUBLIC_ORDER = "public_order", _("Public order or events")
        CUSTODY = "custody", _("Custody or escort")
        COURT = "court", _("Court")
        TRAINING = "training", _("Training")
        OTHER_FORCE_DUTIES = "other_force_duties", _("Other force duties")
        OTHER = "other", _("Other")

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="abstractions")
    reason = models.CharField(max_length=30, choices=Reason.choices)
    starts_at = models.DateTimeField()
    # None: still away.
    ends_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=500)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="abstractions_logged",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AbstractionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["officer", "starts_at"], name="abstraction_officer_start")]
        constraints = [
            # On PostgreSQL an exclusion constraint also refuses overlapping periods for one
            # officer (migration 0006); officers.abstractions checks the same on every database.
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="abstraction_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer}, {self.get_reason_display()}, from {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.ends_at is None


class OidcIdentity(models.Model):
    """A staff account's identity at the force's OpenID Connect provider: the provider's
    issuer and its stable subject (`sub`), never an email address, which can be reused.

    The first sign-in of an unknown subject makes an account with no role and an identity
    not yet approved; an administrator approves it in the admin. Until then it cannot sign in
    to the staff area, and its groups give it no role."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_identities"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    # The groups the provider sent at the last sign-in: what approval turns into roles.
    groups = models.JSONField(default=list, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("identity at the force's provider")
        verbose_name_plural = _("identities at the force's provider")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="oidc_identity_issuer_subject_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class StaffLanguage(models.Model):
    """The language a signed-in member of staff last chose with the switcher: the staff pages
    follow the switcher's cookie, and the emails sent to them are written in this one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="staff_language",
    )
    language = models.CharField(max_length=8)
    chosen_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user} reads {self.language}"
