"""Have your say: residents answer a neighbourhood's survey and support its priorities, under
/have-your-say/; officers run surveys and moderate comments, under /staff/surveys/.

Every public page works without JavaScript. A confirmation link shows a button and confirms
only when it is pressed (POST): mail scanners follow links in emails. Staff pages need a
signed-in officer or administrator; a survey of a neighbourhood the user does not look after is
refused (403), by the view and again by the service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.bilingual import in_language
from config.forms import add_service_errors
from config.http import client_ip, private_page
from config.limits import retry_message
from engagement import answers, surveys
from engagement.forms import AnswerForm, SupportForm, SurveyForm
from engagement.models import Priority, Survey, SurveyResponse
from officers.permissions import (
    manageable_neighbourhoods,
    managed_or_refused,
    require_listings_user,
)

SENT_SESSION_KEY = "surveys:sent"


# --- Residents: answering a survey ------------------------------------------------------------


def _survey_or_404(pk: int) -> Survey:
    try:
        return surveys.survey_for_public(pk=pk)
    except Survey.DoesNotExist as exc:
        raise Http404("No such survey") from exc


def _survey_page(
    request: HttpRequest,
    survey: Survey,
    form: AnswerForm | None = None,
    status: int = 200,
    *,
    answer_refused: bool = False,
) -> HttpResponse:
    """The form while the survey is open; its results once closed; when it opens before.
    `answer_refused`: an answer was sent while it was not open, and was not counted."""
    state = surveys.survey_status(survey, today=surveys.today_in_london())
    context = {
        "survey": survey,
        "state": state,
        "form": None,
        "results": None,
        "answer_refused": answer_refused,
    }
    if state == surveys.OPEN:
        context["form"] = form or AnswerForm(survey=survey)
    elif state == surveys.CLOSED:
        context["results"] = surveys.survey_results(survey=survey, public=True)
    return render(request, "engagement/surveys/survey.html", context, status=status)


def _rate_limited(request: HttpRequest, form, email: str) -> bool:
    retry_at = answers.have_your_say_rate_limit_hit(ip=client_ip(request), email=email)
    if retry_at:
        form.add_error(
            None,
            retry_message(retry_at, what=gettext("send this again"), call_if_urgent=False),
        )
    return bool(retry_at)


def _remember_sent(request: HttpRequest, *, kind: str, pk: int, email: str) -> HttpResponse:
    # Only this browser's session carries what the "check your email" page shows.
    request.session[SENT_SESSION_KEY] = {"kind": kind, "pk": pk, "email": email.strip().lower()}
    return redirect("surveys:sent")


@require_http_methods(["GET", "HEAD", "POST"])
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _survey_or_404(pk)
    if request.method in ("GET", "HEAD"):
        return _survey_page(request, survey)
    if surveys.survey_status(survey, today=surveys.today_in_london()) != surveys.OPEN:
        return _survey_page(request, survey, answer_refused=True)
    form = AnswerForm(request.POST, survey=survey)
    if not form.is_valid():
        return _survey_page(request, survey, form)
    data = form.cleaned_data
    if form.is_from_robot:
        # Answered as if sent, so a robot learns nothing; nothing is stored or emailed.
        return _remember_sent(request, kind="answer", pk=survey.pk, email=data["email"])
    if _rate_limited(request, form, data["email"]):
        return _survey_page(request, survey, form, status=429)
    try:
        answers.survey_answer_submit(
            survey=survey,
            option_id=data["option"],
            free_text=data.get("free_text", ""),
            email=data["email"],
            language=translation.get_language(),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _survey_page(request, survey, form)
    return _remember_sent(request, kind="answer", pk=survey.pk, email=data["email"])


@require_safe
@private_page
def sent(request: HttpRequest) -> HttpResponse:
    """Check your email: the link that confirms the answer or support is on its way."""
    remembered = request.session.get(SENT_SESSION_KEY)
    if not isinstance(remembered, dict):
        return redirect("neighbourhoods:home")
    context = {
        "kind": remembered.get("kind"),
        "email": remembered.get("email", ""),
        "link_days": settings.CONFIRMATION_LINK_DAYS,
        "survey": None,
        "priority": None,
    }
    if remembered.get("kind") == "answer":
        context["survey"] = (
            Survey.objects.select_related("neighbourhood").filter(pk=remembered.get("pk")).first()
        )
    else:
        context["priority"] = (
            Priority.objects.select_related("neighbourhood").filter(pk=remembered.get("pk")).first()
        )
    subject = context["survey"] or context["priority"]
    if subject is None:
        return redirect("neighbourhoods:home")
    context["neighbourhood"] = subject.neighbourhood
    return render(request, "engagement/surveys/sent.html", context)


def _confirm_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("outcome", None)
    context["link_days"] = settings.CONFIRMATION_LINK_DAYS
    return render(request, "engagement/surveys/confirm.html", context, status=status)


def _unknown_link(request: HttpRequest) -> HttpResponse:
    return render(request, "engagement/surveys/link_unknown.html", status=404)


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    response = answers.survey_response_for_token(token=token)
    if response is None:
        return _unknown_link(request)
    survey = response.survey
    context = {
        "kind": "answer",
        "survey": survey,
        "priority": None,
        "neighbourhood": survey.neighbourhood,
        "token": token,
        "action": "surveys:confirm",
    }
    if request.method == "POST":
        try:
            result = answers.survey_answer_confirm(token=token)
        except SurveyResponse.DoesNotExist:
            return _unknown_link(request)
        return _confirm_page(request, {**context, "outcome": result.outcome})
    context["outcome"] = answers.answer_confirm_refusal(response, now=timezone.now())
    return _confirm_page(request, context)


# --- Residents: supporting a priority ---------------------------------------------------------


def _support_page(
    request: HttpRequest, priority: Priority, form: SupportForm | None, status: int = 200
) -> HttpResponse:
    resolved = priority.status == Priority.Status.RESOLVED
    context = {"priority": priority, "form": None if resolved else form or SupportForm()}
    return render(request, "engagement/surveys/support.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def support(request: HttpRequest, pk: int) -> HttpResponse:
    priority = Priority.objects.select_related("neighbourhood").filter(pk=pk).first()
    if priority is None:
        raise Http404("No such priority")
    if request.method in ("GET", "HEAD") or priority.status == Priority.Status.RESOLVED:
        return _support_page(request, priority, None)
    form = SupportForm(request.POST)
    if not form.is_valid():
        return _support_page(request, priority, form)
    email = form.cleaned_data["email"]
    if form.is_from_robot:
        return _remember_sent(request, kind="support", pk=priority.pk, email=email)
    if _rate_limited(request, form, email):
        return _support_page(request, priority, form, status=429)
    try:
        answers.priority_support_submit(
            priority=priority, email=email, language=translation.get_language()
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _support_page(request, priority, form)
    return _remember_sent(request, kind="support", pk=priority.pk, email=email)


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def support_confirm(request: HttpRequest, token: str) -> HttpResponse:
    row = answers.priority_support_for_token(token=token)
    if row is None:
        return _unknown_link(request)
    priority = row.priority
    context = {
        "kind": "support",
        "survey": None,
        "priority": priority,
        "neighbourhood": priority.neighbourhood,
        "token": token,
        "action": "surveys:support_confirm",
    }
    if request.method == "POST":
        try:
            result = answers.priority_support_confirm(token=token)
        except row.DoesNotExist:
            return _unknown_link(request)
        return _confirm_page(request, {**context, "outcome": result.outcome})
    context["outcome"] = answers.support_confirm_refusal(row, now=timezone.now())
    return _confirm_page(request, context)


# --- Staff ------------------------------------------------------------------------------------


def _manageable_survey(request: HttpRequest, pk: int) -> Survey:
    return managed_or_refused(
        request.user, lambda: surveys.survey_for_staff(pk=pk), missing=gettext("No such survey")
    )


def _results_url(survey: Survey) -> str:
    return reverse("surveys_staff:results", kwargs={"pk": survey.pk})


@require_safe
@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    require_listings_user(request.user)
    groups = surveys.staff_survey_groups(user=request.user, today=surveys.today_in_london())
    return render(request, "engagement/surveys/staff_list.html", {"groups": groups})


def _form_page(
    request: HttpRequest, form: SurveyForm, survey: Survey | None = None
) -> HttpResponse:
    answered = survey is not None and surveys.survey_has_confirmed_answers(survey)
    return render(
        request,
        "engagement/surveys/staff_form.html",
        {"form": form, "survey": survey, "answered": answered},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def staff_new(request: HttpRequest) -> HttpResponse:
    """A new survey; `?neighbourhood=<slug>` chooses the neighbourhood."""
    require_listings_user(request.user)
    neighbourhoods = manageable_neighbourhoods(request.user)
    if request.method in ("GET", "HEAD"):
        today = surveys.today_in_london()
        initial = {"opens_on": today, "closes_on": today + surveys.DEFAULT_OPEN_FOR}
        slug = request.GET.get("neighbourhood")
        area = neighbourhoods.filter(slug=slug).first() if slug else None
        if area is not None:
            initial["neighbourhood"] = area.pk
        return _form_page(request, SurveyForm(initial=initial, neighbourhoods=neighbourhoods))
    form = SurveyForm(request.POST, neighbourhoods=neighbourhoods)
    if form.is_valid():
        try:
            survey = surveys.survey_create(
                user=request.user,
                neighbourhood=form.cleaned_data["neighbourhood"],
                **form.service_data(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                gettext("The survey is added to %(name)s.")
                % {"name": in_language(survey.neighbourhood, "name")},
            )
            return redirect(_results_url(survey))
    return _form_page(request, form)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _manageable_survey(request, pk)
    if request.method in ("GET", "HEAD"):
        return _form_page(request, SurveyForm(initial=SurveyForm.initial_for(survey)), survey)
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            surveys.survey_update(user=request.user, survey=survey, **form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, gettext("The survey is saved."))
            return redirect(_results_url(survey))
    return _form_page(request, form, survey)


@require_safe
@login_required
def staff_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _manageable_survey(request, pk)
    state = surveys.survey_status(survey, today=surveys.today_in_london())
    return render(
        request,
        "engagement/surveys/staff_results.html",
        {
            "survey": survey,
            "state": state,
            "status_text": surveys.STATUS_TEXT[state],
            "results": surveys.survey_results(survey=survey, public=False),
        },
    )


@require_POST
@login_required
def staff_moderate(request: HttpRequest, pk: int, response_pk: int) -> HttpResponse:
    survey = _manageable_survey(request, pk)
    response = SurveyResponse.objects.filter(pk=response_pk, survey=survey).first()
    decision = request.POST.get("decision")
    if response is None:
        raise Http404("No such answer")
    if decision not in {"approve", "reject"}:
        messages.error(request, gettext("Choose to approve or reject the comment."))
        return redirect(_results_url(survey))
    try:
        surveys.survey_response_moderate(
            user=request.user, response=response, approve=decision == "approve"
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if decision == "approve":
            messages.success(
                request, gettext("The comment is approved: residents see it with the results.")
            )
        else:
            messages.success(request, gettext("The comment is rejected: residents never see it."))
    return redirect(f"{_results_url(survey)}#comments")
