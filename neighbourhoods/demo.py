"""Demo force, divisions, neighbourhoods, postcodes and priorities for `seed_demo`.

Every row is found by its natural key and created only when missing, so a second run changes
nothing. Places are real Derbyshire names; boundaries and postcode positions are made up.
"""

import datetime
import math
import random

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from config.limits import token_hash
from neighbourhoods import caching
from neighbourhoods.alerts import Choices
from neighbourhoods.models import (
    Division,
    Force,
    Neighbourhood,
    Postcode,
    Priority,
    PrioritySupport,
    Subscriber,
    Survey,
    SurveyOption,
    SurveyResponse,
)
from neighbourhoods.surveys import contact_details_removed, email_hash

# (division, code, name, outward code, latitude, longitude, population)
NEIGHBOURHOODS = [
    ("Derby City", "DC01", "Derby City Centre", "DE1", 52.9225, -1.4746, 14200),
    ("Derby City", "DC02", "Normanton", "DE23", 52.9048, -1.4816, 18900),
    ("Derby City", "DC03", "Alvaston", "DE24", 52.8935, -1.4294, 16100),
    ("Derby City", "DC04", "Mickleover", "DE3", 52.9060, -1.5467, 19300),
    ("Derby City", "DC05", "Chaddesden", "DE21", 52.9302, -1.4262, 17400),
    ("Derby City", "DC06", "Allestree", "DE22", 52.9531, -1.4867, 13800),
    ("County North", "CN01", "Chesterfield Town Centre", "S40", 53.2350, -1.4210, 15600),
    ("County North", "CN02", "Staveley", "S43", 53.2680, -1.3490, 12400),
    ("County North", "CN03", "Buxton", "SK17", 53.2570, -1.9110, 22100),
    ("County North", "CN04", "Glossop", "SK13", 53.4430, -1.9490, 33300),
    ("County North", "CN05", "Matlock", "DE4", 53.1380, -1.5560, 9800),
    ("County North", "CN06", "Bakewell", "DE45", 53.2140, -1.6760, 3900),
]
# The neighbourhood the demo leaves without a named officer, to show what residents see.
UNCOVERED_CODE = "CN02"
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


def boundary_around(latitude: float, longitude: float) -> dict:
    """An irregular octagon about 1.5 km across, as a GeoJSON Polygon (longitude, latitude)."""
    ring = []
    for corner in range(8):
        angle = math.tau * corner / 8
        stretch = 1.0 if corner % 2 else 0.85
        ring.append(
            [
                round(longitude + 0.011 * stretch * math.cos(angle), 6),
                round(latitude + 0.007 * stretch * math.sin(angle), 6),
            ]
        )
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def seed_neighbourhoods() -> dict[str, Neighbourhood]:
    force, _ = Force.objects.get_or_create(
        slug=settings.FORCE_SLUG,
        defaults={
            "name": settings.FORCE_NAME,
            "description": "Demo data: a force with two divisions and twelve neighbourhoods.",
            "url": settings.SITE_URL,
            "telephone": settings.FORCE_NON_EMERGENCY_NUMBER,
            "engagement_methods": [
                {
                    "title": "Online reporting",
                    "url": f"{settings.SITE_URL}/",
                    "description": "Report non-emergencies online, at any time.",
                }
            ],
        },
    )
    rng = random.Random(2026)
    today = timezone.localdate()
    neighbourhoods = {}
    for division_name, code, name, outward, lat, lng, population in NEIGHBOURHOODS:
        division, _ = Division.objects.get_or_create(
            force=force, slug=slugify(division_name), defaults={"name": division_name}
        )
        neighbourhood, created = Neighbourhood.objects.get_or_create(
            force=force,
            code=code,
            defaults={
                "division": division,
                "name": name,
                "slug": slugify(name),
                "description": (
                    f"<p>The neighbourhood policing team for {name} works with residents, "
                    "schools, businesses and the council to keep the area safe.</p>"
                ),
                "population": population,
                "boundary": boundary_around(lat, lng),
                "centre_latitude": lat,
                "centre_longitude": lng,
                "email": f"{slugify(name)}.snt@example.police.uk",
                "telephone": settings.FORCE_NON_EMERGENCY_NUMBER,
                "url_force": f"{settings.SITE_URL}/neighbourhoods/{slugify(name)}/",
                "social_links": {"facebook": f"https://www.facebook.com/{slugify(name)}police"},
                "locations": [
                    {
                        "name": f"{name} Police Station",
                        "type": "station",
                        "address": f"1 Station Road, {name}",
                        "postcode": f"{outward} 1AA",
                        "latitude": str(lat),
                        "longitude": str(lng),
                        "description": "Front counter open Monday to Friday, 9am to 5pm.",
                        "telephone": settings.FORCE_NON_EMERGENCY_NUMBER,
                    }
                ],
            },
        )
        neighbourhoods[code] = neighbourhood
        for number in range(1, 5):
            inward = (
                f"{number}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
            )
            Postcode.objects.get_or_create(
                postcode=f"{outward} {inward}",
                defaults={
                    "latitude": round(lat + rng.uniform(-0.003, 0.003), 6),
                    "longitude": round(lng + rng.uniform(-0.005, 0.005), 6),
                    "neighbourhood": neighbourhood,
                },
            )
        if created:
            for age_days, (issue, action, status) in zip((20, 75, 160), PRIORITIES, strict=True):
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
            if code == OVERDUE_CODE:
                _seed_overdue_priority(neighbourhood, today)
    seed_surveys(neighbourhoods)
    return neighbourhoods


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


# (email, neighbourhood codes, frequency, confirmed)
DEMO_SUBSCRIBERS = [
    ("alerts.resident@example.com", ["DC01"], Subscriber.Frequency.IMMEDIATE, True),
    ("digest.resident@example.com", ["DC01", "DC02", "DC03"], Subscriber.Frequency.DAILY, True),
    ("not.confirmed@example.com", ["DC02"], Subscriber.Frequency.IMMEDIATE, False),
]


def seed_subscribers(neighbourhoods: dict[str, Neighbourhood]) -> None:
    """A few alert subscribers for the demo force (by neighbourhood code): one hearing as it
    happens, one with the daily digest, one who never confirmed. Safe to run again."""
    now = timezone.now()
    for email, codes, frequency, is_confirmed in DEMO_SUBSCRIBERS:
        subscriber, created = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "frequency": frequency,
                "confirmed_at": now if is_confirmed else None,
                "digest_covered_until": now if is_confirmed else None,
                "confirm_sent_at": None if is_confirmed else now,
                "pending_choices": None
                if is_confirmed
                else Choices(
                    neighbourhood_ids=tuple(neighbourhoods[c].pk for c in codes)
                ).as_json(),
            },
        )
        if created and is_confirmed:
            subscriber.neighbourhoods.set([neighbourhoods[code] for code in codes])
