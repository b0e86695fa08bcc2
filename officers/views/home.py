"""The staff home (built from the sections each app adds: officers.staff_home), an
officer's availability, and neighbourhood coverage."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from config.dates import date_text
from officers import permissions, selectors, services
from officers.forms import AwayForm
from officers.staff_home import StaffHome, staff_home_sections
from officers.staff_home import staff_home as staff_home_selector


@require_safe
@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    home = staff_home_selector(user=request.user)
    if home.can_edit_own_profile:
        home.away_form = AwayForm(initial={"away_until": home.officer.away_until})
    return _render_staff_home(request, home)


def _render_staff_home(request: HttpRequest, home: StaffHome) -> HttpResponse:
    sections = [
        # The portal's own templates, rendered with the request (a section may hold a form).
        mark_safe(render_to_string(template, {"home": home, **context}, request=request))
        for template, context in staff_home_sections(home)
    ]
    return render(request, "officers/staff_home.html", {"home": home, "sections": sections})


@require_POST
@login_required
def own_away_set(request: HttpRequest) -> HttpResponse:
    officer = getattr(request.user, "officer", None)
    if officer is None:
        raise PermissionDenied
    form = AwayForm(request.POST)
    if form.is_valid():
        try:
            services.officer_away_set(
                officer=officer, by=request.user, until=form.cleaned_data["away_until"]
            )
        except ValidationError as exc:
            form.add_error("away_until", exc.message_dict["away_until"][0])
        else:
            until = form.cleaned_data["away_until"]
            messages.success(
                request,
                gettext("You are marked away until %(day)s") % {"day": date_text(until)}
                if until
                else gettext("You are marked back"),
            )
            return redirect("officers:staff_home")
    home = staff_home_selector(user=request.user)
    home.away_form = form
    return _render_staff_home(request, home)


@require_safe
@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    if not permissions.can_view_coverage(request.user):
        raise PermissionDenied
    return render(request, "officers/coverage.html", {"coverage": selectors.coverage()})
