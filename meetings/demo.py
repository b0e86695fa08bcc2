"""Demo beat meetings and events for `seed_demo`.

Every neighbourhood but one has a monthly beat meeting series (its weekday and week varying
from one neighbourhood to the next), its occurrences created to the horizon, the last three
meetings held with their outcomes ("you said, we did", one issue made a priority), and a few
residents registered for the next one. Some neighbourhoods have a street briefing, the city
centre a community event. One neighbourhood is left stale for the staff area to show: no beat
meeting ahead, and last week's meeting without an outcome.

Rows are found by natural keys (a series by its neighbourhood and title, a registration by its
token hash) and created only when missing, so a second run changes nothing. The past meetings
and their outcomes are made with their series, once.
"""

import datetime
import hashlib

from django.utils import timezone

from config.dates import LONDON
from engagement.models import Priority
from meetings import recurrence as rules
from meetings.models import Event, Outcome, Registration, Series
from meetings.services.series import series_materialise
from neighbourhoods.demo import demo_seeder
from neighbourhoods.models import Neighbourhood
from officers.models import Assignment, Officer

# The neighbourhood whose listings the demo leaves stale (in the demo sergeant's division).
STALE_CODE = "DC05"
# The neighbourhood with a community event.
COMMUNITY_EVENT_CODE = "DC01"
MEETING_HOUR = 19
MEETING_DURATION = datetime.timedelta(hours=1, minutes=30)
PAST_MEETINGS = 3
# Far enough back that a monthly rule gives at least PAST_MEETINGS held meetings.
HISTORY = datetime.timedelta(days=120)
CAPACITY = 40

# (attendance, summary, issues raised) of the three past meetings, oldest first.
OUTCOMES = [
    (
        14,
        "Residents met the team to talk about the months ahead. Most concerns were about "
        "parking and litter near the shops.",
        ["Parking on the pavement near the shops", "Litter and fly-tipping behind the parade"],
    ),
    (
        21,
        "Good turnout. The team reported back on last month's parking enforcement and heard "
        "new concerns about the park after dark.",
        ["Groups gathering in the park after dark", "Cars speeding on the main road at night"],
    ),
    (
        17,
        "The team shared the results of the speed checks and agreed next steps with "
        "residents and the council.",
        ["Speeding on the main road outside the school", "Bikes stolen from front gardens"],
    ),
]
PRIORITY_ACTION = "Raised at the beat meeting: the team will report back at the next one."

# Made-up residents registered for the next meeting of the first few series.
REGISTRANTS = [
    ("Alex Morgan", "alex.morgan@example.com", ""),
    ("Sam Patel", "sam.patel@example.com", "I use a wheelchair."),
    ("Jo Taylor", "jo.taylor@example.com", ""),
]
REGISTERED_NEIGHBOURHOODS = 4


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


def _details(neighbourhood: Neighbourhood, organiser: Officer | None) -> dict:
    """What a beat meeting of `neighbourhood` shares with the series it comes from."""
    locations = neighbourhood.locations if isinstance(neighbourhood.locations, list) else []
    postcode = next((loc.get("postcode", "") for loc in locations if isinstance(loc, dict)), "")
    return {
        "neighbourhood": neighbourhood,
        "event_type": Event.Type.BEAT_MEETING,
        "title": f"{neighbourhood.name} beat meeting",
        "description": (
            "Meet your neighbourhood team, hear what we have done since the last meeting and "
            f"tell us what matters in {neighbourhood.name}."
        ),
        "venue_name": f"{neighbourhood.name} Community Centre",
        "address": f"1 High Street, {neighbourhood.name}",
        "postcode": postcode,
        "step_free_access": True,
        "hearing_loop": True,
        "parking": False,
        "accessibility_notes": "Level entrance at the side door. Accessible toilet.",
        "organiser": organiser,
        "capacity": CAPACITY,
    }


def _organisers() -> dict[int, Officer]:
    """Each neighbourhood's named officer, or a team member where there is none."""
    organisers: dict[int, Officer] = {}
    for assignment in (
        Assignment.objects.current()
        .filter(role__in=[Assignment.Role.NAMED_OFFICER, Assignment.Role.TEAM_MEMBER])
        .select_related("officer")
        .order_by("role")  # "named" before "team"
    ):
        organisers.setdefault(assignment.neighbourhood_id, assignment.officer)
    return organisers


def _past_starts(rule: str, now: datetime.datetime) -> list[datetime.datetime]:
    """The starts of the rule's last PAST_MEETINGS meetings that have ended by `now`."""
    anchor = _at((now - HISTORY).astimezone(LONDON).date(), MEETING_HOUR)
    starts = rules.occurrences(rule, anchor, anchor - datetime.timedelta(seconds=1), now)
    return [start for start in starts if start + MEETING_DURATION < now][-PAST_MEETINGS:]


def _record_history(series: Series, starts: list[datetime.datetime], details: dict) -> None:
    """The series' past meetings, held, each with its outcome; the last meeting's first issue
    becomes a neighbourhood priority."""
    for start, (attendance, summary, issues) in zip(starts, OUTCOMES, strict=False):
        event = Event.objects.create(
            **details,
            series=series,
            series_starts_at=start,
            starts_at=start,
            ends_at=start + MEETING_DURATION,
            status=Event.Status.HELD,
        )
        outcome = Outcome.objects.create(
            event=event,
            attendance=attendance,
            summary=summary,
            issues_raised="\n".join(issues),
            recorded_by=details["organiser"],
        )
        if start == starts[-1]:
            priority = Priority.objects.create(
                neighbourhood=series.neighbourhood,
                issue=issues[0],
                action=PRIORITY_ACTION,
                status=Priority.Status.OPEN,
                issue_date=start.astimezone(LONDON).date(),
            )
            outcome.priorities.add(priority)


def _seed_series(
    neighbourhood: Neighbourhood, organiser: Officer | None, index: int, now: datetime.datetime
) -> Series:
    details = _details(neighbourhood, organiser)
    series = Series.objects.filter(neighbourhood=neighbourhood, title=details["title"]).first()
    if series is None:
        pattern = rules.Pattern("monthly", weekday=index % 5, ordinal=1 + index % 3)
        starts = _past_starts(pattern.rrule(), now)
        series = Series.objects.create(
            **details,
            rrule=pattern.rrule(),
            first_starts_at=starts[0],
            duration=MEETING_DURATION,
        )
        _record_history(series, starts, details)
    series_materialise(series=series, now=now)
    return series


def _seed_stale(
    neighbourhood: Neighbourhood, organiser: Officer | None, now: datetime.datetime
) -> None:
    """No beat meeting ahead, and one ten days ago whose outcome was never recorded."""
    start = _at((now - datetime.timedelta(days=10)).astimezone(LONDON).date(), MEETING_HOUR)
    details = _details(neighbourhood, organiser)
    Event.objects.get_or_create(
        neighbourhood=neighbourhood,
        title=details.pop("title"),
        defaults={**details, "starts_at": start, "ends_at": start + MEETING_DURATION},
    )


def _seed_street_briefing(
    neighbourhood: Neighbourhood, organiser: Officer | None, day: datetime.date
) -> None:
    start = _at(day, 11)
    Event.objects.get_or_create(
        neighbourhood=neighbourhood,
        title=f"{neighbourhood.name} street briefing",
        defaults={
            "event_type": Event.Type.STREET_BRIEFING,
            "description": (
                "Find the team on the street: ask a question, report a concern or pick up "
                "crime prevention advice. No need to book."
            ),
            "venue_name": f"Outside {neighbourhood.name} Library",
            "address": f"Library Street, {neighbourhood.name}",
            "step_free_access": True,
            "accessibility_notes": "Outdoors on a level pavement. Benches nearby.",
            "organiser": organiser,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=1),
        },
    )


def _seed_community_event(
    neighbourhood: Neighbourhood, organiser: Officer | None, day: datetime.date
) -> None:
    start = _at(day, 10)
    Event.objects.get_or_create(
        neighbourhood=neighbourhood,
        title=f"{neighbourhood.name} community safety day",
        defaults={
            "event_type": Event.Type.COMMUNITY_EVENT,
            "description": (
                "Bike marking, crime prevention advice, and a chance to meet the team, the "
                "fire service and the council's community safety officers. Families welcome."
            ),
            "venue_name": "Market Place",
            "address": f"Market Place, {neighbourhood.name}",
            "step_free_access": True,
            "parking": True,
            "accessibility_notes": "Blue badge parking next to the square.",
            "organiser": organiser,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=5),
        },
    )


def _seed_registrations(series: Series, now: datetime.datetime) -> None:
    """A few residents registered for the series' next meeting."""
    code = series.neighbourhood.code
    event = None
    for number, (name, email, needs) in enumerate(REGISTRANTS, start=1):
        token_hash = hashlib.sha256(f"demo-registration-{code}-{number}".encode()).hexdigest()
        if Registration.objects.filter(cancel_token_hash=token_hash).exists():
            continue
        event = event or (
            Event.objects.filter(series=series, starts_at__gt=now).order_by("starts_at").first()
        )
        if event is None:
            return
        Registration.objects.create(
            event=event,
            name=name,
            email=email,
            accessibility_needs=needs,
            cancel_token_hash=token_hash,
        )


@demo_seeder
def seed_events(neighbourhoods: dict[str, Neighbourhood]) -> None:
    now = timezone.now()
    today = now.astimezone(LONDON).date()
    organisers = _organisers()
    registered = 0
    for index, (code, neighbourhood) in enumerate(neighbourhoods.items()):
        organiser = organisers.get(neighbourhood.pk)
        if code == STALE_CODE:
            _seed_stale(neighbourhood, organiser, now)
        else:
            series = _seed_series(neighbourhood, organiser, index, now)
            if registered < REGISTERED_NEIGHBOURHOODS:
                _seed_registrations(series, now)
                registered += 1
        if index % 2 == 0 or code == STALE_CODE:
            _seed_street_briefing(
                neighbourhood, organiser, today + datetime.timedelta(days=10 + index)
            )
        if code == COMMUNITY_EVENT_CODE:
            _seed_community_event(neighbourhood, organiser, today + datetime.timedelta(days=20))


# The Welsh of Derby City Centre's beat meetings (the series and its meetings) and of its
# community safety day, so the Welsh pages and calendar show Welsh events beside English ones.
WELSH_BEAT_MEETING = {
    "title_cy": "Cyfarfod bro Canol Dinas Derby",
    "description_cy": (
        "Dewch i gwrdd â thîm eich cymdogaeth, clywed beth rydym wedi’i wneud ers y cyfarfod "
        "diwethaf a dweud wrthym beth sy’n bwysig yng Nghanol Dinas Derby."
    ),
    "venue_name_cy": "Canolfan Gymunedol Canol Dinas Derby",
    "address_cy": "1 Stryd Fawr, Canol Dinas Derby",
}
WELSH_COMMUNITY_EVENT = {
    "title_cy": "Diwrnod diogelwch cymunedol Canol Dinas Derby",
    "description_cy": (
        "Marcio beiciau, cyngor ar atal troseddu, a chyfle i gwrdd â’r tîm, y gwasanaeth tân a "
        "swyddogion diogelwch cymunedol y cyngor. Croeso i deuluoedd."
    ),
}


@demo_seeder
def seed_welsh_events(neighbourhoods: dict[str, Neighbourhood]) -> None:
    """Written only where no Welsh is yet, so a second run changes nothing."""
    neighbourhood = neighbourhoods.get(COMMUNITY_EVENT_CODE)
    if neighbourhood is None:
        return
    beat_meeting = f"{neighbourhood.name} beat meeting"
    Series.objects.filter(neighbourhood=neighbourhood, title=beat_meeting, title_cy="").update(
        **WELSH_BEAT_MEETING
    )
    Event.objects.filter(neighbourhood=neighbourhood, title=beat_meeting, title_cy="").update(
        **WELSH_BEAT_MEETING
    )
    Event.objects.filter(
        neighbourhood=neighbourhood,
        title=f"{neighbourhood.name} community safety day",
        title_cy="",
    ).update(**WELSH_COMMUNITY_EVENT)
