"""The question after an answer: "Did this answer your query?" (yes, partly or no, and an
optional comment), asked once per answer, that is once per response clock an officer's reply
stopped. The resident answers it on their tracking page, or through the link in the answer's
email: a link signed for that one answer, which opens nothing else (the email cannot carry the
tracking link, whose token is never stored)."""

import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.http import absolute_url
from config.limits import RateLimit, retry_message
from config.text import null_characters_refused, plain_text
from queries.models import AnswerFeedback, ResponseClock, Satisfaction

COMMENT_MAX_LENGTH = 1200
ALREADY_GIVEN = gettext_lazy("You have already told us whether this answer helped. Thank you")
NOT_ASKED = gettext_lazy("This reply cannot be rated")
LINK_SALT = "queries.answer-feedback"

# Feedback sent per window, per IP address and per query (its reference).
feedback_rate_limit_hit = RateLimit(
    "queries-feedback", "FEEDBACK_RATE_LIMIT_PER_IP", "FEEDBACK_RATE_LIMIT_PER_QUERY"
)


def feedback_rate_limit_message(
    retry_at: datetime.datetime, now: datetime.datetime | None = None
) -> str:
    return retry_message(retry_at, what=_("tell us again"), call_if_urgent=False, now=now)


def answer_feedback_url(*, clock: ResponseClock) -> str:
    """The link in the answer's email: signed for this clock's answer alone."""
    signed = signing.dumps(clock.pk, salt=LINK_SALT)
    return absolute_url(reverse("queries:answer_feedback", kwargs={"signed": signed}))


def clock_for_feedback_link(*, signed: str) -> ResponseClock | None:
    """The answered clock a signed link names, or None for a link we did not sign, or whose
    query's details have been removed."""
    try:
        pk = signing.loads(signed, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return (
        ResponseClock.objects.select_related("query__neighbourhood", "feedback")
        .filter(pk=pk, answer__isnull=False, query__anonymised_at__isnull=True)
        .first()
    )


def clock_feedback(clock: ResponseClock) -> AnswerFeedback | None:
    """The feedback already given about the clock's answer, if any."""
    try:
        return clock.feedback
    except AnswerFeedback.DoesNotExist:
        return None


def clock_feedback_given(*, clock: ResponseClock) -> bool:
    return AnswerFeedback.objects.filter(clock_id=clock.pk).exists()


def answer_feedback_give(
    *,
    clock: ResponseClock,
    rating: str,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> AnswerFeedback:
    """Record the resident's answer about the reply that stopped `clock`. Once per answer: a
    second is refused (the first stands), as is feedback on a clock nobody answered or on a
    query whose details were removed."""
    now = now or timezone.now()
    comment = plain_text(comment)
    null_characters_refused(comment=comment)
    if rating not in Satisfaction.values:
        raise ValidationError(
            {"rating": ValidationError(_("Select yes, partly or no"), code="required")}
        )
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "comment": _("Your comment must be {limit} characters or fewer").format(
                    limit=f"{COMMENT_MAX_LENGTH:,}"
                )
            }
        )
    with transaction.atomic():
        locked = (
            ResponseClock.objects.select_for_update(of=("self",))
            .select_related("query")
            .get(pk=clock.pk)
        )
        if locked.answer_id is None or locked.query.anonymised_at is not None:
            raise ValidationError(NOT_ASKED, code="not_asked")
        if AnswerFeedback.objects.filter(clock_id=locked.pk).exists():
            raise ValidationError(ALREADY_GIVEN, code="already_given")
        feedback = AnswerFeedback(
            clock=locked, query=locked.query, rating=rating, comment=comment, given_at=now
        )
        feedback.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                feedback.save(force_insert=True)
        except IntegrityError as exc:
            raise ValidationError(ALREADY_GIVEN, code="already_given") from exc
    return feedback


def answer_feedback_comments_remove(*, query_ids: list[int]) -> int:
    """With the query's personal data, the comments go; the ratings stay for the figures."""
    return (
        AnswerFeedback.objects.filter(query_id__in=query_ids).exclude(comment="").update(comment="")
    )
