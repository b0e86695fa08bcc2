"""Demo hotspots with three months of patrols, for `seed_demo`. Run again, it adds nothing."""

import datetime
import random

from django.utils import timezone

from config.dates import LONDON
from neighbourhoods.demo import demo_seeder
from neighbourhoods.models import Neighbourhood
from officers.models import Assignment
from patrols import areas
from patrols.models import Hotspot
from patrols.selectors import add_months
from patrols.services import patrol_record

# (neighbourhood code, name, reason, metres north and east of its centre, radius, planned hours)
HOTSPOTS = [
    (
        "DC01",
        "Market Place and the Cornmarket",
        "Reports of groups causing nuisance and intimidating shoppers in the evenings.",
        (50, -80),
        150,
        240,
    ),
    (
        "DC02",
        "Normanton Park",
        "Reports of motorbikes and youths gathering after dark.",
        (-200, 100),
        200,
        180,
    ),
    (
        "CN05",
        "Matlock Bath riverside",
        "Reports of drinking and disorder on summer weekends.",
        (100, 50),
        250,
        150,
    ),
]
PATROLS_A_WEEK = 3
METRES_PER_DEGREE = 111_320


@demo_seeder
def seed_patrols(neighbourhoods: dict[str, Neighbourhood]) -> None:
    """A hotspot in three neighbourhoods, with a plan from three months ago to next month, and
    patrols of each a few times a week since."""
    today = timezone.localdate()
    plan_start = add_months(today.replace(day=1), -2)
    rng = random.Random(14)
    for code, name, reason, (north, east), radius, planned in HOTSPOTS:
        neighbourhood = neighbourhoods.get(code)
        if neighbourhood is None or Hotspot.objects.filter(name=name).exists():
            continue
        latitude = neighbourhood.centre_latitude + north / METRES_PER_DEGREE
        longitude = neighbourhood.centre_longitude + east / METRES_PER_DEGREE / 0.6
        hotspot = Hotspot.objects.create(
            neighbourhood=neighbourhood,
            name=name,
            reason=reason,
            area=areas.geojson(areas.circle(latitude, longitude, radius)),
            centre_latitude=round(latitude, 6),
            centre_longitude=round(longitude, 6),
            radius_metres=radius,
            plan_starts_on=plan_start,
            plan_ends_on=add_months(today.replace(day=1), 2) - datetime.timedelta(days=1),
            planned_hours=planned,
        )
        team = [
            assignment.officer
            for assignment in Assignment.objects.current()
            .filter(neighbourhood=neighbourhood)
            .select_related("officer")
            .order_by("role", "officer__display_name")
        ]
        if not team:
            continue
        _patrols(hotspot, team, plan_start, today, rng)


def _patrols(hotspot, team, first_day, today, rng) -> None:
    day = first_day
    while day < today:
        if rng.random() < PATROLS_A_WEEK / 7:
            starts = datetime.datetime.combine(
                day, datetime.time(rng.choice((18, 19, 20, 21))), tzinfo=LONDON
            )
            ends = starts + datetime.timedelta(minutes=rng.choice((90, 120, 150, 180)))
            crew = team[: rng.choice((1, 2, 2, 3))]
            patrol_record(
                hotspot=hotspot,
                starts_at=starts,
                ends_at=ends,
                officers=crew,
                outcomes={
                    "people_engaged": rng.randint(2, 15),
                    "groups_dispersed": rng.choice((0, 0, 1, 1, 2)),
                    "dispersal_orders": rng.choice((0, 0, 0, 1)),
                    "arrests": rng.choice((0, 0, 0, 0, 1)),
                    "immediate_justice": rng.choice((0, 0, 1, 2)),
                    "safeguarding": rng.choice((0, 0, 0, 1)),
                    "intelligence": rng.choice((0, 1, 1, 2)),
                },
                note="Spoke to the shop managers about the groups gathering by the doors.",
            )
        day += datetime.timedelta(days=1)
