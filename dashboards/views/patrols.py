"""The hotspot patrols panel under /staff/dashboard/patrols/: for a month, each hotspot's
officer hours against its plan, patrols and outcomes; a hotspot's patrols with their notes
(the drill-down); and 12 months of hotspots as CSV.

For OPCC and administrators (the force) and supervisors (their neighbourhoods), as the
engagement panel: it compares hotspots, so an officer's own figures are not among its scopes.
Read only: nobody logs or changes a patrol here."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from config.spreadsheets import csv_lines
from dashboards.patrols import (
    PatrolsPanelForm,
    month_rows,
    outcome_labels,
    panel_csv_rows,
    panel_rows,
    row_cells,
)
from dashboards.views.problems import filters_problem
from neighbourhoods.templatetags.boundaries import boundary_path
from officers.scopes import dashboard_scopes, engagement_scopes
from patrols.models import Hotspot
from patrols.selectors import hotspot_patrols
from patrols.summary import hours_text


def _form(request: HttpRequest) -> PatrolsPanelForm:
    today = timezone.localdate()
    scopes = engagement_scopes(dashboard_scopes(request.user, today=today))
    if not scopes:
        raise PermissionDenied("The patrols panel is for the OPCC and supervisors.")
    return PatrolsPanelForm(request.GET, scopes=scopes, today=today)


@require_safe
@login_required
def panel(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context: dict = {"form": form, "scope": None}
    status = 200
    if form.is_valid():
        scope, month = form.cleaned_data["scope"], form.cleaned_data["month"]
        query = urlencode({"scope": scope.key, "month": f"{month:%Y-%m}"})
        context.update(
            scope=scope,
            month=month,
            rows=[row_cells(row) for row in panel_rows(scope, month)],
            months=month_rows(scope, month),
            outcome_labels=outcome_labels(),
            query=query,
            month_query=urlencode({"month": f"{month:%Y-%m}"}),
        )
    else:
        status = 400
    return render(request, "dashboards/patrols.html", context, status=status)


@require_safe
@login_required
def export(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return filters_problem(request, form)
    scope, month = form.cleaned_data["scope"], form.cleaned_data["month"]
    response = StreamingHttpResponse(
        csv_lines(panel_csv_rows(scope, month)), content_type="text/csv; charset=utf-8"
    )
    filename = pgettext("file name", "hotspot-patrols-to-%(month)s.csv") % {
        "month": f"{month:%Y-%m}"
    }
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
def hotspot(request: HttpRequest, pk: int) -> HttpResponse:
    """One hotspot's patrols in the month, with who was on each and the notes: for staff whose
    scopes take in the hotspot's neighbourhood."""
    today = timezone.localdate()
    scopes = engagement_scopes(dashboard_scopes(request.user, today=today))
    if not scopes:
        raise PermissionDenied("The patrols panel is for the OPCC and supervisors.")
    spot = get_object_or_404(Hotspot.objects.select_related("neighbourhood"), pk=pk)
    if not any(
        scope.neighbourhood_ids is None or spot.neighbourhood_id in scope.neighbourhood_ids
        for scope in scopes
    ):
        raise PermissionDenied("You cannot see the patrols of this hotspot.")
    form = PatrolsPanelForm(request.GET, scopes=scopes, today=today)
    context: dict = {
        "form": form,
        "hotspot": spot,
        "patrols": None,
        "outline": boundary_path(spot.area),
    }
    status = 200
    if form.is_valid():
        month = form.cleaned_data["month"]
        patrols = hotspot_patrols(hotspot=spot, month=month)
        context.update(
            month=month,
            patrols=[(patrol, hours_text(patrol.minutes / 60)) for patrol in patrols],
            month_query=urlencode({"month": f"{month:%Y-%m}"}),
        )
    else:
        status = 400
    return render(request, "dashboards/patrols_hotspot.html", context, status=status)
