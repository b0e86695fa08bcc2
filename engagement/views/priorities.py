"""The staff priorities area, under /staff/priorities/: officers list, add and update their
neighbourhoods' local priorities; supervisors see those overdue for review in the
neighbourhoods they lead.

Every page needs a signed-in officer (or administrator); a priority of a neighbourhood the
user does not look after is refused (403), by the view and again by the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from config.bilingual import in_language
from engagement import priorities as services
from engagement.forms import PriorityFilterForm, PriorityForm
from engagement.models import Priority
from engagement.priority_links import priority_links
from officers.permissions import (
    manageable_neighbourhoods,
    managed_or_refused,
    require_listings_user,
)


def _manageable_priority(request: HttpRequest, pk: int) -> Priority:
    return managed_or_refused(
        request.user, lambda: services.priority_for_staff(pk=pk), missing=_("No such priority")
    )


def _list_url(priority: Priority) -> str:
    return f"{reverse('priorities_staff:list')}?neighbourhood={priority.neighbourhood.slug}"


@require_safe
@login_required
def priority_list(request: HttpRequest) -> HttpResponse:
    require_listings_user(request.user)
    neighbourhoods = manageable_neighbourhoods(request.user)
    form = PriorityFilterForm(request.GET or None, neighbourhoods=neighbourhoods)
    chosen = (
        form.chosen()
        if form.is_bound
        else {
            "neighbourhood": None,
            "status": "current",
            "overdue_only": False,
        }
    )
    listing = services.staff_priorities(user=request.user, **chosen)
    return render(
        request,
        "engagement/priorities/list.html",
        {
            "form": form,
            "chosen": chosen,
            "listing": listing,
            "review_days": services.review_days(),
            "has_neighbourhoods": bool(form.areas),
        },
    )


def _form_page(
    request: HttpRequest, form: PriorityForm, *, priority: Priority | None = None
) -> HttpResponse:
    return render(
        request,
        "engagement/priorities/form.html",
        {
            "form": form,
            "priority": priority,
            "overdue": priority is not None and services.is_overdue(priority),
            "links": priority_links(priority) if priority is not None else [],
            "review_days": services.review_days(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def priority_new(request: HttpRequest) -> HttpResponse:
    """A new priority; `?neighbourhood=<slug>` chooses the neighbourhood."""
    require_listings_user(request.user)
    neighbourhoods = manageable_neighbourhoods(request.user)
    if request.method in ("GET", "HEAD"):
        initial = {"status": Priority.Status.OPEN}
        slug = request.GET.get("neighbourhood")
        area = neighbourhoods.filter(slug=slug).first() if slug else None
        if area is not None:
            initial["neighbourhood"] = area.pk
        return _form_page(request, PriorityForm(initial=initial, neighbourhoods=neighbourhoods))
    form = PriorityForm(request.POST, neighbourhoods=neighbourhoods)
    if form.is_valid():
        try:
            priority = services.priority_create(
                user=request.user,
                neighbourhood=form.cleaned_data["neighbourhood"],
                data=form.service_data(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("The priority is added to %(name)s.")
                % {"name": in_language(priority.neighbourhood, "name")},
            )
            return redirect(_list_url(priority))
    return _form_page(request, form)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _manageable_priority(request, pk)
    if request.method in ("GET", "HEAD"):
        return _form_page(
            request, PriorityForm(initial=PriorityForm.initial_for(priority)), priority=priority
        )
    form = PriorityForm(request.POST)
    if form.is_valid():
        try:
            services.priority_update(user=request.user, priority=priority, data=form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if priority.status == Priority.Status.RESOLVED:
                text = _("The priority is resolved. Residents see it under “You said, we did”.")
            else:
                text = _("The priority is updated.")
            messages.success(request, text)
            return redirect(_list_url(priority))
    return _form_page(request, form, priority=priority)
