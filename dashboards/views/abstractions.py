"""The abstractions report, at /staff/abstractions/report/ (in the officers' namespace, beside
the abstractions log): hours abstracted per week by reason for a dashboard scope, as a chart
with its table and as CSV."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from dashboards import charts
from dashboards.exports import csv_lines
from dashboards.forms import ReportForm, weeks_text
from dashboards.selectors import abstractions
from officers.models import Abstraction
from officers.scopes import dashboard_scopes


def _report_form(request: HttpRequest) -> ReportForm:
    scopes = dashboard_scopes(request.user)
    if not scopes:
        raise PermissionDenied("You do not have access to the abstractions report.")
    data = {
        "weeks": request.GET.get("weeks") or str(abstractions.DEFAULT_REPORT_WEEKS),
        "scope": request.GET.get("scope") or scopes[0].key,
    }
    return ReportForm(data, scopes=scopes)


@require_safe
@login_required
def report(request: HttpRequest) -> HttpResponse:
    form = _report_form(request)
    context: dict = {"form": form, "reasons": Abstraction.Reason.choices}
    if form.is_valid():
        scope, weeks = form.cleaned_data["scope"], form.cleaned_data["weeks"]
        result = abstractions.abstraction_report(scope=scope, weeks=weeks, now=timezone.now())
        context.update(
            scope=scope,
            weeks=weeks,
            result=result,
            chart=charts.report_chart(result.weeks),
            query_string=urlencode({"weeks": weeks, "scope": scope.key}),
        )
    return render(request, "dashboards/abstractions_report.html", context)


def _report_rows(result: abstractions.Report, weeks: int, scope_label: str):
    labels = [str(label) for _value, label in Abstraction.Reason.choices]
    yield [_("Abstractions report"), scope_label, weeks_text(weeks)]
    yield []
    yield [_("Week starting"), *labels, _("Total hours")]
    for row in result.weeks:
        yield [row.week_start.isoformat(), *row.cells(), row.total]
    yield []
    yield [_("Officer"), _("Entries"), *labels, _("Total hours")]
    for row in result.by_officer:
        yield [
            row.label,
            row.entries,
            *(row.by_reason[value] for value in Abstraction.Reason.values),
            row.hours,
        ]
    yield []
    yield [_("Neighbourhood"), _("Division"), _("Officers abstracted"), _("Total hours")]
    for row in result.by_neighbourhood:
        yield [row.label, row.division, row.officers, row.hours]


@require_safe
@login_required
def report_csv(request: HttpRequest) -> HttpResponse:
    form = _report_form(request)
    if not form.is_valid():
        return render(request, "dashboards/abstractions_report.html", {"form": form}, status=400)
    scope, weeks = form.cleaned_data["scope"], form.cleaned_data["weeks"]
    result = abstractions.abstraction_report(scope=scope, weeks=weeks, now=timezone.now())
    response = StreamingHttpResponse(
        csv_lines(_report_rows(result, weeks, scope.title)), content_type="text/csv"
    )
    today = timezone.localdate()
    filename = pgettext("file name", "abstractions-%(day)s-%(weeks)s-weeks.csv") % {
        "day": f"{today:%Y-%m-%d}",
        "weeks": weeks,
    }
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
