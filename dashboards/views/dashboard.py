"""The SLA and Guarantee dashboard under /staff/dashboard/: its page (whole, or its panels for
htmx), the queries behind each figure, and every table as CSV, all with the filters in the URL.

Every view resolves the scope through `scope_for`, which refuses (403) a scope the user may
not see. No page or file here shows a resident's name, contact details or words: the
drill-down reads only the query's own fields."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_htmx.http import HttpResponseClientRedirect

from config.pagination import paginate
from dashboards.charts import trend_chart
from dashboards.display import (
    Shown,
    drilldown_page_rows,
    guarantee_rows,
    headline,
    period_text,
    share_text,
)
from dashboards.exports import TABLE_ROWS, csv_lines, export_file_name, queries_table
from dashboards.forms import DashboardFilterForm, Filters
from dashboards.satisfaction import TABLE_ROWS as SATISFACTION_ROWS
from dashboards.satisfaction import satisfaction_panel
from dashboards.selectors import satisfaction as satisfaction_selectors
from dashboards.selectors import sla as selectors
from dashboards.views.problems import filters_problem, problem
from officers.scopes import FORCE, dashboard_scopes, engagement_scopes
from queries import permissions

PAGE_SIZE = 50
SATISFACTION_TABLES = tuple(SATISFACTION_ROWS)
TABLES = (
    "figures",
    "trend",
    "neighbourhoods",
    "topics",
    "guarantee",
    "queries",
    *SATISFACTION_TABLES,
)
# What each figure's list holds, as its heading says.
FIGURE_TITLES = {
    "received": _("Queries received"),
    "answered": _("Queries answered"),
    "met": _("Queries answered within the target"),
    "missed": _("Queries that missed the target"),
    "open": _("Queries open now"),
    "at_risk": _("Queries at risk: due within 24 hours"),
    "breached": _("Queries breached and still open"),
    "escalated": _("Queries escalated by the resident"),
    "urgent": _("Queries whose message read as an emergency"),
    **satisfaction_selectors.FIGURE_TITLES,
}
# Figures that count what is true now, whatever the period.
NOW_FIGURES = frozenset({"open", "at_risk", "breached"})


# --- The filters -----------------------------------------------------------------------------


def _filter_form(request: HttpRequest, *, with_choices: bool = False) -> DashboardFilterForm:
    """The filters from the URL; with the scopes the user may choose, for the page's select.
    A user who may see no dashboard at all is refused here."""
    today = timezone.localdate()
    scopes = dashboard_scopes(request.user, today=today) if with_choices else None
    if with_choices and not scopes:
        raise PermissionDenied
    return DashboardFilterForm(request.GET, user=request.user, today=today, scopes=scopes)


def _query_string(filters: Filters, **extra: str) -> str:
    return urlencode({**filters.params(), **extra})


def _valid_filters(request: HttpRequest) -> tuple[Filters | None, HttpResponse | None]:
    """The filters, or the 400 page that says what is wrong with them."""
    form = _filter_form(request)
    if form.is_valid():
        return form.filters(), None
    return None, filters_problem(request, form)


# --- The page -------------------------------------------------------------------------------
def _panels(filters: Filters, now: datetime.datetime, allowed: set[str]) -> dict:
    scope, period = filters.scope, filters.period
    trend = selectors.weekly_trend(scope=scope, period=period, now=now)
    areas = selectors.neighbourhood_table(scope=scope, period=period, now=now)
    topics = selectors.topic_table(scope=scope, period=period, now=now)
    guarantee = selectors.guarantee_panel(scope=scope, now=now)
    return {
        "headline": headline(selectors.sla_figures(scope=scope, period=period, now=now)),
        "chart": trend_chart(trend),
        "trend": [Shown(row, share_text(row.share_met)) for row in trend],
        "areas": [
            Shown(row, share_text(row.share_met), _area_link(filters, row, allowed))
            for row in areas
        ],
        "topics": [Shown(row, share_text(row.share_met)) for row in topics],
        "guarantee": guarantee_rows(guarantee),
        "abstractions": guarantee.abstractions,
        **satisfaction_panel(filters),
    }


def _area_link(filters: Filters, area, allowed: set[str]) -> str:
    """The neighbourhood's own figures, when the user may see them and is not already."""
    key = f"neighbourhood:{area.slug}"
    if key not in allowed or key == filters.scope.key:
        return ""
    return "?" + urlencode({**filters.params(), "scope": key})


@require_safe
@login_required
def index(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request, with_choices=True)
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    context: dict = {
        "form": form,
        "filters": None,
        "target_hours": settings.RESPONSE_TARGET_HOURS,
        "engagement_panel": bool(engagement_scopes(form.scopes)),
        # The quarterly reports are OPCC's and administrators': those who may see the whole
        # force (officers.scopes), read from the scopes already here, with no statement more.
        "reports_link": any(scope.key == FORCE for scope in form.scopes),
    }
    if not form.is_valid():
        if partial:
            # The errors belong in the form and its summary at the top: load the whole page.
            response = HttpResponseClientRedirect(request.get_full_path())
        else:
            response = render(request, "dashboards/index.html", context)
    else:
        filters = form.filters()
        context.update(
            filters=filters,
            partial=partial,
            period_text=period_text(filters.period),
            query_string=_query_string(filters),
            **_panels(filters, timezone.now(), {scope.key for scope in form.scopes}),
        )
        template = "dashboards/index.html" + ("#panels" if partial else "")
        response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- The queries behind a figure ---------------------------------------------------------------


def _figure(request: HttpRequest) -> str | None:
    figure = request.GET.get("figure", "")
    known = figure in selectors.FIGURES or figure in satisfaction_selectors.FIGURES
    return figure if known else None


def _figure_problem(request: HttpRequest, filters: Filters) -> HttpResponse:
    names = [*selectors.FIGURES, *satisfaction_selectors.FIGURES]
    known = ", ".join(str(FIGURE_TITLES[name]).lower() for name in names)
    return problem(
        request,
        gettext("There is no such figure"),
        [
            gettext("Choose a figure from the dashboard. The figures with a list are: %(known)s.")
            % {"known": known}
        ],
        _query_string(filters),
    )


@require_safe
@login_required
def queries(request: HttpRequest) -> HttpResponse:
    filters, problem = _valid_filters(request)
    if problem:
        return problem
    figure = _figure(request)
    if figure is None:
        return _figure_problem(request, filters)
    now = timezone.now()
    paged = paginate(request, drilldown_page_rows(filters, figure, now), PAGE_SIZE)
    context = {
        "filters": filters,
        "figure": figure,
        "title": FIGURE_TITLES[figure],
        "when": gettext("now") if figure in NOW_FIGURES else period_text(filters.period),
        "query_string": _query_string(filters),
        "export_query": _query_string(filters, figure=figure),
        **paged.context(),
    }
    if paged.page is not None:
        # The same rule as permissions.can_read_query, for the whole page in one read.
        readable = permissions.readable_queries(request.user).filter(
            pk__in=[query.pk for query in paged.page.object_list]
        )
        context["readable"] = set(readable.values_list("pk", flat=True))
    return render(request, "dashboards/queries.html", context, status=paged.status)


# --- CSV ------------------------------------------------------------------------------------


@require_safe
@login_required
def export(request: HttpRequest, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404("No such table")
    filters, problem = _valid_filters(request)
    if problem:
        return problem
    now = timezone.now()
    figure = ""
    if table == "queries":
        figure = _figure(request)
        if figure is None:
            return _figure_problem(request, filters)
        # Streamed as it is read: the list behind a figure may be long.
        rows = queries_table(filters, now, figure)
    else:
        rows = list({**TABLE_ROWS, **SATISFACTION_ROWS}[table](filters, now))
    filename = export_file_name(table, filters.period, figure)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
