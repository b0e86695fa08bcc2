"""The staff events area, under /staff/events/: officers list, add, edit, duplicate and cancel
their neighbourhoods' events and series, mark who came and record what came of a meeting, or
record a meeting that was never listed, with its outcome.

Every page needs a signed-in officer (or administrator); an event or series of a neighbourhood
the user does not look after is refused (403), by the view and again by the service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit.services import audit_view
from config.dates import date_time_text
from config.pagination import paginate
from meetings import staff_selectors as selectors
from meetings.models import Event, Series
from meetings.services import common
from meetings.services import events as event_services
from meetings.services import outcomes as outcome_services
from meetings.services import series as series_services
from meetings.staff_forms import (
    EventForm,
    ListFilterForm,
    OutcomeForm,
    PastMeetingForm,
    ReasonForm,
    SeriesDetailsForm,
    SeriesForm,
)
from officers.permissions import (
    manageable_neighbourhoods,
    managed_or_refused,
    require_listings_user,
)

PAGE_SIZE = 25


def _manageable_event(request: HttpRequest, pk: int) -> Event:
    return managed_or_refused(
        request.user, lambda: selectors.event_for_staff(pk=pk), missing=_("No such event")
    )


def _manageable_series(request: HttpRequest, pk: int) -> Series:
    return managed_or_refused(
        request.user, lambda: selectors.series_for_staff(pk=pk), missing=_("No such series")
    )


def _staff_url(event: Event) -> str:
    return reverse("meetings_staff:event", kwargs={"pk": event.pk})


# --- The list -----------------------------------------------------------------------------------


@require_safe
@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    require_listings_user(request.user)
    now = timezone.now()
    neighbourhoods = manageable_neighbourhoods(request.user)
    form = ListFilterForm(request.GET, neighbourhoods=neighbourhoods)
    chosen = form.chosen()
    events = selectors.upcoming_events(neighbourhoods=neighbourhoods, neighbourhood=chosen, now=now)
    paged = paginate(request, events, PAGE_SIZE)
    status = paged.status
    context = {"form": form, "chosen": chosen, **paged.context()}
    partial = request.htmx and not request.htmx.history_restore_request
    if partial:
        template = "meetings/staff/list.html#upcoming"
    else:
        template = "meetings/staff/list.html"
        context["overview"] = selectors.staff_events_overview(
            neighbourhoods=neighbourhoods, now=now
        )
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- One event ----------------------------------------------------------------------------------


def _event_page(
    request: HttpRequest, event: Event, *, attendance_error: str = "", status: int = 200
) -> HttpResponse:
    now = timezone.now()
    registered = len(event.live_registrations)
    if registered:
        # The page lists the names and email addresses of the people registered.
        audit_view(
            request=request,
            subject_type="event",
            subject_id=event.pk,
            detail=f"staff event page, {registered} registration{'s' * (registered != 1)}",
        )
    return render(
        request,
        "meetings/staff/event.html",
        {
            "event": event,
            "registrations": event.live_registrations,
            "registered": registered,
            "places_left": None if event.capacity is None else event.capacity - registered,
            "outcome": getattr(event, "outcome", None),
            "started": event.starts_at <= now,
            "can_cancel": not event_services.event_cancel_refusal(event, now=now),
            "can_record_outcome": not outcome_services.outcome_refusal(event, now=now),
            "attendance_error": attendance_error,
        },
        status=status,
    )


@require_safe
@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _event_page(request, _manageable_event(request, pk))


@require_POST
@login_required
def event_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    event = _manageable_event(request, pk)
    ids = [value for value in request.POST.getlist("attended") if value.isdigit()]
    try:
        came = outcome_services.registration_attendance_set(
            user=request.user, event=event, attended_ids=ids
        )
    except ValidationError as exc:
        return _event_page(request, event, attendance_error=exc.messages[0], status=400)
    messages.success(request, _("Attendance is saved: %(count)s came.") % {"count": came})
    return redirect(_staff_url(event))


def _event_form_page(
    request: HttpRequest,
    form: EventForm,
    *,
    event: Event | None = None,
    source: Event | None = None,
) -> HttpResponse:
    return render(
        request,
        "meetings/staff/event_form.html",
        {"form": form, "event": event, "source": source},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    """A new event; `?from=<pk>` copies an event's details for a new date (duplicate), and
    `?neighbourhood=<slug>` chooses the neighbourhood."""
    require_listings_user(request.user)
    neighbourhoods = manageable_neighbourhoods(request.user)
    source = None
    if request.method in ("GET", "HEAD"):
        initial = {}
        copy_of = request.GET.get("from", "")
        if copy_of:
            if not copy_of.isdigit():
                raise Http404("No such event")
            source = _manageable_event(request, int(copy_of))
            initial = EventForm.initial_for(source, duplicate=True)
        elif request.GET.get("neighbourhood"):
            area = neighbourhoods.filter(slug=request.GET["neighbourhood"]).first()
            initial = {"neighbourhood": area.pk} if area else {}
        form = EventForm(initial=initial, neighbourhoods=neighbourhoods)
        return _event_form_page(request, form, source=source)
    form = EventForm(request.POST, neighbourhoods=neighbourhoods)
    if form.is_valid():
        try:
            event = event_services.event_create(user=request.user, data=form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("%(title)s is listed for %(when)s.")
                % {"title": event.title, "when": date_time_text(event.starts_at)},
            )
            return redirect(_staff_url(event))
    return _event_form_page(request, form)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _manageable_event(request, pk)
    if event.is_cancelled:
        messages.info(request, _("This event is cancelled, so it cannot be changed."))
        return redirect(_staff_url(event))
    neighbourhoods = manageable_neighbourhoods(request.user)
    if request.method in ("GET", "HEAD"):
        form = EventForm(initial=EventForm.initial_for(event), neighbourhoods=neighbourhoods)
        return _event_form_page(request, form, event=event)
    form = EventForm(request.POST, neighbourhoods=neighbourhoods)
    if form.is_valid():
        before = {name: getattr(event, name) for name in (*common.MOVE_FIELDS, "sequence")}
        try:
            event_services.event_update(user=request.user, event=event, data=form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _saved_message(event, before))
            return redirect(_staff_url(event))
    return _event_form_page(request, form, event=event)


def _saved_message(event: Event, before: dict) -> str:
    if event.sequence == before["sequence"]:
        return _("Nothing was changed.")
    moved = any(getattr(event, name) != before[name] for name in common.MOVE_FIELDS)
    registered = len(event.live_registrations)
    if moved and registered:
        if registered == 1:
            return _("The event is saved. The person registered for it is emailed the change.")
        return ngettext(
            "The event is saved. The %(count)s person registered for it is emailed the change.",
            "The event is saved. The %(count)s people registered for it are emailed the change.",
            registered,
        ) % {"count": registered}
    return _("The event is saved.")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _manageable_event(request, pk)
    refusal = event_services.event_cancel_refusal(event)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            event_services.event_cancel(
                user=request.user, event=event, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            registered = len(event.live_registrations)
            if registered:
                text = ngettext(
                    "%(title)s is cancelled. %(count)s person is emailed.",
                    "%(title)s is cancelled. %(count)s people are emailed.",
                    registered,
                ) % {"title": event.title, "count": registered}
            else:
                text = _("%(title)s is cancelled.") % {"title": event.title}
            messages.success(request, text)
            return redirect(_staff_url(event))
    return render(
        request,
        "meetings/staff/cancel.html",
        {
            "event": event,
            "form": form,
            "refusal": refusal,
            "registered": len(event.live_registrations),
        },
    )


# --- The outcome --------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    event = _manageable_event(request, pk)
    refusal = outcome_services.outcome_refusal(event)
    existing = getattr(event, "outcome", None)
    if request.method == "POST":
        form = OutcomeForm(request.POST, event=event)
        if not refusal and form.is_valid():
            data = form.cleaned_data
            try:
                outcome_services.outcome_record(
                    user=request.user,
                    event=event,
                    **form.outcome_data(),
                    priorities=data["priorities"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("The outcome is recorded."))
                return redirect(_staff_url(event))
    else:
        initial = {"attendance": _attended(event)}
        if existing is not None:
            initial = {
                "attendance": existing.attendance,
                "summary": existing.summary,
                "issues_raised": existing.issues_raised,
                "summary_cy": existing.summary_cy,
                "issues_raised_cy": existing.issues_raised_cy,
                "priorities": [p.pk for p in existing.priorities.all()],
            }
        form = OutcomeForm(initial=initial, event=event)
    return render(
        request,
        "meetings/staff/outcome.html",
        {"event": event, "form": form, "refusal": refusal, "existing": existing},
    )


def _attended(event: Event) -> int | None:
    """How many registrations are marked as attended, as a first guess at the attendance."""
    marked = [r for r in event.live_registrations if r.attended]
    return len(marked) or None


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def event_record_past(request: HttpRequest) -> HttpResponse:
    """A meeting that took place without being listed beforehand, with its outcome."""
    require_listings_user(request.user)
    neighbourhoods = manageable_neighbourhoods(request.user)
    if request.method in ("GET", "HEAD"):
        form = PastMeetingForm(neighbourhoods=neighbourhoods)
    else:
        form = PastMeetingForm(request.POST, neighbourhoods=neighbourhoods)
        if form.is_valid():
            try:
                event = event_services.event_record_past(
                    user=request.user, data=form.service_data(), **form.outcome_data()
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request, _("%(title)s is recorded with its outcome.") % {"title": event.title}
                )
                return redirect(_staff_url(event))
    return render(request, "meetings/staff/past_form.html", {"form": form})


# --- Series -------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def series_new(request: HttpRequest) -> HttpResponse:
    require_listings_user(request.user)
    neighbourhoods = manageable_neighbourhoods(request.user)
    if request.method in ("GET", "HEAD"):
        form = SeriesForm(neighbourhoods=neighbourhoods)
    else:
        form = SeriesForm(request.POST, neighbourhoods=neighbourhoods)
        if form.is_valid():
            try:
                series = series_services.series_create(user=request.user, data=form.service_data())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _("%(title)s is listed %(rule)s, from %(when)s.")
                    % {
                        "title": series.title,
                        "rule": selectors.rule_description(series),
                        "when": date_time_text(series.first_starts_at),
                    },
                )
                return redirect(series)
    return render(request, "meetings/staff/series_form.html", {"form": form, "series": None})


@require_safe
@login_required
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = _manageable_series(request, pk)
    return render(
        request,
        "meetings/staff/series.html",
        {
            "series": series,
            "rule": selectors.rule_description(series),
            "where": [part for part in (series.venue_name, series.address, series.postcode) if part]
            + ([_("Online: %(url)s") % {"url": series.online_url}] if series.online_url else []),
            "occurrences": selectors.series_occurrences(series=series),
            "ended": series.ended_at is not None and series.ended_at <= timezone.now(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    series = _manageable_series(request, pk)
    if series.ended_at is not None and series.ended_at <= timezone.now():
        messages.info(request, _("This series has ended, so it cannot be changed."))
        return redirect(series)
    neighbourhoods = manageable_neighbourhoods(request.user)
    if request.method in ("GET", "HEAD"):
        form = SeriesDetailsForm(
            initial=SeriesDetailsForm.initial_for(series), neighbourhoods=neighbourhoods
        )
    else:
        form = SeriesDetailsForm(request.POST, neighbourhoods=neighbourhoods)
        if form.is_valid():
            try:
                series_services.series_update(user=request.user, series=series, data=form.details())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _(
                        "The series is saved, with its upcoming meetings. Anyone "
                        "registered for a meeting whose place changed is emailed."
                    ),
                )
                return redirect(series)
    return render(request, "meetings/staff/series_form.html", {"form": form, "series": series})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def series_end(request: HttpRequest, pk: int) -> HttpResponse:
    series = _manageable_series(request, pk)
    now = timezone.now()
    ended = series.ended_at is not None and series.ended_at <= now
    upcoming = selectors.series_occurrences(series=series, now=now).filter(
        status=Event.Status.SCHEDULED, starts_at__gt=now
    )
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not ended and form.is_valid():
        try:
            series_services.series_end(
                user=request.user, series=series, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("%(title)s has ended. Its upcoming meetings are cancelled.")
                % {"title": series.title},
            )
            return redirect(series)
    upcoming = list(upcoming)
    return render(
        request,
        "meetings/staff/series_end.html",
        {
            "series": series,
            "form": form,
            "ended": ended,
            "upcoming": upcoming,
            "registered": sum(event.registered for event in upcoming),
        },
    )
