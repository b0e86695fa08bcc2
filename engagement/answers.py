"""Have your say, residents' side: answers to surveys and support for current priorities.

A resident's answer or support counts once they confirm it from a link emailed to them (double
opt-in): the row keeps only a keyed hash of their address, the link's token is stored as its
hash, and the email itself forgets the address once the link has expired. Each address counts
once per survey and once per priority: a unique constraint on the confirmed rows decides, so
two confirmations racing each other cannot both count."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from config import caching
from config.bilingual import force_name_context, in_language
from config.http import absolute_url
from config.languages import language_or_default
from config.limits import RateLimit, token_hash
from config.text import null_characters_refused, plain_text
from engagement.models import Priority, PrioritySupport, Survey, SurveyResponse
from engagement.surveys import (
    FREE_TEXT_MAX_LENGTH,
    OPEN,
    contact_details_removed,
    survey_status,
    today_in_london,
)
from notifications.services import outbox_email_enqueue

# The salt of the email hashes stored since Have your say began: never change it, or every
# address counts again.
EMAIL_HASH_SALT = "neighbourhoods.surveys.email"

# Outcomes of a confirmation, for the page that follows it.
CONFIRMED = "confirmed"
ALREADY_CONFIRMED = "already_confirmed"
ALREADY_ANSWERED = "already_answered"
EXPIRED = "expired"
SURVEY_NOT_OPEN = "not_open"
PRIORITY_RESOLVED = "resolved"


# --- Rules --------------------------------------------------------------------------------------


def email_hash(email: str) -> str:
    """What is kept of a resident's address: a keyed hash of it, lower-cased and stripped."""
    return salted_hmac(EMAIL_HASH_SALT, email.strip().lower()).hexdigest()


def link_lifetime() -> datetime.timedelta:
    """How long a confirmation link works after it was sent."""
    return datetime.timedelta(days=settings.CONFIRMATION_LINK_DAYS)


def _link_expiry(created_at: datetime.datetime) -> datetime.datetime:
    return created_at + link_lifetime()


# --- Answers and supports -----------------------------------------------------------------------


def _check_email(email: str) -> str:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            {
                "email": gettext(
                    "Enter an email address in the correct format, like name@example.com"
                )
            }
        ) from exc
    return email


def survey_answer_submit(
    *,
    survey: Survey,
    option_id: int | None,
    free_text: str,
    email: str,
    language: str = "",
    now: datetime.datetime | None = None,
) -> tuple[SurveyResponse, str]:
    """Record an unconfirmed answer and email the link that confirms it. Returns the answer
    and the raw token (only its hash is stored). Refuses a survey that is not open, an option
    not of this survey, and free text the survey does not ask for or that is too long.
    `language`: the one the resident used (the active one by default), the email's."""
    now = now or timezone.now()
    language = language_or_default(language)
    if survey_status(survey, today=today_in_london(now)) != OPEN:
        raise ValidationError(gettext("This survey is not open for answers"), code=SURVEY_NOT_OPEN)
    null_characters_refused(free_text=free_text, email=email)
    errors = {}
    option = survey.options.filter(pk=option_id).first() if option_id else None
    if option is None:
        errors["option"] = "Select an answer"
    free_text = plain_text(free_text)
    if free_text and not survey.allow_free_text:
        free_text = ""
    if len(free_text) > FREE_TEXT_MAX_LENGTH:
        errors["free_text"] = f"Your comments must be {FREE_TEXT_MAX_LENGTH:,} characters or fewer"
    try:
        email = _check_email(email)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        response = SurveyResponse(
            survey=survey,
            option=option,
            free_text=contact_details_removed(free_text),
            email_hash=email_hash(email),
            confirm_token_hash=token_hash(token),
            language=language,
        )
        response.full_clean(validate_unique=False, validate_constraints=False)
        response.save(force_insert=True)
        with translation.override(language):
            outbox_email_enqueue(
                to=[email],
                template="engagement/email/survey_confirm",
                context={
                    "question": in_language(survey, "question"),
                    "neighbourhood_name": in_language(survey.neighbourhood, "name"),
                    "answer": in_language(option, "label"),
                    "confirm_url": absolute_url(
                        reverse("surveys:confirm", kwargs={"token": token})
                    ),
                    "link_days": settings.CONFIRMATION_LINK_DAYS,
                    "closes_on": survey.closes_on,
                    **force_name_context(),
                    "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
                },
                redact_after_send=True,
                forget_after=_link_expiry(now),
                language=language,
            )
    return response, token


@dataclass
class Confirmation:
    """What confirming a link did: `outcome` is one of CONFIRMED, ALREADY_CONFIRMED,
    ALREADY_ANSWERED (another answer or support from the address already counts), EXPIRED,
    SURVEY_NOT_OPEN or PRIORITY_RESOLVED."""

    outcome: str
    survey: Survey | None = None
    priority: Priority | None = None


def survey_response_for_token(*, token: str) -> SurveyResponse | None:
    return (
        SurveyResponse.objects.select_related("survey__neighbourhood", "option")
        .filter(confirm_token_hash=token_hash(token))
        .first()
    )


def _confirm_refusal(row, now: datetime.datetime) -> str | None:
    if row.confirmed_at is not None:
        return ALREADY_CONFIRMED
    if _link_expiry(row.created_at) <= now:
        return EXPIRED
    return None


def answer_confirm_refusal(response: SurveyResponse, *, now: datetime.datetime) -> str | None:
    """Why this answer's link cannot count now (used, expired, survey not open), or None. The
    one rule for the confirm page and the confirmation itself."""
    outcome = _confirm_refusal(response, now)
    if outcome is None and survey_status(response.survey, today=today_in_london(now)) != OPEN:
        outcome = SURVEY_NOT_OPEN
    return outcome


def support_confirm_refusal(support: PrioritySupport, *, now: datetime.datetime) -> str | None:
    """Why this support's link cannot count now (used, expired, priority resolved), or None."""
    outcome = _confirm_refusal(support, now)
    if outcome is None and support.priority.status == Priority.Status.RESOLVED:
        outcome = PRIORITY_RESOLVED
    return outcome


def _confirm_row(row, now: datetime.datetime) -> str:
    """Mark the row confirmed, unless the unique constraint says the address already counts.
    The savepoint keeps the surrounding transaction usable after the refusal."""
    row.confirmed_at = now
    try:
        with transaction.atomic():
            row.save(update_fields=["confirmed_at"])
    except IntegrityError:
        row.confirmed_at = None
        return ALREADY_ANSWERED
    return CONFIRMED


def survey_answer_confirm(*, token: str, now: datetime.datetime | None = None) -> Confirmation:
    """Count the answer whose link this is. Raises SurveyResponse.DoesNotExist for a token that
    is no one's. If the address already answered this survey, the earlier answer stands."""
    now = now or timezone.now()
    with transaction.atomic():
        response = (
            SurveyResponse.objects.select_for_update(of=("self",))
            .select_related("survey__neighbourhood")
            .get(confirm_token_hash=token_hash(token))
        )
        survey = response.survey
        outcome = answer_confirm_refusal(response, now=now)
        if outcome is None:
            outcome = _confirm_row(response, now)
    return Confirmation(outcome=outcome, survey=survey)


def priority_support_submit(
    *,
    priority: Priority,
    email: str,
    language: str = "",
    now: datetime.datetime | None = None,
) -> tuple[PrioritySupport, str]:
    """Record an unconfirmed support for a current priority and email its confirmation link,
    in `language`, the one the resident used (the active one by default)."""
    now = now or timezone.now()
    language = language_or_default(language)
    if priority.status == Priority.Status.RESOLVED:
        raise ValidationError(
            gettext("This priority has been resolved, so it cannot be supported"),
            code=PRIORITY_RESOLVED,
        )
    email = _check_email(email)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        support = PrioritySupport(
            priority=priority,
            email_hash=email_hash(email),
            confirm_token_hash=token_hash(token),
            language=language,
        )
        support.full_clean(validate_unique=False, validate_constraints=False)
        support.save(force_insert=True)
        with translation.override(language):
            outbox_email_enqueue(
                to=[email],
                template="engagement/email/support_confirm",
                context={
                    "issue": in_language(priority, "issue"),
                    "neighbourhood_name": in_language(priority.neighbourhood, "name"),
                    "confirm_url": absolute_url(
                        reverse("surveys:support_confirm", kwargs={"token": token})
                    ),
                    "link_days": settings.CONFIRMATION_LINK_DAYS,
                    **force_name_context(),
                    "non_emergency_number": settings.FORCE_NON_EMERGENCY_NUMBER,
                },
                redact_after_send=True,
                forget_after=_link_expiry(now),
                language=language,
            )
    return support, token


def priority_support_for_token(*, token: str) -> PrioritySupport | None:
    return (
        PrioritySupport.objects.select_related("priority__neighbourhood")
        .filter(confirm_token_hash=token_hash(token))
        .first()
    )


def priority_support_confirm(*, token: str, now: datetime.datetime | None = None) -> Confirmation:
    """Count the support whose link this is, once per address and priority. Raises
    PrioritySupport.DoesNotExist for a token that is no one's."""
    now = now or timezone.now()
    with transaction.atomic():
        support = (
            PrioritySupport.objects.select_for_update(of=("self",))
            .select_related("priority__neighbourhood")
            .get(confirm_token_hash=token_hash(token))
        )
        priority = support.priority
        outcome = support_confirm_refusal(support, now=now)
        if outcome is None:
            outcome = _confirm_row(support, now)
            if outcome == CONFIRMED:
                # The neighbourhood page shows how many residents support each priority.
                caching.public_content_changed()
    return Confirmation(outcome=outcome, priority=priority)


# Answers and supports, per IP address and per email address.
have_your_say_rate_limit_hit = RateLimit(
    "have-your-say", "HAVE_YOUR_SAY_RATE_LIMIT_PER_IP", "HAVE_YOUR_SAY_RATE_LIMIT_PER_EMAIL"
)


def unconfirmed_answers_delete(*, now: datetime.datetime) -> int:
    """Delete answers and supports never confirmed within CONFIRMATION_LINK_DAYS: their links
    no longer work, and nothing of them is counted. Returns how many rows went."""
    cutoff = now - link_lifetime()
    answers, _ = SurveyResponse.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    supports, _ = PrioritySupport.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return answers + supports
