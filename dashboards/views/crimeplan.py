"""Police and Crime Plan coverage under /staff/dashboard/plan/: for each plan priority, how
many neighbourhoods work on it and how their tagged priorities stand, in the scope and period
chosen, and as CSV. For the OPCC, administrators and supervisors, as the engagement panel."""

from collections.abc import Iterable
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_safe

from crimeplan.selectors import current_plan
from dashboards.display import period_text
from dashboards.exports import csv_lines
from dashboards.forms import DashboardFilterForm
from dashboards.selectors.crimeplan import CoverageRow, plan_coverage
from dashboards.views.problems import filters_problem
from officers.scopes import dashboard_scopes, engagement_scopes


def _form(request: HttpRequest) -> DashboardFilterForm:
    """The engagement panel's filters and refusals: it compares neighbourhoods too."""
    today = timezone.localdate()
    scopes = engagement_scopes(dashboard_scopes(request.user, today=today))
    if not scopes:
        raise PermissionDenied("The plan coverage is for the OPCC and supervisors.")
    form = DashboardFilterForm(request.GET, user=request.user, today=today, scopes=scopes)
    if form.is_valid() and form.cleaned_data["scope"].is_officer:
        raise PermissionDenied("The plan coverage shows neighbourhoods, not officers.")
    return form


def _rows(form: DashboardFilterForm) -> tuple[object, list[CoverageRow]]:
    filters = form.filters()
    plan = current_plan(today=timezone.localdate())
    if plan is None:
        return None, []
    rows = plan_coverage(plan=plan, scope=filters.scope, period=filters.period, now=timezone.now())
    return plan, rows


@require_safe
@login_required
def plan_coverage_page(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context: dict = {"form": form, "filters": None}
    if form.is_valid():
        filters = form.filters()
        plan, rows = _rows(form)
        context.update(
            filters=filters,
            period_text=period_text(filters.period),
            plan=plan,
            rows=rows,
            export_query=urlencode(filters.params()),
        )
    return render(request, "dashboards/plan_coverage.html", context)


def _csv(rows: list[CoverageRow]) -> Iterable[list]:
    yield [
        gettext("Plan priority"),
        gettext("Neighbourhoods working on it"),
        gettext("Current priorities"),
        gettext("Overdue for review"),
        gettext("Resolved in the period"),
    ]
    for row in rows:
        yield [row.title, row.neighbourhoods, row.current, row.overdue, row.resolved]


@require_safe
@login_required
def plan_coverage_export(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return filters_problem(request, form)
    period = form.filters().period
    _plan, rows = _rows(form)
    filename = pgettext("file name", "plan-coverage-%(first)s-to-%(last)s.csv") % {
        "first": period.first_day.isoformat(),
        "last": period.last_day.isoformat(),
    }
    response = StreamingHttpResponse(csv_lines(_csv(rows)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
