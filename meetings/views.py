"""Residents' pages for events: the force-wide list, an event's page, registering for a place
and giving it back, and the calendar files. Every page works without JavaScript."""

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from config import caching
from config.bilingual import in_language, setting_in_language
from config.forms import add_service_errors
from config.http import client_ip, private_page
from config.limits import retry_message
from config.pagination import paginate
from meetings import ical, selectors
from meetings.forms import EventFilterForm, RegistrationForm
from meetings.models import Event, Registration
from meetings.services import registrations
from neighbourhoods.models import Neighbourhood
from officers.selectors import neighbourhood_choices

EVENTS_PAGE_SIZE = 20
CALENDAR_CONTENT_TYPE = "text/calendar; charset=utf-8"
CALENDAR_MAX_AGE = 300
CONFIRMATION_SESSION_KEY = "meetings:registration"
# How long the shared cache remembers when each feed last changed (for Last-Modified).
FEED_CHANGED_SECONDS = 60 * 60 * 24 * 30


# --- Finding events ---------------------------------------------------------------------------


@require_safe
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET, neighbourhoods=neighbourhood_choices())
    context = {"form": form, "page": None, "page_error": ""}
    if not form.is_valid():
        return render(request, "meetings/list.html", context)
    neighbourhood = form.cleaned_data["neighbourhood"]
    events = selectors.event_list(
        neighbourhood_id=neighbourhood.pk if neighbourhood else None,
        event_type=form.cleaned_data["type"],
        starts_from=form.cleaned_data["from"],
        starts_to=form.cleaned_data["to"],
    )
    paged = paginate(request, events, EVENTS_PAGE_SIZE)
    for event in paged.page or []:
        event.is_full = selectors.is_full(event)
    context.update(paged.context(), neighbourhood=neighbourhood)
    return render(request, "meetings/list.html", context, status=paged.status)


def _event_or_404(pk: int) -> Event:
    try:
        return selectors.event_for_page(pk=pk)
    except Event.DoesNotExist as exc:
        raise Http404("No such event") from exc


@require_safe
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(pk)
    places_left = selectors.places_left(event)
    refusal = registrations.registration_refusal(event, now=timezone.now())
    context = {
        "event": event,
        "outcome": selectors.event_outcome(event),
        "places_left": places_left,
        "can_register": refusal is None and places_left != 0,
    }
    return render(request, "meetings/event.html", context)


# --- Registering ------------------------------------------------------------------------------


def _register_page(
    request: HttpRequest, event: Event, form: RegistrationForm | None, status: int = 200
) -> HttpResponse:
    """The form, or why there is none: the event is cancelled, has started or is full."""
    refusal = registrations.registration_refusal(event, now=timezone.now())
    closed = refusal.message if refusal else ""
    if not closed and selectors.is_full(event):
        closed = _("This event is full")
    context = {"event": event, "form": None if closed else form, "closed": closed}
    return render(request, "meetings/register.html", context, status=status)


def _remember_confirmation(request: HttpRequest, *, event: Event, email: str) -> None:
    # Only this browser's session carries what the confirmation page shows.
    request.session[CONFIRMATION_SESSION_KEY] = {"event": event.pk, "email": email}


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def register(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(pk)
    if request.method in ("GET", "HEAD"):
        return _register_page(request, event, RegistrationForm())
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return _register_page(request, event, form)
    data = form.cleaned_data
    if form.is_from_robot:
        # Answered as if registered, so a robot learns nothing; nothing is stored or emailed.
        _remember_confirmation(request, event=event, email=data["email"].strip().lower())
        return redirect("meetings:registration_confirmation")
    retry_at = registrations.registration_rate_limit_hit(ip=client_ip(request), email=data["email"])
    if retry_at:
        form.add_error(
            None,
            retry_message(retry_at, what=_("register again")),
        )
        return _register_page(request, event, form, status=429)
    try:
        registration, _token = registrations.registration_create(
            event=event,
            name=data["name"],
            email=data["email"],
            accessibility_needs=data["accessibility_needs"],
            language=translation.get_language(),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _register_page(request, _event_or_404(pk), form)
    _remember_confirmation(request, event=event, email=registration.email)
    return redirect("meetings:registration_confirmation")


@require_safe
@private_page
def registration_confirmation(request: HttpRequest) -> HttpResponse:
    sent = request.session.get(CONFIRMATION_SESSION_KEY)
    if not sent:
        return redirect("meetings:list")
    event = Event.objects.select_related("neighbourhood").filter(pk=sent["event"]).first()
    if event is None:
        return redirect("meetings:list")
    context = {"event": event, "email": sent["email"]}
    return render(request, "meetings/registered.html", context)


# --- Giving a place back ----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_for_token(token=token)
    if registration is None:
        return render(request, "meetings/cancel_unknown.html", status=404)
    if request.method == "POST":
        try:
            registration = registrations.registration_cancel(token=token)
        except Registration.DoesNotExist:
            return render(request, "meetings/cancel_unknown.html", status=404)
        except ValidationError:
            # Given back already, or the event is over: the page below says which.
            registration = selectors.registration_for_token(token=token) or registration
        else:
            context = {"registration": registration, "event": registration.event}
            return render(request, "meetings/cancelled.html", context)
    context = {"registration": registration, "event": registration.event, "token": token}
    return render(request, "meetings/cancel.html", context)


# --- Calendars --------------------------------------------------------------------------------


def _calendar_response(
    request: HttpRequest,
    body: bytes,
    *,
    filename: str,
    attachment: bool,
    last_modified: int | None = None,
) -> HttpResponse:
    """The calendar file, with an ETag from its bytes (and Last-Modified when known), or 304
    Not Modified when the caller's copy is still current: calendar apps poll feeds every
    few hours, and most polls find nothing new."""
    response = HttpResponse(body, content_type=CALENDAR_CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=CALENDAR_MAX_AGE)
    set_response_etag(response)
    if last_modified is not None and last_modified >= int(time.time()):
        # HTTP dates count whole seconds: a file may change again within this one, so a
        # Last-Modified of this second could later earn a wrong 304. The ETag serves instead.
        last_modified = None
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )


@require_safe
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One event, whatever its status, to add to a calendar."""
    event = get_object_or_404(Event, pk=pk)
    body = ical.calendar_bytes([event], name=in_language(event, "title"))
    day = timezone.localdate(event.starts_at).isoformat()
    filename = f"{slugify(event.title)[:60] or 'event'}-{day}.ics"
    return _calendar_response(request, body, filename=filename, attachment=True)


def _feed_changed_at(key: str, body: bytes) -> int:
    """When the feed's bytes last changed, as a timestamp: kept while rebuilds give the same
    bytes, moved on when they differ (an edit, or an event leaving the feed's window). When
    the shared cache has forgotten, or cannot be reached, it is now: a poll then gets the
    whole feed, never a wrong 304."""
    digest = hashlib.sha256(body).hexdigest()
    cache_key = f"meetings-feed-changed:{key}"
    seen = caching.cache_get(cache_key)
    if seen is not None and seen[0] == digest:
        return seen[1]
    changed_at = int(time.time())
    caching.cache_set(cache_key, (digest, changed_at), timeout=FEED_CHANGED_SECONDS)
    return changed_at


def _feed(key: str, build: Callable[[], bytes]) -> tuple[bytes, int]:
    """A feed's bytes and when they last changed, kept in the shared cache until any public
    content changes: calendar apps poll feeds, and building a large one is the costly part."""
    version = caching.public_content_version()
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE:
        # The Welsh feed (under /cy/) is another file: the English one's key stays as it was.
        key = f"{key}:{language}"
    cache_key = f"meetings-feed-v2:{key}:{version}"
    feed = caching.cache_get(cache_key) if version is not None else None
    if feed is None:
        body = build()
        feed = (body, _feed_changed_at(key, body))
        if version is not None:
            caching.cache_set(cache_key, feed, timeout=caching.PUBLIC_PAGE_SECONDS)
    return feed


@require_safe
def force_feed(request: HttpRequest) -> HttpResponse:
    """Every neighbourhood's events, for a calendar app to subscribe to."""
    body, changed_at = _feed(
        "force",
        lambda: ical.calendar_bytes(
            selectors.feed_events(),
            name=_("Neighbourhood events, %(force_name)s")
            % {"force_name": setting_in_language("FORCE_NAME")},
        ),
    )
    return _calendar_response(
        request, body, filename="events.ics", attachment=False, last_modified=changed_at
    )


@require_safe
def neighbourhood_feed(request: HttpRequest, slug: str) -> HttpResponse:
    neighbourhood = get_object_or_404(Neighbourhood, slug=slug)
    body, changed_at = _feed(
        f"neighbourhood:{neighbourhood.pk}",
        lambda: ical.calendar_bytes(
            selectors.feed_events(neighbourhood=neighbourhood),
            name=_("%(name)s neighbourhood events") % {"name": in_language(neighbourhood, "name")},
        ),
    )
    return _calendar_response(
        request,
        body,
        filename=f"{neighbourhood.slug}-events.ics",
        attachment=False,
        last_modified=changed_at,
    )
