"""The abstractions log: an officer's status and entries, logging, "I'm back now" and
corrections. The report is dashboards.views.abstractions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from officers import abstractions
from officers.forms import AbstractionForm
from officers.models import Abstraction, Officer
from officers.scopes import dashboard_scopes

HISTORY_SHOWN = 50


def _loggable(request: HttpRequest) -> list[Officer]:
    officers = list(abstractions.officers_loggable_by(request.user))
    if not officers:
        raise PermissionDenied("You cannot log abstractions.")
    return officers


def _own_officer(request: HttpRequest, officers: list[Officer]) -> Officer | None:
    return next((officer for officer in officers if officer.user_id == request.user.pk), None)


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    officers = _loggable(request)
    own = _own_officer(request, officers)
    current = abstractions.abstraction_current(own) if own else None
    entries = list(
        abstractions.abstractions_visible(request.user).order_by("-starts_at", "-pk")[
            :HISTORY_SHOWN
        ]
    )
    return render(
        request,
        "officers/abstractions/home.html",
        {
            "own": own,
            "current": current,
            "current_period": (
                abstractions.period_text(current.starts_at, current.ends_at) if current else ""
            ),
            "entries": entries,
            "history_shown": HISTORY_SHOWN,
            "for_others": len(officers) > 1 or own is None,
            "can_report": bool(dashboard_scopes(request.user)),
        },
    )


def _service_errors(form: AbstractionForm, error: ValidationError) -> None:
    for name, messages_ in error.message_dict.items():
        field = {"ends_at": "end_date", "starts_at": "start_date"}.get(name, name)
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def log(request: HttpRequest) -> HttpResponse:
    officers = _loggable(request)
    own = _own_officer(request, officers)
    with_officer = len(officers) > 1 or own is None
    queryset = abstractions.officers_loggable_by(request.user)
    if request.method == "POST":
        form = AbstractionForm(request.POST, officers=queryset, with_officer=with_officer)
        if form.is_valid():
            data = form.cleaned_data
            officer = data["officer"] if with_officer else own
            try:
                abstraction = abstractions.abstraction_log(
                    by=request.user,
                    officer=officer,
                    reason=data["reason"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    note=data["note"],
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                words = {
                    "name": officer.display_name,
                    "reason": abstraction.get_reason_display().lower(),
                    "period": abstractions.period_text(abstraction.starts_at, abstraction.ends_at),
                }
                logged = (
                    gettext("Your %(reason)s abstraction is logged %(period)s")
                    if officer == own
                    else gettext("%(name)s’s %(reason)s abstraction is logged %(period)s")
                )
                messages.success(request, logged % words)
                return redirect("officers:abstractions")
    else:
        initial = AbstractionForm.initial_for_now(timezone.now())
        if own is not None:
            initial["officer"] = own.pk
        form = AbstractionForm(initial=initial, officers=queryset, with_officer=with_officer)
    return render(
        request,
        "officers/abstractions/form.html",
        {"form": form, "title": gettext("Log an abstraction"), "action": request.path},
    )


def _changeable(request: HttpRequest, pk: int) -> Abstraction:
    abstraction = get_object_or_404(Abstraction.objects.select_related("officer"), pk=pk)
    if not abstractions.can_log_abstraction(request.user, abstraction.officer):
        raise PermissionDenied("You cannot change this officer's abstractions.")
    return abstraction


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def correct(request: HttpRequest, pk: int) -> HttpResponse:
    abstraction = _changeable(request, pk)
    if request.method == "POST":
        form = AbstractionForm(request.POST, with_officer=False)
        if form.is_valid():
            data = form.cleaned_data
            try:
                abstractions.abstraction_correct(
                    by=request.user,
                    abstraction=abstraction,
                    reason=data["reason"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    note=data["note"],
                )
            except ValidationError as error:
                _service_errors(form, error)
            else:
                messages.success(
                    request, gettext("The abstraction is corrected. The log keeps the old version.")
                )
                return redirect("officers:abstractions")
    else:
        form = AbstractionForm(initial=AbstractionForm.initial_for(abstraction), with_officer=False)
    return render(
        request,
        "officers/abstractions/form.html",
        {
            "form": form,
            "title": gettext("Correct an abstraction"),
            "caption": str(abstraction.officer),
            "action": request.path,
            "abstraction": abstraction,
            "versions": abstraction.history.select_related("history_user").order_by(
                "-history_date"
            )[:20],
        },
    )


@require_POST
@login_required
def end(request: HttpRequest, pk: int) -> HttpResponse:
    abstraction = _changeable(request, pk)
    try:
        abstractions.abstraction_end(by=request.user, abstraction=abstraction)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if abstraction.officer.user_id == request.user.pk:
            back = gettext("You are marked back in the neighbourhood")
        else:
            back = gettext("%(name)s is marked back in the neighbourhood") % {
                "name": abstraction.officer.display_name
            }
        messages.success(request, back)
    return redirect("officers:abstractions")
