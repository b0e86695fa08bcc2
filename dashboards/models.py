"""The OPCC's quarterly Guarantee report for the Police and Crime Panel.

A report is drafted for a finished quarter, given a commentary and published. Publishing
freezes it: the figures are kept as a JSON snapshot (with the version of its schema) and the
commentary as rendered, and the row is never changed again: the model refuses, and on
PostgreSQL a trigger refuses too. A correction is a new version of the same quarter, with a
note saying what was corrected."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dashboards.quarters import Quarter

PUBLISHED_IS_FINAL = "A published report is never changed: publish a correction as a new version."


class QuarterlyReportQuerySet(models.QuerySet):
    def published(self) -> "QuarterlyReportQuerySet":
        return self.filter(published_at__isnull=False)

    def drafts(self) -> "QuarterlyReportQuerySet":
        return self.filter(published_at__isnull=True)

    def of_quarter(self, quarter: Quarter) -> "QuarterlyReportQuerySet":
        return self.filter(year=quarter.year, number=quarter.number)

    def update(self, **kwargs):
        if self.published().exists():
            raise TypeError(PUBLISHED_IS_FINAL)
        return super().update(**kwargs)

    def delete(self):
        if self.published().exists():
            raise TypeError(PUBLISHED_IS_FINAL)
        return super().delete()


class QuarterlyReport(models.Model):
    year = models.PositiveSmallIntegerField(help_text=_("The financial year's first year: 2026."))
    number = models.PositiveSmallIntegerField("quarter", help_text=_("1 (April to June) to 4."))
    version = models.PositiveSmallIntegerField(default=1)
    commentary = models.TextField(blank=True)
    correction_note = models.TextField(
        blank=True, help_text=_("What a later version corrected; required from version 2.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Set once, when published.
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    snapshot = models.JSONField(null=True, blank=True, help_text=_("The figures, as published."))
    commentary_html = models.TextField(blank=True, help_text=_("The commentary, as published."))

    objects = QuarterlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-number", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number", "version"], name="quarterly_report_one_per_version"
            ),
            models.UniqueConstraint(
                fields=["year", "number"],
                condition=Q(published_at__isnull=True),
                name="quarterly_report_one_draft_per_quarter",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=4), name="quarterly_report_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | (Q(snapshot__isnull=False) & (Q(version=1) | ~Q(correction_note=""))),
                name="quarterly_report_published_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter.short_label} version {self.version}"

    def save(self, *args, **kwargs) -> None:
        if getattr(self, "_published_when_read", False):
            raise TypeError(PUBLISHED_IS_FINAL)
        super().save(*args, **kwargs)
        self._published_when_read = self.published_at is not None

    def delete(self, *args, **kwargs):
        if self.is_published or getattr(self, "_published_when_read", False):
            raise TypeError(PUBLISHED_IS_FINAL)
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._published_when_read = row.__dict__.get("published_at") is not None
        return row

    @property
    def quarter(self) -> Quarter:
        return Quarter(self.year, self.number)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
