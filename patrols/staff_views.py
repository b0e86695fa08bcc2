"""The staff side of hotspot patrols, under /staff/patrols/: an officer's patrols and the
form to log one (made for a phone), and the hotspots supervisors define."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from patrols import selectors, services
from patrols.forms import HotspotForm, PatrolForm
from patrols.models import OUTCOME_FIELDS, Hotspot
from patrols.summary import hours_text


def _logger(request: HttpRequest):
    officer = services.logging_officer(request.user)
    if officer is None:
        raise PermissionDenied(_("Patrols are logged by officers."))
    return officer


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    can_define = services.can_define_hotspots(request.user)
    officer = services.logging_officer(request.user)
    if officer is None and not can_define:
        raise PermissionDenied(_("Hotspot patrols are for officers and supervisors."))
    patrols = selectors.patrols_logged_by(request.user) if officer else []
    return render(
        request,
        "patrols/staff_home.html",
        {
            "can_log": officer is not None,
            "can_define": can_define,
            "patrols": [(patrol, *_hours(patrol.minutes / 60)) for patrol in patrols],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def log(request: HttpRequest) -> HttpResponse:
    _logger(request)
    hotspots = services.patrol_hotspots(request.user)
    team = services.patrol_team(request.user)
    if request.method == "POST":
        form = PatrolForm(request.POST, hotspots=hotspots, team=team)
        if form.is_valid():
            data = form.cleaned_data
            try:
                patrol = services.patrol_log(
                    by=request.user,
                    hotspot=data["hotspot"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    others=data["others"],
                    outcomes={name: data[name] for name in OUTCOME_FIELDS},
                    note=data["note"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Your patrol of %(place)s is logged: %(hours)s hours")
                    % {"place": patrol.hotspot.name, "hours": hours_text(patrol.minutes / 60)},
                )
                return redirect("patrols_staff:home")
    else:
        form = PatrolForm(
            initial={"start_date": timezone.localdate()}, hotspots=hotspots, team=team
        )
    return render(request, "patrols/log.html", {"form": form, "has_hotspots": hotspots.exists()})


@require_safe
@login_required
def hotspots(request: HttpRequest) -> HttpResponse:
    areas = services.hotspot_neighbourhoods(request.user)
    if not areas.exists():
        raise PermissionDenied(_("Hotspots are defined by supervisors."))
    listed = (
        Hotspot.objects.filter(neighbourhood__in=areas)
        .select_related("neighbourhood")
        .order_by("-plan_ends_on", "name", "pk")
    )
    return render(request, "patrols/hotspots.html", {"hotspots": listed})


def _hotspot_form_page(request: HttpRequest, hotspot: Hotspot | None) -> HttpResponse:
    areas = services.hotspot_neighbourhoods(request.user)
    if not areas.exists() or (
        hotspot is not None and not areas.filter(pk=hotspot.neighbourhood_id).exists()
    ):
        raise PermissionDenied(_("Hotspots are defined by the neighbourhood’s supervisors."))
    if request.method == "POST":
        form = HotspotForm(request.POST, neighbourhoods=areas)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.hotspot_save(
                    by=request.user,
                    hotspot=hotspot,
                    neighbourhood=data["neighbourhood"],
                    name=data["name"],
                    reason=data["reason"],
                    polygon=data["polygon"],
                    centre=data["centre_point"],
                    radius_metres=data["radius_metres"],
                    plan_starts_on=data["plan_start"],
                    plan_ends_on=data["plan_end"],
                    planned_hours=data["planned_hours"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request, _("The hotspot %(place)s is saved") % {"place": saved.name}
                )
                return redirect("patrols_staff:hotspots")
    else:
        initial = HotspotForm.initial_for(hotspot) if hotspot else {}
        form = HotspotForm(initial=initial, neighbourhoods=areas)
    return render(
        request,
        "patrols/hotspot_form.html",
        {
            "form": form,
            "hotspot": hotspot,
            "title": _("Change %(place)s") % {"place": hotspot.name}
            if hotspot
            else _("Define a hotspot"),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def hotspot_new(request: HttpRequest) -> HttpResponse:
    return _hotspot_form_page(request, None)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def hotspot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _hotspot_form_page(
        request, get_object_or_404(Hotspot.objects.select_related("neighbourhood"), pk=pk)
    )


def _hours(hours: float) -> tuple[str, int]:
    """The hours as shown (7.5) and the whole number that picks the words' plural form."""
    text = hours_text(hours)
    return text, 1 if text == "1" else max(round(hours), 2)
