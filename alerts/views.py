"""Residents' alert pages: sign up, confirm, manage and unsubscribe, all without an account and
without JavaScript. Pages reached by a secret link are private (never cached, no referrer)."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from alerts import subscriptions
from alerts.forms import ChoicesForm, SubscribeForm
from alerts.models import Subscriber
from config.forms import add_service_errors
from config.http import client_ip, private_page
from config.limits import retry_message
from officers.selectors import neighbourhood_choices

SENT_SESSION_KEY = "alerts:sent_to"
PAGES = "alerts"


def _subscribe_page(request: HttpRequest, form: SubscribeForm, *, preselected=None, status=200):
    context = {
        "form": form,
        "groups": form.division_groups(),
        "preselected": preselected,
        "days": settings.CONFIRMATION_LINK_DAYS,
    }
    return render(request, f"{PAGES}/subscribe.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    """The sign-up form; `?neighbourhood=<slug>` ticks that neighbourhood."""
    neighbourhoods = neighbourhood_choices()
    if request.method in ("GET", "HEAD"):
        slug = request.GET.get("neighbourhood", "")
        preselected = next((n for n in neighbourhoods if n.slug == slug), None)
        initial = {
            "topics": list(subscriptions.TOPIC_LABELS),
            "frequency": Subscriber.Frequency.IMMEDIATE,
        }
        if preselected:
            initial["neighbourhoods"] = [preselected.slug]
        form = SubscribeForm(initial=initial, neighbourhoods=neighbourhoods)
        return _subscribe_page(request, form, preselected=preselected)
    form = SubscribeForm(request.POST, neighbourhoods=neighbourhoods)
    if not form.is_valid():
        return _subscribe_page(request, form)
    email = form.cleaned_data["email"].strip().lower()
    if form.is_from_robot:
        # Answered as if signed up, so a robot learns nothing; nothing is stored or emailed.
        request.session[SENT_SESSION_KEY] = email
        return redirect("alerts:check_email")
    retry_at = subscriptions.subscriber_rate_limit_hit(ip=client_ip(request), email=email)
    if retry_at:
        form.add_error(
            None,
            retry_message(retry_at, what=_("sign up again"), call_if_urgent=False),
        )
        return _subscribe_page(request, form, status=429)
    try:
        subscriptions.subscriber_subscribe(
            email=email, choices=form.choices(), language=translation.get_language()
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _subscribe_page(request, form)
    request.session[SENT_SESSION_KEY] = email
    return redirect("alerts:check_email")


@require_safe
@private_page
def check_email(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SENT_SESSION_KEY)
    if not email:
        return redirect("alerts:subscribe")
    context = {"email": email, "days": settings.CONFIRMATION_LINK_DAYS}
    return render(request, f"{PAGES}/check_email.html", context)


def _link_expired(request: HttpRequest) -> HttpResponse:
    context = {"days": settings.CONFIRMATION_LINK_DAYS}
    return render(request, f"{PAGES}/confirm_expired.html", context, status=410)


def _link_not_working(request: HttpRequest, *, what: str) -> HttpResponse:
    return render(request, f"{PAGES}/link_unknown.html", {"what": what}, status=404)


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST confirms."""
    subscriber = subscriptions.subscriber_for_confirm_token(token=token)
    if subscriber is None:
        return _link_not_working(request, what="confirm")
    if subscriptions.confirm_link_expired(subscriber):
        return _link_expired(request)
    if request.method in ("GET", "HEAD"):
        context = {
            "token": token,
            "email": subscriber.email,
            **subscriptions.choices_text(
                subscriptions.Choices.from_json(subscriber.pending_choices or {})
            ),
        }
        return render(request, f"{PAGES}/confirm.html", context)
    try:
        subscriber = subscriptions.subscriber_confirm(token=token)
    except Subscriber.DoesNotExist:
        return _link_not_working(request, what="confirm")
    except ValidationError as exc:
        if getattr(exc, "code", None) == subscriptions.EXPIRED:
            return _link_expired(request)
        # The choices it carried no longer stand (a neighbourhood has gone): choose again.
        messages.warning(
            request,
            _(
                "Your sign-up could not be confirmed because a neighbourhood you chose is no "
                "longer listed. Choose your neighbourhoods again."
            ),
        )
        return redirect("alerts:subscribe")
    context = {
        "email": subscriber.email,
        "manage_path": _manage_path(subscriber.pk),
        **subscriptions.choices_text(subscriptions.Choices.of(subscriber)),
    }
    return render(request, f"{PAGES}/confirmed.html", context)


def _manage_path(subscriber_id: int) -> str:
    return reverse(
        "alerts:manage", kwargs={"signed": subscriptions.manage_signature(subscriber_id)}
    )


def _unsubscribe_path(subscriber_id: int) -> str:
    signed = subscriptions.unsubscribe_signature(subscriber_id)
    return reverse("alerts:unsubscribe", kwargs={"signed": signed})


@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def manage(request: HttpRequest, signed: str) -> HttpResponse:
    try:
        subscriber_id = subscriptions.subscriber_id_for_manage(signed)
    except signing.BadSignature:
        return _link_not_working(request, what="manage")
    state = subscriptions.subscriber_state(subscriber_id=subscriber_id)
    if not state.active:
        context = {"pending": state.signed_up}
        return render(request, f"{PAGES}/manage_inactive.html", context)
    subscriber = state.subscriber
    neighbourhoods = neighbourhood_choices()
    saved = False
    if request.method == "POST":
        form = ChoicesForm(request.POST, neighbourhoods=neighbourhoods)
        if form.is_valid():
            try:
                subscriber = subscriptions.subscriber_update(
                    subscriber=subscriber, choices=form.choices()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                saved = True
                form = ChoicesForm(
                    initial=ChoicesForm.initial_for(
                        subscriptions.Choices.of(subscriber), neighbourhoods
                    ),
                    neighbourhoods=neighbourhoods,
                )
    else:
        form = ChoicesForm(
            initial=ChoicesForm.initial_for(subscriptions.Choices.of(subscriber), neighbourhoods),
            neighbourhoods=neighbourhoods,
        )
    context = {
        "form": form,
        "groups": form.division_groups(),
        "email": subscriber.email,
        "saved": saved,
        "signed": signed,
        "unsubscribe_path": _unsubscribe_path(subscriber.pk),
    }
    return render(request, f"{PAGES}/manage.html", context)


@csrf_exempt  # RFC 8058: mail clients POST "List-Unsubscribe=One-Click" with no token.
@require_http_methods(["GET", "HEAD", "POST"])
@private_page
def unsubscribe(request: HttpRequest, signed: str) -> HttpResponse:
    """GET shows a button; POST unsubscribes at once, whoever sends it (the signed link is
    the only proof needed, as RFC 8058 one-click unsubscribe requires)."""
    try:
        subscriber_id = subscriptions.subscriber_id_for_unsubscribe(signed)
    except signing.BadSignature:
        return _link_not_working(request, what="unsubscribe")
    if request.method in ("GET", "HEAD"):
        subscribed = subscriptions.subscriber_state(subscriber_id=subscriber_id).signed_up
        return render(
            request, f"{PAGES}/unsubscribe.html", {"signed": signed, "subscribed": subscribed}
        )
    subscriptions.subscriber_unsubscribe(subscriber_id=subscriber_id)
    return render(request, f"{PAGES}/unsubscribed.html")
