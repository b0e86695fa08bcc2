"""Neighbourhood alerts: residents subscribe to neighbourhoods by email (double opt-in) and hear
about new and changed events, new or updated priorities and survey openings, as each happens
or in a daily digest.

Rules:
- A sign-up stores its choices as pending and emails a confirmation link; the choices apply
  only when the link is used (POST), within CONFIRMATION_LINK_DAYS. Signing up again with a
  known address looks exactly the same to whoever fills in the form: a new link, whose
  choices replace the old ones once confirmed.
- Every alert and confirmation email carries a manage link, signed over the subscriber's pk
  with its own salt and never expiring; every alert also carries a one-click unsubscribe link
  (RFC 8058 headers), signed with another salt, so that link can do nothing but unsubscribe.
- Something to tell is recorded once, as an AlertChange with a unique key. Its emails are
  written to the outbox in keyset batches of ALERT_BATCH_SIZE, each batch in one transaction
  holding the change's row lock, with an AlertDelivery per subscriber: a retry, or a second
  worker, finds those deliveries and never sends a subscriber the same change twice.
- Daily subscribers get one digest a day listing what they have not been sent yet.
- Unconfirmed sign-ups past their link's life and unsubscribed addresses are deleted daily.
"""

import datetime
import logging
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from config.dates import LONDON, date_time_text
from config.forms import EMAIL_FORMAT
from config.http import absolute_url
from config.limits import rate_limit_hit, token_hash
from meetings.models import Event, Series
from neighbourhoods.models import (
    AlertChange,
    AlertDelivery,
    Neighbourhood,
    Priority,
    Subscriber,
    Survey,
)
from queries.services.outbox import OutboxDraft, outbox_email_enqueue, outbox_emails_enqueue

logger = logging.getLogger(__name__)

MANAGE_SALT = "neighbourhoods.alerts.manage"
UNSUBSCRIBE_SALT = "neighbourhoods.alerts.unsubscribe"
# Which Subscriber flag says a subscriber wants each kind of change.
KIND_FLAGS = {
    AlertChange.Kind.EVENT: "events",
    AlertChange.Kind.PRIORITY: "priorities",
    AlertChange.Kind.SURVEY: "surveys",
}
TOPIC_LABELS = {
    "events": "New and changed events",
    "priorities": "New or updated local priorities",
    "surveys": "Surveys opening (Have your say)",
}
KIND_NOUNS = {
    AlertChange.Kind.EVENT: ("event", "events"),
    AlertChange.Kind.PRIORITY: ("priority", "priorities"),
    AlertChange.Kind.SURVEY: ("survey", "surveys"),
}
# Alert emails hold the subscriber's address: the outbox forgets it after this long.
ALERT_EMAIL_DAYS = 30
# A change is stamped when it is written but may commit a moment later: each digest looks
# back this far before the last one, and the deliveries keep anything from being sent twice.
DIGEST_OVERLAP = datetime.timedelta(hours=1)
UNSENT_CHANGES_PER_RUN = 100
TITLE_MAX_LENGTH = 300
SUMMARY_MAX_LENGTH = 1000

ALERT_TEMPLATE = "neighbourhoods/email/alert_change"
DIGEST_TEMPLATE = "neighbourhoods/email/alert_digest"
CONFIRM_TEMPLATE = "neighbourhoods/email/alert_confirm"

EXPIRED = "expired"
CHOOSE_NEIGHBOURHOOD = "Select at least one neighbourhood"
CHOOSE_TOPIC = "Select at least one thing to hear about"
CHOOSE_FREQUENCY = "Select how often you want to hear from us"


@dataclass(frozen=True)
class Choices:
    """What a subscriber hears about: which neighbourhoods, which kinds of change, how often."""

    neighbourhood_ids: tuple[int, ...]
    events: bool = True
    priorities: bool = True
    surveys: bool = True
    frequency: str = Subscriber.Frequency.IMMEDIATE

    def as_json(self) -> dict:
        return {
            "neighbourhoods": list(self.neighbourhood_ids),
            "events": self.events,
            "priorities": self.priorities,
            "surveys": self.surveys,
            "frequency": self.frequency,
        }

    @classmethod
    def from_json(cls, data: dict) -> "Choices":
        return cls(
            neighbourhood_ids=tuple(int(pk) for pk in data.get("neighbourhoods", [])),
            events=bool(data.get("events")),
            priorities=bool(data.get("priorities")),
            surveys=bool(data.get("surveys")),
            frequency=data.get("frequency") or Subscriber.Frequency.IMMEDIATE,
        )

    @classmethod
    def of(cls, subscriber: Subscriber) -> "Choices":
        return cls(
            neighbourhood_ids=tuple(
                subscriber.neighbourhoods.order_by("name").values_list("pk", flat=True)
            ),
            events=subscriber.events,
            priorities=subscriber.priorities,
            surveys=subscriber.surveys,
            frequency=subscriber.frequency,
        )


# --- Links ------------------------------------------------------------------------------------


def manage_signature(subscriber_id: int) -> str:
    return signing.Signer(salt=MANAGE_SALT).sign(str(subscriber_id))


def unsubscribe_signature(subscriber_id: int) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber_id))


def manage_url(subscriber_id: int) -> str:
    return absolute_url(
        reverse("alerts:manage", kwargs={"signed": manage_signature(subscriber_id)})
    )


def unsubscribe_url(subscriber_id: int) -> str:
    signed = unsubscribe_signature(subscriber_id)
    return absolute_url(reverse("alerts:unsubscribe", kwargs={"signed": signed}))


def _signed_id(signed: str, salt: str) -> int:
    """The subscriber pk a signed value carries; raises signing.BadSignature when it was not
    made by us with this salt, or has been altered."""
    value = signing.Signer(salt=salt).unsign(signed)
    if not value.isdigit():
        raise signing.BadSignature("Not a subscriber")
    return int(value)


def subscriber_id_for_manage(signed: str) -> int:
    return _signed_id(signed, MANAGE_SALT)


def subscriber_id_for_unsubscribe(signed: str) -> int:
    return _signed_id(signed, UNSUBSCRIBE_SALT)


def _unsubscribe_headers(subscriber_id: int) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscriber_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- Subscribing ------------------------------------------------------------------------------


def _link_expires(sent_at: datetime.datetime) -> datetime.datetime:
    return sent_at + datetime.timedelta(days=settings.CONFIRMATION_LINK_DAYS)


def _clean_choices(choices: Choices) -> Choices:
    """The choices with unknown neighbourhoods dropped; a ValidationError keyed by field for
    anything missing."""
    errors: dict[str, str] = {}
    known = tuple(
        Neighbourhood.objects.filter(pk__in=choices.neighbourhood_ids)
        .order_by("name", "pk")
        .values_list("pk", flat=True)
    )
    if not known:
        errors["neighbourhoods"] = CHOOSE_NEIGHBOURHOOD
    if not (choices.events or choices.priorities or choices.surveys):
        errors["topics"] = CHOOSE_TOPIC
    if choices.frequency not in Subscriber.Frequency.values:
        errors["frequency"] = CHOOSE_FREQUENCY
    if errors:
        raise ValidationError(errors)
    return Choices(
        neighbourhood_ids=known,
        events=choices.events,
        priorities=choices.priorities,
        surveys=choices.surveys,
        frequency=choices.frequency,
    )


def choices_text(choices: Choices) -> dict:
    """The choices as a resident reads them, for emails and pages."""
    names = list(
        Neighbourhood.objects.filter(pk__in=choices.neighbourhood_ids)
        .order_by("name")
        .values_list("name", flat=True)
    )
    topics = [label for flag, label in TOPIC_LABELS.items() if getattr(choices, flag)]
    return {
        "neighbourhood_names": names,
        "topics": topics,
        "frequency_label": Subscriber.Frequency(choices.frequency).label,
    }


def subscriber_subscribe(
    *, email: str, choices: Choices, now: datetime.datetime | None = None
) -> str:
    """Record a sign-up's choices as pending and email a confirmation link for them. New and
    known addresses are treated alike (the form's answer is the same), so nobody learns
    whether an address is subscribed. Returns the raw confirmation token, never stored: only
    its hash is."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": EMAIL_FORMAT}) from exc
    choices = _clean_choices(choices)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(email=email)
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        subscriber.pending_choices = choices.as_json()
        subscriber.confirm_token_hash = token_hash(token)
        subscriber.confirm_sent_at = now
        subscriber.full_clean(validate_unique=False)
        subscriber.save(
            update_fields=["pending_choices", "confirm_token_hash", "confirm_sent_at", "updated_at"]
        )
        outbox_email_enqueue(
            to=[email],
            template=CONFIRM_TEMPLATE,
            context={
                **choices_text(choices),
                "confirm_url": absolute_url(reverse("alerts:confirm", kwargs={"token": token})),
                "manage_url": manage_url(subscriber.pk),
                "expires": date_time_text(_link_expires(now)),
                "force_name": settings.FORCE_NAME,
                "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
            },
            # The link is the token itself: once the email is sent, the row forgets it.
            redact_after_send=True,
            forget_after=now + datetime.timedelta(days=ALERT_EMAIL_DAYS),
        )
    return token


def subscriber_for_confirm_token(*, token: str) -> Subscriber | None:
    """The subscriber whose pending confirmation link this is, expired or not."""
    return Subscriber.objects.filter(confirm_token_hash=token_hash(token)).first()


def confirm_link_expired(subscriber: Subscriber, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return subscriber.confirm_sent_at is None or _link_expires(subscriber.confirm_sent_at) <= now


def _apply_choices(subscriber: Subscriber, choices: Choices, now: datetime.datetime) -> list[str]:
    """Set the subscriber's choices; return the fields changed. A subscriber who turns to the
    daily digest starts it from now: what came before was sent as it happened."""
    if (
        choices.frequency == Subscriber.Frequency.DAILY
        and subscriber.frequency != Subscriber.Frequency.DAILY
    ):
        subscriber.digest_covered_until = now
    subscriber.events = choices.events
    subscriber.priorities = choices.priorities
    subscriber.surveys = choices.surveys
    subscriber.frequency = choices.frequency
    subscriber.neighbourhoods.set(choices.neighbourhood_ids)
    return ["events", "priorities", "surveys", "frequency", "digest_covered_until"]


def subscriber_confirm(*, token: str, now: datetime.datetime | None = None) -> Subscriber:
    """Use a confirmation link: its choices apply and the address starts receiving alerts
    (again, if it had unsubscribed). Raises Subscriber.DoesNotExist for a link that is no
    one's (or used already), and ValidationError (code "expired") past its life."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(
            confirm_token_hash=token_hash(token)
        )
        if confirm_link_expired(subscriber, now=now):
            raise ValidationError("This confirmation link has expired", code=EXPIRED)
        choices = _clean_choices(Choices.from_json(subscriber.pending_choices or {}))
        starting = subscriber.confirmed_at is None or subscriber.unsubscribed_at is not None
        fields = _apply_choices(subscriber, choices, now)
        if starting:
            # Nothing from before the subscription: the first digest starts here.
            subscriber.digest_covered_until = now
        subscriber.confirmed_at = subscriber.confirmed_at or now
        subscriber.unsubscribed_at = None
        subscriber.pending_choices = None
        subscriber.confirm_token_hash = None
        subscriber.confirm_sent_at = None
        subscriber.save(
            update_fields=[
                *fields,
                "confirmed_at",
                "unsubscribed_at",
                "pending_choices",
                "confirm_token_hash",
                "confirm_sent_at",
                "updated_at",
            ]
        )
    return subscriber


def subscriber_update(
    *, subscriber: Subscriber, choices: Choices, now: datetime.datetime | None = None
) -> Subscriber:
    """Change a confirmed subscriber's choices from the manage page."""
    now = now or timezone.now()
    choices = _clean_choices(choices)
    with transaction.atomic():
        locked = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if locked.confirmed_at is None or locked.unsubscribed_at is not None:
            raise ValidationError("This address is not subscribed", code="not_subscribed")
        fields = _apply_choices(locked, choices, now)
        locked.save(update_fields=[*fields, "updated_at"])
    return locked


def subscriber_unsubscribe(*, subscriber_id: int, now: datetime.datetime | None = None) -> bool:
    """Stop every alert to this subscriber, and any pending sign-up. True when this call
    unsubscribed it; False when it was not subscribed (already unsubscribed, or deleted)."""
    now = now or timezone.now()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None:
            return False
        was_active = subscriber.confirmed_at is not None and subscriber.unsubscribed_at is None
        subscriber.unsubscribed_at = subscriber.unsubscribed_at or now
        subscriber.pending_choices = None
        subscriber.confirm_token_hash = None
        subscriber.confirm_sent_at = None
        subscriber.save(
            update_fields=[
                "unsubscribed_at",
                "pending_choices",
                "confirm_token_hash",
                "confirm_sent_at",
                "updated_at",
            ]
        )
    return was_active


@dataclass(frozen=True)
class SubscriberState:
    """What a manage or unsubscribe link finds: the subscriber (None once deleted), whether
    alerts go to them, and whether they are still signed up (perhaps not yet confirmed)."""

    subscriber: Subscriber | None
    active: bool
    signed_up: bool


def subscriber_state(*, subscriber_id: int) -> SubscriberState:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    return SubscriberState(
        subscriber=subscriber,
        active=subscriber is not None and subscriber.is_active,
        signed_up=subscriber is not None and subscriber.unsubscribed_at is None,
    )


def subscriber_rate_limit_hit(
    *, ip: str, email: str, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """Count a sign-up from this IP address and email address: None when it may go ahead, or
    the time after which another may be made."""
    return rate_limit_hit(
        scope="alerts",
        ip=ip,
        email=email,
        per_ip=settings.HAVE_YOUR_SAY_RATE_LIMIT_PER_IP,
        per_email=settings.HAVE_YOUR_SAY_RATE_LIMIT_PER_EMAIL,
        window=settings.QUERY_RATE_LIMIT_WINDOW_SECONDS,
        now=now or timezone.now(),
    )


def subscribers_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete sign-ups never confirmed within their link's life and unsubscribed addresses
    (their deliveries go with them), and forget confirmation links of confirmed subscribers
    that were never used. Returns how many subscribers were deleted."""
    now = now or timezone.now()
    expired_before = now - datetime.timedelta(days=settings.CONFIRMATION_LINK_DAYS)
    no_live_link = Q(confirm_sent_at__isnull=True) | Q(confirm_sent_at__lte=expired_before)
    with transaction.atomic():
        _total, per_model = (
            Subscriber.objects.filter(no_live_link)
            .filter(Q(confirmed_at__isnull=True) | Q(unsubscribed_at__isnull=False))
            .delete()
        )
        Subscriber.objects.filter(confirm_sent_at__lte=expired_before).update(
            pending_choices=None, confirm_token_hash=None, confirm_sent_at=None
        )
    # The total counts the deliveries and neighbourhood links that went with them too.
    return per_model.get(Subscriber._meta.label, 0)


# --- Recording changes ------------------------------------------------------------------------


def _one_line(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _send_soon(change_id: int) -> None:
    """Enqueue the change's sending. With the broker unreachable the change stays unsent, and
    the periodic run of send_alerts sends it."""
    from neighbourhoods.tasks import send_alerts

    try:
        send_alerts.delay(change_id)
    except KombuOperationalError:
        logger.exception(
            "Alert change %s not enqueued, the broker is unreachable: the periodic run will "
            "send it",
            change_id,
        )


def alert_change_record(
    *,
    neighbourhood: Neighbourhood,
    kind: str,
    key: str,
    title: str,
    summary: str,
    path: str,
) -> AlertChange | None:
    """Record something the neighbourhood's subscribers hear about, once per `key`, and send
    it after the surrounding transaction commits. Returns None when the key was recorded
    before (nothing new to tell)."""
    change, created = AlertChange.objects.get_or_create(
        key=key,
        defaults={
            "neighbourhood": neighbourhood,
            "kind": kind,
            "title": _one_line(title, TITLE_MAX_LENGTH),
            "summary": (summary or "").strip()[:SUMMARY_MAX_LENGTH],
            "path": path,
        },
    )
    if not created:
        return None
    transaction.on_commit(lambda: _send_soon(change.pk), robust=True)
    return change


def _event_where(event: Event | Series) -> str:
    place = ", ".join(part for part in (event.venue_name, event.address, event.postcode) if part)
    if event.online_url:
        return f"{place} and online" if place else "Online"
    return place


def alert_event_created(*, event: Event) -> AlertChange | None:
    """A new one-off event."""
    where = _event_where(event)
    return alert_change_record(
        neighbourhood=event.neighbourhood,
        kind=AlertChange.Kind.EVENT,
        key=f"event:{event.pk}:{event.sequence}",
        title=f"New event in {event.neighbourhood.name}: {event.title}",
        summary=f"When: {date_time_text(event.starts_at)}" + (f"\nWhere: {where}" if where else ""),
        path=event.get_absolute_url(),
    )


def alert_event_changed(*, event: Event, fields: Iterable[str]) -> AlertChange | None:
    """An event moved (its time or place changed: `fields` are those saved) or cancelled. Other
    edits (a title, a description) are not worth an email."""
    from meetings.services.events import MOVE_FIELDS

    if event.is_cancelled:
        what = "Event cancelled"
        summary = f"It was to be held {date_time_text(event.starts_at)}."
        if event.cancelled_reason:
            summary += f"\nReason: {event.cancelled_reason}"
    elif set(fields) & set(MOVE_FIELDS):
        what = "Event changed"
        where = _event_where(event)
        summary = f"Now: {date_time_text(event.starts_at)}" + (f"\nWhere: {where}" if where else "")
    else:
        return None
    return alert_change_record(
        neighbourhood=event.neighbourhood,
        kind=AlertChange.Kind.EVENT,
        key=f"event:{event.pk}:{event.sequence}",
        title=f"{what} in {event.neighbourhood.name}: {event.title}",
        summary=summary,
        path=event.get_absolute_url(),
    )


def _series_first_event(series: Series) -> Event | None:
    return (
        Event.objects.filter(series=series, status=Event.Status.SCHEDULED)
        .order_by("starts_at")
        .first()
    )


def alert_series_created(*, series: Series) -> AlertChange | None:
    """A new repeating meeting is announced once, with its first meeting; the occurrences the
    series creates (now, and each night ahead) are not announced one by one."""
    first = _series_first_event(series)
    where = _event_where(series)
    summary = f"First meeting: {date_time_text(series.first_starts_at)}, then repeating."
    if where:
        summary += f"\nWhere: {where}"
    return alert_change_record(
        neighbourhood=series.neighbourhood,
        kind=AlertChange.Kind.EVENT,
        key=f"series:{series.pk}:new",
        title=f"New repeating meeting in {series.neighbourhood.name}: {series.title}",
        summary=summary,
        path=first.get_absolute_url() if first else series.neighbourhood.get_absolute_url(),
    )


def alert_series_changed(*, series: Series, fields: Iterable[str]) -> AlertChange | None:
    """A series ended (its future meetings cancelled), or moved to another place: one change
    for the series, not one per meeting."""
    from meetings.services.events import MOVE_FIELDS

    neighbourhood = series.neighbourhood
    if "ended_at" in fields:
        key = f"series:{series.pk}:ended"
        title = f"Repeating meeting ended in {neighbourhood.name}: {series.title}"
        summary = "Its future meetings are cancelled."
        path = neighbourhood.get_absolute_url()
    elif set(fields) & set(MOVE_FIELDS):
        key = f"series:{series.pk}:{series.updated_at.timestamp():.6f}"
        title = f"Repeating meeting changed in {neighbourhood.name}: {series.title}"
        where = _event_where(series)
        summary = f"Its future meetings are now at: {where}" if where else ""
        first = _series_first_event(series)
        path = first.get_absolute_url() if first else neighbourhood.get_absolute_url()
    else:
        return None
    return alert_change_record(
        neighbourhood=neighbourhood,
        kind=AlertChange.Kind.EVENT,
        key=key,
        title=title,
        summary=summary,
        path=path,
    )


def alert_priority_saved(*, priority: Priority) -> AlertChange | None:
    """A new priority, or one whose status or action changed, from its history: the newest
    record against the one before it. Call after the save, in its transaction."""
    records = list(
        priority.history.order_by("-history_id").values("history_id", "status", "action")[:2]
    )
    if not records:
        return None
    latest = records[0]
    neighbourhood = priority.neighbourhood
    status = Priority.Status(priority.status).label
    if len(records) == 1:
        what = "New local priority"
    elif (latest["status"], latest["action"]) != (records[1]["status"], records[1]["action"]):
        what = (
            "Priority resolved"
            if priority.status == Priority.Status.RESOLVED
            else ("Priority updated")
        )
    else:
        return None
    summary = f"Status: {status}"
    if priority.action:
        summary += f"\nWhat we are doing: {priority.action}"
    return alert_change_record(
        neighbourhood=neighbourhood,
        kind=AlertChange.Kind.PRIORITY,
        key=f"priority:{priority.pk}:{latest['history_id']}",
        title=f"{what} in {neighbourhood.name}: {priority.issue}",
        summary=summary,
        path=neighbourhood.get_absolute_url(),
    )


def survey_path(survey: Survey) -> str:
    """The survey's public page, where residents answer it."""
    return reverse("surveys:survey", kwargs={"pk": survey.pk})


def survey_openings_record(*, now: datetime.datetime | None = None) -> int:
    """Record each survey open today (London) that has not been announced yet. Returns how
    many were recorded."""
    now = now or timezone.now()
    today = now.astimezone(LONDON).date()
    surveys = {
        f"survey:{survey.pk}:opened": survey
        for survey in Survey.objects.filter(opens_on__lte=today, closes_on__gte=today)
        .select_related("neighbourhood")
        .order_by("pk")
    }
    if not surveys:
        return 0
    known = set(AlertChange.objects.filter(key__in=surveys).values_list("key", flat=True))
    recorded = 0
    with transaction.atomic():
        for key, survey in surveys.items():
            if key in known:
                continue
            closes = f"{survey.closes_on.day} {survey.closes_on:%B %Y}"
            change = alert_change_record(
                neighbourhood=survey.neighbourhood,
                kind=AlertChange.Kind.SURVEY,
                key=key,
                title=f"Have your say in {survey.neighbourhood.name}: {survey.question}",
                summary=f"Open until {closes}."
                + (f"\n{survey.description}" if survey.description else ""),
                path=survey_path(survey),
            )
            recorded += change is not None
    return recorded


# --- Sending ----------------------------------------------------------------------------------


def _change_context(change: AlertChange, neighbourhood_name: str) -> dict:
    return {
        "title": change.title,
        "summary": change.summary,
        "url": absolute_url(change.path),
        "neighbourhood_name": neighbourhood_name,
        "kind_label": change.get_kind_display(),
    }


def _email_context(subscriber_id: int, **extra) -> dict:
    return {
        "manage_url": manage_url(subscriber_id),
        "unsubscribe_url": unsubscribe_url(subscriber_id),
        "force_name": settings.FORCE_NAME,
        "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
        **extra,
    }


def _forget_after(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=ALERT_EMAIL_DAYS)


def _immediate_batch(change: AlertChange, *, after: int, limit: int) -> list[tuple[int, str]]:
    """The next active immediate subscribers of the change's neighbourhood who want its kind
    and have not been sent it, by pk after `after`: (pk, email). One SELECT."""
    delivered = AlertDelivery.objects.filter(subscriber_id=OuterRef("pk"), change_id=change.pk)
    return list(
        Subscriber.objects.active()
        .filter(
            frequency=Subscriber.Frequency.IMMEDIATE,
            neighbourhoods=change.neighbourhood_id,
            pk__gt=after,
            **{KIND_FLAGS[change.kind]: True},
        )
        .filter(~Exists(delivered))
        .order_by("pk")
        .values_list("pk", "email")[:limit]
    )


def alert_change_send(
    *, change_id: int, batch_size: int | None = None, now: datetime.datetime | None = None
) -> int:
    """Queue the change's email to each of its immediate subscribers, a batch at a time, then
    mark it sent. Each batch is one transaction holding the change's row lock (SKIP LOCKED:
    when another worker holds it, this one leaves the change to it): one SELECT of
    subscribers, one INSERT of emails, one INSERT of deliveries, one enqueue after the commit.
    Returns how many emails this call queued."""
    limit = batch_size or settings.ALERT_BATCH_SIZE
    queued = 0
    after = 0
    while True:
        with transaction.atomic():
            change = (
                AlertChange.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("neighbourhood")
                .filter(pk=change_id, sent_at__isnull=True)
                .first()
            )
            if change is None:
                return queued  # sent, gone, or being sent by another worker right now
            sent_at = now or timezone.now()
            batch = _immediate_batch(change, after=after, limit=limit)
            if batch:
                details = _change_context(change, change.neighbourhood.name)
                outbox_emails_enqueue(
                    template=ALERT_TEMPLATE,
                    drafts=[
                        OutboxDraft(
                            to=[email],
                            context=_email_context(pk, change=details),
                            headers=_unsubscribe_headers(pk),
                        )
                        for pk, email in batch
                    ],
                    redact_after_send=True,
                    forget_after=_forget_after(sent_at),
                )
                AlertDelivery.objects.bulk_create(
                    AlertDelivery(subscriber_id=pk, change_id=change.pk) for pk, _email in batch
                )
                queued += len(batch)
                after = batch[-1][0]
            if len(batch) < limit:
                change.sent_at = sent_at
                change.save(update_fields=["sent_at"])
                return queued


def unsent_change_ids(*, limit: int = UNSENT_CHANGES_PER_RUN) -> list[int]:
    """Changes not sent yet, oldest first (through the partial index `alert_change_unsent`)."""
    return list(
        AlertChange.objects.filter(sent_at__isnull=True)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def _digest_pairs(subscribers: list[dict], now: datetime.datetime) -> dict[int, list[AlertChange]]:
    """For each subscriber of the batch, the changes of their neighbourhoods and kinds since
    their last digest (less the overlap) and not sent to them yet. One SELECT."""
    ids = [row["pk"] for row in subscribers]
    through = "neighbourhood__subscribers"
    wants = (
        Q(kind=AlertChange.Kind.EVENT, **{f"{through}__events": True})
        | Q(kind=AlertChange.Kind.PRIORITY, **{f"{through}__priorities": True})
        | Q(kind=AlertChange.Kind.SURVEY, **{f"{through}__surveys": True})
    )
    delivered = AlertDelivery.objects.filter(
        subscriber_id=OuterRef("subscriber_id"), change_id=OuterRef("pk")
    )
    since = Coalesce(F(f"{through}__digest_covered_until"), F(f"{through}__confirmed_at"))
    changes = (
        AlertChange.objects.filter(
            wants,
            **{f"{through}__pk__in": ids},
            created_at__lte=now,
            created_at__gt=since - DIGEST_OVERLAP,
        )
        # Annotated after the filter, so the subscriber is the one the filter matched.
        .annotate(subscriber_id=F(f"{through}__pk"), neighbourhood_name=F("neighbourhood__name"))
        .filter(~Exists(delivered))
        .order_by("created_at", "pk")
    )
    found: dict[int, list[AlertChange]] = defaultdict(list)
    for change in changes:
        found[change.subscriber_id].append(change)
    return found


def digest_subject_parts(changes: list[AlertChange]) -> tuple[str, str]:
    """('Normanton and Alvaston', '2 events and 1 priority') for a digest's subject."""
    names = list(dict.fromkeys(change.neighbourhood_name for change in changes))
    where = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    if len(names) > 3:
        where = f"{', '.join(names[:2])} and {len(names) - 2} more"
    counts = Counter(change.kind for change in changes)
    parts = []
    for kind, (one, many) in KIND_NOUNS.items():
        if counts[kind]:
            parts.append(f"{counts[kind]} {one if counts[kind] == 1 else many}")
    what = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return where, what


def alert_digests_send(
    *, now: datetime.datetime | None = None, batch_size: int | None = None
) -> int:
    """Email each daily subscriber ONE digest of what they have not been sent yet, a batch
    of subscribers at a time; nothing to tell, no email. Each batch is one transaction: one
    SELECT of subscribers (locked, SKIP LOCKED, so two runs share them out), one SELECT of
    their changes, one INSERT of emails, one of deliveries, one UPDATE of how far each
    digest has covered. Returns how many digests were queued."""
    now = now or timezone.now()
    limit = batch_size or settings.ALERT_BATCH_SIZE
    queued = 0
    after = 0
    while True:
        with transaction.atomic():
            subscribers = list(
                Subscriber.objects.active()
                .filter(frequency=Subscriber.Frequency.DAILY, pk__gt=after)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values("pk", "email")[:limit]
            )
            if not subscribers:
                return queued
            found = _digest_pairs(subscribers, now)
            drafts = []
            deliveries = []
            for row in subscribers:
                changes = found.get(row["pk"])
                if not changes:
                    continue
                where, what = digest_subject_parts(changes)
                drafts.append(
                    OutboxDraft(
                        to=[row["email"]],
                        context=_email_context(
                            row["pk"],
                            where=where,
                            what=what,
                            changes=[
                                _change_context(change, change.neighbourhood_name)
                                for change in changes
                            ],
                        ),
                        headers=_unsubscribe_headers(row["pk"]),
                    )
                )
                deliveries += [
                    AlertDelivery(subscriber_id=row["pk"], change_id=change.pk)
                    for change in changes
                ]
            if drafts:
                outbox_emails_enqueue(
                    template=DIGEST_TEMPLATE,
                    drafts=drafts,
                    redact_after_send=True,
                    forget_after=_forget_after(now),
                )
                AlertDelivery.objects.bulk_create(deliveries)
            Subscriber.objects.filter(pk__in=[row["pk"] for row in subscribers]).update(
                digest_covered_until=now
            )
            queued += len(drafts)
            after = subscribers[-1]["pk"]
        if len(subscribers) < limit:
            return queued


# --- Demo data --------------------------------------------------------------------------------
