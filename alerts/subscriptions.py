"""Alerts, the residents' side: subscribing to neighbourhoods by email (double opt-in), the
choices, the links that manage and unsubscribe without an account, and the nightly purge.

- A sign-up stores its choices as pending and emails a confirmation link; the choices apply
  only when the link is used (POST), within CONFIRMATION_LINK_DAYS. Signing up again with a
  known address looks exactly the same to whoever fills in the form: a new link, whose
  choices replace the old ones once confirmed.
- Every alert and confirmation email carries a manage link, signed over the subscriber's pk
  with its own salt and never expiring; every alert also carries a one-click unsubscribe link
  (RFC 8058 headers), signed with another salt, so that link can do nothing but unsubscribe.
- Unconfirmed sign-ups past their link's life and unsubscribed addresses are deleted daily.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alerts.models import Subscriber
from config.bilingual import force_name_context
from config.dates import date_time_text
from config.forms import EMAIL_FORMAT
from config.http import absolute_url
from config.languages import language_or_default
from config.limits import RateLimit, token_hash
from neighbourhoods.models import Neighbourhood
from notifications.services import outbox_email_enqueue

# The salts of links already in residents' mailboxes: never change them.
MANAGE_SALT = "neighbourhoods.alerts.manage"
UNSUBSCRIBE_SALT = "neighbourhoods.alerts.unsubscribe"
TOPIC_LABELS = {
    "events": _("New and changed events"),
    "priorities": _("New or updated local priorities"),
    "surveys": _("Surveys opening (Have your say)"),
}
CONFIRM_TEMPLATE = "alerts/email/alert_confirm"
EXPIRED = "expired"
CHOOSE_NEIGHBOURHOOD = _("Select at least one neighbourhood")
CHOOSE_TOPIC = _("Select at least one thing to hear about")
CHOOSE_FREQUENCY = _("Select how often you want to hear from us")


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


def unsubscribe_headers(subscriber_id: int) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscriber_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


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
    *, email: str, choices: Choices, language: str = "", now: datetime.datetime | None = None
) -> str:
    """Record a sign-up's choices as pending and email a confirmation link for them. New and
    known addresses are treated alike (the form's answer is the same), so nobody learns
    whether an address is subscribed. Returns the raw confirmation token, never stored: only
    its hash is. `language`: the one the resident used (the active one by default): the
    confirmation is written in it, and the alerts too once confirmed."""
    now = now or timezone.now()
    language = language_or_default(language)
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": EMAIL_FORMAT}) from exc
    choices = _clean_choices(choices)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(
            email=email, defaults={"language": language}
        )
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        # The language, like the choices, applies once the link is used.
        subscriber.pending_choices = {**choices.as_json(), "language": language}
        subscriber.confirm_token_hash = token_hash(token)
        subscriber.confirm_sent_at = now
        subscriber.full_clean(validate_unique=False)
        subscriber.save(
            update_fields=["pending_choices", "confirm_token_hash", "confirm_sent_at", "updated_at"]
        )
        with translation.override(language):
            outbox_email_enqueue(
                to=[email],
                template=CONFIRM_TEMPLATE,
                context={
                    **choices_text(choices),
                    "confirm_url": absolute_url(reverse("alerts:confirm", kwargs={"token": token})),
                    "manage_url": manage_url(subscriber.pk),
                    "expires": date_time_text(_link_expires(now)),
                    **force_name_context(),
                    "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
                },
                # The link is the token itself: once the email is sent, the row forgets it.
                redact_after_send=True,
                forget_after=now + datetime.timedelta(days=settings.ALERT_EMAIL_DAYS),
                language=language,
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
            raise ValidationError(gettext("This confirmation link has expired"), code=EXPIRED)
        pending = subscriber.pending_choices or {}
        choices = _clean_choices(Choices.from_json(pending))
        starting = subscriber.confirmed_at is None or subscriber.unsubscribed_at is not None
        fields = _apply_choices(subscriber, choices, now)
        subscriber.language = language_or_default(pending.get("language", subscriber.language))
        fields.append("language")
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
            raise ValidationError(gettext("This address is not subscribed"), code="not_subscribed")
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


# Sign-ups, per IP address and per email address (the have-your-say numbers).
subscriber_rate_limit_hit = RateLimit(
    "alerts", "HAVE_YOUR_SAY_RATE_LIMIT_PER_IP", "HAVE_YOUR_SAY_RATE_LIMIT_PER_EMAIL"
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
