"""Anti-social behaviour: the public page at /asb/ (the leads, the action plan and what changed
lately), the "Who do I report this to?" guide at /asb/report/, and the staff pages of the plan
under /staff/asb/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from asb import services
from asb.forms import ActionForm, DelegateForm, ReportQuestionForm, SectionForm
from asb.models import Action, BehaviourKind, Delegation
from asb.permissions import leads_delegating, require_plan_editor
from asb.selectors import leads, plan_sections, recent_changes
from crimeplan.models import PlanPriority
from crimeplan.selectors import current_plan

EDIT_METHODS = ["GET", "HEAD", "POST"]


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "leads": leads(),
        "sections": plan_sections(),
        "changes": recent_changes(now=timezone.now()),
    }
    return render(request, "asb/home.html", context)


@require_safe
def report_question(request: HttpRequest) -> HttpResponse:
    """One question: what kind of behaviour. The answer (a GET, so it works from any page
    without JavaScript or a session) leads to the page that names whom to report it to."""
    if "asked" in request.GET:
        form = ReportQuestionForm(request.GET)
    else:
        # Back from the answer: the question again, with the answer given still chosen.
        form = ReportQuestionForm(initial={"kind": request.GET.get("kind", "")})
    if form.is_bound and form.is_valid():
        return redirect("asb:report_answer", kind=form.cleaned_data["kind"].slug)
    return render(request, "asb/report_question.html", {"form": form})


@require_safe
def report_answer(request: HttpRequest, kind: str) -> HttpResponse:
    behaviour = get_object_or_404(BehaviourKind, slug=kind)
    routes = behaviour.routes.select_related("organisation")
    return render(request, "asb/report_answer.html", {"kind": behaviour, "routes": routes})


# --- The staff pages of the action plan ----------------------------------------------------------


@require_safe
@login_required
def staff_plan(request: HttpRequest) -> HttpResponse:
    scope = require_plan_editor(request.user)
    context = {
        "sections": plan_sections(scope=scope),
        "whole_plan": scope.whole_plan,
        "delegates_link": leads_delegating(request.user).exists(),
    }
    return render(request, "asb/staff/plan.html", context)


def _plan_priorities():
    plan = current_plan(today=timezone.localdate())
    return plan.priorities.all() if plan else PlanPriority.objects.none()


def _initial(action: Action) -> dict:
    fields = ["section", "division", "title", "owner_kind", "owner_division"]
    fields += ["owner_neighbourhood", "owner_partner", "due_on", "status", "progress"]
    initial = {name: getattr(action, name) for name in fields}
    initial["plan_priorities"] = list(action.plan_priorities.all())
    return initial


def _action_page(request: HttpRequest, action: Action | None) -> HttpResponse:
    scope = require_plan_editor(request.user)
    if action is not None and not scope.covers(action.division_id):
        raise PermissionDenied(services.NOT_YOUR_DIVISION)
    options = {"scope": scope, "plan_priorities": _plan_priorities()}
    if request.method == "POST":
        form = ActionForm(request.POST, **options)
        if form.is_valid():
            try:
                action = services.action_save(
                    user=request.user, action=action, data=form.action_data()
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _("“%(title)s” is saved. Residents see it now.") % {"title": action.title},
                )
                return redirect("asb_staff:plan")
    elif action is not None:
        form = ActionForm(initial=_initial(action), **options)
    else:
        form = ActionForm(initial={"status": Action.Status.NOT_STARTED}, **options)
    return render(request, "asb/staff/action_form.html", {"form": form, "action": action})


@require_http_methods(EDIT_METHODS)
@login_required
def action_new(request: HttpRequest) -> HttpResponse:
    return _action_page(request, None)


@require_http_methods(EDIT_METHODS)
@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_plan_editor(request.user)
    return _action_page(request, get_object_or_404(Action, pk=pk))


@require_http_methods(EDIT_METHODS)
@login_required
def section_new(request: HttpRequest) -> HttpResponse:
    scope = require_plan_editor(request.user)
    if not scope.whole_plan:
        raise PermissionDenied(services.ONLY_THE_FORCE_LEAD)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            section = services.section_add(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("The section “%(title)s” is added.") % {"title": section.title}
            )
            return redirect("asb_staff:plan")
    return render(request, "asb/staff/section_form.html", {"form": form})


def _leads_or_refused(request: HttpRequest):
    leads = leads_delegating(request.user)
    if not leads.exists():
        raise PermissionDenied(services.NOT_YOUR_LEAD)
    return leads


@require_http_methods(EDIT_METHODS)
@login_required
def delegates(request: HttpRequest) -> HttpResponse:
    """The lead's delegates, and a form to add one."""
    leads = _leads_or_refused(request)
    form = DelegateForm(request.POST or None, leads=leads)
    if request.method == "POST" and form.is_valid():
        try:
            delegation = services.delegation_add(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("%(username)s can now edit the plan.")
                % {"username": delegation.user.get_username()},
            )
            return redirect("asb_staff:delegates")
    shown = Delegation.objects.filter(lead__in=leads).select_related("user", "lead__division")
    context = {"form": form, "delegations": shown.order_by("lead_id", "user__username")}
    return render(request, "asb/staff/delegates.html", context)


@require_POST
@login_required
def delegate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(Delegation, pk=pk)
    services.delegation_remove(user=request.user, delegation=delegation)
    messages.success(
        request,
        _("%(username)s no longer edits the plan.") % {"username": delegation.user.get_username()},
    )
    return redirect("asb_staff:delegates")
