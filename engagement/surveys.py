"""Have your say: the surveys a neighbourhood team runs, their results, and the priorities
residents support. Residents' answers and supports are engagement.answers.

Free text is shown (to staff and, once approved, to the public) with anything like an email
address or a UK telephone number replaced, and it is stored that way too."""

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config import caching
from config.text import plain_text
from engagement.models import Priority, Survey, SurveyOption, SurveyResponse
from neighbourhoods.models import Neighbourhood
from officers.permissions import (
    manageable_neighbourhoods,
    require_listing_manager,
)

User = AbstractBaseUser | AnonymousUser

MIN_OPTIONS = 2
MAX_OPTIONS = 10
QUESTION_MAX_LENGTH = 200
OPTION_MAX_LENGTH = 200
DESCRIPTION_MAX_LENGTH = 1000
FREE_TEXT_MAX_LENGTH = 1000
CONTACT_REMOVED = "[contact details removed]"
NOT_ALLOWED = gettext_lazy("You cannot manage the surveys of this neighbourhood.")

# Closed surveys whose results the neighbourhood page links to, newest first.
CLOSED_ON_PAGE = 3
CLOSED_SHOWN_DAYS = 365
SUPPORTED_ON_STAFF_PAGE = 20

# What the form suggests: two weeks, both end days included.
DEFAULT_OPEN_FOR = datetime.timedelta(days=13)

NOT_YET_OPEN = "not_yet_open"
OPEN = "open"
CLOSED = "closed"
STATUS_TEXT = {
    NOT_YET_OPEN: gettext_lazy("Not yet open"),
    OPEN: gettext_lazy("Open"),
    CLOSED: gettext_lazy("Closed"),
}

_EMAIL_LIKE = re.compile(
    r"[\w.!#$%&'*+/=?^`{|}~-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)+",
    re.IGNORECASE,
)

# Nine or more digits with spaces, dots, dashes or brackets between them, optionally after a
# plus: every UK number (10 or 11 digits, 12 with +44), but not a year, a date or 999.
_PHONE_LIKE = re.compile(r"(?:\+|\(\s*)?\d(?:[\s().\-]{0,3}\d){8,}")


# --- Rules shared by the pages ------------------------------------------------------------------


def today_in_london(now: datetime.datetime | None = None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def survey_status(survey: Survey, *, today: datetime.date) -> str:
    """NOT_YET_OPEN, OPEN or CLOSED on this London day (both end dates included)."""
    if today < survey.opens_on:
        return NOT_YET_OPEN
    if today > survey.closes_on:
        return CLOSED
    return OPEN


def contact_details_removed(text: str) -> str:
    """The text with anything like an email address or a telephone number replaced."""
    text = _EMAIL_LIKE.sub(CONTACT_REMOVED, text)
    return _PHONE_LIKE.sub(CONTACT_REMOVED, text)


# --- Officers: surveys --------------------------------------------------------------------------


def option_labels(text: str) -> list[str]:
    """The options typed one per line, without blank lines or surrounding spaces."""
    return [line.strip() for line in plain_text(text).split("\n") if line.strip()]


def options_error(options: list[str]) -> str | None:
    """What is wrong with a survey's options, or None."""
    if len(options) < MIN_OPTIONS:
        return _("Enter at least %(count)s options, one on each line") % {"count": MIN_OPTIONS}
    if len(options) > MAX_OPTIONS:
        return _("Enter no more than %(count)s options") % {"count": MAX_OPTIONS}
    if any(len(label) > OPTION_MAX_LENGTH for label in options):
        return _("Each option must be %(count)s characters or fewer") % {"count": OPTION_MAX_LENGTH}
    if len({label.casefold() for label in options}) < len(options):
        return _("Each option must be different")
    return None


def _validate_survey(
    *,
    question: str,
    description: str,
    options: list[str],
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
) -> None:
    errors: dict[str, str] = {}
    if not question:
        errors["question"] = _("Enter the question")
    elif len(question) > QUESTION_MAX_LENGTH:
        errors["question"] = _("The question must be %(count)s characters or fewer") % {
            "count": QUESTION_MAX_LENGTH
        }
    if len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = _("The description must be %(count)s characters or fewer") % {
            "count": f"{DESCRIPTION_MAX_LENGTH:,}"
        }
    options_problem = options_error(options)
    if options_problem:
        errors["options"] = options_problem
    if opens_on is None:
        errors["opens_on"] = _("Enter the date the survey opens")
    if closes_on is None:
        errors["closes_on"] = _("Enter the date the survey closes")
    elif opens_on is not None and closes_on < opens_on:
        errors["closes_on"] = _("The closing date must be the same as or after the opening date")
    if errors:
        raise ValidationError(errors)


def _welsh_cleaned(
    *,
    question_cy: str | None,
    description_cy: str | None,
    options_cy: list[str] | None,
    options: list[str],
) -> dict[str, Any]:
    """The Welsh of a survey (config.bilingual), tidied and checked: only what was given (a
    force with Welsh switched off gives none). Its options are the English ones' in order."""
    welsh: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if question_cy is not None:
        welsh["question_cy"] = plain_text(question_cy)
        if len(welsh["question_cy"]) > QUESTION_MAX_LENGTH:
            errors["question_cy"] = _("The question must be %(count)s characters or fewer") % {
                "count": QUESTION_MAX_LENGTH
            }
    if description_cy is not None:
        welsh["description_cy"] = plain_text(description_cy)
        if len(welsh["description_cy"]) > DESCRIPTION_MAX_LENGTH:
            errors["description_cy"] = _(
                "The description must be %(count)s characters or fewer"
            ) % {"count": f"{DESCRIPTION_MAX_LENGTH:,}"}
    if options_cy is not None:
        welsh["options_cy"] = [plain_text(label) for label in options_cy]
        if welsh["options_cy"] and len(welsh["options_cy"]) != len(options):
            errors["options_cy"] = _(
                "Enter the Welsh of every option, one on each line in the same order, "
                "or leave it empty"
            )
        elif any(len(label) > OPTION_MAX_LENGTH for label in welsh["options_cy"]):
            errors["options_cy"] = _("Each option must be %(count)s characters or fewer") % {
                "count": OPTION_MAX_LENGTH
            }
    if errors:
        raise ValidationError(errors)
    return welsh


def _set_welsh_options(survey: Survey, labels_cy: list[str]) -> None:
    """The Welsh of each option, in the options' order (none: every one left blank)."""
    for position, option in enumerate(survey.options.order_by("position", "pk")):
        label_cy = labels_cy[position] if labels_cy else ""
        if option.label_cy != label_cy:
            option.label_cy = label_cy
            option.save(update_fields=["label_cy"])


def _set_options(survey: Survey, labels: list[str]) -> None:
    """Keep the options whose label stays, drop the others and add the new ones, in order."""
    existing = {option.label: option for option in survey.options.all()}
    survey.options.exclude(label__in=labels).delete()
    for position, label in enumerate(labels):
        option = existing.get(label)
        if option is None:
            SurveyOption.objects.create(survey=survey, label=label, position=position)
        elif option.position != position:
            option.position = position
            option.save(update_fields=["position"])


def survey_create(
    *,
    user: User,
    neighbourhood: Neighbourhood,
    question: str,
    description: str,
    options: list[str],
    allow_free_text: bool,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    question_cy: str | None = None,
    description_cy: str | None = None,
    options_cy: list[str] | None = None,
    now: datetime.datetime | None = None,
) -> Survey:
    """A new survey of a neighbourhood the user manages, with its options (2 to 10), and
    their Welsh where the force has Welsh switched on."""
    require_listing_manager(user, neighbourhood.pk, refusal=NOT_ALLOWED)
    question, description = plain_text(question), plain_text(description)
    options = [plain_text(label) for label in options]
    _validate_survey(
        question=question,
        description=description,
        options=options,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    welsh = _welsh_cleaned(
        question_cy=question_cy,
        description_cy=description_cy,
        options_cy=options_cy,
        options=options,
    )
    labels_cy = welsh.pop("options_cy", None)
    if closes_on < today_in_london(now):
        raise ValidationError({"closes_on": _("The closing date must be today or in the future")})
    with transaction.atomic():
        survey = Survey(
            neighbourhood=neighbourhood,
            question=question,
            description=description,
            allow_free_text=allow_free_text,
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=user if user.is_authenticated else None,
            **welsh,
        )
        survey.full_clean()
        survey.save(force_insert=True)
        _set_options(survey, options)
        if labels_cy:
            _set_welsh_options(survey, labels_cy)
        caching.public_content_changed()
    return survey


def survey_has_confirmed_answers(survey: Survey) -> bool:
    return survey.responses.filter(confirmed_at__isnull=False).exists()


def survey_update(
    *,
    user: User,
    survey: Survey,
    question: str,
    description: str,
    options: list[str],
    allow_free_text: bool,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
    question_cy: str | None = None,
    description_cy: str | None = None,
    options_cy: list[str] | None = None,
) -> Survey:
    """Change a survey. Its options cannot change once an answer has been confirmed: the
    answers counted so far were given to those options (their Welsh can)."""
    require_listing_manager(user, survey.neighbourhood_id, refusal=NOT_ALLOWED)
    question, description = plain_text(question), plain_text(description)
    options = [plain_text(label) for label in options]
    _validate_survey(
        question=question,
        description=description,
        options=options,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    welsh = _welsh_cleaned(
        question_cy=question_cy,
        description_cy=description_cy,
        options_cy=options_cy,
        options=options,
    )
    labels_cy = welsh.pop("options_cy", None)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        current = list(survey.options.values_list("label", flat=True))
        if options != current and survey_has_confirmed_answers(survey):
            raise ValidationError(
                {
                    "options": _(
                        "The options cannot change once residents have answered. "
                        "Keep them as they were, or start a new survey"
                    )
                }
            )
        survey.question = question
        survey.description = description
        survey.allow_free_text = allow_free_text
        survey.opens_on = opens_on
        survey.closes_on = closes_on
        for name, value in welsh.items():
            setattr(survey, name, value)
        survey.full_clean()
        survey.save(
            update_fields=[
                "question",
                "description",
                "allow_free_text",
                "opens_on",
                "closes_on",
                *welsh,
                "updated_at",
            ]
        )
        if options != current:
            _set_options(survey, options)
        if labels_cy is not None:
            _set_welsh_options(survey, labels_cy)
        caching.public_content_changed()
    return survey


def survey_response_moderate(
    *,
    user: User,
    response: SurveyResponse,
    approve: bool,
    now: datetime.datetime | None = None,
) -> SurveyResponse:
    """Approve a confirmed answer's free text (shown publicly once the survey closes) or
    reject it (never shown). A decision can be changed."""
    now = now or timezone.now()
    with transaction.atomic():
        response = (
            SurveyResponse.objects.select_for_update().select_related("survey").get(pk=response.pk)
        )
        require_listing_manager(user, response.survey.neighbourhood_id, refusal=NOT_ALLOWED)
        if response.confirmed_at is None or not response.free_text:
            raise ValidationError(_("Only confirmed answers with comments are moderated"))
        response.moderation = (
            SurveyResponse.Moderation.APPROVED if approve else SurveyResponse.Moderation.REJECTED
        )
        response.moderated_by = user
        response.moderated_at = now
        response.save(update_fields=["moderation", "moderated_by", "moderated_at"])
    return response


# --- Reads --------------------------------------------------------------------------------------


def survey_for_public(*, pk: int) -> Survey:
    """A survey with its neighbourhood and options. Raises Survey.DoesNotExist."""
    return (
        Survey.objects.select_related("neighbourhood")
        .prefetch_related(Prefetch("options", queryset=SurveyOption.objects.order_by("position")))
        .get(pk=pk)
    )


def survey_for_staff(*, pk: int) -> Survey:
    return survey_for_public(pk=pk)


@dataclass
class OptionResult:
    option: SurveyOption
    count: int
    percent: int


@dataclass
class FreeText:
    pk: int
    text: str
    moderation: str
    moderated_at: datetime.datetime | None


@dataclass
class SurveyResults:
    total: int
    options: list[OptionResult]
    free_texts: list[FreeText] = field(default_factory=list)


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


def survey_results(*, survey: Survey, public: bool) -> SurveyResults:
    """Counts and percentages of confirmed answers per option, and the confirmed answers'
    free text (with contact details removed): all of it for staff, the approved only for the
    public. Two queries."""
    confirmed = Q(responses__confirmed_at__isnull=False)
    options = list(
        survey.options.annotate(answers=Count("responses", filter=confirmed)).order_by(
            "position", "pk"
        )
    )
    total = sum(option.answers for option in options)
    texts = SurveyResponse.objects.filter(survey=survey, confirmed_at__isnull=False).exclude(
        free_text=""
    )
    if public:
        texts = texts.filter(moderation=SurveyResponse.Moderation.APPROVED)
    texts = texts.order_by("confirmed_at", "pk").values_list(
        "pk", "free_text", "moderation", "moderated_at"
    )
    return SurveyResults(
        total=total,
        options=[
            OptionResult(
                option=option, count=option.answers, percent=_percent(option.answers, total)
            )
            for option in options
        ],
        free_texts=[
            FreeText(pk=pk, text=contact_details_removed(text), moderation=state, moderated_at=at)
            for pk, text, state, at in texts
        ],
    )


@dataclass
class StaffSurveyGroup:
    neighbourhood: Neighbourhood
    surveys: list[Survey]
    # Current priorities residents support, the most supported first.
    supported: list[Priority]


def staff_survey_groups(*, user: User, today: datetime.date) -> list[StaffSurveyGroup]:
    """The surveys of each neighbourhood the user manages, newest first, each with `status`,
    `answers` (confirmed) and `awaiting` (free text waiting for moderation), and its most
    supported current priorities with `supporters`. Three queries whatever the numbers."""
    neighbourhoods = list(manageable_neighbourhoods(user).order_by("name"))
    ids = [n.pk for n in neighbourhoods]
    surveys = (
        Survey.objects.filter(neighbourhood_id__in=ids)
        .annotate(
            answers=Count("responses", filter=Q(responses__confirmed_at__isnull=False)),
            awaiting=Count("responses", filter=_awaiting_filter("responses__")),
        )
        .order_by("-opens_on", "-pk")
    )
    by_area: dict[int, list[Survey]] = {pk: [] for pk in ids}
    for survey in surveys:
        survey.status = survey_status(survey, today=today)
        survey.status_text = STATUS_TEXT[survey.status]
        by_area[survey.neighbourhood_id].append(survey)
    supported: dict[int, list[Priority]] = {pk: [] for pk in ids}
    for priority in supported_priorities(neighbourhood_ids=ids):
        supported[priority.neighbourhood_id].append(priority)
    return [
        StaffSurveyGroup(
            neighbourhood=area,
            surveys=by_area[area.pk],
            supported=supported[area.pk][:SUPPORTED_ON_STAFF_PAGE],
        )
        for area in neighbourhoods
    ]


def _awaiting_filter(prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}confirmed_at__isnull": False,
            f"{prefix}moderation": SurveyResponse.Moderation.PENDING,
        }
    ) & ~Q(**{f"{prefix}free_text": ""})


def supported_priorities(*, neighbourhood_ids: list[int]) -> QuerySet[Priority]:
    """Current priorities of these neighbourhoods with at least one confirmed support, each
    with `supporters`, the most supported first. One query."""
    return (
        Priority.objects.current()
        .filter(neighbourhood_id__in=neighbourhood_ids)
        .annotate(supporters=Count("supports", filter=Q(supports__confirmed_at__isnull=False)))
        .filter(supporters__gt=0)
        .order_by("-supporters", "-issue_date", "pk")
    )


def survey_answers_awaiting_moderation_count(*, user: User) -> int:
    """Confirmed answers with free text waiting for moderation in the neighbourhoods the user
    manages: for the staff home. One query."""
    return SurveyResponse.objects.filter(
        _awaiting_filter(), survey__neighbourhood__in=manageable_neighbourhoods(user)
    ).count()
