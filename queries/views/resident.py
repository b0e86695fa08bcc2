"""The resident's pages: choose a neighbourhood, send a query, see the confirmation, and follow
the query through its private link. Every page works without JavaScript."""

import datetime
import functools
import secrets

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.dates import london_due_display
from config.forms import add_service_errors
from config.http import client_ip, private_page
from config.limits import steady_answer
from neighbourhoods.forms import NeighbourhoodSearchForm
from neighbourhoods.models import Neighbourhood
from neighbourhoods.search import search_text
from queries import clock
from queries.forms import (
    INLINE_FIELDS,
    AnswerFeedbackForm,
    ContactForm,
    FollowUpForm,
    NewLinkForm,
)
from queries.models import Query, ResponseClock
from queries.selectors.tracking import query_for_token, tracking_page
from queries.services.feedback import (
    ALREADY_GIVEN,
    answer_feedback_give,
    clock_feedback,
    clock_feedback_given,
    clock_for_feedback_link,
    feedback_rate_limit_hit,
    feedback_rate_limit_message,
)
from queries.services.resident import (
    follow_up_rate_limit_hit,
    follow_up_rate_limit_message,
    new_link_rate_limit_message,
    query_new_link_rate_limit_hit,
    query_rate_limit_hit,
    query_resident_escalate,
    query_resident_reply,
    query_submit,
    query_tracking_link_renew,
    rate_limit_message,
    reference_generate,
)

CONFIRMATION_SESSION_KEY = "queries:confirmation"


# --- Choosing a neighbourhood and sending a query ----------------------------------------------


@require_safe
def contact_start(request: HttpRequest) -> HttpResponse:
    """The emergency message first, then the home page's search to choose a neighbourhood."""
    form = NeighbourhoodSearchForm(request.GET if "q" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        result = search_text(form.cleaned_data["q"])
        if result.neighbourhood:
            return redirect("queries:contact", slug=result.neighbourhood.slug)
        if result.problem:
            form.show_problem(result)
    return render(request, "queries/contact_start.html", {"form": form, "result": result})


def _contact_page(
    request: HttpRequest, neighbourhood: Neighbourhood, form: ContactForm, status: int = 200
) -> HttpResponse:
    context = {
        "neighbourhood": neighbourhood,
        "form": form,
        "inline_fields": INLINE_FIELDS,
        "response_target_hours": settings.RESPONSE_TARGET_HOURS,
    }
    return render(request, "queries/contact.html", context, status=status)


def _field_check(request: HttpRequest, neighbourhood: Neighbourhood, form: ContactForm):
    """htmx: one field checked as the resident leaves it, rendered alone."""
    name = request.POST.get("field")
    if name not in INLINE_FIELDS:
        return HttpResponseBadRequest("That field cannot be checked on its own.")
    form.is_valid()
    context = {"neighbourhood": neighbourhood, "field": form[name], "inline_fields": INLINE_FIELDS}
    return render(request, "queries/contact.html#field", context)


def _remember_confirmation(
    request: HttpRequest,
    *,
    reference: str,
    due_at: datetime.datetime,
    token: str,
    neighbourhood: Neighbourhood,
    emailed: bool,
) -> None:
    # Only this browser's session carries what the confirmation page shows: it cannot be
    # reached by guessing an address.
    request.session[CONFIRMATION_SESSION_KEY] = {
        "reference": reference,
        "due_at": due_at.isoformat(),
        "token": token,
        "neighbourhood": neighbourhood.name,
        "slug": neighbourhood.slug,
        "emailed": emailed,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def contact(request: HttpRequest, slug: str) -> HttpResponse:
    neighbourhood = get_object_or_404(Neighbourhood.objects.select_related("division"), slug=slug)
    if request.method in ("GET", "HEAD"):
        return _contact_page(request, neighbourhood, ContactForm())
    form = ContactForm(request.POST)
    if request.htmx and request.POST.get("field") == "urgency":
        # htmx, as the resident types: the emergency warning, if the message needs one.
        return render(request, "queries/contact.html#urgency", {"form": form})
    if request.htmx and "field" in request.POST:
        return _field_check(request, neighbourhood, form)
    if not form.is_valid():
        return _contact_page(request, neighbourhood, form)
    data = form.cleaned_data
    if form.is_from_robot:
        # Answered as if sent, so a robot learns nothing; nothing is stored or emailed.
        _remember_confirmation(
            request,
            reference=reference_generate(),
            due_at=timezone.now() + clock.target(),
            token=secrets.token_urlsafe(32),
            neighbourhood=neighbourhood,
            emailed=bool(data["email"]),
        )
        return redirect("queries:confirmation")
    retry_at = query_rate_limit_hit(ip=client_ip(request), email=data["email"])
    if retry_at:
        form.add_error(None, rate_limit_message(retry_at))
        return _contact_page(request, neighbourhood, form, status=429)
    try:
        query, token = query_submit(
            neighbourhood=neighbourhood,
            topic=data["topic"],
            message=data["message"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            contact_preference=data["contact_preference"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _contact_page(request, neighbourhood, form)
    _remember_confirmation(
        request,
        reference=query.reference,
        due_at=query.due_at,
        token=token,
        neighbourhood=neighbourhood,
        emailed=bool(query.email),
    )
    return redirect("queries:confirmation")


@require_safe
@private_page
def confirmation(request: HttpRequest) -> HttpResponse:
    """The reference and the due time. The tracking link is shown once: the token leaves the
    session as this page first shows it, so it is kept nowhere after that."""
    sent = request.session.get(CONFIRMATION_SESSION_KEY)
    if not sent:
        return redirect("queries:contact_start")
    token = sent.pop("token", None)
    if token is not None:
        request.session[CONFIRMATION_SESSION_KEY] = sent
    context = {
        "sent": sent,
        "due": london_due_display(datetime.datetime.fromisoformat(sent["due_at"])),
        # The address this browser reached the portal by, for the resident to keep.
        "tracking_url": (
            request.build_absolute_uri(reverse("queries:track", kwargs={"token": token}))
            if token
            else ""
        ),
    }
    return render(request, "queries/confirmation.html", context)


# --- Following a query ------------------------------------------------------------------------


class UnknownLink(Exception):
    """No query has this tracking link: it was mistyped, or a newer link replaced it."""


def _query_or_unknown(token: str) -> Query:
    query = query_for_token(token=token)
    if query is None:
        raise UnknownLink
    return query


def _unknown_link(request: HttpRequest) -> HttpResponse:
    """Not found, with the way to a new link for a resident whose link no longer works."""
    return render(request, "queries/track_unknown.html", status=404)


def _known_link_only(view):
    """Answer a tracking link no query has with the page that offers a new link."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except UnknownLink:
            return _unknown_link(request)

    return wrapped


def _track_page(
    request: HttpRequest,
    query: Query,
    token: str,
    form: FollowUpForm,
    status: int = 200,
    feedback_form: AnswerFeedbackForm | None = None,
) -> HttpResponse:
    now = timezone.now()
    page = tracking_page(query=query, now=now)
    context = {
        "page": page,
        "query": query,
        "token": token,
        "form": form,
        "feedback_form": feedback_form or AnswerFeedbackForm(),
        "response_target_hours": settings.RESPONSE_TARGET_HOURS,
    }
    return render(request, "queries/track.html", context, status=status)


@require_safe
@private_page
@_known_link_only
def track(request: HttpRequest, token: str) -> HttpResponse:
    return _track_page(request, _query_or_unknown(token), token, FollowUpForm())


@require_POST
@private_page
@_known_link_only
def track_reply(request: HttpRequest, token: str) -> HttpResponse:
    query = _query_or_unknown(token)
    if query.status == Query.Status.CLOSED:
        messages.error(request, _("This query is closed. Send a new query instead"))
        return redirect("queries:track", token=token)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        retry_at = follow_up_rate_limit_hit(ip=client_ip(request), email=query.reference)
        if retry_at:
            form.add_error(None, follow_up_rate_limit_message(retry_at))
            return _track_page(request, query, token, form, status=429)
        try:
            query_resident_reply(query=query, message=form.cleaned_data["message"])
        except ValidationError as exc:
            form.add_error("message", exc.messages[0])
        else:
            messages.success(request, _("Your message has been sent to the neighbourhood team"))
            return redirect("queries:track", token=token)
    return _track_page(request, query, token, form)


@require_POST
@private_page
@_known_link_only
def track_escalate(request: HttpRequest, token: str) -> HttpResponse:
    query = _query_or_unknown(token)
    try:
        query_resident_escalate(query=query)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _(
                "Your query has been escalated to the neighbourhood sergeant and the Police and "
                "Crime Commissioner's office"
            ),
        )
    return redirect("queries:track", token=token)


# --- Did this answer your query? ---------------------------------------------------------------


class FeedbackRefused(Exception):
    """The form, bound and with its errors, and the status to answer with."""

    def __init__(self, form: AnswerFeedbackForm, status: int) -> None:
        self.form, self.status = form, status


def _feedback_submit(request: HttpRequest, clock: ResponseClock) -> bool:
    """Record the posted answer about the clock's answer. True when recorded; False when it
    had been given already (a message says so); FeedbackRefused for a form to show again."""
    if clock_feedback_given(clock=clock):
        messages.error(request, ALREADY_GIVEN)
        return False
    form = AnswerFeedbackForm(request.POST)
    if not form.is_valid():
        raise FeedbackRefused(form, 200)
    retry_at = feedback_rate_limit_hit(ip=client_ip(request), email=clock.query.reference)
    if retry_at:
        form.add_error(None, feedback_rate_limit_message(retry_at))
        raise FeedbackRefused(form, 429)
    try:
        answer_feedback_give(clock=clock, **form.cleaned_data)
    except ValidationError as exc:
        if exc.messages == [ALREADY_GIVEN]:
            messages.error(request, ALREADY_GIVEN)
            return False
        add_service_errors(form, exc)
        raise FeedbackRefused(form, 200) from exc
    messages.success(request, _("Thank you for telling us whether our answer helped"))
    return True


@require_POST
@private_page
@_known_link_only
def track_feedback(request: HttpRequest, token: str, number: int) -> HttpResponse:
    """The tracking page's question about the answer that stopped clock `number`."""
    query = _query_or_unknown(token)
    clock = (
        ResponseClock.objects.select_related("query")
        .filter(query_id=query.pk, number=number, answer__isnull=False)
        .first()
    )
    if clock is None:
        messages.error(request, _("We could not find that answer. Tell us about the latest one"))
        return redirect(reverse("queries:track", kwargs={"token": token}) + "#feedback")
    try:
        _feedback_submit(request, clock)
    except FeedbackRefused as refused:
        return _track_page(
            request, query, token, FollowUpForm(), refused.status, feedback_form=refused.form
        )
    return redirect(reverse("queries:track", kwargs={"token": token}) + "#feedback")


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def answer_feedback(request: HttpRequest, signed: str) -> HttpResponse:
    """The question, reached from the answer's email by a link signed for that answer."""
    clock = clock_for_feedback_link(signed=signed)
    if clock is None:
        return render(request, "queries/answer_feedback_unknown.html", status=404)
    form = AnswerFeedbackForm()
    status = 200
    if request.method == "POST":
        try:
            _feedback_submit(request, clock)
        except FeedbackRefused as refused:
            form, status = refused.form, refused.status
        else:
            return redirect(request.path)
    context = {
        "clock": clock,
        "query": clock.query,
        "feedback": clock_feedback(clock),
        "answered_display": london_due_display(clock.answered_at),
    }
    return render(request, "queries/answer_feedback.html", {**context, "form": form}, status=status)


# --- A new tracking link ----------------------------------------------------------------------


def _new_link_page(request: HttpRequest, form: NewLinkForm, status: int = 200) -> HttpResponse:
    return render(request, "queries/new_link.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def new_link(request: HttpRequest) -> HttpResponse:
    """A resident who lost their tracking link asks for a new one. The answer is the same
    whether or not the reference and email address match a query, so nobody learns from it
    who sent what."""
    if request.method in ("GET", "HEAD"):
        return _new_link_page(request, NewLinkForm())
    form = NewLinkForm(request.POST)
    if not form.is_valid():
        return _new_link_page(request, form)
    if form.is_from_robot:
        return redirect("queries:new_link_sent")
    data = form.cleaned_data
    retry_at = query_new_link_rate_limit_hit(ip=client_ip(request), email=data["email"])
    if retry_at:
        form.add_error(None, new_link_rate_limit_message(retry_at))
        return _new_link_page(request, form, status=429)
    # Answered at the same moment whether or not the reference and address match.
    with steady_answer():
        query_tracking_link_renew(reference=data["reference"], email=data["email"])
    return redirect("queries:new_link_sent")


@require_safe
def new_link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "queries/new_link_sent.html")
