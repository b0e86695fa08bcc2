"""Demo priorities, surveys, answers and supports for `seed_demo`. Safe to run again: each
is found by its neighbourhood and wording, and made only when missing."""

import datetime

from django.utils import timezone

from config import caching
from config.limits import token_hash
from engagement.answers import email_hash
from engagement.models import Priority, PrioritySupport, Survey, SurveyOption, SurveyResponse
from engagement.surveys import contact_details_removed
from neighbourhoods.demo import demo_seeder
from neighbourhoods.models import Neighbourhood

# The neighbourhood whose team has let a priority go overdue for review.
OVERDUE_CODE = "DC02"
OVERDUE_PRIORITY = (
    "Drug dealing reported around the recreation ground",
    "Plain-clothes patrols and closure orders sought with the council.",
)

PRIORITIES = [
    (
        "Anti-social behaviour by groups of young people in the evenings",
        "Extra evening patrols Thursday to Saturday and joint work with the youth service.",
        Priority.Status.IN_PROGRESS,
    ),
    (
        "Speeding vehicles near the primary school at drop-off and pick-up",
        "Community speed watch sessions and mobile camera deployments each week.",
        Priority.Status.OPEN,
    ),
    (
        "Shoplifting from local convenience stores",
        "Shop watch radio scheme set up with retailers; repeat offenders referred for support.",
        Priority.Status.RESOLVED,
    ),
]


@demo_seeder
def seed_engagement(neighbourhoods: dict[str, Neighbourhood]) -> None:
    """Three priorities in each neighbourhood (one resolved), one overdue for review, and the
    surveys with their answers and supports."""
    today = timezone.localdate()
    for code, neighbourhood in neighbourhoods.items():
        seeded = set(neighbourhood.priorities.values_list("issue", flat=True))
        for age_days, (issue, action, status) in zip((20, 75, 160), PRIORITIES, strict=True):
            if issue in seeded:
                continue
            Priority.objects.create(
                neighbourhood=neighbourhood,
                issue=issue,
                action=action,
                status=status,
                issue_date=today - datetime.timedelta(days=age_days),
                action_date=today - datetime.timedelta(days=age_days - 10),
                review_date=(
                    None
                    if status == Priority.Status.RESOLVED
                    else today + datetime.timedelta(days=60)
                ),
            )
        if code == OVERDUE_CODE and OVERDUE_PRIORITY[0] not in seeded:
            _seed_overdue_priority(neighbourhood, today)
    seed_surveys(neighbourhoods)


def _seed_overdue_priority(neighbourhood: Neighbourhood, today: datetime.date) -> None:
    """A priority nobody has updated for four months, to show what "overdue" looks like.
    `updated_at` is set afterwards with update(): save() would stamp it as now."""
    issue, action = OVERDUE_PRIORITY
    priority = Priority.objects.create(
        neighbourhood=neighbourhood,
        issue=issue,
        action=action,
        status=Priority.Status.IN_PROGRESS,
        issue_date=today - datetime.timedelta(days=150),
        action_date=today - datetime.timedelta(days=125),
        review_date=today - datetime.timedelta(days=30),
    )
    stale = timezone.now() - datetime.timedelta(days=125)
    Priority.objects.filter(pk=priority.pk).update(updated_at=stale)
    caching.bump_public_content_version()


# Have your say: (neighbourhood code, question, options, days it opened ago, days it stays open,
# answers per option). An open survey in two neighbourhoods, a closed one with results.
SURVEYS = [
    (
        "DC01",
        "What should we focus on next?",
        ["Anti-social behaviour", "Speeding and parking", "Burglary", "Drug dealing"],
        7,
        21,
        [9, 6, 3, 4],
    ),
    (
        "DC02",
        "What should we focus on next?",
        ["Drug dealing", "Vehicle crime", "Anti-social behaviour"],
        3,
        25,
        [7, 2, 5],
    ),
    (
        "DC01",
        "Which evening suits you best for beat meetings?",
        ["Monday", "Tuesday", "Wednesday", "Thursday"],
        60,
        30,
        [4, 11, 6, 2],
    ),
]
# Comments on the first answers of each survey, one in each moderation state.
SURVEY_COMMENTS = [
    (
        "The alley behind the shops needs more patrols after dark.",
        SurveyResponse.Moderation.APPROVED,
    ),
    ("Please call me on 07700 900123 about the bikes.", SurveyResponse.Moderation.PENDING),
    ("Something rude that was not published.", SurveyResponse.Moderation.REJECTED),
]
# Residents' confirmed supports for the current priorities of these neighbourhoods.
SUPPORTED = {"DC01": [12, 5], "DC02": [8]}


def seed_surveys(neighbourhoods: dict[str, Neighbourhood]) -> None:
    """Surveys with confirmed answers and comments, and supports for priorities. A survey is
    found by its neighbourhood and question, and its answers are made only with it."""
    today = timezone.localdate()
    now = timezone.now()
    changed = False
    for code, question, labels, opened_ago, days_open, counts in SURVEYS:
        neighbourhood = neighbourhoods[code]
        opens_on = today - datetime.timedelta(days=opened_ago)
        survey, created = Survey.objects.get_or_create(
            neighbourhood=neighbourhood,
            question=question,
            defaults={
                "description": "Tell us what matters most to you. It takes a minute.",
                "allow_free_text": True,
                "opens_on": opens_on,
                "closes_on": opens_on + datetime.timedelta(days=days_open),
            },
        )
        if not created:
            continue
        changed = True
        options = SurveyOption.objects.bulk_create(
            SurveyOption(survey=survey, label=label, position=position)
            for position, label in enumerate(labels)
        )
        answered_at = min(
            now, timezone.make_aware(datetime.datetime.combine(opens_on, datetime.time(12)))
        )
        responses = []
        for option, count in zip(options, counts, strict=True):
            for _ in range(count):
                number = len(responses)
                text, state = (
                    SURVEY_COMMENTS[number] if number < len(SURVEY_COMMENTS) else ("", "pending")
                )
                responses.append(
                    SurveyResponse(
                        survey=survey,
                        option=option,
                        free_text=contact_details_removed(text),
                        moderation=state,
                        moderated_at=answered_at if state != "pending" else None,
                        email_hash=email_hash(f"resident{number}@example.com"),
                        confirm_token_hash=token_hash(f"demo-survey-{survey.pk}-{number}"),
                        confirmed_at=answered_at,
                    )
                )
        SurveyResponse.objects.bulk_create(responses)
    for code, counts in SUPPORTED.items():
        # The seeded current priorities, by their issue: other seeds add priorities too.
        issues = [issue for issue, _action, status in PRIORITIES if status != "resolved"]
        for issue, count in zip(issues, counts, strict=False):
            priority = Priority.objects.filter(
                neighbourhood=neighbourhoods[code], issue=issue
            ).first()
            if priority is None or priority.supports.exists():
                continue
            changed = True
            PrioritySupport.objects.bulk_create(
                PrioritySupport(
                    priority=priority,
                    email_hash=email_hash(f"supporter{number}@example.com"),
                    confirm_token_hash=token_hash(f"demo-support-{priority.pk}-{number}"),
                    confirmed_at=now,
                )
                for number in range(count)
            )
    if changed:
        caching.bump_public_content_version()


# The Welsh of Derby City Centre's two current priorities and of its first survey, so the
# Welsh pages show both: Welsh where it is written, the English marked as such where not.
WELSH_CODE = "DC01"
WELSH_PRIORITIES = {
    PRIORITIES[0][0]: (
        "Ymddygiad gwrthgymdeithasol gan grwpiau o bobl ifanc gyda’r nos",
        "Patrolau ychwanegol gyda’r nos o ddydd Iau i ddydd Sadwrn a chydweithio â’r "
        "gwasanaeth ieuenctid.",
    ),
    PRIORITIES[1][0]: (
        "Cerbydau’n goryrru ger yr ysgol gynradd wrth ollwng a chasglu plant",
        "",
    ),
}
WELSH_SURVEY = (
    SURVEYS[0][1],
    "Ar beth ddylen ni ganolbwyntio nesaf?",
    "Dywedwch wrthym beth sydd bwysicaf i chi. Mae’n cymryd munud.",
    ["Ymddygiad gwrthgymdeithasol", "Goryrru a pharcio", "Byrgleriaeth", "Delio cyffuriau"],
)


@demo_seeder
def seed_welsh_engagement(neighbourhoods: dict[str, Neighbourhood]) -> None:
    """Written only where no Welsh is yet, so a second run changes nothing."""
    neighbourhood = neighbourhoods.get(WELSH_CODE)
    if neighbourhood is None:
        return
    for issue, (issue_cy, action_cy) in WELSH_PRIORITIES.items():
        Priority.objects.filter(neighbourhood=neighbourhood, issue=issue, issue_cy="").update(
            issue_cy=issue_cy, action_cy=action_cy
        )
    question, question_cy, description_cy, labels_cy = WELSH_SURVEY
    survey = Survey.objects.filter(
        neighbourhood=neighbourhood, question=question, question_cy=""
    ).first()
    if survey is not None:
        survey.question_cy, survey.description_cy = question_cy, description_cy
        survey.save(update_fields=["question_cy", "description_cy", "updated_at"])
        for option, label_cy in zip(survey.options.all(), labels_cy, strict=False):
            option.label_cy = label_cy
            option.save(update_fields=["label_cy"])
    caching.bump_public_content_version()
