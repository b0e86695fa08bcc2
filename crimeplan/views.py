"""The Police and Crime Plan: the public page at /police-and-crime-plan/, the OPCC's pages to
publish it under /staff/police-and-crime-plan/, and the officers' page to tag their
neighbourhoods' priorities with the plan priorities they serve."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from crimeplan import services
from crimeplan.forms import PlanForm, PlanPriorityForm, TagForm
from crimeplan.models import Plan, PlanPriority
from crimeplan.plan_page import sections_for
from crimeplan.selectors import current_plan, plan_priorities_with_neighbourhood_work
from engagement.models import Priority
from officers.permissions import (
    manageable_neighbourhoods,
    managed_or_refused,
    require_listings_user,
)

EDIT_METHODS = ["GET", "HEAD", "POST"]


@require_safe
def plan_public(request: HttpRequest) -> HttpResponse:
    plan = current_plan(today=timezone.localdate())
    priorities = list(plan_priorities_with_neighbourhood_work(plan=plan)) if plan else []
    sections = sections_for(priorities)
    rows = [(priority, sections[priority.pk]) for priority in priorities]
    return render(request, "crimeplan/plan.html", {"plan": plan, "rows": rows})


# --- The OPCC publishes the plan ---------------------------------------------------------------


@require_safe
@login_required
def staff_plans(request: HttpRequest) -> HttpResponse:
    services.require_plan_editor(request.user)
    plans = Plan.objects.prefetch_related("priorities")
    return render(request, "crimeplan/staff/plans.html", {"plans": plans})


def _save_plan(request: HttpRequest, plan: Plan | None) -> HttpResponse:
    services.require_plan_editor(request.user)
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = services.plan_save(user=request.user, plan=plan, **form.cleaned_data)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("“%(title)s” is published.") % {"title": plan.title})
                return redirect("crimeplan_staff:plans")
    elif plan is not None:
        form = PlanForm(
            initial={"title": plan.title, "starts_on": plan.starts_on, "ends_on": plan.ends_on}
        )
    else:
        form = PlanForm()
    return render(request, "crimeplan/staff/plan_form.html", {"form": form, "plan": plan})


@require_http_methods(EDIT_METHODS)
@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    return _save_plan(request, None)


@require_http_methods(EDIT_METHODS)
@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    services.require_plan_editor(request.user)
    return _save_plan(request, get_object_or_404(Plan, pk=pk))


def _save_priority(request: HttpRequest, plan: Plan, priority: PlanPriority | None) -> HttpResponse:
    services.require_plan_editor(request.user)
    if request.method == "POST":
        form = PlanPriorityForm(request.POST)
        if form.is_valid():
            try:
                priority = services.plan_priority_save(
                    user=request.user, plan=plan, priority=priority, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _("The priority “%(title)s” is published.") % {"title": priority.title},
                )
                return redirect("crimeplan_staff:plans")
    elif priority is not None:
        form = PlanPriorityForm(
            initial={
                "title": priority.title,
                "description": priority.description,
                "position": priority.position,
            }
        )
    else:
        form = PlanPriorityForm(initial={"position": plan.priorities.count() + 1})
    context = {"form": form, "plan": plan, "priority": priority}
    return render(request, "crimeplan/staff/priority_form.html", context)


@require_http_methods(EDIT_METHODS)
@login_required
def plan_priority_new(request: HttpRequest, pk: int) -> HttpResponse:
    services.require_plan_editor(request.user)
    return _save_priority(request, get_object_or_404(Plan, pk=pk), None)


@require_http_methods(EDIT_METHODS)
@login_required
def plan_priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    services.require_plan_editor(request.user)
    priority = get_object_or_404(PlanPriority.objects.select_related("plan"), pk=pk)
    return _save_priority(request, priority.plan, priority)


# --- Officers tag their neighbourhoods' priorities ---------------------------------------------


@require_safe
@login_required
def tag_list(request: HttpRequest) -> HttpResponse:
    """The current priorities of the user's neighbourhoods, with the plan priorities each
    serves."""
    require_listings_user(request.user)
    priorities = (
        Priority.objects.current()
        .filter(neighbourhood__in=manageable_neighbourhoods(request.user))
        .select_related("neighbourhood")
        .prefetch_related("plan_priorities")
        .order_by("neighbourhood__name", "-issue_date", "pk")[:200]
    )
    return render(request, "crimeplan/staff/tag_list.html", {"priorities": priorities})


@require_http_methods(EDIT_METHODS)
@login_required
def tag(request: HttpRequest, pk: int) -> HttpResponse:
    priority = managed_or_refused(
        request.user,
        lambda: Priority.objects.select_related("neighbourhood").get(pk=pk),
        missing=_("No such priority"),
    )
    plan = current_plan(today=timezone.localdate())
    choices = plan.priorities.all() if plan else PlanPriority.objects.none()
    if request.method == "POST":
        form = TagForm(request.POST, choices=choices)
        if form.is_valid():
            services.neighbourhood_priority_tag(
                user=request.user,
                priority=priority,
                plan_priorities=form.cleaned_data["plan_priorities"],
            )
            messages.success(request, _("The plan priorities it serves are saved."))
            return redirect(reverse("crimeplan_staff:tag_list"))
    else:
        form = TagForm(
            initial={"plan_priorities": list(priority.plan_priorities.all())}, choices=choices
        )
    context = {"form": form, "priority": priority, "plan": plan}
    return render(request, "crimeplan/staff/tag.html", context)
