"""The quarterly Guarantee report: the public list and published reports under
/performance/reports/, and the OPCC's drafting under /staff/dashboard/reports/.

A published page renders the report's snapshot, never the live figures; a draft renders the
live figures as they would be frozen now. Drafting is for OPCC staff and administrators only:
everyone else gets a 403 (and a visitor the sign-in page), and a draft is never public."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dashboards.models import QuarterlyReport
from dashboards.quarters import parse_quarter
from dashboards.report_display import report_context
from dashboards.report_forms import CommentaryForm, DraftForm
from dashboards.selectors.quarterly import report_snapshot
from dashboards.services import (
    can_write_reports,
    report_draft,
    report_publish,
    report_write,
)


def report_url(report: QuarterlyReport, *, versioned: bool = False) -> str:
    if versioned:
        return reverse(
            "reports:version", kwargs={"slug": report.quarter.slug, "version": report.version}
        )
    return reverse("reports:detail", kwargs={"slug": report.quarter.slug})


# --- Public -----------------------------------------------------------------------------------


@require_safe
def public_list(request: HttpRequest) -> HttpResponse:
    """Each quarter's latest version, with its earlier ones. One statement."""
    quarters: dict[tuple[int, int], list[QuarterlyReport]] = {}
    for report in QuarterlyReport.objects.published().defer("snapshot", "commentary_html"):
        quarters.setdefault((report.year, report.number), []).append(report)
    return render(
        request,
        "dashboards/reports/public_list.html",
        {"quarters": [(versions[0], versions[1:]) for versions in quarters.values()]},
    )


def _published(slug: str, version: int | None) -> tuple[QuarterlyReport, list[QuarterlyReport]]:
    try:
        quarter = parse_quarter(slug)
    except ValueError as error:
        raise Http404("No such quarter") from error
    versions = list(QuarterlyReport.objects.published().of_quarter(quarter).order_by("-version"))
    chosen = next(
        (report for report in versions if version is None or report.version == version), None
    )
    if chosen is None:
        raise Http404("No published report for that quarter")
    return chosen, versions


@require_safe
def detail(request: HttpRequest, slug: str, version: int | None = None) -> HttpResponse:
    report, versions = _published(slug, version)
    return render(
        request,
        "dashboards/reports/report.html",
        {
            "report": report,
            "versions": versions,
            "latest": versions[0],
            **report_context(report.snapshot),
            "commentary_html": report.commentary_html,
        },
    )


# --- Staff ------------------------------------------------------------------------------------


def _writer(request: HttpRequest) -> None:
    if not can_write_reports(request.user):
        raise PermissionDenied("Only OPCC staff and administrators write the quarterly reports.")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    _writer(request)
    today = timezone.localdate()
    form = DraftForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            report = report_draft(
                by=request.user, quarter=form.cleaned_data["quarter"], today=today
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("dashboard:report", pk=report.pk)
    reports = list(QuarterlyReport.objects.defer("snapshot", "commentary_html"))
    latest = {}
    for report in reports:
        latest.setdefault((report.year, report.number), report)
    # A correction starts from a quarter whose latest version is published.
    correctable = {report.pk for report in latest.values() if report.is_published}
    return render(
        request,
        "dashboards/reports/staff_list.html",
        {"form": form, "reports": reports, "correctable": correctable},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def staff_report(request: HttpRequest, pk: int) -> HttpResponse:
    _writer(request)
    report = get_object_or_404(QuarterlyReport, pk=pk)
    if report.is_published:
        return redirect(report_url(report, versioned=True))
    correction = report.version > 1
    initial = {"commentary": report.commentary, "correction_note": report.correction_note}
    form = CommentaryForm(request.POST or None, initial=initial, correction=correction)
    if request.method == "POST" and form.is_valid():
        try:
            report_write(report=report, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("dashboard:report", pk=report.pk)
    return render(
        request,
        "dashboards/reports/staff_report.html",
        {
            "report": report,
            "form": form,
            "publish_errors": [],
            **report_context(report_snapshot(quarter=report.quarter, now=timezone.now())),
            # The commentary as it would be published, escaped.
            "commentary_html": linebreaks(report.commentary, autoescape=True),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def staff_publish(request: HttpRequest, pk: int) -> HttpResponse:
    _writer(request)
    report = get_object_or_404(QuarterlyReport, pk=pk)
    try:
        report = report_publish(report=report, by=request.user)
    except ValidationError as error:
        form = CommentaryForm(
            initial={"commentary": report.commentary, "correction_note": report.correction_note},
            correction=report.version > 1,
        )
        return render(
            request,
            "dashboards/reports/staff_report.html",
            {
                "report": report,
                "form": form,
                "publish_errors": error.messages,
                **report_context(report_snapshot(quarter=report.quarter, now=timezone.now())),
            },
            status=400,
        )
    return redirect(report_url(report))


@require_POST
@login_required
def staff_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the next version of a published report's quarter."""
    _writer(request)
    report = get_object_or_404(QuarterlyReport.objects.published(), pk=pk)
    draft = report_draft(by=request.user, quarter=report.quarter)
    return redirect("dashboard:report", pk=draft.pk)
