"""Demo beat meetings and events for `seed_demo`: upcoming ones, and past ones that were held."""

import datetime

from django.utils import timezone

from meetings.models import Event
from neighbourhoods.models import Neighbourhood
from officers.models import Assignment


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_events(neighbourhoods: dict[str, Neighbourhood]) -> None:
    today = timezone.localdate()
    named = {
        a.neighbourhood_id: a.officer
        for a in Assignment.objects.current().filter(role=Assignment.Role.NAMED_OFFICER)
    }
    for offset, neighbourhood in enumerate(neighbourhoods.values()):
        plans = [
            (
                "Beat meeting",
                Event.Type.BEAT_MEETING,
                today + datetime.timedelta(days=7 + offset),
                19,
                Event.Status.SCHEDULED,
            ),
            (
                "Street briefing",
                Event.Type.STREET_BRIEFING,
                today + datetime.timedelta(days=14 + offset),
                11,
                Event.Status.SCHEDULED,
            ),
            (
                "Beat meeting",
                Event.Type.BEAT_MEETING,
                today - datetime.timedelta(days=21 + offset),
                19,
                Event.Status.HELD,
            ),
        ]
        for kind, event_type, day, hour, status in plans:
            title = f"{neighbourhood.name} {kind.lower()}"
            if status == Event.Status.HELD:
                title += " (last month)"
            Event.objects.get_or_create(
                neighbourhood=neighbourhood,
                title=title,
                defaults={
                    "event_type": event_type,
                    "description": (
                        "Meet your neighbourhood team and tell us what matters in "
                        f"{neighbourhood.name}."
                    ),
                    "venue_name": f"{neighbourhood.name} Community Centre",
                    "address": f"1 High Street, {neighbourhood.name}",
                    "starts_at": _at(day, hour),
                    "ends_at": _at(day, hour + 1),
                    "organiser": named.get(neighbourhood.pk),
                    "status": status,
                },
            )
