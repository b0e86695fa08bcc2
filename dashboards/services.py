"""The quarterly Guarantee report: OPCC staff and administrators draft it for a finished
quarter, write the commentary, and publish it, which freezes its figures; a correction is a new
version of the quarter. Nobody else may do any of it."""

import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from config.roles import Role, user_roles
from dashboards.models import QuarterlyReport
from dashboards.quarters import Quarter
from dashboards.selectors.quarterly import report_snapshot

User = AbstractBaseUser | AnonymousUser
COMMENTARY_MAX = 20_000
NOTE_MAX = 1_000


def can_write_reports(user: User) -> bool:
    return bool(user_roles(user) & {Role.OPCC, Role.ADMINISTRATOR})


def _check(user: User) -> None:
    if not can_write_reports(user):
        raise PermissionDenied("Only OPCC staff and administrators write the quarterly reports.")


def report_draft(
    *, by: User, quarter: Quarter, today: datetime.date | None = None
) -> QuarterlyReport:
    """A draft of the quarter's report: the draft under way if there is one, else the next
    version (a correction when the quarter has been published). Only for a finished quarter."""
    _check(by)
    today = today or timezone.localdate()
    if not quarter.is_finished(today):
        raise ValidationError(
            {
                "quarter": _("%(quarter)s is not over yet: choose a finished quarter.")
                % {"quarter": quarter.short_label}
            }
        )
    with transaction.atomic():
        existing = QuarterlyReport.objects.of_quarter(quarter)
        draft = existing.drafts().first()
        if draft is not None:
            return draft
        latest = existing.published().order_by("-version").first()
        report = QuarterlyReport(
            year=quarter.year,
            number=quarter.number,
            version=(existing.aggregate(v=Max("version"))["v"] or 0) + 1,
            commentary=latest.commentary if latest else "",
            created_by=by,
        )
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            # Someone drafted the same quarter at the same moment: theirs is the draft.
            return QuarterlyReport.objects.of_quarter(quarter).drafts().get()
    return report


def report_write(
    *, report: QuarterlyReport, by: User, commentary: str, correction_note: str = ""
) -> QuarterlyReport:
    """Save a draft's commentary (and, for a correction, its note)."""
    _check(by)
    if report.is_published:
        raise ValidationError(_("This report is published: start a correction to change it."))
    report.commentary = commentary.strip()
    report.correction_note = correction_note.strip() if report.version > 1 else ""
    report.full_clean(exclude=["created_by"])
    report.save(update_fields=["commentary", "correction_note"])
    return report


def report_publish(
    *, report: QuarterlyReport, by: User, now: datetime.datetime | None = None
) -> QuarterlyReport:
    """Freeze the draft's figures as they stand now and its commentary as it reads, and
    publish it. A correction needs its note first."""
    _check(by)
    now = now or timezone.now()
    with transaction.atomic():
        report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
        if report.is_published:
            raise ValidationError(_("This report is already published."))
        if report.version > 1 and not report.correction_note:
            raise ValidationError(
                {"correction_note": _("Say what this version corrects before publishing it.")}
            )
        if not report.commentary:
            raise ValidationError({"commentary": _("Write the commentary before publishing.")})
        # The figures are frozen in the portal's own language, whoever publishes: a reader's
        # page names them in theirs (dashboards.report_display).
        with translation.override(settings.LANGUAGE_CODE):
            report.snapshot = report_snapshot(quarter=report.quarter, now=now)
        report.commentary_html = linebreaks(report.commentary, autoescape=True)
        report.published_at = now
        report.published_by = by
        report.save(update_fields=["snapshot", "commentary_html", "published_at", "published_by"])
    return report
