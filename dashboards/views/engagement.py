"""The neighbourhood engagement panel under /staff/dashboard/engagement/: per neighbourhood,
queries per 1,000 residents, satisfaction, meeting attendance, alert subscribers and survey
answers, sortable by any column without JavaScript, and as CSV.

For OPCC and administrators (the force) and supervisors (their neighbourhoods, as on the
dashboard). An officer's own figures are not neighbourhoods': officers are refused."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from dashboards.display import period_text
from dashboards.engagement import SORT_COLUMNS, engagement_csv_rows, engagement_rows
from dashboards.exports import csv_lines
from dashboards.forms import DashboardFilterForm
from dashboards.selectors.engagement import parse_sort
from dashboards.views.problems import filters_problem
from officers.scopes import dashboard_scopes, engagement_scopes


def _form(request: HttpRequest) -> DashboardFilterForm:
    today = timezone.localdate()
    scopes = engagement_scopes(dashboard_scopes(request.user, today=today))
    if not scopes:
        raise PermissionDenied("The engagement panel is for the OPCC and supervisors.")
    form = DashboardFilterForm(request.GET, user=request.user, today=today, scopes=scopes)
    if form.is_valid() and form.cleaned_data["scope"].is_officer:
        raise PermissionDenied("The engagement panel shows neighbourhoods, not officers.")
    return form


def _sort_links(params: dict[str, str], key: str, descending: bool) -> list[dict]:
    """Each column's header: its link (the other direction when it is the sorted one) and its
    aria-sort."""
    columns = []
    for column, label, numeric in SORT_COLUMNS:
        current = column == key
        next_sort = column if not current or descending else f"-{column}"
        columns.append(
            {
                "label": label,
                "numeric": numeric,
                "href": "?" + urlencode({**params, "sort": next_sort}),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
            }
        )
    return columns


@require_safe
@login_required
def engagement(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context: dict = {"form": form, "filters": None}
    if form.is_valid():
        filters = form.filters()
        key, descending = parse_sort(request.GET.get("sort", ""))
        sort = f"-{key}" if descending else key
        params = filters.params()
        context.update(
            filters=filters,
            period_text=period_text(filters.period),
            rows=engagement_rows(filters, sort),
            columns=_sort_links(params, key, descending),
            sort=sort,
            export_query=urlencode({**params, "sort": sort}),
        )
    return render(request, "dashboards/engagement.html", context)


@require_safe
@login_required
def engagement_export(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return filters_problem(request, form)
    filters = form.filters()
    rows = engagement_csv_rows(filters, request.GET.get("sort", ""))
    period = filters.period
    filename = pgettext("file name", "engagement-%(first)s-to-%(last)s.csv") % {
        "first": period.first_day.isoformat(),
        "last": period.last_day.isoformat(),
    }
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
